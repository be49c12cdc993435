// QR codes and images in the view tree: encoding, limits, snapping to whole pixels, snapshot lines.
import Foundation
import KioskCore
import KioskTesting
import Testing
@testable import KioskUI

@Suite struct QRCodeEncoding {
    @Test func theSameTextGivesTheSameModules() throws {
        let a = try QRCode.encodeAfresh("https://uml.lodz.pl/", level: .medium)
        let b = try QRCode.encodeAfresh("https://uml.lodz.pl/", level: .medium)
        #expect(a == b)
        #expect(a.fingerprint == b.fingerprint)
        #expect(try QRCode.encode("https://uml.lodz.pl/") == a)
    }

    @Test func versionFollowsLengthAndLevel() throws {
        // ISO/IEC 18004 capacities: "HELLO WORLD" is 11 alphanumeric characters; 1-Q holds 16, 1-H only 10.
        #expect(try QRCode.encode("HELLO WORLD", level: .quartile).qrVersion == 1)
        #expect(try QRCode.encode("HELLO WORLD", level: .quartile).width == 21)
        #expect(try QRCode.encode("HELLO WORLD", level: .high).qrVersion == 2)
        // 100 bytes of 8-bit data: 5-L holds 106, 5-M 84 and 6-M 106.
        let hundred = String(repeating: "a", count: 100)
        #expect(try QRCode.encode(hundred, level: .low).qrVersion == 5)
        #expect(try QRCode.encode(hundred, level: .medium).qrVersion == 6)
        #expect(try QRCode.encode(hundred, level: .medium).width == 41)
    }

    @Test func finderPatternsSitInThreeCorners() throws {
        let g = try QRCode.encode("https://uml.lodz.pl/")
        #expect(g.quietZone == 4)
        for (ox, oy) in [(0, 0), (g.width - 7, 0), (0, g.width - 7)] {
            for y in 0..<7 {
                for x in 0..<7 {
                    // The 7×7 finder: dark ring, light ring, dark 3×3 centre.
                    let ring = min(x, y, 6 - x, 6 - y)
                    #expect(g[ox + x, oy + y] == (ring != 1), "finder at \(ox),\(oy): module \(x),\(y)")
                }
            }
        }
        // The fourth corner has no finder: its 7×7 is not the same pattern.
        #expect(!(0..<7).allSatisfy { g[g.width - 1 - $0, g.width - 1] })
    }

    @Test func linksForPhonesEscapeOnlyWhatIsNotASCII() {
        #expect(QRCode.linkForPhones("https://uml.lodz.pl/żłobki?d=Śródmieście&q=a b")
            == "https://uml.lodz.pl/%C5%BC%C5%82obki?d=%C5%9Ar%C3%B3dmie%C5%9Bcie&q=a%20b")
        #expect(QRCode.linkForPhones("https://uml.lodz.pl/a%20b?x=1#y") == "https://uml.lodz.pl/a%20b?x=1#y")
        #expect(QRCode.linkForPhones("https://x.pl/\u{7F}\t") == "https://x.pl/%7F%09")
        #expect(QRCode.linkForPhones("https://x.pl/київ").removingPercentEncoding == "https://x.pl/київ")
    }

    @Test func caseIsKept() throws {
        #expect(try QRCode.encode("https://uml.lodz.pl/Sprawy") != QRCode.encode("https://uml.lodz.pl/sprawy"))
    }

    @Test func badTextIsRefusedWithAReason() throws {
        #expect(throws: QRCode.Problem.empty) { try QRCode.encode("") }
        #expect(throws: QRCode.Problem.containsNUL(byteOffset: 19)) { try QRCode.encode("https://uml.lodz.pl\u{0}/evil") }
        // The limit counts UTF-8 bytes: 257 × "ą" is 514 bytes though only 257 characters.
        #expect(throws: QRCode.Problem.tooLong(bytes: 514, limit: 512)) { try QRCode.encode(String(repeating: "ą", count: 257)) }
        #expect(throws: QRCode.Problem.tooLong(bytes: 100_000, limit: 512)) { try QRCode.encode(String(repeating: "x", count: 100_000)) }
        #expect(try QRCode.encode(String(repeating: "ą", count: 256), level: .high).qrVersion ?? 0 <= 40)
        #expect("\(QRCode.Problem.tooLong(bytes: 514, limit: 512))".contains("514 bytes"))
    }

    @Test func gridsAndBitmapsRefuseWrongSizes() {
        #expect(throws: ModuleGrid.Problem.self) { try ModuleGrid(width: 3, height: 3, dark: [true]) }
        #expect(throws: ModuleGrid.Problem.self) { try ModuleGrid(width: 0, height: 0, dark: []) }
        #expect(throws: ModuleGrid.Problem.self) { try ModuleGrid(width: 1, height: 1, dark: [true], quietZone: -1) }
        #expect(throws: Bitmap.Problem.self) { try Bitmap(width: 2, height: 2, format: .rgba, pixels: [0, 0, 0, 0]) }
        #expect(throws: Bitmap.Problem.self) { try Bitmap(width: 5000, height: 1, format: .grey, pixels: .init(repeating: 0, count: 5000)) }
    }
}

@Suite struct QRCodeLayout {
    let engine = LayoutEngine(measurer: FixedWidthMeasurer())
    let url = "https://uml.lodz.pl/"

