// Folding text for search: lowercase, no diacritics, and ł→l, which Unicode does not decompose
// (so FTS5's remove_diacritics misses it: "lodz" would not find "Łódź").
import Foundation

public enum TextFolding {
    /// "Żłobek w Łodzi" → "zlobek w lodzi".
    public static func fold(_ s: String) -> String {
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

    /// Words of letters and digits, lowercased but keeping their Polish letters (for the dictionary).
    public static func words(_ s: String) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in s.lowercased() {
            if ch.isLetter || ch.isNumber {
                current.append(ch)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
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
