// Folding text for search: lowercase, no diacritics, and ł→l, which Unicode does not decompose
// (so FTS5's remove_diacritics misses it: "lodz" would not find "Łódź").
import Foundation

public enum TextFolding {
    /// "Żłobek w Łodzi" → "zlobek w lodzi". Scalar by scalar: lowercasing, canonical decomposition and dropping
    /// every mark work per scalar (the marks reordering would move are all dropped), so Latin, Greek and
    /// Cyrillic come from a table; an index build folds hundreds of thousands of word forms.
    public static func fold(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let table = FoldTable.shared
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                let b = UInt8(v)
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
            } else if v < FoldTable.size {
                let i = Int(v)
                let start = Int(table.start[i])
                out.append(contentsOf: table.bytes[start..<(start + Int(table.length[i]))])
            } else {
                out.append(contentsOf: foldOne(String(scalar)).utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The definition `fold` follows: lowercase, decompose, drop marks, and the letters Unicode does not decompose.
    static func foldOne(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark: continue
            default: break
            }
            switch scalar {
            case "ł": out.append("l")
            case "đ": out.append("d")
            case "ø": out.append("o")
            case "ß": out.append("s"); out.append("s")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// `foldOne` of every scalar below U+0500, worked out once.
    struct FoldTable: Sendable {
        static let size: UInt32 = 0x500
        static let shared = FoldTable()
        let bytes: [UInt8]
        let start: [Int32]
        let length: [UInt8]

        init() {
            var bytes: [UInt8] = [], start: [Int32] = [], length: [UInt8] = []
            for v in 0..<Self.size {
                let folded = Unicode.Scalar(v).map { TextFolding.foldOne(String($0)) } ?? ""
                start.append(Int32(bytes.count))
                length.append(UInt8(folded.utf8.count))
                bytes.append(contentsOf: folded.utf8)
            }
            self.bytes = bytes; self.start = start; self.length = length
        }
    }

    /// Words of letters and digits, lowercased but keeping their Polish letters (for the dictionary).
    public static func words(_ s: String) -> [String] {
        var words: [String] = []
        var text = s
        text.withUTF8 { u in
            var i = 0
            var word: [UInt8] = []
            while nextWord(u, &i, into: &word) { words.append(String(decoding: word, as: UTF8.self)) }
        }
        return words
    }

    /// Reads the next word of the UTF-8 text `u` from `i` into `word` (replacing what it held), lowercased; false
    /// at the end. A letter is a scalar Unicode calls alphabetic, a digit one with a numeric type, and combining
    /// marks stay with the letter before them (a decomposed "ó"): what `Character.isLetter` decides by a
    /// character's first scalar. Read byte by byte, with Latin, Greek and Cyrillic from a table: indexing a
    /// 10,000-article feed walks tens of megabytes of text, and grapheme breaking and making a String per word
    /// were most of it. A plain function over a buffer, no closures: captured variables cost a heap box and an
    /// access check per byte.
    public static func nextWord(_ u: UnsafeBufferPointer<UInt8>, _ i: inout Int, into word: inout [UInt8]) -> Bool {
        word.removeAll(keepingCapacity: true)
        let table = ScalarTable.shared
        let n = u.count
        while i < n {
            let b0 = u[i]
            let start = i
            // A String's bytes are valid UTF-8, so a lead byte says how many follow.
            var v: UInt32
            if b0 < 0x80 {
                v = UInt32(b0); i += 1
                // ASCII letters and digits on the shortest path.
                if b0 >= 0x61 && b0 <= 0x7A || b0 >= 0x30 && b0 <= 0x39 { word.append(b0); continue }
                if b0 >= 0x41 && b0 <= 0x5A { word.append(b0 | 0x20); continue }
                if !word.isEmpty { return true }
                continue
            } else if b0 < 0xE0 {
                guard i + 1 < n else { i = n; break }
                v = (UInt32(b0 & 0x1F) << 6) | UInt32(u[i + 1] & 0x3F); i += 2
            } else if b0 < 0xF0 {
                guard i + 2 < n else { i = n; break }
                v = (UInt32(b0 & 0x0F) << 12) | (UInt32(u[i + 1] & 0x3F) << 6) | UInt32(u[i + 2] & 0x3F); i += 3
            } else {
                guard i + 3 < n else { i = n; break }
                v = (UInt32(b0 & 0x07) << 18) | (UInt32(u[i + 1] & 0x3F) << 12) | (UInt32(u[i + 2] & 0x3F) << 6)
                    | UInt32(u[i + 3] & 0x3F)
                i += 4
            }
            let kind: ScalarTable.Kind
            var lower: UInt32 = 0
            var scalar: Unicode.Scalar?
            if v < ScalarTable.size {
                kind = table.kinds[Int(v)]
                lower = table.lower[Int(v)]
            } else if let sc = Unicode.Scalar(v) {
                scalar = sc
                kind = ScalarTable.kind(of: sc)
            } else {
                kind = .other
            }
            switch kind {
            case .other:
                if !word.isEmpty { return true }
                continue
            case .mark:
                if word.isEmpty { continue }
            case .word:
                break
            }
            if lower != 0 {
                var packed = lower >> 8
                for _ in 0..<(lower & 0xFF) { word.append(UInt8(truncatingIfNeeded: packed)); packed >>= 8 }
            } else if let sc = scalar, sc.properties.changesWhenLowercased {
                word.append(contentsOf: sc.properties.lowercaseMapping.utf8)
            } else {
                for k in start..<i { word.append(u[k]) }
            }
        }
        return !word.isEmpty
    }

    /// What each scalar below U+0500 (Latin, Greek, Cyrillic) is and its lowercase UTF-8 bytes, worked out once
    /// from the Unicode properties.
    struct ScalarTable: Sendable {
        enum Kind: UInt8, Sendable { case other, word, mark }
        static let size: UInt32 = 0x500
        static let shared = ScalarTable()
        let kinds: [Kind]
        /// Length in the low byte, then up to three UTF-8 bytes, lowest first; 0 for none in the table.
        let lower: [UInt32]

        init() {
            var kinds: [Kind] = []
            var lower: [UInt32] = []
            for v in 0..<Self.size {
                guard let scalar = Unicode.Scalar(v) else { kinds.append(.other); lower.append(0); continue }
                kinds.append(Self.kind(of: scalar))
                let bytes = Array((scalar.properties.changesWhenLowercased ? scalar.properties.lowercaseMapping : String(scalar)).utf8)
                if bytes.count <= 3 {
                    var packed = UInt32(bytes.count)
                    for (k, b) in bytes.enumerated() { packed |= UInt32(b) << (8 * UInt32(k + 1)) }
                    lower.append(packed)
                } else {
                    lower.append(0)
                }
            }
            self.kinds = kinds
            self.lower = lower
        }

        static func kind(of scalar: Unicode.Scalar) -> Kind {
            let p = scalar.properties
            switch p.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return .mark
            default: return p.isAlphabetic || p.numericType != nil ? .word : .other
            }
        }
    }

    /// Folded words: what the index stores and what queries are matched with.
    public static func foldedWords(_ s: String) -> [String] {
        words(s).map(fold).filter { !$0.isEmpty }
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours
/// ("zameldowanei" → "zameldowanie" is one edit).
public func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    let n = b.count
    var prev2 = [Int](repeating: 0, count: n + 1)
    var prev = Array(0...n)
    var cur = [Int](repeating: 0, count: n + 1)
    for i in 1...a.count {
        cur[0] = i
        var rowMin = cur[0]
        for j in 1...n {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
            cur[j] = v
            rowMin = min(rowMin, v)
        }
        if rowMin > limit { return limit + 1 }
        (prev2, prev, cur) = (prev, cur, prev2)
    }
    return prev[n]
}
