// ESC/POS raster: what the encoder writes reads back exactly, and the reader refuses what it should.
import Foundation
import KioskCore
import KioskPrint
import Testing

/// A deterministic picture with structure in every column and row (diagonals, a border, text-like
/// blocks), so a shifted row or a swapped bit shows.
func samplePicture(width: Int, height: Int, seed: UInt64 = 7) throws -> PrintRaster {
    var gray = [UInt8](repeating: 255, count: width * height)
    var rng = seed
    for y in 0..<height {
        for x in 0..<width {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let border = x == 0 || y == 0 || x == width - 1 || y == height - 1
            let diagonal = (x + y) % 37 == 0 || (x - y + 10_000) % 53 == 0
            let block = (y / 24) % 3 == 1 && (x / 9) % 4 != 3 && rng >> 61 == 0
            if border || diagonal || block { gray[y * width + x] = 0 }
        }
    }
    return try PrintRaster(width: width, height: height, gray: gray)
}

@Suite("ESC/POS raster")
struct EscPosTests {
    @Test("an 80 mm receipt reads back as the same raster, in bands of at most 255 rows")
    func roundTrip80() throws {
        let raster = try samplePicture(width: 576, height: 700)
        let bytes = try EscPos.encode(raster, kind: .escpos80)
        let doc = try EscPosDecoder().decode(bytes)
        #expect(doc.raster == raster)
        #expect(doc.bands == 3)
        #expect(doc.initialized)
        #expect(doc.cut == .partial)
        #expect(raster.blackPixelCount > 10_000)
    }

    @Test("a 58 mm receipt of odd width reads back exactly when the width is given")
    func roundTrip58OddWidth() throws {
        let raster = try samplePicture(width: 379, height: 260)
        let bytes = try EscPos.encode(raster, kind: .escpos58)
        #expect(try EscPosDecoder().decode(bytes, width: 379).raster == raster)
        // Without the width the printer's view: whole bytes, the padding white.
        let wide = try EscPosDecoder().decode(bytes).raster
        #expect(wide.width == 384)
        #expect(wide == raster.byteAligned)
    }

    @Test("the command bytes are ESC @, GS v 0 m=0 with little-endian sizes, and GS V 66 n")
    func exactHeader() throws {
        let raster = try samplePicture(width: 576, height: 300)
        let b = [UInt8](try EscPos.encode(raster, kind: .escpos80))
        #expect(Array(b[0..<10]) == [0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 72, 0, 255, 0])
        let second = 10 + 72 * 255
        #expect(Array(b[second..<(second + 8)]) == [0x1D, 0x76, 0x30, 0x00, 72, 0, 45, 0])
        #expect(Array(b.suffix(4)) == [0x1D, 0x56, 66, EscPos.defaultFeedBeforeCut])
        #expect(b.count == 2 + 2 * 8 + 72 * 300 + 4)
    }

    @Test("a tall image is split so that no band declares more than 255 rows")
    func tallImageBands() throws {
        let raster = try samplePicture(width: 512, height: 5_000)
        let bytes = [UInt8](try EscPos.encode(raster, kind: .escpos80))
        var i = 2, rows = 0, bands = 0
        while i + 8 <= bytes.count, bytes[i] == 0x1D, bytes[i + 1] == 0x76 {
            let bpr = Int(bytes[i + 4]) | Int(bytes[i + 5]) << 8
            let n = Int(bytes[i + 6]) | Int(bytes[i + 7]) << 8
            #expect(n <= 255 && n >= 1)
            #expect(bytes[i + 7] == 0)
            rows += n; bands += 1
            i += 8 + bpr * n
        }
        #expect(rows == 5_000)
        #expect(bands == 20)
        #expect(try EscPosDecoder().decode(Data(bytes)).raster == raster)
    }

    @Test("a raster wider than the paper is refused with the widths named")
    func tooWide() throws {
        let raster = try samplePicture(width: 576, height: 10)
        #expect(throws: PrintError.rasterTooWide(width: 576, dotsAcross: 384, kind: .escpos58)) {
            try EscPos.encode(raster, kind: .escpos58)
        }
        let text = PrintError.rasterTooWide(width: 576, dotsAcross: 384, kind: .escpos58).description
        #expect(text.contains("576") && text.contains("384"))
    }
}

@Suite("ESC/POS reader against hostile input")
struct EscPosHostileTests {
    let decoder = EscPosDecoder()

    func small() throws -> [UInt8] {
        [UInt8](try EscPos.encode(try samplePicture(width: 64, height: 20), kind: .escpos58))
    }

    @Test("data cut off inside a band is refused as truncated, naming the offset")
    func truncatedBand() throws {
        let b = try small()
        let cutAt = 2 + 8 + 50
        do {
            _ = try decoder.decode(Data(b[0..<cutAt]))
            Issue.record("truncated data was accepted")
        } catch {
            guard case .truncated(let offset, let command, _, _) = error else { Issue.record("got \(error)"); return }
            #expect(offset == 2)
            #expect(command == "GS v 0 data")
            #expect(error.description.contains("byte 2"))
        }
    }

