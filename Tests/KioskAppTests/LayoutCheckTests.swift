import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp
import KioskSDL

/// The panels infomats ship with, portrait and landscape.
let panelSizes = [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1366, height: 768),
                  Size(width: 1280, height: 1024), Size(width: 768, height: 1366)]
let checkedScreens = allScreens + liveScreens + ["search:" + String(repeating: "dowód osobisty ", count: 8)]

/// The real fonts (fontconfig + SDL_ttf), so the check measures what a resident sees.
/// Used only by the serialized suite below: FontBook is not thread-safe.
nonisolated(unsafe) let realFonts: Result<FontBook, Error> = Result {
    try SDLSystem.start(headless: true)
    return try openFonts(KioskConfig())
}

@Suite(.serialized) struct LayoutChecks {
    @Test(arguments: panelSizes)
    func everyScreenInEveryLanguageFitsThePanel(size: Size) throws {
        let fonts = try realFonts.get()
        var problems: [String] = []
        for large in [false, true] {
            for lang in Language.allCases {
                for screen in checkedScreens {
                    let (k, _) = try testKiosk(size: size, measurer: fonts)
                    k.engine.send(.setLanguage(lang))
                    if large { k.engine.send(.toggleLargeText) }
                    try go(k, screen)
                    let found = LayoutCheck.problems(in: k.engine.frame(), panel: k.engine.panel)
                    let name = "\(screen.prefix(24)) \(lang.rawValue) \(Int(size.width))x\(Int(size.height))\(large ? " large" : "")"
                    problems += found.map { "\(name): \($0)" }
                }
            }
        }
        // Keys of one row fail together: say so once.
        var seen = Set<String>()
        let distinct = problems.filter { p in
            let key = p.replacingOccurrences(of: #"keyboard\.key\.\S+"#, with: "keyboard.key.X", options: .regularExpression)
            return seen.insert(key).inserted
        }
        if !distinct.isEmpty {
            let dump = FileManager.default.temporaryDirectory.appendingPathComponent("layout-problems-\(Int(size.width))x\(Int(size.height)).txt")
            try? distinct.joined(separator: "\n").write(to: dump, atomically: true, encoding: .utf8)
            Issue.record(Comment(rawValue: "\(distinct.count) layout problems (all in \(dump.path)):\n" + distinct.prefix(25).joined(separator: "\n")))
        }
    }

    /// With a printer the article has a print button, and the ticket one to print again.
    @Test(arguments: panelSizes)
    func printingControlsFitThePanel(size: Size) throws {
        let fonts = try realFonts.get()
        var config = KioskConfig()
        config.printer.queue = "receipt80"
        config.site.hasPrinter = true
        var problems: [String] = []
        for large in [false, true] {
            for lang in Language.allCases {
                let (k, _) = try testKiosk(size: size, config: config, measurer: fonts)
                k.engine.send(.setLanguage(lang))
                if large { k.engine.send(.toggleLargeText) }
                try go(k, "article")
                #expect(k.engine.frame().target(id: ElementID.articlePrint) != nil)
                problems += LayoutCheck.problems(in: k.engine.frame(), panel: k.engine.panel).map { "article \(lang) \(size)\(large ? " large" : ""): \($0)" }
            }
        }
        #expect(problems.isEmpty, Comment(rawValue: problems.prefix(20).joined(separator: "\n")))
    }

    @Test(arguments: panelSizes)
    func theHomeScreenFitsWithoutScrollingInNormalText(size: Size) throws {
        let fonts = try realFonts.get()
        for lang in Language.allCases {
            let (k, _) = try testKiosk(size: size, measurer: fonts)
            k.engine.send(.setLanguage(lang))
            let m = k.engine.frame().scrolls["home.body"]
            #expect(m?.maxOffset == 0, "home in \(lang) at \(Int(size.width))x\(Int(size.height)) scrolls by \(m?.maxOffset ?? -1) px")
        }
    }

    @Test func theCheckFindsClippedAndOverlappingText() throws {
        // The check itself must be able to fail: a text too long for a fixed box, and two targets on each other.
        var box = Node.column([.text(String(repeating: "przepełniony ", count: 40), .body, Color(0))]).height(.fixed(50))
        box.id = "x"
        var a = Node().onTap(.home, id: "a.one"); a.height = .fixed(100); a.width = .fixed(100)
        var b = Node().onTap(.back, id: "a.two"); b.height = .fixed(100); b.width = .fixed(100)
        let overlap = Node.stack([Node.column([a]), Node.column([b])])
        var root = Node.column([box, overlap])
        root.height = .fill()
        let engine = LayoutEngine(measurer: FixedWidthMeasurer())
        let frame = engine.layout(root, size: Size(width: 400, height: 400), screen: .home, scroll: [:])
        let found = LayoutCheck.problems(in: frame, panel: Panel(size: Size(width: 400, height: 400), diagonalInches: 2))
        #expect(found.contains { $0.contains("runs outside its card") }, "\(found)")
        #expect(found.contains { $0.contains("less than 20 mm") }, "\(found)")
        // Overlays are separate layers: targets in two layers do not count as overlapping.
        #expect(!found.contains { $0.contains("overlap") }, "\(found)")
        let same = Node.row([a, b.width(.fixed(100))])
        let f2 = engine.layout(Node.column([same]), size: Size(width: 150, height: 400), screen: .home, scroll: [:])
        #expect(LayoutCheck.problems(in: f2, panel: Panel(size: Size(width: 150, height: 400), diagonalInches: 2)).contains { $0.contains("outside") })
    }
}

