// ESC/POS raster: the bytes a thermal receipt printer gets, and a strict reader of them for tests.
import Foundation
import KioskCore

/// Encodes a receipt as `ESC @`, `GS v 0` raster bands and `GS V 66 n` (feed to the cutter, partial cut).
///
/// Band height: Epson's reference allows up to 4095 rows per `GS v 0` (width up to 128 bytes), but
/// compatible printers vary (manuals seen with yH ≤ 8, and one with at most 343 rows), and a printer
/// with a small receive buffer stalls on large commands. Bands of at most 255 rows keep yH = 0,
/// which every printer of this class accepts.
public enum EscPos {
    public static let maxRowsPerBand = 255
    /// Feed past the cutter, in motion units (about 1/203 in) after reaching the cut position.
    public static let defaultFeedBeforeCut: UInt8 = 24

    public static func encode(_ raster: PrintRaster, kind: PrinterKind,
                              feedBeforeCut: UInt8 = defaultFeedBeforeCut) throws(PrintError) -> Data {
        guard kind != .image else { throw .wrongKindForEncoding(kind) }
        guard raster.width <= kind.dotsAcross else {
            throw .rasterTooWide(width: raster.width, dotsAcross: kind.dotsAcross, kind: kind)
        }
        let bpr = raster.bytesPerRow
        var out = Data()
        out.reserveCapacity(raster.rows.count + 16 + (raster.height / maxRowsPerBand + 1) * 8)
        out.append(contentsOf: [0x1B, 0x40])
        var y = 0
        while y < raster.height {
            let n = min(maxRowsPerBand, raster.height - y)
            out.append(contentsOf: [0x1D, 0x76, 0x30, 0x00,
                                    UInt8(bpr & 0xFF), UInt8(bpr >> 8),
                                    UInt8(n & 0xFF), UInt8(n >> 8)])
            out.append(contentsOf: raster.rows[(y * bpr)..<((y + n) * bpr)])
            y += n
        }
        out.append(contentsOf: [0x1D, 0x56, 66, feedBeforeCut])
        return out
    }
}

/// A receipt read back from ESC/POS bytes.
public struct EscPosDocument: Sendable, Equatable {
    public enum Cut: Sendable, Equatable { case full, partial }
    public var raster: PrintRaster
    public var bands: Int
    public var initialized: Bool
    public var cut: Cut?
    /// Paper fed after the picture, in dots for ESC J / cut feeds and lines for ESC d and LF.
    public var feedDots: Int
    public var feedLines: Int
}

/// Reads what `EscPos.encode` writes, and refuses everything else: it is the check that the bytes
/// captured from a printer port are a receipt, so it treats them as outside data.
public struct EscPosDecoder: Sendable {
    public var maxInputBytes = 16 << 20
    public var maxRows = PrintRaster.maxHeight
    public var maxBytesPerRow = PrintRaster.maxWidth / 8

    public init() {}

    /// `width`: the raster's true width in pixels, since ESC/POS carries whole bytes; the columns past
    /// it must be white. Without it the result is as wide as the bytes.
    public func decode(_ data: Data, width: Int? = nil) throws(EscPosDecodeError) -> EscPosDocument {
        guard data.count <= maxInputBytes else { throw .inputTooLarge(bytes: data.count, limit: maxInputBytes) }
        let b = [UInt8](data)
        var i = 0
        var rows = [UInt8]()
        var bandWidth: Int?
        var height = 0
        var bands = 0
        var initialized = false
        var cut: EscPosDocument.Cut?
        var feedDots = 0
        var feedLines = 0

        func need(_ count: Int, _ command: String) throws(EscPosDecodeError) {
            if b.count - i < count { throw .truncated(offset: i, command: command, needed: count, left: b.count - i) }
        }

        while i < b.count {
            if cut != nil { throw .bytesAfterCut(offset: i) }
            switch b[i] {
            case 0x1B:
                try need(2, "ESC")
                switch b[i + 1] {
                case 0x40:
                    if bands > 0 { throw .initAfterRaster(offset: i) }
                    initialized = true
                    i += 2
                case 0x4A:
                    try need(3, "ESC J")
                    feedDots += Int(b[i + 2])
                    i += 3
                case 0x64:
                    try need(3, "ESC d")
                    feedLines += Int(b[i + 2])
                    i += 3
                default:
                    throw .unknownCommand(offset: i, bytes: Array(b[i..<min(b.count, i + 2)]))
                }
            case 0x0A:
                feedLines += 1
                i += 1
            case 0x1D:
                try need(2, "GS")
                switch b[i + 1] {
                case 0x76:
                    try need(8, "GS v 0")
                    guard b[i + 2] == 0x30 else { throw .unknownCommand(offset: i, bytes: Array(b[i..<(i + 3)])) }
                    let m = b[i + 3]
                    guard m == 0 || m == 48 else { throw .unsupportedRasterMode(offset: i, mode: m) }
                    if feedDots > 0 || feedLines > 0 { throw .rasterAfterFeed(offset: i) }
                    let bpr = Int(b[i + 4]) | Int(b[i + 5]) << 8
                    let n = Int(b[i + 6]) | Int(b[i + 7]) << 8
                    guard bpr >= 1, bpr <= maxBytesPerRow else {
                        throw .badBandWidth(offset: i, bytesPerRow: bpr, limit: maxBytesPerRow)
                    }
                    guard n >= 1 else { throw .emptyBand(offset: i) }
                    if let w = bandWidth, w != bpr { throw .bandWidthChanged(offset: i, was: w, now: bpr) }
                    guard height + n <= maxRows else { throw .tooManyRows(offset: i, rows: height + n, limit: maxRows) }
                    let size = bpr * n
                    try need(8 + size, "GS v 0 data")
                    bandWidth = bpr
                    rows.append(contentsOf: b[(i + 8)..<(i + 8 + size)])
                    height += n
                    bands += 1
                    i += 8 + size
                case 0x56:
                    try need(3, "GS V")
                    let m = b[i + 2]
                    switch m {
                    case 0, 48: cut = .full; i += 3
                    case 1, 49: cut = .partial; i += 3
                    case 65, 66:
                        try need(4, "GS V \(m) n")
                        cut = m == 65 ? .full : .partial
                        feedDots += Int(b[i + 3])
                        i += 4
                    default:
                        throw .unknownCommand(offset: i, bytes: Array(b[i..<(i + 3)]))
                    }
                default:
                    throw .unknownCommand(offset: i, bytes: Array(b[i..<min(b.count, i + 2)]))
                }
            default:
                throw .unknownCommand(offset: i, bytes: [b[i]])
            }
        }
        guard let bpr = bandWidth else { throw .noRaster }
        let raster: PrintRaster
        do {
            let full = try PrintRaster(width: bpr * 8, height: height, packedRows: rows)
            if let width {
                guard width <= bpr * 8, width > (bpr - 1) * 8 else {
                    throw EscPosDecodeError.widthDoesNotMatch(width: width, bytesPerRow: bpr)
                }
                raster = try full.cropped(toWidth: width)
            } else {
                raster = full
            }
        } catch let e as EscPosDecodeError {
            throw e
        } catch {
            throw .badRaster(String(describing: error))
        }
        return EscPosDocument(raster: raster, bands: bands, initialized: initialized, cut: cut,
                              feedDots: feedDots, feedLines: feedLines)
    }
}

