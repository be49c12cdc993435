// QR codes for the screen (an article's public page) through libqrencode: text in, a module grid out.
import CQREncode
import Foundation

public enum QRCode {
    /// Error correction: more recovers more damage (glare, a scratched panel) at the cost of more modules.
    public enum Level: String, Sendable, CaseIterable {
        case low, medium, quartile, high
        var c: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong(bytes: Int, limit: Int)
        case containsNUL(byteOffset: Int)
        case library(errno: Int32, reason: String)

        public var description: String {
            switch self {
            case .empty:
                "a QR code needs some text to encode; the text is empty"
            case let .tooLong(n, limit):
                "the text for a QR code is \(n) bytes in UTF-8, more than the \(limit) a phone reads off the screen; use a shorter link"
            case let .containsNUL(at):
                "the text for a QR code contains a NUL character (byte \(at)); remove it"
            case let .library(e, reason):
                "libqrencode could not encode the text (errno \(e): \(reason))"
            }
        }
    }

    /// Longest text accepted, in UTF-8 bytes. At level M this is about version 17 (85 modules), still
    /// readable from a 1080 px wide panel; longer links belong behind a short URL.
    public static let maxBytes = 512
    /// The margin QR readers need around the symbol, in modules (ISO/IEC 18004).
    public static let quietZone = 4

    /// Encodes the UTF-8 bytes of `text`, case kept (so paths and percent-escapes stay as written).
    /// ASCII text uses the denser modes for digit and capital-letter runs; other text is one 8-bit
    /// segment marked as UTF-8. The same text gives the same grid.
    public static func encode(_ text: String, level: Level = .medium) throws -> ModuleGrid {
        let key = Key(text: text, level: level)
        if let hit = memo.get(key) { return hit }
        let grid = try encodeAfresh(text, level: level)
        memo.put(key, grid)
        return grid
    }

    /// The libqrencode call itself, without the memo (the benchmark measures this).
    static func encodeAfresh(_ text: String, level: Level) throws -> ModuleGrid {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw Problem.empty }
        guard bytes.count <= maxBytes else { throw Problem.tooLong(bytes: bytes.count, limit: maxBytes) }
        // The C call reads up to the first NUL: encoding a silently shortened text would send people elsewhere.
        if let nul = bytes.firstIndex(of: 0) { throw Problem.containsNUL(byteOffset: nul) }

        let code: UnsafeMutablePointer<QRcode>
        if bytes.allSatisfy({ $0 < 0x80 }) {
            errno = 0
            guard let c = QRcode_encodeString(text, 0, level.c, QR_MODE_8, 1) else { throw libraryProblem() }
            code = c
        } else {
            // Without an ECI designator readers guess the byte encoding, and zbar (like some phones) reads
            // "ż" as Shift-JIS katakana: declare UTF-8 (ECI 26). Pure ASCII needs none and stays denser.
            errno = 0
            guard let input = QRinput_new2(0, level.c) else { throw libraryProblem() }
            defer { QRinput_free(input) }
            guard QRinput_appendECIheader(input, 26) == 0, QRinput_append(input, QR_MODE_8, Int32(bytes.count), bytes) == 0,
                  let c = QRcode_encodeInput(input) else { throw libraryProblem() }
            code = c
        }
        defer { QRcode_free(code) }
        let side = Int(code.pointee.width)
        guard side > 0, let data = code.pointee.data else { throw Problem.library(errno: 0, reason: "an empty symbol") }
        // Bit 0 of each byte is the module's colour; the other bits describe its role (format, timing…).
        let dark = (0..<side * side).map { data[$0] & 1 == 1 }
        return try ModuleGrid(width: side, height: side, dark: dark, quietZone: quietZone, encodedText: text)
    }

    /// libqrencode reports failures through errno.
    private static func libraryProblem() -> Problem {
        let e = errno
        let reason = switch e {
        case EINVAL: "invalid input"
        case ENOMEM: "out of memory"
        case ERANGE: "the text does not fit in the largest QR code"
        default: String(cString: strerror(e))
        }
        return Problem.library(errno: e, reason: reason)
    }

    /// A link as every phone reads it: bytes outside printable ASCII (Polish and Cyrillic letters,
    /// spaces) percent-escaped as browsers send them; existing escapes and reserved characters kept.
    /// Pure ASCII codes need no encoding declaration, which some older readers mishandle.
    public static func linkForPhones(_ url: String) -> String {
        var out = ""
        for b in url.utf8 {
            if b > 0x20, b < 0x7F {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    struct Key: Hashable { let text: String; let level: Level }

    /// The view is built again on every state change; a few recent codes are kept so that is cheap.
    final class Memo: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Key: ModuleGrid] = [:]
        func get(_ k: Key) -> ModuleGrid? { lock.withLock { items[k] } }
        func put(_ k: Key, _ g: ModuleGrid) {
            lock.withLock {
                if items.count >= 16 { items.removeAll() }
                items[k] = g
            }
        }
    }
    static let memo = Memo()
}
