// A 1-bit PNG of a receipt, for `printer.kind = image` (an ordinary CUPS printer filters PNG itself).
import Foundation
import KioskCore

/// Writes grayscale 1-bit PNG with stored (uncompressed) deflate blocks: no zlib needed, and a receipt
/// of 576 × 2000 dots is about 150 kB, small for a local print job. The pHYs chunk carries the
/// printer's resolution so CUPS prints the receipt at its real size instead of filling a page.
public enum PNG {
    public static func encode(_ raster: PrintRaster, dpi: Int) -> Data {
        let bpr = raster.bytesPerRow
        // PNG gray 1-bit: 0 is black, so the raster's bits are inverted; a filter byte (0) per row.
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((bpr + 1) * raster.height)
        let spare = bpr * 8 - raster.width
        let padMask: UInt8 = spare > 0 ? UInt8(truncatingIfNeeded: 0xFF << spare) : 0xFF
        for y in 0..<raster.height {
            scanlines.append(0)
            for x in 0..<bpr {
                var v = ~raster.rows[y * bpr + x]
                if x == bpr - 1 { v &= padMask }
                scanlines.append(v)
            }
        }

        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = [UInt8]()
        ihdr += be32(UInt32(raster.width))
        ihdr += be32(UInt32(raster.height))
        ihdr += [1, 0, 0, 0, 0] // bit depth 1, grayscale, deflate, adaptive filter, no interlace
        chunk("IHDR", ihdr, into: &png)
        let perMetre = UInt32((Double(dpi) / 0.0254).rounded())
        chunk("pHYs", be32(perMetre) + be32(perMetre) + [1], into: &png)
        chunk("IDAT", zlibStored(scanlines), into: &png)
        chunk("IEND", [], into: &png)
        return png
    }

    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65_535, bytes.count - i)
            let last: UInt8 = i + n >= bytes.count ? 1 : 0
            out.append(last)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[i..<(i + n)]
            i += n
        } while i < bytes.count
        out += be32(adler32(bytes))
        return out
    }

    static func chunk(_ type: String, _ body: [UInt8], into png: inout Data) {
        let typeBytes = Array(type.utf8)
        png.append(contentsOf: be32(UInt32(body.count)))
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: body)
        png.append(contentsOf: be32(crc32(typeBytes + body)))
    }

    static func be32(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for chunkStart in stride(from: 0, to: bytes.count, by: 5552) {
            for byte in bytes[chunkStart..<min(bytes.count, chunkStart + 5552)] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = crcTable[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
