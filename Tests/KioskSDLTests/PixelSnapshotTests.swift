import Foundation
import KioskCore
import KioskSDL
import KioskStore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

let referenceFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference").path

/// The demo Knowledge Base imported once; each render works on a copy.
let demoDatabase: Result<String, Error> = Result {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-px-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let store = try KioskStore(path: dir + "/demo.sqlite")
    try fillIfEmpty(store, config: KioskConfig())
    try fillServicesIfNew(store, config: KioskConfig())
    return dir + "/demo.sqlite"
}

/// Renders a screen through the real SDL software renderer and real fonts, as `kiosk render` does.
func renderPixels(_ screen: String, lang: Language, size: Size, highContrast: Bool = false, focus: String? = nil) throws -> OffscreenCanvas {
    try SDLSystem.start(headless: true)
    let fonts = try FontBook(files: FontLocator.locate(pattern: "sans-serif:lang=pl"))
    let clock = ManualClock(start: Date(timeIntervalSince1970: 1_795_431_600))
    let db = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-px-\(UUID().uuidString).sqlite").path
    try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
    let k = try buildKiosk(config: KioskConfig(), environment: KioskEnvironment(
        dbPath: db, size: size, clock: clock, measurer: fonts, effects: .synchronous))
    k.engine.send(.setLanguage(lang))
    if highContrast { k.engine.send(.toggleContrast) }
    try navigate(k, to: screen, category: nil, article: nil)
    if let focus { k.engine.send(.keyFocus(focus)) }
    let canvas = try OffscreenCanvas(size: size, fonts: fonts)
    canvas.draw(k.engine.frame(), background: k.engine.theme.background)
    return canvas
}

/// Compares with Reference/NAME.png; per-channel tolerance absorbs antialiasing differences between
/// FreeType builds. On mismatch writes NAME_err.png (differing pixels in red) and NAME_actual.png.
func comparePixels(_ canvas: OffscreenCanvas, name: String, size: Size, folder: String = referenceFolder,
                   tolerance: Int = 24, maxBadShare: Double = 0.002) throws {
    let ref = folder + "/\(name).png"
    let actual = canvas.pixels()
    guard let expected = loadPNG(ref) else {
        try canvas.savePNG(ref)
        Issue.record("recorded a new reference \(ref); look at it and commit it")
        return
    }
    #expect(expected.width == Int(size.width) && expected.height == Int(size.height))
    var bad = 0
    var diff = actual
    for i in stride(from: 0, to: min(actual.count, expected.rgba.count), by: 4) {
        let off = (0..<3).contains { abs(Int(actual[i + $0]) - Int(expected.rgba[i + $0])) > tolerance }
        if off {
            bad += 1
            diff[i] = 255; diff[i + 1] = 0; diff[i + 2] = 0
        } else {
            diff[i] = UInt8(Int(diff[i]) / 3 + 170); diff[i + 1] = UInt8(Int(diff[i + 1]) / 3 + 170); diff[i + 2] = UInt8(Int(diff[i + 2]) / 3 + 170)
        }
    }
    let share = Double(bad) / Double(actual.count / 4)
    if share > maxBadShare {
        try savePNG(width: Int(size.width), height: Int(size.height), rgba: diff, to: folder + "/\(name)_err.png")
        try canvas.savePNG(folder + "/\(name)_actual.png")
        Issue.record("\(name): \(bad) pixels differ beyond ±\(tolerance) (\(String(format: "%.3f", share * 100))%); see \(name)_err.png")
    }
}

@Suite(.serialized) struct PixelSnapshots {
    @Test func homePolishPortrait() throws {
        let size = Size(width: 1080, height: 1920)
        try comparePixels(try renderPixels("home", lang: .pl, size: size), name: "home_pl_portrait", size: size)
    }

    @Test func articleEnglishLandscape() throws {
        let size = Size(width: 1920, height: 1080)
        try comparePixels(try renderPixels("article", lang: .en, size: size), name: "article_en_landscape", size: size)
    }

    @Test func idleWarningPolishPortrait() throws {
        let size = Size(width: 1080, height: 1920)
        try comparePixels(try renderPixels("idle-warning", lang: .pl, size: size), name: "idle-warning_pl_portrait", size: size)
    }

    @Test func searchUkrainianOnASmallLandscapePanel() throws {
        // The Ukrainian keyboard (ЙЦУКЕН with і ї є ґ) on a 1366×768 infomat.
        let size = Size(width: 1366, height: 768)
        try comparePixels(try renderPixels("search", lang: .uk, size: size), name: "search_uk_1366x768", size: size)
    }

    /// The high-contrast theme with the keypad's focus ring on a tile, and on a dark page in landscape.
    @Test func homeHighContrastWithTheFocusRing() throws {
        let size = Size(width: 1080, height: 1920)
        try comparePixels(try renderPixels("home", lang: .pl, size: size, highContrast: true, focus: "home.report"),
                          name: "home_pl_portrait_contrast", size: size)
    }

    @Test func articleHighContrastLandscape() throws {
        let size = Size(width: 1920, height: 1080)
        try comparePixels(try renderPixels("article", lang: .uk, size: size, highContrast: true, focus: "nav.back"),
                          name: "article_uk_landscape_contrast", size: size)
    }

    @Test func aMismatchWritesAnErrorImage() throws {
        let size = Size(width: 1080, height: 1920)
        let canvas = try renderPixels("categories", lang: .pl, size: size)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-px-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        // A blank reference must fail and leave the _err picture beside it.
        try savePNG(width: 1080, height: 1920, rgba: [UInt8](repeating: 255, count: 1080 * 1920 * 4), to: dir + "/blank.png")
        withKnownIssue {
            try comparePixels(canvas, name: "blank", size: size, folder: dir)
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/blank_err.png"))
    }
}
