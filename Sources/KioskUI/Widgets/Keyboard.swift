// On-screen keyboard layouts: they follow the language (Polish letters; Ukrainian ЙЦУКЕН with a switch to
// Latin letters) and the focused field's kind (e-mail keys, a numeric pad for phone numbers and numbers).
import KioskCore

public struct KeyboardState: Sendable, Equatable {
    /// The next letter is a capital.
    public var shift = false
    /// A Ukrainian-speaking resident switched to Latin letters (an e-mail address, a street name in Polish).
    public var latin = false
    public init() {}
}

public enum KeyboardAction: Sendable, Equatable {
    /// A character key: types the key's character, a capital when shift is on.
    case key(String)
    case toggleShift
    case toggleLatin
}

public enum KeyboardLayout: String, Sendable, Equatable {
    case polish, ukrainian, email, numeric, phone, digits
    /// Ticket numbers: digits, the capitals a number can hold (no I, O, Q or Z: TicketNumber.alphabet) and the
    /// dash, no shift and no space (a number has neither). Letters keep their QWERTY places.
    case ticket

    /// Character keys row by row; the last row of controls (shift, space, backspace…) is added by the view.
    public var rows: [[String]] {
        func keys(_ s: String) -> [String] { s.map(String.init) }
        switch self {
        case .polish:
            return [keys("1234567890"), keys("qwertyuiop"), keys("asdfghjkl"), keys("zxcvbnm"), keys("ąćęłńóśźż")]
        case .ukrainian:
            // The standard Ukrainian layout in eleven columns, so keys keep 20 mm on a 768 px wide panel:
            // ї moves from the top row's end to the bottom row's, beside ґ; the apostrophe (м'ясо) sits
            // in the row of controls.
            return [keys("1234567890"), keys("йцукенгшщзх"), keys("фівапролджє"), keys("ґячсмитьбюї")]
        case .email:
            return [keys("1234567890"), keys("qwertyuiop"), keys("asdfghjkl"), keys("zxcvbnm"), keys("@.-_")]
        case .numeric:
            return [keys("123"), keys("456"), keys("789"), keys(",0")]
        case .phone:
            return [keys("123"), keys("456"), keys("789"), keys("+0")]
        case .digits:
            return [keys("123"), keys("456"), keys("789"), keys("0")]
        case .ticket:
            return [keys("1234567890"), keys("QWERTYUIOP"), keys("ASDFGHJKL-"), keys("ZXCVBNM")].map { row in
                row.filter { $0 == "-" || $0.first.map(TicketNumber.alphabet.contains) == true }
            }
        }
    }

    /// Keys across the widest row: every key of a layout has one width.
    public var columns: Int { rows.map(\.count).max() ?? 10 }
    public var hasLetters: Bool { self == .polish || self == .ukrainian || self == .email }
    public var hasSpace: Bool { self == .polish || self == .ukrainian }

    /// The layout for a field kind in a language, after the resident's Latin switch.
    public static func forField(_ kind: InputKind, language: Language, latin: Bool) -> KeyboardLayout {
        switch kind {
        case .email: return .email
        case .number: return .numeric
        case .datetime: return .digits
        case .phone: return .phone
        case .ticket: return .ticket
        case .text: return language == .uk && !latin ? .ukrainian : .polish
        }
    }
}

func reduceKeyboard(_ s: inout AppState, _ a: KeyboardAction) -> FieldChange? {
    switch a {
    case let .key(k):
        let text = s.keyboard.shift ? k.uppercased() : k
        return reduceField(&s, .type(text))
    case .toggleShift:
        s.keyboard.shift.toggle()
        return nil
    case .toggleLatin:
        s.keyboard.latin.toggle()
        s.keyboard.shift = false
        return nil
    }
}
