// Every on-screen string, keyed by ID, per language. Layout code never holds text of its own.

public enum StringKey: String, Sendable, CaseIterable {
    case cityName, centreName, homeGreeting, homeHint
    case tileKB, tileKBHint, tileSearch, tileSearchHint, tileReport, tileReportHint, tileTicket, tileTicketHint
    case comingSoon, comingSoonDetail, helpline
    case languagePolish, languageEnglish, languageSwitchLabel
    case navBack, navHome
    case categoriesTitle, categoriesHint, articlesTitle, articleCountOne, articleCountFew, articleCountMany
    case articleOnlyInPolish, articleWrittenOn, articleResponsible, articleGone
    case sectionHowTo, sectionDocuments, sectionFees, sectionProcessingTime, sectionPlace
    case sectionAdditionalInfo, sectionAppeal, sectionLegalBasis, sectionReuse
    case idleTitle, idleDetail, idleMoreTime
    case emptyKnowledgeBase, emptyCategory, loading, noticeOK, comingSoonTitle
    case searchTitle, searchHint, searchPlaceholder, searchClear, searchDidYouMean, searchNothing, searchBrowse
    case searchCall, searchCut, searchRelaxed, searchFieldLabel, keySpace, keyBackspace, searchResultsLabel
    case roleDialog, stateSelected
    case articleCount, languageUkrainian, largeTextOn, largeTextOff, largeTextLabel, stateOn, stateOff
    case leaveTitle, leaveDetail, leaveStay, leaveConfirm
    case fieldTooLong, fieldRefusedCharacters, fieldDigitsOnly, fieldPhoneOnly, fieldEmailOnly, fieldCounter, fieldCharacters
    case roleTextField, stateFocused, keyShift, keyLatin, keyCyrillic, articleQRCaption
}

