// The city's own names and numbers, in one place, so messages say {helpline} instead of repeating it.

/// Facts every message may refer to by placeholder; `Strings` fills them without the caller
/// passing them. One value per city, later read from the kiosk's config.
public struct CityFacts: Sendable, Equatable {
    /// The helpline as it is dialled and printed; a no-break space keeps "42" on the number's line.
    public var helpline: String
    /// The city office (`{cityOffice}`), in each language.
    public var cityOffice: Localized
    /// The contact centre that runs the kiosks (`{centre}`).
    public var centre: Localized
    /// The city guard (Straż Miejska) for order problems that cannot wait but threaten nobody.
    public var cityGuard: String
    /// The emergency number: threats to health or life go there, never into a report.
    public var emergency: String

    public init(helpline: String, cityOffice: Localized, centre: Localized, cityGuard: String = "986", emergency: String = "112") {
        self.helpline = helpline
        self.cityOffice = cityOffice
        self.centre = centre
        self.cityGuard = cityGuard
        self.emergency = emergency
    }

    public static let lodz = CityFacts(
        helpline: "42\u{00A0}638-44-44",
        cityOffice: Localized(pl: "Urząd Miasta Łodzi", en: "Łódź City Hall", uk: "Міська управа Лодзі"),
        centre: Localized(pl: "Łódzkie Centrum Kontakt z Mieszkańcami", en: "Łódź Contact Centre for Residents",
                          uk: "Лодзький центр контактів з мешканцями"))

    /// The placeholder names these facts answer.
    public static let placeholderNames: Set<String> = ["helpline", "cityOffice", "centre", "cityGuard", "emergency"]

    public func value(_ placeholder: String, _ language: Language) -> String? {
        switch placeholder {
        case "helpline": return helpline
        case "cityOffice": return cityOffice[language]
        case "centre": return centre[language]
        case "cityGuard": return cityGuard
        case "emergency": return emergency
        default: return nil
        }
    }
}