    func frame(_ root: Node, size: Size = Size(width: 1080, height: 1920)) -> Frame {
        engine.layout(root, size: size, screen: .article, scroll: [:])
    }

    func images(_ f: Frame) -> [(Rect, Image)] {
        f.commands.compactMap { if case let .image(r, i) = $0 { (r, i) } else { nil } }
    }

    @Test func sideSnapsToWholePixelsPerModule() throws {
        let grid = try QRCode.encode(url)
        let modules = Double(grid.drawnWidth)
        #expect(grid.width == 25 && modules == 33)
        let n = Node.qrCode(id: "article.qr", payload: url, side: 360, label: "Strona artykułu")
        // 360 / 33 = 10.9: ten pixels a module, so the square is 330.
        #expect(n.width == .fixed(330) && n.height == .fixed(330))
        let f = frame(.column(padding: .all(40), [n]))
        let drawn = try #require(images(f).first)
        #expect(drawn.0 == Rect(x: 40, y: 40, width: 330, height: 330))
        #expect(drawn.0.width.truncatingRemainder(dividingBy: modules) == 0)
        #expect(f.target(id: "article.qr")?.rect == drawn.0)
    }

    @Test func aNarrowParentShrinksByWholeModulesNotByBlurring() throws {
        let n = Node.qrCode(id: "article.qr", payload: url, side: 360, label: "Strona artykułu")
        let f = frame(.column([.column([n]).width(.fixed(200))]))
        let drawn = try #require(images(f).first)
        // 200 / 33 = 6.06: six pixels a module, centred in the 200 px the column gave.
        #expect(drawn.0.width == 198 && drawn.0.height == 198)
        #expect(drawn.0.x == 1)
    }

    @Test func dumpNamesThePayloadAndTheHitCarriesTheLabel() {
        let n = Node.qrCode(id: "article.qr", payload: url, side: 360, label: "Strona artykułu w internecie",
                            dark: Color(0x16202B), light: Color(0xFFFFFF))
        let lines = frame(.column(padding: .xy(40, 300), [n])).dump().split(separator: "\n")
        #expect(lines.contains("image 40,300 330x330 qr 25x25+4 #16202B/#FFFFFF \"https://uml.lodz.pl/\""))
        #expect(lines.contains("hit article.qr 40,300 330x330 \"Strona artykułu w internecie\" image"))
    }

    @Test func bitmapsAndPlainGridsDumpAHashOfTheirBits() throws {
        let grey = try Bitmap(width: 2, height: 2, format: .grey, pixels: [0, 255, 255, 0])
        let logo = try ModuleGrid(width: 2, height: 1, dark: [true, false])
        let other = try ModuleGrid(width: 2, height: 1, dark: [false, true])
        func dumpLine(_ img: Image) -> String {
            var f = Frame(size: Size(width: 200, height: 200), screen: .home)
            f.commands = [.image(Rect(x: 0, y: 0, width: 20, height: 10), img)]
            return String(f.dump().split(separator: "\n")[1])
        }
        let g = dumpLine(.bitmap(grey)), a = dumpLine(.modules(logo, dark: Color(0), light: Color(0xFFFFFF)))
        #expect(g.hasPrefix("image 0,0 20x10 grey 2x2 ") && g.count == "image 0,0 20x10 grey 2x2 ".count + 8)
        #expect(a.hasPrefix("image 0,0 20x10 modules 2x1+0 #000000/#FFFFFF "))
        #expect(a != dumpLine(.modules(other, dark: Color(0), light: Color(0xFFFFFF))))
        #expect(dumpLine(.bitmap(grey)) == g)
    }

    @Test func aLinkThatCannotBeEncodedShowsNothing() {
        for bad in ["", String(repeating: "https://uml.lodz.pl/", count: 40), "a\u{0}b"] {
            let n = Node.qrCode(id: "article.qr", payload: bad, side: 360, label: "Strona")
            let f = frame(.column(gap: 0, [.text("Tytuł", .body, Color(0)), n, .text("Dalej", .body, Color(0))]))
            #expect(images(f).isEmpty)
            #expect(f.target(id: "article.qr") == nil)
            #expect(f.containsText("Dalej"))
            // No empty square left behind: the next text follows straight after the first.
            let ys = f.commands.compactMap { if case let .text(_, o, _, _, _) = $0 { o.y } else { nil } }
            #expect(ys.count == 2 && ys[1] - ys[0] < 100)
        }
    }

    @Test func aSideTooSmallForOnePixelPerModuleShowsNothing() {
        let n = Node.qrCode(id: "article.qr", payload: url, side: 20, label: "Strona")
        #expect(images(frame(.column([n]))).isEmpty)
    }
}

@Suite struct QRCodeAndKnowledgeBaseAgree {
    @Test func everyURLTheKnowledgeBaseTakesFitsTheCode() throws {
        #expect(KnowledgeBaseFile.maxURLCharacters == QRCode.maxBytes)
        let longest = "https://uml.lodz.pl/" + String(repeating: "a", count: KnowledgeBaseFile.maxURLCharacters - 20)
        #expect(longest.utf8.count == QRCode.maxBytes)
        #expect(try QRCode.encode(longest).width > 0)
    }
}