public enum EscPosDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case inputTooLarge(bytes: Int, limit: Int)
    case truncated(offset: Int, command: String, needed: Int, left: Int)
    case unknownCommand(offset: Int, bytes: [UInt8])
    case unsupportedRasterMode(offset: Int, mode: UInt8)
    case badBandWidth(offset: Int, bytesPerRow: Int, limit: Int)
    case emptyBand(offset: Int)
    case bandWidthChanged(offset: Int, was: Int, now: Int)
    case tooManyRows(offset: Int, rows: Int, limit: Int)
    case rasterAfterFeed(offset: Int)
    case initAfterRaster(offset: Int)
    case bytesAfterCut(offset: Int)
    case noRaster
    case widthDoesNotMatch(width: Int, bytesPerRow: Int)
    case badRaster(String)

    public var description: String {
        let prefix = "ESC/POS receipt"
        switch self {
        case .inputTooLarge(let n, let l):
            return "\(prefix): \(n) bytes is more than the \(l) a receipt can be"
        case .truncated(let o, let c, let need, let left):
            return "\(prefix): \(c) at byte \(o) needs \(need) bytes, only \(left) left (cut off in transfer?)"
        case .unknownCommand(let o, let bytes):
            let hex = bytes.map { String(format: "%02X", $0) }.joined(separator: " ")
            return "\(prefix): unknown or unexpected bytes \(hex) at byte \(o); the kiosk sends only ESC @, GS v 0, feeds and GS V"
        case .unsupportedRasterMode(let o, let m):
            return "\(prefix): GS v 0 at byte \(o) asks for mode \(m); the kiosk prints only mode 0 (normal size)"
        case .badBandWidth(let o, let w, let l):
            return "\(prefix): GS v 0 at byte \(o) declares \(w) bytes per row; allowed 1…\(l)"
        case .emptyBand(let o):
            return "\(prefix): GS v 0 at byte \(o) declares 0 rows"
        case .bandWidthChanged(let o, let was, let now):
            return "\(prefix): band at byte \(o) is \(now) bytes wide, earlier bands were \(was)"
        case .tooManyRows(let o, let r, let l):
            return "\(prefix): band at byte \(o) brings the picture to \(r) rows, more than \(l)"
        case .rasterAfterFeed(let o):
            return "\(prefix): raster band at byte \(o) after a paper feed; the kiosk feeds only after the picture"
        case .initAfterRaster(let o):
            return "\(prefix): ESC @ at byte \(o) after raster data"
        case .bytesAfterCut(let o):
            return "\(prefix): bytes after the cut, at byte \(o)"
        case .noRaster:
            return "\(prefix): no GS v 0 raster in the data"
        case .widthDoesNotMatch(let w, let bpr):
            return "\(prefix): expected width \(w) px does not fit rows of \(bpr) bytes"
        case .badRaster(let why):
            return "\(prefix): \(why)"
        }
    }
}
