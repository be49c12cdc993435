// The languages a resident can choose: Polish first, English, and Ukrainian for Łódź's many
// Ukrainian-speaking residents.
public enum Language: String, Sendable, CaseIterable, Codable {
    case pl, en, uk
}

/// Text in several languages; Polish is always present and is the fallback.
public struct Localized: Sendable, Equatable, Hashable, Codable {
    public var pl: String
    public var en: String?
    public var uk: String?

    public init(pl: String, en: String? = nil, uk: String? = nil) {
        self.pl = pl
        self.en = en
        self.uk = uk
    }

    public subscript(_ language: Language) -> String {
        translation(language) ?? pl
    }

    /// The text in that language, or nil when it would fall back to Polish.
    public func translation(_ language: Language) -> String? {
        switch language {
        case .pl: return pl
        case .en: return en?.isEmpty == false ? en : nil
        case .uk: return uk?.isEmpty == false ? uk : nil
        }
    }

    /// Whether the text exists in that language rather than falling back to Polish.
    public func has(_ language: Language) -> Bool { translation(language) != nil }
}
