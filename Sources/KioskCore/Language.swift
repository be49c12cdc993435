// The languages a resident can choose; Polish first, Ukrainian planned.
public enum Language: String, Sendable, CaseIterable, Codable {
    case pl, en
}

/// Text in several languages; Polish is always present and is the fallback.
public struct Localized: Sendable, Equatable, Hashable, Codable {
    public var pl: String
    public var en: String?

    public init(pl: String, en: String? = nil) {
        self.pl = pl
        self.en = en
    }

    public subscript(_ language: Language) -> String {
        switch language {
        case .pl: return pl
        case .en: return (en?.isEmpty == false ? en : nil) ?? pl
        }
    }

    /// Whether the text exists in that language rather than falling back to Polish.
    public func has(_ language: Language) -> Bool {
        switch language {
        case .pl: return true
        case .en: return en?.isEmpty == false
        }
    }
}
