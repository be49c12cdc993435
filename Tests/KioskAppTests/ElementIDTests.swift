import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

@Suite struct PublicElementIDs {
    /// The backticked IDs of the README's "Element IDs" section.
    static func readmeIDs() throws -> Set<String> {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md").path
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        guard let start = text.range(of: "### Element IDs") else { return [] }
        let rest = text[start.upperBound...]
        let section = rest[..<(rest.range(of: "\n#")?.lowerBound ?? rest.endIndex)]
        var ids = Set<String>()
        for part in section.split(separator: "`").enumerated() where part.offset % 2 == 1 {
            let token = String(part.element)
            if token.range(of: #"^[a-z0-9-]+(\.[A-Za-z0-9-]+)+$"#, options: .regularExpression) != nil { ids.insert(token) }
        }
        return ids
    }

    @Test func everyDocumentedIDIsInTheREADMEAndEveryREADMEIDIsDeclared() throws {
        let readme = try Self.readmeIDs()
        #expect(!readme.isEmpty)
        for id in ElementID.documented { #expect(readme.contains(id), "\(id) is public but missing from the README") }
        for id in readme where !id.hasPrefix("keyboard.key.") || id == "keyboard.key.X" {
            // Screens are public too (`expect-screen report.location`).
            #expect(ElementID.pattern(of: id) != nil || ScreenID(rawValue: id) != nil, "the README lists \(id), which the code does not declare")
        }
    }

    @Test func everyIDOnEveryScreenIsPublic() throws {
        var seen = Set<String>()
        for screen in allScreens + liveScreens {
            for lang in Language.allCases {
                let (k, _) = try testKiosk()
                k.engine.send(.setLanguage(lang))
                try go(k, screen)
                for hit in k.engine.frame().hits {
                    #expect(ElementID.pattern(of: hit.id) != nil, "\(hit.id) on \(screen) is not declared in ElementID.documented")
                    seen.insert(ElementID.pattern(of: hit.id) ?? hit.id)
                }
            }
        }
        // The screens the tests reach show most of the public IDs; the rest need a flow or an overlay. No screen
        // shows a notice since the ticket tile works (maintenance's out-of-service notice will).
        let unreached = Set(ElementID.documented).subtracting(seen)
        #expect(unreached.isSubset(of: ["leave.confirm", "leave.stay", "leave.scrim", "keyboard.layout", "article.qr",
                                        "search.clear", "search.suggestion", "search.browse", "report.location.landmark",
                                        "report.attr.CODE.now", "ticket.print", "ticket.side", "article.print", "article.side",
                                        "notice.ok", "notice.scrim"]), "\(unreached.sorted())")
        for screen in ScreenID.allCases where screen.rawValue.contains(".") {
            #expect(try Self.readmeIDs().contains(screen.rawValue), "screen \(screen.rawValue) is missing from the README")
        }
    }
}
