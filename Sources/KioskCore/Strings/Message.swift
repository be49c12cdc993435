// A catalogue message (text with named placeholders, or a plural choice) and the one fill-in that reads it.

/// What a catalogue holds for one key in one language, Fluent-style: text with `{name}` placeholders,
/// or variants chosen by the plural category of a number argument.
public enum Message: Sendable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    /// The number argument named `on` picks the variant by the language's CLDR rule; `other` is
    /// the fallback when the argument is missing or not a number.
    case plural(on: String, [PluralCategory: String])

    public init(stringLiteral text: String) { self = .text(text) }

    public static func plural(_ selector: String, one: String, few: String? = nil, many: String? = nil,
                              other: String) -> Message {
        var forms: [PluralCategory: String] = [.one: one, .other: other]
        if let few { forms[.few] = few }
        if let many { forms[.many] = many }
        return .plural(on: selector, forms)
    }

    /// Every text a resident could see from this message.
    public var variants: [String] {
        switch self {
        case let .text(t): return [t]
        case let .plural(_, forms): return PluralCategory.allCases.compactMap { forms[$0] }
        }
    }
}

/// A mistake in a message's text, found by the catalogue tests (at run time the text is shown as is).
public enum TemplateProblem: Error, Equatable, CustomStringConvertible {
    case unclosedBrace(String)
    case strayClosingBrace(String)
    case badPlaceholderName(String)

    public var description: String {
        switch self {
        case let .unclosedBrace(t): return "a '{' is never closed in \"\(t)\""
        case let .strayClosingBrace(t): return "a '}' closes nothing in \"\(t)\""
        case let .badPlaceholderName(n): return "\"{\(n)}\" is not a placeholder: names are ASCII letters and digits, starting with a letter"
        }
    }
}

enum MessageTemplate {
    private static let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")

    static func isName(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, isLetter(first) else { return false }
        return s.utf8.allSatisfy { isLetter($0) || (48...57).contains($0) }
    }

    private static func isLetter(_ b: UInt8) -> Bool { (65...90).contains(b) || (97...122).contains(b) }

    /// The placeholder names of a text, or the first thing wrong with its braces.
    static func placeholders(_ text: String) -> Result<Set<String>, TemplateProblem> {
        var names: Set<String> = []
        let u = text.utf8
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == close { return .failure(.strayClosingBrace(text)) }
            if u[i] == open {
                let start = u.index(after: i)
                guard let end = u[start...].firstIndex(of: close) else { return .failure(.unclosedBrace(text)) }
                let name = text[start..<end]
                guard isName(name) else { return .failure(.badPlaceholderName(String(name))) }
                names.insert(String(name))
                i = u.index(after: end)
                continue
            }
            i = u.index(after: i)
        }
        return .success(names)
    }

    /// Replaces each `{name}` by `value(name)`, scanning the catalogue text once: what is put in is
    /// never scanned again, so a query such as "{helpline}" stays as typed. A name with no value
    /// stays as `{name}`, visible on screen and caught by the tests, and a brace that is not a
    /// placeholder is copied as it is.
    static func fill(_ text: String, _ value: (String) -> String?) -> String {
        let u = text.utf8
        guard u.contains(open) else { return text }
        var out = ""
        out.reserveCapacity(u.count + 16)
        var copiedUpTo = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == open {
                let start = u.index(after: i)
                if let end = u[start...].firstIndex(where: { $0 == close || $0 == open }), u[end] == close,
                   isName(text[start..<end]), let v = value(String(text[start..<end])) {
                    out += text[copiedUpTo..<i]
                    out += v
                    i = u.index(after: end)
                    copiedUpTo = i
                    continue
                }
            }
            i = u.index(after: i)
        }
        out += text[copiedUpTo..<u.endIndex]
        return out
    }
}
