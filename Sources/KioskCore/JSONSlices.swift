// The raw bytes of a JSON document's top-level members or elements, found in one pass without building
// the values. A signed feed is tens of megabytes: the kiosk verifies the signature over the payload's bytes,
// keeps each article's bytes as the server sent them (the base of the next delta) and parses each article
// once, in parallel. JSONSerialization can only build the whole tree (and writing parts of it back out cost
// more than the rest of a sync together); no library we may use splits JSON into byte ranges.
//
// The scanner checks the JSON grammar as it walks (strings, escapes, separators, literals, numbers, nesting up
// to a depth): what it accepts is well-formed JSON. What a slice means is checked by whoever parses it.
import Foundation

public struct JSONSliceError: Error, Equatable, CustomStringConvertible {
    /// Byte offset in the document.
    public var offset: Int
    public var problem: String
    public init(offset: Int, problem: String) { self.offset = offset; self.problem = problem }
    public var description: String { "\(problem) at byte \(offset)" }
}

public enum JSONSlices {
    /// Deeper nesting than any Knowledge Base or envelope has is an attack on the parser behind it.
    public static let maxDepth = 64

    /// The members of a top-level object, in document order; each value is a slice of `data` (no copy).
    /// A key given twice is refused: a signed envelope or payload must not mean two things.
    public static func members(_ data: Data) throws -> [(key: String, value: Data)] {
        try data.withUnsafeBytes { raw in
            var s = Scanner(bytes: raw)
            var out: [(key: String, value: Data)] = []
            var seen = Set<String>()
            try s.container(open: UInt8(ascii: "{")) { s in
                let keyStart = s.i
                let keyEnd = try s.string()
                let key = try s.decodeString(keyStart, keyEnd)
                guard seen.insert(key).inserted else { throw s.fail("key \"\(key.prefix(40))\" appears twice", at: keyStart) }
                s.skipSpace()
                try s.expect(UInt8(ascii: ":"))
                s.skipSpace()
                let start = s.i
                try s.value()
                out.append((key: key, value: data[(data.startIndex + start)..<(data.startIndex + s.i)]))
            }
            return out
        }
    }

    /// The elements of a top-level array, in order; each a slice of `data` (no copy).
    public static func elements(_ data: Data) throws -> [Data] {
        try data.withUnsafeBytes { raw in
            var s = Scanner(bytes: raw)
            var out: [Data] = []
            try s.container(open: UInt8(ascii: "[")) { s in
                let start = s.i
                try s.value()
                out.append(data[(data.startIndex + start)..<(data.startIndex + s.i)])
            }
            return out
        }
    }

    /// A JSON string's value from its bytes, quotes included (a slice `members` returned).
    public static func string(_ slice: Data) throws -> String {
        try slice.withUnsafeBytes { raw in
            var s = Scanner(bytes: raw)
            s.skipSpace()
            let start = s.i
            guard s.peek == UInt8(ascii: "\"") else { throw s.fail("expected a string") }
            let end = try s.string()
            s.skipSpace()
            guard s.atEnd else { throw s.fail("unexpected text after the string") }
            return try s.decodeString(start, end)
        }
    }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        init(bytes: UnsafeRawBufferPointer) {
            self.bytes = bytes
            // A UTF-8 byte order mark, as some editors and proxies add.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        }

        var atEnd: Bool { i >= bytes.count }
        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

        func fail(_ problem: String, at offset: Int? = nil) -> JSONSliceError {
            JSONSliceError(offset: offset ?? i, problem: problem)
        }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        mutating func expect(_ c: UInt8) throws {
            guard peek == c else { throw fail(peek == nil ? "unexpected end, expected '\(Character(UnicodeScalar(c)))'" : "expected '\(Character(UnicodeScalar(c)))'") }
            i += 1
        }

        /// The whole document is one object or array; `item` reads one member or element at a time.
        mutating func container(open: UInt8, _ item: (inout Scanner) throws -> Void) throws {
            skipSpace()
            guard peek == open else { throw fail(open == UInt8(ascii: "{") ? "expected a JSON object" : "expected a JSON array") }
            let close: UInt8 = open == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            i += 1
            skipSpace()
            if peek == close {
                i += 1
            } else {
                while true {
                    skipSpace()
                    try item(&self)
                    skipSpace()
                    guard let c = peek else { throw fail("unexpected end, the document is cut off") }
                    i += 1
                    if c == close { break }
                    guard c == UInt8(ascii: ",") else { throw fail("expected ',' or '\(Character(UnicodeScalar(close)))'", at: i - 1) }
                }
            }
            skipSpace()
            guard atEnd else { throw fail("unexpected text after the document") }
        }

        /// Moves past one value, checking it is well-formed JSON; `depth` containers are open around it.
        mutating func value(depth: Int = 0) throws {
            guard let c = peek else { throw fail("unexpected end, expected a value") }
            switch c {
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < JSONSlices.maxDepth else { throw fail("nested deeper than \(JSONSlices.maxDepth) levels") }
                let isObject = c == UInt8(ascii: "{")
                let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                i += 1
                skipSpace()
                if peek == close { i += 1; return }
                while true {
                    skipSpace()
                    if isObject {
                        guard peek == UInt8(ascii: "\"") else { throw fail("expected a key in double quotes") }
                        _ = try string()
                        skipSpace()
                        try expect(UInt8(ascii: ":"))
                        skipSpace()
                    }
                    try value(depth: depth + 1)
                    skipSpace()
                    guard let d = peek else { throw fail("unexpected end, the document is cut off") }
                    i += 1
                    if d == close { return }
                    guard d == UInt8(ascii: ",") else { throw fail("expected ',' or '\(Character(UnicodeScalar(close)))'", at: i - 1) }
                }
            default:
                let start = i
                while let b = peek, Self.isScalarByte(b) { i += 1 }
                guard i > start, Self.isLiteral(bytes[start..<i]) else { throw fail("expected a value", at: start) }
            }
        }

        static func isHexDigit(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
        }

        static func isScalarByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x2B || b == 0x2D || b == 0x2E
        }

