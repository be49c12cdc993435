// The text field widget's state and rules: value, kind, limit, error. Typing goes to the focused field,
// from the on-screen keyboard, a hardware keyboard or SDL text input alike.
import KioskCore

public enum InputKind: String, Sendable, Equatable {
    /// Words; `multiline` fields keep line breaks.
    case text, number, phone, email
    /// DD.MM.RRRR GG:MM typed as twelve digits; the field shows the separators.
    case datetime
    /// A ticket number (`PT1-261201-0042-R`): Latin letters, digits and dashes, kept in capitals.
    case ticket
}

public struct TextFieldState: Sendable, Equatable {
    public var id: String
    public var value = ""
    public var kind: InputKind
    public var multiline: Bool
    public var maxLength: Int
    /// The field's name for messages ("the field Opis…") and for speech.
    public var label: StringKey
    /// A name from outside the string catalogue (a service's question), used instead of `label`.
    public var name: Localized?
    public var placeholder: StringKey
    /// Shown under the field in the resident's language, with its arguments.
    public var error: FieldError?

    public init(id: String, kind: InputKind = .text, multiline: Bool = false, maxLength: Int, label: StringKey,
                placeholder: StringKey) {
        self.id = id; self.kind = kind; self.multiline = multiline; self.maxLength = maxLength
        self.label = label; self.placeholder = placeholder
    }

    /// The counter is shown from 80 % of the limit on, so a resident sees it coming.
    public var showsCounter: Bool { value.count >= maxLength * 8 / 10 }
}

public enum FieldError: Sendable, Equatable {
    /// Typing went past the limit; the text was cut there.
    case tooLong(limit: Int)
    /// Characters the kiosk cannot show or store were left out.
    case refusedCharacters
    /// The kind's own rule (a phone number of digits, an e-mail with @).
    case notAllowed(InputKind)
}

public enum FieldAction: Sendable, Equatable {
    case focus(String)
    case type(String)
    case backspace
    case clear(String)
}

/// What a keystroke changed, so the room that owns the field can react (search as typed).
struct FieldChange { var id: String }

enum TextInput {
    /// Cleans typed or pasted text for a field: CRLF and CR become LF (a space in a one-line field), tabs
    /// become spaces; other control characters (DEL, C0, C1), format and private-use characters are left out
    /// and reported, so the field can say so instead of drawing boxes.
    /// More marks on one letter than any language writes is a way to make one "character" of any size.
    static let maxScalarsPerCharacter = 8

    static func sanitize(_ text: String, multiline: Bool) -> (text: String, refused: Bool) {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out = String.UnicodeScalarView()
        var refused = false
        var bounded = String.UnicodeScalarView()
        for c in normalized {
            let scalars = c.unicodeScalars
            if scalars.count > maxScalarsPerCharacter { refused = true }
            bounded.append(contentsOf: scalars.prefix(maxScalarsPerCharacter))
        }
        for u in bounded {
            // Emoji have no glyph in the kiosk's face and would draw as boxes; №, ° and © are fine.
            if u.properties.isEmojiPresentation || (u.properties.isEmoji && u.value >= 0x1F000) { refused = true; continue }
            if u == "\n" { out.append(multiline ? u : " "); continue }
            if u == "\t" { out.append(" "); continue }
            switch u.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                refused = true
            default:
                out.append(u)
            }
        }
        return (String(out), refused)
    }

    /// Characters a kind accepts; the others are refused with the kind's message.
    static func accepts(_ c: Character, kind: InputKind) -> Bool {
        switch kind {
        case .text: return true
        case .number: return c.isASCII && (c.isNumber || c == "," || c == ".")
        case .datetime: return c.isASCII && c.isNumber
        case .phone: return c.isASCII && (c.isNumber || c == "+" || c == " " || c == "-")
        case .email: return !c.isWhitespace && c.unicodeScalars.allSatisfy { $0.isASCII || $0.properties.isAlphabetic }
        case .ticket: return c.isASCII && (c.isLetter || c.isNumber || c == "-")
        }
    }
}

/// Edits the focused field (or focuses one); returns the field that changed.
func reduceField(_ s: inout AppState, _ a: FieldAction) -> FieldChange? {
    switch a {
    case let .focus(id):
        guard s.fields[id] != nil else { return nil }
        s.focus = id
        s.keyboard.shift = false
        return nil
    case let .type(text):
        guard let id = s.focus, var f = s.fields[id] else { return nil }
        let (clean, refusedControl) = TextInput.sanitize(text, multiline: f.multiline)
        var allowed = clean.filter { TextInput.accepts($0, kind: f.kind) }
        // Typed in lower case on a hardware keyboard or by a script, shown as printed on the receipt.
        if f.kind == .ticket { allowed = allowed.uppercased() }
        var next = f.value + allowed
        f.error = nil
        if refusedControl { f.error = .refusedCharacters }
        if allowed.count < clean.count { f.error = .notAllowed(f.kind) }
        if next.count > f.maxLength {
            next = String(next.prefix(f.maxLength))
            f.error = .tooLong(limit: f.maxLength)
        }
        let changed = next != f.value
        f.value = next
        s.fields[id] = f
        if s.keyboard.shift, !text.isEmpty { s.keyboard.shift = false } // one capital, as on a phone
        return changed || f.error != nil ? FieldChange(id: id) : nil
    case .backspace:
        guard let id = s.focus, var f = s.fields[id], !f.value.isEmpty else { return nil }
        f.value.removeLast()
        f.error = nil
        s.fields[id] = f
        return FieldChange(id: id)
    case let .clear(id):
        guard var f = s.fields[id] else { return nil }
        f.value = ""
        f.error = nil
        s.fields[id] = f
        s.focus = id
        return FieldChange(id: id)
    }
}
