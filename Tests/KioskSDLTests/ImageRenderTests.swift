// Images through the real SDL software renderer: QR codes a phone can read (checked with zbarimg), crisp modules.
import Foundation
import KioskSDL
import KioskTesting
import Testing
@testable import KioskUI

/// Long links of the kind the Knowledge Base will carry, with Polish letters as residents' phones meet them.
let cityLinkRaw = "https://uml.lodz.pl/dla-mieszkancow/sprawy-urzedowe/żłobki-i-przedszkola/zapisy-do-żłobka-miejskiego-w-łodzi?dzielnica=Śródmieście&ulica=Piotrkowska&źródło=kiosk"
let cityLinkEscaped = "https://uml.lodz.pl/dla-mieszkancow/sprawy-urzedowe/%C5%BC%C5%82obki-i-przedszkola/zapisy-do-%C5%BC%C5%82obka-miejskiego-w-%C5%82odzi?dzielnica=%C5%9Ar%C3%B3dmie%C5%9Bcie&ulica=Piotrkowska"

let qrTheme = Theme()

func qrFrame(_ payload: String, size: Size, measurer: TextMeasurer) -> Frame {
    let engine = LayoutEngine(measurer: measurer, theme: qrTheme)
    let root = Node.column(gap: 24, padding: .all(40), [
        .text("Ten artykuł w telefonie", .body, qrTheme.text),
        .qrCode(id: "article.qr", payload: payload, side: 420, label: "Ten artykuł w telefonie",
                dark: qrTheme.text, light: Color(0xFFFFFF)),
    ]).background(qrTheme.background)
    return engine.layout(root, size: size, screen: .article, scroll: [:])
}

func qrRect(_ f: Frame) -> (Rect, ModuleGrid)? {
    for c in f.commands { if case let .image(r, .modules(g, _, _)) = c { return (r, g) } }
    return nil
}

/// Runs zbarimg on a PNG and returns what it read, or nil with the reason recorded.
func zbarRead(_ png: String) throws -> String? {
    let tool = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let tool else {
        Issue.record("zbarimg is missing: apt-get install zbar-tools (listed in scripts/debian-packages.txt)")
        return nil
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png]
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else {
        let why = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        Issue.record("zbarimg found no code in \(png) (exit \(p.terminationStatus)): \(why)")
        return nil
    }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    return text
}

@Suite(.serialized) struct QRCodeOnScreen {
    let size = Size(width: 1080, height: 1920)

    func canvas(_ payload: String) throws -> (OffscreenCanvas, Frame) {
        try SDLSystem.start(headless: true)
        let fonts = try FontBook(files: FontLocator.locate(pattern: "sans-serif:lang=pl"))
        let frame = qrFrame(payload, size: size, measurer: fonts)
        let c = try OffscreenCanvas(size: size, fonts: fonts)
        c.draw(frame, background: qrTheme.background)
        return (c, frame)
    }

    func readBack(_ payload: String) throws -> String? {
        let (c, _) = try canvas(payload)
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-qr-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        try c.savePNG(png)
        return try zbarRead(png)
    }

    @Test func aPhoneReadsTheRawPolishLink() throws {
        let read = try readBack(cityLinkRaw)
        #expect(read == cityLinkRaw, "zbarimg read \(read.map { Array($0.utf8).prefix(90).map { String($0, radix: 16) }.joined(separator: " ") } ?? "nothing")")
    }

    @Test func aPhoneReadsThePercentEncodedLink() throws {
        let read = try readBack(cityLinkEscaped)
        #expect(read == cityLinkEscaped, "zbarimg read \(read ?? "nothing")")
        let escaped = QRCode.linkForPhones(cityLinkRaw)
        #expect(try readBack(escaped)?.removingPercentEncoding == cityLinkRaw)
    }

