// The pure printing values: raster packing, printer faults from IPP reasons, config keys, PNG.
import Foundation
import KioskCore
import KioskPrint
import Testing

@Suite("Print raster and printer state")
struct PrintValuesTests {
    @Test("gray pixels darker than the threshold print, packed MSB first")
    func packing() throws {
        // 10 px wide: bits 0, 7 and 9 black.
        var gray = [UInt8](repeating: 255, count: 10 * 2)
        gray[0] = 0; gray[7] = 127; gray[9] = 10; gray[10 + 8] = 128
        let r = try PrintRaster(width: 10, height: 2, gray: gray, threshold: 128)
        #expect(r.bytesPerRow == 2)
        #expect(r.rows == [0b1000_0001, 0b0100_0000, 0, 0])
        #expect(r.isBlack(x: 9, y: 0))
        #expect(!r.isBlack(x: 8, y: 1))
    }

    @Test("impossible sizes and wrong buffers are refused with the numbers named")
    func validation() {
        #expect(throws: PrintRasterError.badWidth(0)) { try PrintRaster(width: 0, height: 1, gray: []) }
        #expect(throws: PrintRasterError.badHeight(0)) { try PrintRaster(width: 1, height: 0, gray: []) }
        #expect(throws: PrintRasterError.badWidth(2049)) { try PrintRaster(width: 2049, height: 1, gray: []) }
        #expect(throws: PrintRasterError.badHeight(40_001)) { try PrintRaster.blank(width: 8, height: 40_001) }
        #expect(throws: PrintRasterError.bufferSizeMismatch(expected: 6, got: 5)) {
            try PrintRaster(width: 3, height: 2, gray: [0, 0, 0, 0, 0])
        }
        #expect(PrintRasterError.badWidth(4000).description.contains("4000"))
    }

    @Test("padding bits past the width are cleared, so equal pictures compare equal")
    func paddingCleared() throws {
        let a = try PrintRaster(width: 5, height: 1, packedRows: [0b1010_1111])
        let b = try PrintRaster(width: 5, height: 1, packedRows: [0b1010_1000])
        #expect(a == b)
    }

    @Test("80 mm has 576 dots and 58 mm 384, at 203 dpi")
    func kinds() throws {
        #expect(PrinterKind.escpos80.dotsAcross == 576)
        #expect(PrinterKind.escpos58.dotsAcross == 384)
        #expect(PrinterKind.escpos80.dpi == 203)
        #expect(try PrinterKind(configValue: " escpos58 ") == .escpos58)
        #expect(throws: PrinterConfigError.unknownKind("epson")) { try PrinterKind(configValue: "epson") }
        #expect(PrinterConfigError.unknownKind("epson").description.contains("printer.kind"))
    }

    @Test("printer.queue empty means no printer; a name with a slash or space is refused")
    func settings() throws {
        #expect(try PrinterSettings(queue: "", kind: "escpos80").queue == nil)
        #expect(try PrinterSettings(queue: "receipt-80", kind: "escpos80", server: "127.0.0.1:631").server == "127.0.0.1:631")
        #expect(throws: PrinterConfigError.badQueueName("a/b")) { try PrinterSettings(queue: "a/b", kind: "image") }
        #expect(throws: PrinterConfigError.badQueueName("my printer")) { try PrinterSettings(queue: "my printer", kind: "image") }
        #expect(throws: PrinterConfigError.self) { try PrinterSettings(queue: String(repeating: "q", count: 128), kind: "image") }
    }

    @Test("out of paper shows in the reasons while the printer is idle, and wins over stopped")
    func faults() {
        func report(_ state: PrinterState, _ reasons: [String], accepting: Bool = true) -> PrinterReport {
            PrinterReport(queue: "q", state: state, acceptingJobs: accepting, reasons: reasons, message: "")
        }
        #expect(report(.idle, ["none"]).fault == .none)
        #expect(report(.idle, ["none"]).reasons.isEmpty)
        #expect(report(.idle, ["media-empty-error"]).fault == .mediaEmpty)
        #expect(report(.stopped, ["media-empty-error", "paused"]).fault == .mediaEmpty)
        #expect(report(.idle, ["media-needed"]).fault == .mediaEmpty)
        #expect(report(.idle, ["media-low-warning", "toner-low-report"]).fault == .none)
        #expect(report(.idle, ["media-jam-error"]).fault == .mediaJam)
        #expect(report(.idle, ["cover-open"]).fault == .coverOpen)
        #expect(report(.processing, ["offline-report"]).fault == .offline)
        #expect(report(.idle, ["paused"]).fault == .stopped)
        #expect(report(.stopped, []).fault == .stopped)
        #expect(report(.idle, [], accepting: false).fault == .notAcceptingJobs)
        #expect(PrinterState(ippValue: 3) == .idle && PrinterState(ippValue: 4) == .processing && PrinterState(ippValue: 99) == .stopped)
        #expect(JobState(ippValue: 9) == .completed && JobState(ippValue: 2) == nil)
        for f in PrinterFault.allCases { #expect(!f.technicianText.isEmpty) }
    }

    @Test("CUPS server addresses parse as host:port, [v6]:port or a socket path; junk is refused")
    func servers() throws {
        #expect(try CupsServer(parsing: "127.0.0.1:16631") == CupsServer(host: "127.0.0.1", port: 16631))
        #expect(try CupsServer(parsing: "printhost") == CupsServer(host: "printhost", port: 631))
        #expect(try CupsServer(parsing: "[::1]:632") == CupsServer(host: "::1", port: 632))
        #expect(try CupsServer(parsing: "/run/cups/cups.sock").host == "/run/cups/cups.sock")
        for bad in ["", "host:", "host:99999", "host:abc", "[::1", "a b:1"] {
            #expect(throws: PrintError.badServer(bad)) { try CupsServer(parsing: bad) }
        }
    }

    @Test("the PNG for an image printer is valid and holds the same pixels")
    func png() throws {
        let raster = try samplePicture(width: 101, height: 37)
        let png = [UInt8](PNG.encode(raster, dpi: 203))
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let decoded = try decodeStoredPNG(png)
        #expect(decoded.width == 101 && decoded.height == 37)
        for y in 0..<37 {
            for x in 0..<101 { #expect(decoded.black(x, y) == raster.isBlack(x: x, y: y)) }
        }
    }
}

/// Reads back the PNG subset the kiosk writes (gray 1-bit, stored deflate), checking every CRC and the
/// Adler-32, so the test does not trust the writer's own helpers.
func decodeStoredPNG(_ png: [UInt8]) throws -> (width: Int, height: Int, black: (Int, Int) -> Bool) {
    struct Bad: Error { let why: String }
    func be32(_ i: Int) -> UInt32 { UInt32(png[i]) << 24 | UInt32(png[i + 1]) << 16 | UInt32(png[i + 2]) << 8 | UInt32(png[i + 3]) }
    func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }
    var i = 8, width = 0, height = 0
    var idat = [UInt8]()
    while i < png.count {
        let len = Int(be32(i))
        let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
        guard crc(png[(i + 4)..<(i + 8 + len)]) == be32(i + 8 + len) else { throw Bad(why: "CRC of \(type)") }
        if type == "IHDR" {
            width = Int(be32(i + 8)); height = Int(be32(i + 12))
            guard png[i + 16] == 1, png[i + 17] == 0 else { throw Bad(why: "not gray 1-bit") }
        }
        if type == "IDAT" { idat += png[(i + 8)..<(i + 8 + len)] }
        i += 12 + len
    }
    var raw = [UInt8]()
    var j = 2
    while true {
        let final = idat[j] & 1
        guard idat[j] & 6 == 0 else { throw Bad(why: "not a stored block") }
        let n = Int(idat[j + 1]) | Int(idat[j + 2]) << 8
        raw += idat[(j + 5)..<(j + 5 + n)]
        j += 5 + n
        if final == 1 { break }
    }
    var a: UInt32 = 1, b: UInt32 = 0
    for x in raw { a = (a + UInt32(x)) % 65_521; b = (b + a) % 65_521 }
    let adler = UInt32(idat[j]) << 24 | UInt32(idat[j + 1]) << 16 | UInt32(idat[j + 2]) << 8 | UInt32(idat[j + 3])
    guard adler == b << 16 | a else { throw Bad(why: "Adler-32") }
    let stride = (width + 7) / 8 + 1
    guard raw.count == stride * height else { throw Bad(why: "size") }
    let pixels = raw
    return (width, height, { x, y in pixels[y * stride + 1 + x / 8] & (0x80 >> UInt8(x % 8)) == 0 })
}
