// CLDR plural categories and the integer rules for the kiosk's languages (pl, en, uk).

/// The CLDR plural categories; a language uses a subset of them.
public enum PluralCategory: String, Sendable, CaseIterable {
    case zero, one, two, few, many, other
}

public enum PluralRule {
    /// The categories a plural message in `language` must give. `other` is also what a fraction
    /// would take in Polish and Ukrainian; the kiosk only counts whole things, but CLDR requires it
    /// and it is the fallback when the number is missing.
    public static func categories(_ language: Language) -> [PluralCategory] {
        switch language {
        case .en: return [.one, .other]
        case .pl, .uk: return [.one, .few, .many, .other]
        }
    }

    /// The category of an integer (CLDR 44 rules with v = 0). A negative number takes the category
    /// of its magnitude, as CLDR's operand n = |source| does.
    public static func category(_ number: Int, _ language: Language) -> PluralCategory {
        let i = number.magnitude
        let last = i % 10, lastTwo = i % 100
        switch language {
        case .en:
            return i == 1 ? .one : .other
        case .pl:
            // one: i = 1; few: i%10 = 2..4 and i%100 != 12..14; many: everything else
            if i == 1 { return .one }
            if (2...4).contains(last) && !(12...14).contains(lastTwo) { return .few }
            return .many
        case .uk:
            // one: i%10 = 1 and i%100 != 11; few: i%10 = 2..4 and i%100 != 12..14; many: the rest
            if last == 1 && lastTwo != 11 { return .one }
            if (2...4).contains(last) && !(12...14).contains(lastTwo) { return .few }
            return .many
        }
    }
}
