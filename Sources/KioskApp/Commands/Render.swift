// `kiosk render`: any screen to PNG without a display.
import ArgumentParser
import Foundation
import KioskCore
import KioskSDL
import KioskUI

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render one screen headless to a PNG file (software renderer; no display needed).")

    @ParentCommand var root: KioskCommand

    @Option(help: "Screen: \(screenNames.joined(separator: ", ")).")
    var screen: String

    @Option(help: "Service code for the report screens (default: the first listed).")
    var service: String?

    @Option(help: "Language: pl, en or uk.")
    var lang: Language = .pl

    @Flag(help: "Large-text mode (text ×1.5), as the a11y.large-text toggle sets it.")
    var largeText = false

    @Flag(help: "High-contrast theme, as the a11y.contrast toggle sets it.")
    var highContrast = false

    @Option(help: "Screen size WIDTHxHEIGHT, e.g. 1080x1920 (portrait) or 1920x1080 (landscape).")
    var size = ScreenSize.portrait

    @Option(help: "Category id for the articles and article screens (default: the first).")
    var category: String?

    @Option(help: "Article id for the article screen (default: the first of the category).")
    var article: String?

    @Option(help: "Text typed on the search screen, or into the report step's field.")
    var query: String?

    @Option(help: "Scroll the screen's scroll view down by this many pixels first.")
    var scroll: Double = 0

    @Option(help: "Where to write the PNG.")
    var out: String

    func run() throws {
        let (kiosk, fonts) = try headlessKiosk(root, screen: screen, lang: lang, size: size.size) { e in
            if largeText { e.send(.toggleLargeText) }
            if highContrast { e.send(.toggleContrast) }
        }
        try navigate(kiosk, to: screen, category: category, article: article, query: query, service: service)
        if scroll != 0, let id = kiosk.engine.frame().scrolls.keys.sorted().first {
            kiosk.engine.send(.scrollBy(id, scroll))
        }
        let canvas = try OffscreenCanvas(size: size.size, fonts: fonts)
        canvas.draw(kiosk.engine.frame(), background: kiosk.engine.theme.background)
        try canvas.savePNG(out)
    }
}

/// A kiosk for one screen without a display (`render`, `speak`): synchronous services on a test clock, in a
/// language, with `prepare` run before it goes to the screen.
func headlessKiosk(_ root: KioskCommand, screen: String, lang: Language, size: Size,
                   prepare: (KioskEngine) -> Void = { _ in }) throws -> (Kiosk, FontBook) {
    let config = try root.loadConfig()
    try SDLSystem.start(headless: true)
    let fonts = try openFonts(config)
    let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
        // The ticket screen files a report: never into a real kiosk's outbox.
        dbPath: screen == "ticket" ? ":memory:" : root.dbPath(config), size: size, clock: ManualClock(), measurer: fonts, effects: .synchronous))
    kiosk.engine.send(.setLanguage(lang))
    prepare(kiosk.engine)
    return (kiosk, fonts)
}
