// The 1-bit picture a receipt printer gets: what KioskSDL renders and KioskPrint encodes.
import Foundation

/// A black-and-white bitmap, rows packed 8 pixels to a byte, most significant bit leftmost, 1 = black.
/// Each row is padded to whole bytes and the padding bits are always 0, so two rasters of the same
/// picture compare equal however they were made.
public struct PrintRaster: Sendable, Equatable {
    /// Wider than any receipt head we know (80 mm at 300 dpi is 944 dots); keeps a bad size from
    /// allocating gigabytes.
    public static let maxWidth = 2048
    /// About 5 m of paper at 203 dpi: a receipt is a few hundred millimetres at most.
    public static let maxHeight = 40_000

    public let width: Int
    public let height: Int
    public let bytesPerRow: Int
    /// `height * bytesPerRow` bytes.
    public let rows: [UInt8]

    /// From 8-bit gray pixels (0 black … 255 white), `width * height` of them, row after row.
    /// A pixel darker than `threshold` (gray < threshold) prints.
    public init(width: Int, height: Int, gray: [UInt8], threshold: UInt8 = 128) throws(PrintRasterError) {
        try Self.checkSize(width: width, height: height)
        guard gray.count == width * height else {
            throw .bufferSizeMismatch(expected: width * height, got: gray.count)
        }
        let bytesPerRow = (width + 7) / 8
        var rows = [UInt8](repeating: 0, count: bytesPerRow * height)
        gray.withUnsafeBufferPointer { src in
            for y in 0..<height {
                let line = y * width
                let out = y * bytesPerRow
                for x in 0..<width where src[line + x] < threshold {
                    rows[out + (x >> 3)] |= 0x80 >> UInt8(x & 7)
                }
            }
        }
        self.width = width
        self.height = height
        self.bytesPerRow = bytesPerRow
        self.rows = rows
    }

    /// From rows already packed MSB-first (as ESC/POS carries them). Padding bits past `width` are
    /// cleared, not refused: a printer ignores them too.
    public init(width: Int, height: Int, packedRows: [UInt8]) throws(PrintRasterError) {
        try Self.checkSize(width: width, height: height)
        let bytesPerRow = (width + 7) / 8
        guard packedRows.count == bytesPerRow * height else {
            throw .bufferSizeMismatch(expected: bytesPerRow * height, got: packedRows.count)
        }
        var rows = packedRows
        let spare = bytesPerRow * 8 - width
        if spare > 0 {
            let mask = UInt8(truncatingIfNeeded: 0xFF << spare)
            for y in 0..<height { rows[y * bytesPerRow + bytesPerRow - 1] &= mask }
        }
        self.width = width
        self.height = height
        self.bytesPerRow = bytesPerRow
        self.rows = rows
    }

    /// A white raster, for tests and for padding.
    public static func blank(width: Int, height: Int) throws(PrintRasterError) -> PrintRaster {
        try PrintRaster(width: width, height: height, packedRows: [UInt8](repeating: 0, count: ((width + 7) / 8) * height))
    }

    public func isBlack(x: Int, y: Int) -> Bool {
        guard x >= 0, x < width, y >= 0, y < height else { return false }
        return rows[y * bytesPerRow + (x >> 3)] & (0x80 >> UInt8(x & 7)) != 0
    }

    public var blackPixelCount: Int {
        rows.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// The same picture with its width rounded up to whole bytes: what a printer sees, since
    /// ESC/POS counts width in bytes.
    public var byteAligned: PrintRaster {
        guard width % 8 != 0 else { return self }
        // Same bytes, so the size check cannot fail; keep the original if it somehow did.
        return (try? PrintRaster(width: bytesPerRow * 8, height: height, packedRows: rows)) ?? self
    }

    /// A copy cropped to `width` pixels; the columns cut off must be white (ESC/POS padding).
    public func cropped(toWidth newWidth: Int) throws(PrintRasterError) -> PrintRaster {
        guard newWidth <= width else { throw .cropWiderThanRaster(width: width, requested: newWidth) }
        for y in 0..<height {
            for x in newWidth..<width where isBlack(x: x, y: y) {
                throw .blackInCroppedColumns(x: x, y: y)
            }
        }
        let newBytes = (newWidth + 7) / 8
        var out = [UInt8]()
        out.reserveCapacity(newBytes * height)
        for y in 0..<height {
            out.append(contentsOf: rows[(y * bytesPerRow)..<(y * bytesPerRow + newBytes)])
        }
        return try PrintRaster(width: newWidth, height: height, packedRows: out)
    }

    private static func checkSize(width: Int, height: Int) throws(PrintRasterError) {
        guard width > 0, width <= maxWidth else { throw .badWidth(width) }
        guard height > 0, height <= maxHeight else { throw .badHeight(height) }
    }
}

public enum PrintRasterError: Error, Equatable, Sendable, CustomStringConvertible {
    case badWidth(Int)
    case badHeight(Int)
    case bufferSizeMismatch(expected: Int, got: Int)
    case cropWiderThanRaster(width: Int, requested: Int)
    case blackInCroppedColumns(x: Int, y: Int)

    public var description: String {
        switch self {
        case .badWidth(let w):
            return "print raster: width \(w) px is outside 1…\(PrintRaster.maxWidth); render the receipt at the printer's dots across"
        case .badHeight(let h):
            return "print raster: height \(h) px is outside 1…\(PrintRaster.maxHeight); a receipt this long is a layout bug"
        case .bufferSizeMismatch(let e, let g):
            return "print raster: the pixel buffer has \(g) bytes, the size needs \(e)"
        case .cropWiderThanRaster(let w, let r):
            return "print raster: cannot crop a \(w) px wide raster to \(r) px"
        case .blackInCroppedColumns(let x, let y):
            return "print raster: pixel (\(x), \(y)) is black but lies in the padding that cropping drops"
        }
    }
}