        /// true, false, null or a JSON number (RFC 8259 grammar).
        static func isLiteral(_ s: Slice<UnsafeRawBufferPointer>) -> Bool {
            if s.elementsEqual("true".utf8) || s.elementsEqual("false".utf8) || s.elementsEqual("null".utf8) { return true }
            var j = s.startIndex
            func digits() -> Int { let from = j; while j < s.endIndex, s[j] >= 0x30, s[j] <= 0x39 { j += 1 }; return j - from }
            if j < s.endIndex, s[j] == 0x2D { j += 1 }
            guard j < s.endIndex else { return false }
            if s[j] == 0x30 { j += 1 } else if digits() == 0 { return false }
            if j < s.endIndex, s[j] == 0x2E { j += 1; guard digits() > 0 else { return false } }
            if j < s.endIndex, s[j] == 0x65 || s[j] == 0x45 {
                j += 1
                if j < s.endIndex, s[j] == 0x2B || s[j] == 0x2D { j += 1 }
                guard digits() > 0 else { return false }
            }
            return j == s.endIndex
        }

        /// Whether any of eight bytes may be `"`, `\` or below 0x20 (false positives allowed, no false negatives):
        /// the classic "has a zero byte" test, on the bytes XORed with the quote and the backslash, and "has a
        /// byte below n" for the controls (exact for bytes below 0x80; UTF-8's bytes above are never controls).
        @inline(__always)
        static func mayEndOrEscape(_ w: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZero(_ v: UInt64) -> UInt64 { (v &- ones) & ~v & highs }
            let quote = hasZero(w ^ (ones &* 0x22)), backslash = hasZero(w ^ (ones &* 0x5C))
            let control = (w &- ones &* 0x20) & ~w & highs
            return (quote | backslash | control) != 0
        }

        /// Moves past a string starting at its quote; returns the offset just past the closing quote.
        mutating func string() throws -> Int {
            let start = i
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string in double quotes") }
            i += 1
            while i < bytes.count {
                // Eight bytes at a time while none is a quote, a backslash or a control character: a feed is
                // scanned three times (envelope, payload, articles), 190 MB for 10,000 articles, nearly all plain text.
                while i + 8 <= bytes.count, !Self.mayEndOrEscape(bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) { i += 8 }
                guard i < bytes.count else { break }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return i }
                if b == UInt8(ascii: "\\") {
                    guard i + 1 < bytes.count else { break }
                    switch bytes[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 5 < bytes.count, (2...5).allSatisfy({ Self.isHexDigit(bytes[i + $0]) }) else {
                            throw fail("\\u needs four hex digits")
                        }
                        i += 6
                    default:
                        throw fail("unknown escape in a string")
                    }
                    continue
                }
                if b < 0x20 { throw fail("a control character inside a string") }
                i += 1
            }
            throw fail("a string is not closed", at: start)
        }

        /// The text of the string between `start` (its opening quote) and `end` (past its closing quote).
        func decodeString(_ start: Int, _ end: Int) throws -> String {
            let inner = UnsafeRawBufferPointer(rebasing: bytes[(start + 1)..<(end - 1)])
            if !inner.contains(UInt8(ascii: "\\")) {
                guard let s = String(validating: inner, as: UTF8.self) else { throw fail("a string is not valid UTF-8", at: start) }
                return s
            }
            // Escapes (\u00F3, surrogate pairs): the standard parser decodes them.
            let quoted = Data(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            guard let s = (try? JSONSerialization.jsonObject(with: quoted, options: [.fragmentsAllowed])) as? String else {
                throw fail("a string has a malformed escape", at: start)
            }
            return s
        }
    }
}