public enum Strings {
    /// A value for a named placeholder `{name}` of a message; a number also chooses the plural form.
    public enum Argument: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        case number(Int)
        case text(String)
        case date(LocalDate)
        public init(integerLiteral v: Int) { self = .number(v) }
        public init(stringLiteral v: String) { self = .text(v) }
    }

    /// Looks a message up and fills its named placeholders (interim: the (pl, en) table until the
    /// per-language catalogue lands; Ukrainian falls back to English).
    public static func text(_ key: StringKey, _ language: Language, _ args: [String: Argument] = [:]) -> String {
        if key == .articleCount, case let .number(n)? = args["count"] { return articleCount(n, language) }
        let pair = table[key] ?? (key.rawValue, key.rawValue)
        var out = language == .pl ? pair.0 : pair.1
        for (name, v) in args {
            switch v {
            case let .number(n): out = out.replacingOccurrences(of: "{\(name)}", with: String(n))
            case let .text(t): out = out.replacingOccurrences(of: "{\(name)}", with: t)
            case let .date(d): out = out.replacingOccurrences(of: "{\(name)}", with: d.description)
            }
            switch v {
            case let .number(n): out = out.replacingOccurrences(of: "%d", with: String(n))
            case let .text(t): out = out.replacingOccurrences(of: "%@", with: t)
            case let .date(d): out = out.replacingOccurrences(of: "%@", with: d.description)
            }
        }
        return out
    }

    /// A date as residents read it ("3 grudnia 2026").
    public static func date(_ d: LocalDate, _ language: Language) -> String { d.description }

    /// Polish needs three plural forms: 1 artykuł, 2–4 artykuły (but 12–14 artykułów), 5+ artykułów.
    public static func articleCount(_ n: Int, _ language: Language) -> String {
        let key: StringKey
        if n == 1 {
            key = .articleCountOne
        } else if language == .pl, (2...4).contains(n % 10), !(12...14).contains(n % 100) {
            key = .articleCountFew
        } else {
            key = .articleCountMany
        }
        return text(key, language).replacingOccurrences(of: "%d", with: String(n))
    }

    // (Polish, English). Polish wording follows the city's documents (shared/seeds).
    static let table: [StringKey: (String, String)] = [
        .cityName: ("Urząd Miasta Łodzi", "Łódź City Hall"),
        .centreName: ("Łódzkie Centrum Kontakt z Mieszkańcami", "Łódź Contact Centre for Residents"),
        .homeGreeting: ("Dzień dobry! W czym możemy pomóc?", "Hello! How can we help?"),
        .homeHint: ("Dotknij jednego z pól poniżej.", "Touch one of the tiles below."),
        .tileKB: ("Baza wiedzy", "Knowledge Base"),
        .tileKBHint: ("Jak załatwić sprawę w urzędzie", "How to get things done at the city hall"),
        .tileSearch: ("Szukaj", "Search"),
        .tileSearchHint: ("Wpisz, czego potrzebujesz", "Type what you need"),
        .tileReport: ("Zgłoś problem", "Report a problem"),
        .tileReportHint: ("Dziura w chodniku, pełne kosze, drzewo", "Broken pavement, full bins, a tree"),
        .tileTicket: ("Sprawdź zgłoszenie", "Check a ticket"),
        .tileTicketHint: ("Status sprawy z numeru na potwierdzeniu", "Case status from your receipt number"),
        .comingSoon: ("Wkrótce", "Coming soon"),
        .comingSoonDetail: ("Ta usługa będzie wkrótce dostępna w kiosku. Do tego czasu zadzwoń: 42\u{00A0}638-44-44.",
                            "This service is coming to the kiosk soon. Until then, call 42\u{00A0}638-44-44."),
        .helpline: ("Infolinia: 42\u{00A0}638-44-44", "Helpline: 42\u{00A0}638-44-44"),
        .languagePolish: ("Polski", "Polski"),
        .languageEnglish: ("English", "English"),
        .languageSwitchLabel: ("Język", "Language"),
        .navBack: ("← Wstecz", "← Back"),
        .navHome: ("⌂ Start", "⌂ Home"),
        .categoriesTitle: ("Baza wiedzy", "Knowledge Base"),
        .categoriesHint: ("Wybierz temat sprawy.", "Choose a topic."),
        .articlesTitle: ("Sprawy", "Procedures"),
        .articleCountOne: ("1 artykuł", "1 article"),
        .articleCountFew: ("%d artykuły", "%d articles"),
        .articleCountMany: ("%d artykułów", "%d articles"),
        .articleOnlyInPolish: ("", "The full description below is available in Polish only."),
        .articleWrittenOn: ("Informacja z dnia", "Information as of"),
        .articleResponsible: ("Odpowiada", "Responsible"),
        .articleGone: ("Ten artykuł nie jest już dostępny.", "This article is no longer available."),
        .sectionHowTo: ("Sposób załatwienia sprawy", "How to get it done"),
        .sectionDocuments: ("Wymagane dokumenty", "Required documents"),
        .sectionFees: ("Opłaty", "Fees"),
        .sectionProcessingTime: ("Termin realizacji", "How long it takes"),
        .sectionPlace: ("Miejsce załatwienia", "Where to go"),
        .sectionAdditionalInfo: ("Informacje uzupełniające", "Additional information"),
        .sectionAppeal: ("Tryb odwoławczy", "How to appeal"),
        .sectionLegalBasis: ("Podstawa prawna", "Legal basis"),
        .sectionReuse: ("Warunki ponownego wykorzystywania", "Re-use conditions"),
        .idleTitle: ("Czy potrzebujesz więcej czasu?", "Do you need more time?"),
        .idleDetail: ("Za %d s kiosk wróci do ekranu startowego, a to, co zrobiono, zostanie wyczyszczone.",
                      "In %d s the kiosk returns to the start screen and clears what was done."),
        .idleMoreTime: ("Tak, więcej czasu", "Yes, more time"),
        .emptyKnowledgeBase: ("Baza wiedzy jest chwilowo niedostępna. Zadzwoń: 42\u{00A0}638-44-44.",
                              "The Knowledge Base is unavailable right now. Call 42\u{00A0}638-44-44."),
        .emptyCategory: ("W tym temacie nie ma teraz artykułów.", "There are no articles on this topic right now."),
        .loading: ("Wczytywanie…", "Loading…"),
        .noticeOK: ("Rozumiem", "OK"),
        .comingSoonTitle: ("Już wkrótce", "Coming soon"),
        .searchTitle: ("Szukaj w bazie wiedzy", "Search the Knowledge Base"),
        .searchHint: ("Wpisz, czego szukasz, np. dowód, śmieci, żłobek.", "Type what you are looking for, e.g. ID card, waste, nursery."),
        .searchPlaceholder: ("Dotknij liter na klawiaturze…", "Touch the letters on the keyboard…"),
        .searchClear: ("✕ Wyczyść", "✕ Clear"),
        .searchDidYouMean: ("Czy chodziło Ci o: %@?", "Did you mean: %@?"),
        .searchNothing: ("Nie znaleźliśmy artykułu dla „%@”.", "We found no article for “%@”."),
        .searchBrowse: ("Przeglądaj tematy", "Browse topics"),
        .searchCall: ("Możesz też zadzwonić: 42\u{00A0}638-44-44.", "You can also call 42\u{00A0}638-44-44."),
        .searchCut: ("Zapytanie skrócono do %d znaków.", "The query was cut to %d characters."),
        .searchRelaxed: ("Żaden artykuł nie zawiera wszystkich słów. Najbliższe:", "No article has all the words. The closest:"),
        .searchFieldLabel: ("Pole wyszukiwania", "Search field"),
        .searchResultsLabel: ("Wyniki wyszukiwania", "Search results"),
        .keySpace: ("spacja", "space"),
        .keyBackspace: ("⌫ Usuń", "⌫ Delete"),
        .roleDialog: ("okno", "dialog"),
        .stateSelected: ("wybrany", "selected"),
        .languageUkrainian: ("Українська", "Українська"),
        .largeTextOn: ("A+", "A+"),
        .largeTextOff: ("A−", "A−"),
        .largeTextLabel: ("Duży tekst", "Large text"),
        .stateOn: ("włączony", "on"),
        .stateOff: ("wyłączony", "off"),
        .leaveTitle: ("Przerwać?", "Stop here?"),
        .leaveDetail: ("To, co wpisano, zostanie usunięte.", "What you typed will be deleted."),
        .leaveStay: ("Wróć do formularza", "Back to the form"),
        .leaveConfirm: ("Tak, przerwij", "Yes, stop"),
        .fieldTooLong: ("Pole „{field}” mieści najwyżej {limit} znaków; resztę pominięto.", "The field “{field}” takes at most {limit} characters; the rest was left out."),
        .fieldRefusedCharacters: ("Pole „{field}” nie przyjmuje niektórych znaków; pominięto je.", "The field “{field}” does not take some characters; they were left out."),
        .fieldDigitsOnly: ("W polu „{field}” wpisz tylko cyfry.", "Type only digits in the field “{field}”."),
        .fieldPhoneOnly: ("W polu „{field}” wpisz numer telefonu: cyfry i +.", "Type a phone number in the field “{field}”: digits and +."),
        .fieldEmailOnly: ("W polu „{field}” wpisz adres e-mail bez spacji.", "Type an e-mail address without spaces in the field “{field}”."),
        .fieldCounter: ("{count} z {limit} znaków", "{count} of {limit} characters"),
        .fieldCharacters: ("znaków: {count}", "{count} characters"),
        .roleTextField: ("pole tekstowe", "text field"),
        .stateFocused: ("kursor w polu", "focused"),
        .keyShift: ("wielka litera", "capital letter"),
        .keyLatin: ("ABC", "ABC"),
        .keyCyrillic: ("АБВ", "АБВ"),
        .articleQRCaption: ("Zeskanuj kod telefonem, aby otworzyć ten opis na stronie miasta.", "Scan the code with your phone to open this page on the city's website."),
    ]
}
