// Whether a text shows anything on screen: titles made only of invisible characters are refused.

public enum VisibleText {
    /// Code points that draw nothing yet are neither whitespace, format characters nor default-ignorable
    /// in Unicode's tables, so they pass a plain "is it blank?" test. U+2800 (Braille pattern blank) is
    /// a symbol; the Hangul fillers are letters, listed in case a table marks them otherwise.
    static let blankLooking: Set<UInt32> = [0x2800, 0x115F, 0x1160, 0x3164, 0xFFA0]

    /// Whether this code point would leave no mark of its own: spaces, controls, format characters
    /// (U+200B zero-width space, U+2060, U+FEFF, bidi marks), default-ignorable ones (U+3164 Hangul filler,
    /// variation selectors), combining marks with nothing to sit on, and unassigned or private-use
    /// code points that no kiosk font draws.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        if p.isWhitespace || p.isDefaultIgnorableCodePoint || blankLooking.contains(scalar.value) { return true }
        switch p.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .nonspacingMark, .enclosingMark, .spacingMark, .unassigned, .privateUse, .surrogate:
            return true
        default:
            return false
        }
    }

    /// True when at least one character of `text` would be seen by a resident.
    public static func hasVisibleCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { !isInvisible($0) }
    }

    /// "U+200B U+3164" for a message: which characters a technician should look for in the source.
    public static func codePoints(_ text: String, limit: Int = 4) -> String {
        var seen: [UInt32] = []
        for s in text.unicodeScalars where !seen.contains(s.value) {
            seen.append(s.value)
            if seen.count == limit { break }
        }
        return seen.map { "U+" + String($0, radix: 16, uppercase: true).leftPadded(to: 4) }.joined(separator: " ")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
