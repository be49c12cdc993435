import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

let snapshotFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__").path
let allScreens = ["home", "categories", "articles", "article", "coming-soon", "idle-warning"]

@Suite struct ScreenSnapshots {
    @Test(arguments: allScreens)
    func everyScreenInBothLanguagesAndOrientations(screen: String) throws {
        for lang in Language.allCases {
            for (orientation, size) in [("portrait", portrait), ("landscape", landscape)] {
                let (k, _) = try testKiosk(size: size)
                k.engine.send(.setLanguage(lang))
                try navigate(k, to: screen, category: nil, article: nil)
                let frame = k.engine.frame()
                let name = "\(screen)_\(lang.rawValue)_\(orientation)"
                switch TextSnapshot.check(frame.dump(), named: name, in: snapshotFolder) {
                case .matched: break
                case let .recorded(path): Issue.record("recorded a new snapshot \(path); check it and commit it")
                case let .mismatch(why): Issue.record(Comment(rawValue: why))
                }
            }
        }
    }

    @Test(arguments: allScreens)
    func everyTargetIsBigEnoughForAFinger(screen: String) throws {
        for size in [portrait, landscape] {
            let (k, _) = try testKiosk(size: size)
            try navigate(k, to: screen, category: nil, article: nil)
            let f = k.engine.frame()
            for hit in f.hits where hit.action != nil && hit.rect.height > 0 {
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

    @Test func everyTappableElementSaysWhatItIs() throws {
        for screen in allScreens {
            let (k, _) = try testKiosk()
            try navigate(k, to: screen, category: nil, article: nil)
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
                try navigate(k, to: screen, category: nil, article: nil)
                let measurer = FixedWidthMeasurer()
                for case let .text(s, origin, font, _, _) in k.engine.frame().commands {
                    let right = origin.x + measurer.width(of: Substring(s), font: font)
                    #expect(right <= size.width, "\"\(s)\" ends at \(right) on \(screen)")
                }
            }
        }
    }
}