    @Test func aScreenWithoutTheCodeReadsAsNothing() throws {
        // The decoder check above could not pass on a blank picture: a screen whose link failed shows no code.
        let (c, frame) = try canvas("")
        #expect(qrRect(frame) == nil)
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-qr-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: png) }
        try c.savePNG(png)
        withKnownIssue { _ = try zbarRead(png) }
    }

    @Test func everyModuleIsASolidSquareInsideALightQuietZone() throws {
        let (c, frame) = try canvas(cityLinkEscaped)
        let (rect, grid) = try #require(qrRect(frame))
        let px = c.pixels()
        let scale = Int(rect.width) / grid.drawnWidth
        #expect(scale * grid.drawnWidth == Int(rect.width) && scale >= 2)
        let dark = qrTheme.text, light = Color(0xFFFFFF)
        var wrong = 0
        for my in 0..<grid.drawnHeight {
            for mx in 0..<grid.drawnWidth {
                let gx = mx - grid.quietZone, gy = my - grid.quietZone
                let inSymbol = (0..<grid.width).contains(gx) && (0..<grid.height).contains(gy)
                let want = inSymbol && grid[gx, gy] ? dark : light
                for dy in 0..<scale {
                    for dx in 0..<scale {
                        let x = Int(rect.x) + mx * scale + dx, y = Int(rect.y) + my * scale + dy
                        let i = (y * Int(size.width) + x) * 4
                        if px[i] != want.r || px[i + 1] != want.g || px[i + 2] != want.b { wrong += 1 }
                    }
                }
            }
        }
        #expect(wrong == 0, "\(wrong) pixels are not their module's colour")
        // Just outside the drawn square the screen background shows again.
        let i = (Int(rect.y) * Int(size.width) + Int(rect.maxX)) * 4
        #expect(px[i] == qrTheme.background.r && px[i + 1] == qrTheme.background.g)
    }

    @Test func theTextureIsMadeOnceAndFreedWithTheRenderer() throws {
        let (c, frame) = try canvas(cityLinkRaw)
        #expect(c.drawer.cachedImageCount == 1)
        c.draw(frame, background: qrTheme.background)
        c.draw(frame, background: qrTheme.background)
        #expect(c.drawer.cachedImageCount == 1)
        c.drawer.purge()
        #expect(c.drawer.cachedImageCount == 0)
    }

    @Test func bitmapsKeepTheirPixelsWhenScaled() throws {
        try SDLSystem.start(headless: true)
        let fonts = try FontBook(files: FontLocator.locate(pattern: "sans-serif:lang=pl"))
        let c = try OffscreenCanvas(size: Size(width: 200, height: 200), fonts: fonts)
        let rgba = try Bitmap(width: 2, height: 1, format: .rgba, pixels: [255, 0, 0, 255, 0, 0, 255, 255])
        let grey = try Bitmap(width: 1, height: 2, format: .grey, pixels: [0, 200])
        var f = Frame(size: Size(width: 200, height: 200), screen: .home)
        f.commands = [.image(Rect(x: 0, y: 0, width: 40, height: 20), .bitmap(rgba)),
                      .image(Rect(x: 100, y: 100, width: 10, height: 20), .bitmap(grey))]
        c.draw(f, background: Color(0xFFFFFF))
        let px = c.pixels()
        func at(_ x: Int, _ y: Int) -> [UInt8] { let i = (y * 200 + x) * 4; return Array(px[i..<i + 3]) }
        #expect(at(0, 0) == [255, 0, 0] && at(19, 19) == [255, 0, 0])
        #expect(at(20, 0) == [0, 0, 255] && at(39, 19) == [0, 0, 255])
        #expect(at(40, 0) == [255, 255, 255])
        #expect(at(105, 109) == [0, 0, 0] && at(105, 110) == [200, 200, 200])
    }

    /// Figures for the issue's start-up budget: one QR at 1080×1920. Bounds are loose; the numbers are the point.
    @Test func encodeAndDrawTimes() throws {
        func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
            var t: [Double] = []
            for _ in 0..<runs {
                let s = DispatchTime.now().uptimeNanoseconds
                try body()
                t.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
            }
            return t.sorted()[t.count / 2]
        }
        let encode = try median(300) { _ = try QRCode.encodeAfresh(cityLinkRaw, level: .medium) }
        let (c, frame) = try canvas(cityLinkRaw)
        var withoutQR = frame, qrOnly = frame
        withoutQR.commands = frame.commands.filter { if case .image = $0 { false } else { true } }
        qrOnly.commands = frame.commands.filter { if case .image = $0 { true } else { false } }
        let drawFrame = median(300) { c.draw(frame, background: qrTheme.background) }
        let drawFrameNoQR = median(300) { c.draw(withoutQR, background: qrTheme.background) }
        let drawQR = median(300) { c.draw(qrOnly, background: qrTheme.background) }
        let drawQRFresh = median(300) { c.drawer.purge(); c.draw(qrOnly, background: qrTheme.background) }
        let grid = try #require(qrRect(frame))
        func ms(_ v: Double) -> String { String(format: "%.3f ms", v) }
        print("QR \(grid.1.width)x\(grid.1.width) (version \(grid.1.qrVersion ?? 0)) drawn \(Int(grid.0.width)) px at 1080x1920: "
            + "encode \(ms(encode)); frame with text and QR \(ms(drawFrame)), same frame without QR \(ms(drawFrameNoQR)); "
            + "clear + QR cached \(ms(drawQR)), clear + QR with texture made \(ms(drawQRFresh))")
        #expect(encode < 5)
        #expect(drawFrame < 50)
    }
}
