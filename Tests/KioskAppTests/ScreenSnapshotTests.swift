import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

let snapshotFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__").path
/// Screens to check; "search:TEXT" is the search screen with TEXT typed.
let allScreens = ["home", "categories", "articles", "article", "idle-warning", "search", "search:zlob",
                  "search:zameldowanei", "search:xyzzy", "search:dziura w chodniku", "report.service", "report.service:latarnia nie swieci",
                  "report.threat", "report.emergency", "report.location", "report.location:piotr", "report.details",
                  "report.contact", "report.contact:jan@poczta", "report.duplicate", "report.review", "ticket", "ticket.joined",
                  "ticket-lookup", "ticket-lookup:pt1-2612", "ticket-lookup.server", "ticket-lookup.open", "ticket-lookup.saved",
                  "ticket-lookup.sent", "ticket-lookup.refused", "ticket-lookup.not-found", "ticket-lookup.unreachable", "ticket-lookup.invalid",
                  "maintenance.pin", "maintenance.pin.wrong", "maintenance.pin.throttled", "maintenance.pin.not-set", "out-of-service", "out-of-service.start-failed",
                  "accessibility"]
/// Screens whose figures change from run to run (the dashboard's dates and uptime): checked, not snapshotted.
let liveScreens = ["maintenance", "maintenance.refused", "maintenance.discard"]

func go(_ k: Kiosk, _ screen: String) throws {
    let parts = screen.split(separator: ":", maxSplits: 1).map(String.init)
    try navigate(k, to: parts[0], category: nil, article: nil, query: parts.count > 1 ? parts[1] : nil)
}

@Suite struct ScreenSnapshots {
    @Test(arguments: allScreens)
    func everyScreenInBothLanguagesAndOrientations(screen: String) throws {
        for lang in Language.allCases {
            for (orientation, size) in [("portrait", portrait), ("landscape", landscape)] {
                let (k, _) = try testKiosk(size: size)
                k.engine.send(.setLanguage(lang))
                try go(k, screen)
                let frame = k.engine.frame()
                let name = "\(screen.replacingOccurrences(of: ":", with: "-"))_\(lang.rawValue)_\(orientation)"
                switch TextSnapshot.check(frame.dump(), named: name, in: snapshotFolder) {
                case .matched: break
                case let .recorded(path): Issue.record("recorded a new snapshot \(path); check it and commit it")
                case let .mismatch(why): Issue.record(Comment(rawValue: why))
                }
            }
        }
    }

    @Test(arguments: allScreens + liveScreens)
    func everyTargetIsBigEnoughForAFinger(screen: String) throws {
        for size in [portrait, landscape] {
            let (k, _) = try testKiosk(size: size)
            try go(k, screen)
            let f = k.engine.frame()
            for hit in f.hits where hit.action != nil && hit.rect.height > 0 && !hit.id.hasPrefix("keyboard.") {
                // Clipped list items at the edge of a scroll view are partly hidden; judge whole ones.
                guard hit.scrollID == nil || f.scrolls[hit.scrollID ?? ""] == nil || hit.rect.height > 1 else { continue }
                let clippedByScroll = hit.scrollID != nil
                if !clippedByScroll {
                    #expect(hit.rect.height >= k.engine.theme.minTarget, "\(hit.id) is \(hit.rect.height) px tall on \(screen)")
                }
                #expect(hit.rect.width >= k.engine.theme.minTarget, "\(hit.id) is \(hit.rect.width) px wide on \(screen)")
            }
        }
    }

    @Test func keyboardKeysAreAtLeastTwentyMillimetres() throws {
        // 80 px is 20 mm on a 21.5" 1080p panel (0.248 mm a pixel), the smallest kiosk screen we expect.
        for size in [portrait, landscape] {
            let (k, _) = try testKiosk(size: size)
            try go(k, "search")
            let keys = k.engine.frame().hits.filter { $0.id.hasPrefix("keyboard.") }
            #expect(keys.count == 48) // 10 digits, 26 letters, 9 Polish letters, shift, space, backspace
            for key in keys {
                #expect(key.rect.width >= 80 && key.rect.height >= 80, "\(key.id) is \(key.rect.width)x\(key.rect.height)")
            }
        }
    }

    @Test func everyTappableElementSaysWhatItIs() throws {
        for screen in allScreens {
            let (k, _) = try testKiosk()
            try go(k, screen)
            for hit in k.engine.frame().hits where hit.action != nil {
                #expect(hit.semantics?.label.isEmpty == false, "\(hit.id) on \(screen) has no spoken label")
            }
        }
    }

    @Test func noTextRunsPastTheScreenEdge() throws {
        for screen in allScreens {
            for size in [portrait, landscape] {
                let (k, _) = try testKiosk(size: size)
                k.engine.send(.setLanguage(.pl))
                try go(k, screen)
                let measurer = FixedWidthMeasurer()
                for case let .text(s, origin, font, _, _) in k.engine.frame().commands {
                    let right = origin.x + measurer.width(of: Substring(s), font: font)
                    #expect(right <= size.width, "\"\(s)\" ends at \(right) on \(screen)")
                }
            }
        }
    }
}