    @Test("every prefix of a receipt is either refused or a shorter picture; none crashes")
    func everyPrefix() throws {
        let b = try small()
        for n in 0..<b.count {
            if let doc = try? decoder.decode(Data(b[0..<n])) {
                #expect(doc.raster.height <= 20)
                #expect(doc.cut == nil)
            }
        }
    }

    @Test("a band declaring 65,535 bytes per row is refused before any allocation")
    func hugeWidth() {
        let b: [UInt8] = [0x1B, 0x40, 0x1D, 0x76, 0x30, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]
        #expect(throws: EscPosDecodeError.badBandWidth(offset: 2, bytesPerRow: 65_535, limit: 256)) {
            try decoder.decode(Data(b))
        }
    }

    @Test("bands adding up to more rows than a receipt can have are refused")
    func tooManyRows() {
        let b: [UInt8] = [0x1D, 0x76, 0x30, 0x00, 72, 0x00, 0xFF, 0xFF, 0x00]
        #expect(throws: EscPosDecodeError.tooManyRows(offset: 0, rows: 65_535, limit: PrintRaster.maxHeight)) {
            try decoder.decode(Data(b))
        }
    }

    @Test("unknown commands, text bytes, other raster modes and zero-sized bands are refused")
    func unknownCommands() {
        let cases: [([UInt8], EscPosDecodeError)] = [
            ([0x41], .unknownCommand(offset: 0, bytes: [0x41])),
            ([0x1B, 0x40, 0x1B, 0x74, 0x02], .unknownCommand(offset: 2, bytes: [0x1B, 0x74])),
            ([0x1D, 0x76, 0x31, 0, 1, 0, 1, 0, 0xFF], .unknownCommand(offset: 0, bytes: [0x1D, 0x76, 0x31])),
            ([0x1D, 0x76, 0x30, 3, 1, 0, 1, 0, 0xFF], .unsupportedRasterMode(offset: 0, mode: 3)),
            ([0x1D, 0x76, 0x30, 0, 1, 0, 0, 0], .emptyBand(offset: 0)),
            ([0x1D, 0x76, 0x30, 0, 0, 0, 1, 0], .badBandWidth(offset: 0, bytesPerRow: 0, limit: 256)),
            ([0x1D, 0x56, 7], .unknownCommand(offset: 0, bytes: [0x1D, 0x56, 7])),
            ([], .noRaster),
            ([0x1B, 0x40, 0x1D, 0x56, 66, 3], .noRaster),
            ([0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0xFF, 0x1D, 0x76, 0x30, 0, 2, 0, 1, 0, 0, 0],
             .bandWidthChanged(offset: 9, was: 1, now: 2)),
            ([0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0xFF, 0x1D, 0x56, 1, 0x1B, 0x40], .bytesAfterCut(offset: 12)),
            ([0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0xFF, 0x1B, 0x4A, 5, 0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0xFF],
             .rasterAfterFeed(offset: 12)),
            ([0x1B], .truncated(offset: 0, command: "ESC", needed: 2, left: 1)),
            ([0x1D, 0x56, 66], .truncated(offset: 0, command: "GS V 66 n", needed: 4, left: 3)),
        ]
        for (bytes, expected) in cases {
            #expect(throws: expected, "\(bytes)") { try decoder.decode(Data(bytes)) }
        }
    }

    @Test("black pixels in the padding past the stated width are refused")
    func paddingMustBeWhite() throws {
        // One row of 1 byte: 0x01 is the 8th pixel, past a stated width of 5.
        let b: [UInt8] = [0x1D, 0x76, 0x30, 0, 1, 0, 1, 0, 0x01]
        #expect(throws: EscPosDecodeError.self) { try decoder.decode(Data(b), width: 5) }
        #expect(throws: EscPosDecodeError.widthDoesNotMatch(width: 20, bytesPerRow: 1)) { try decoder.decode(Data(b), width: 20) }
        #expect(try decoder.decode(Data(b), width: 8).raster.isBlack(x: 7, y: 0))
    }

    @Test("input over the size limit is refused without parsing")
    func inputTooLarge() {
        var d = EscPosDecoder()
        d.maxInputBytes = 100
        #expect(throws: EscPosDecodeError.inputTooLarge(bytes: 101, limit: 100)) {
            try d.decode(Data(repeating: 0, count: 101))
        }
    }

    @Test("random bytes never crash the reader")
    func randomBytes() {
        var rng: UInt64 = 0x5EED
        var accepted = 0
        for round in 0..<3_000 {
            let count = Int(rng % 64)
            var bytes = [UInt8]()
            for _ in 0..<count {
                rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                // Mostly command bytes, so the fuzz reaches past the first byte.
                let pick = Int(rng >> 59)
                bytes.append(pick < 12 ? [0x1B, 0x1D, 0x40, 0x76, 0x30, 0x56, 0x00, 0x01, 0x02, 0x0A, 0x4A, 66][pick] : UInt8(truncatingIfNeeded: rng >> 33))
            }
            if (try? decoder.decode(Data(bytes))) != nil { accepted += 1 }
            rng = rng &+ UInt64(round)
        }
        #expect(accepted < 3_000)
    }
}
