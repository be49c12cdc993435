// What speech says, built from the laid-out frame's reading list (the view tree's semantics), never from
// pixels: on arriving at a screen or dialog its items in reading order, title first; for the focused element
// its label, role and state ("Zgłoś problem, przycisk"; "Opis, pole tekstowe, 12 znaków").
import Foundation
import KioskCore

public enum Narration {
    /// The items of the topmost layer that has any: an open dialog is read alone, as it is the only thing
    /// a resident can act on.
    public static func topItems(_ f: Frame) -> [ReadingItem] {
        guard let top = f.reading.map(\.layer).max() else { return [] }
        return f.reading.filter { $0.layer == top }
    }

    /// Everything a screen says when it appears, one piece per paragraph, so it can be paused, repeated and
    /// interrupted between them.
    public static func arrival(_ f: Frame, language: Language) -> [String] {
        let pieces = topItems(f).flatMap { item -> [String] in
            item.actionable ? [describe(item, language: language)] : paragraphs(item.semantics.label).map(spokenForm)
        }.filter { !$0.isEmpty }
        // A picture's label that repeats the caption beside it is said once.
        return pieces.enumerated().compactMap { i, p in i > 0 && pieces[i - 1] == p ? nil : p }
    }

    /// The texts of the topmost layer that are not elements, as spoken pieces: those that appear on a screen
    /// already shown are said when they appear.
    public static func texts(_ f: Frame) -> [String] {
        topItems(f).filter { !$0.actionable }.flatMap { paragraphs($0.semantics.label).map(spokenForm) }.filter { !$0.isEmpty }
    }

    /// One element a resident can act on: label, role, state, as a screen reader says it. Elements are
    /// buttons or text fields; a field's role words are in its state already ("pole tekstowe, 12 znaków").
    public static func describe(_ item: ReadingItem, language: Language) -> String {
        let s = item.semantics
        var parts = [spokenForm(paragraphs(s.label).joined(separator: ". "))]
        if s.role == .button { parts.append(Strings.text(.roleButton, language)) }
        parts += s.state.map(spokenForm)
        // A part that ends a sentence is followed by a space, not ".,", which espeak-ng stumbles over.
        return parts.filter { !$0.isEmpty }.reduce("") { out, part in
            out.isEmpty ? part : out + (".?!:".contains(out.last ?? " ") ? " " : ", ") + part
        }
    }

    /// Tells one screen or dialog from another, so speech starts again only when what is shown changes (a
    /// countdown ticking in the idle warning is the same dialog).
    public static func context(_ f: Frame) -> String {
        let items = topItems(f)
        return "\(f.screen.rawValue)|\(items.first?.layer ?? 0)|\(items.first?.semantics.label ?? "")"
    }

    static func paragraphs(_ s: String) -> [String] {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Text as it should sound: a ticket number digit by digit and letter by letter, in its groups; pictograms
    /// and arrows, which are there for the eye (← Wstecz, ⌂ Start, ✓), left out.
    public static func spokenForm(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"\b[0-9A-Y]{2,4}-[0-9]{6}-[0-9]{4,6}-[0-9A-Y]\b"#, with: "\u{0}$0\u{0}",
                                            options: .regularExpression)
        if out.contains("\u{0}") {
            let parts = out.components(separatedBy: "\u{0}")
            out = parts.enumerated().map { i, p in
                i % 2 == 1 ? p.split(separator: "-").map { $0.map(String.init).joined(separator: " ") }.joined(separator: ", ") : p
            }.joined()
        }
        // A phone number is written down as it is heard: digit by digit, in its groups.
        for pattern in [#"\b[0-9]{2}\s[0-9]{3}-[0-9]{2}-[0-9]{2}\b"#, #"\b[0-9]{3}[\s-][0-9]{3}[\s-][0-9]{3}\b"#] {
            while let r = out.range(of: pattern, options: .regularExpression) {
                let groups = out[r].split(whereSeparator: { $0.isWhitespace || $0 == "-" })
                out.replaceSubrange(r, with: groups.map { $0.map(String.init).joined(separator: "\u{2009}") }.joined(separator: ", "))
            }
        }
        out = out.replacingOccurrences(of: "\u{2009}", with: " ")
        let kept = out.unicodeScalars.filter { c in
            switch c.properties.generalCategory {
            case .otherSymbol: return false
            case .mathSymbol: return !(0x2190...0x21FF).contains(c.value)
            default: return !(0x2580...0x25FF).contains(c.value) // block and geometric shapes (● ○ ▏)
            }
        }
        return String(String.UnicodeScalarView(kept)).replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }
}
