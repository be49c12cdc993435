// The Knowledge Base article as the city's template defines it, and the rules for what a resident may see.

/// A Knowledge Base category ("Klasyfikacja – kategoria").
public struct Category: Sendable, Equatable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: Localized

    public init(id: String, name: Localized) {
        self.id = id
        self.name = name
    }
}

/// One procedure, with every field of "Wzór opisu artykułu Bazy Wiedzy" (field numbers in comments).
public struct Article: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var title: Localized                 // 1 Nazwa procedury
    public var summary: Localized               // not in the template: the short text shown in lists and in English
    public var isInternal: Bool                 // 2 Procedura wewnętrzna
    public var related: [String]                // 3 Powiązane procedury
    public var validFrom: LocalDate             // 4 Obowiązuje od
    public var validTo: LocalDate?              // 5 Obowiązuje do
    public var writtenOn: LocalDate             // 6 Data wytworzenia informacji
    public var keywords: [String]               // 7 Słowa kluczowe
    public var categories: [String]             // 8 Klasyfikacja – kategoria
    public var howTo: String                    // 9 Sposób załatwienia sprawy
    public var additionalInfo: String           // 10 Informacje uzupełniające
    public var processingTime: String           // 11 Termin realizacji
    public var place: String                    // 12 Miejsce załatwienia
    public var fees: String                     // 13 Opłaty
    public var documents: String                // 14 Wymagane dokumenty
    public var consultantInfo: String           // 15 Informacje dla konsultanta — staff only
    public var legalBasis: String               // 16 Podstawa prawna
    public var appeal: String                   // 17 Tryb odwoławczy
    public var reuseConditions: String          // 18 Warunki ponownego wykorzystywania
    public var owner: String                    // 19 Właściciel
    public var author: String                   // 20 autor
    public var coordinator: String              // 21 Koordynator
    public var handlers: [String]               // 22 Realizatorzy (at most 50)
    public var unit: String                     // 23 Jednostka
    public var department: String               // 24 Komórka
    public var integration: String              // 25 Integracja
    public var handledInEZD: Bool               // 26 Procedura w EZD
    public var url: String?                     // not in the template: the article's public page on the city's site

    public init(
        id: String, title: Localized, summary: Localized = Localized(pl: ""), isInternal: Bool = false,
        related: [String] = [], validFrom: LocalDate, validTo: LocalDate? = nil, writtenOn: LocalDate,
        keywords: [String] = [], categories: [String], howTo: String, additionalInfo: String = "",
        processingTime: String = "", place: String, fees: String, documents: String = "",
        consultantInfo: String = "", legalBasis: String = "", appeal: String = "", reuseConditions: String = "",
        owner: String = "", author: String = "", coordinator: String = "", handlers: [String] = [],
        unit: String, department: String = "", integration: String = "", handledInEZD: Bool = false,
        url: String? = nil
    ) {
        self.id = id; self.title = title; self.summary = summary; self.isInternal = isInternal
        self.related = related; self.validFrom = validFrom; self.validTo = validTo; self.writtenOn = writtenOn
        self.keywords = keywords; self.categories = categories; self.howTo = howTo
        self.additionalInfo = additionalInfo; self.processingTime = processingTime; self.place = place
        self.fees = fees; self.documents = documents; self.consultantInfo = consultantInfo
        self.legalBasis = legalBasis; self.appeal = appeal; self.reuseConditions = reuseConditions
        self.owner = owner; self.author = author; self.coordinator = coordinator; self.handlers = handlers
        self.unit = unit; self.department = department; self.integration = integration
        self.handledInEZD = handledInEZD; self.url = url
    }

    /// Rule: an article is shown only inside its validity window, both ends inclusive, judged on Łódź's calendar.
    public func isValid(on day: LocalDate) -> Bool {
        LocalDate.window(from: validFrom, to: validTo, contains: day)
    }

    /// Rule: internal articles never reach a public kiosk. The projection has no consultant field at all,
    /// so no later screen or printout can show it by mistake.
    public var publicVersion: PublicArticle? {
        isInternal ? nil : PublicArticle(self)
    }
}

/// What a resident may see of an article: the template's public fields, nothing for staff.
public struct PublicArticle: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var title: Localized
    public var summary: Localized
    public var related: [String]
    public var validFrom: LocalDate
    public var validTo: LocalDate?
    public var writtenOn: LocalDate
    public var keywords: [String]
    public var categories: [String]
    public var howTo: String
    public var additionalInfo: String
    public var processingTime: String
    public var place: String
    public var fees: String
    public var documents: String
    public var legalBasis: String
    public var appeal: String
    public var reuseConditions: String
    public var unit: String
    public var department: String
    /// The city's own page for this procedure (https), for a resident to take home as a QR code.
    public var url: String?

    init(_ a: Article) {
        id = a.id; title = a.title; summary = a.summary; related = a.related
        validFrom = a.validFrom; validTo = a.validTo; writtenOn = a.writtenOn
        keywords = a.keywords; categories = a.categories; howTo = a.howTo
        additionalInfo = a.additionalInfo; processingTime = a.processingTime; place = a.place
        fees = a.fees; documents = a.documents; legalBasis = a.legalBasis; appeal = a.appeal
        reuseConditions = a.reuseConditions; unit = a.unit; department = a.department; url = a.url
    }

    public func isValid(on day: LocalDate) -> Bool {
        LocalDate.window(from: validFrom, to: validTo, contains: day)
    }

    /// The public sections in the order a resident reads them: what to do, what to bring, what it costs,
    /// how long, where; then the fine print. Empty sections are left out.
    public var sections: [(ArticleSection, String)] {
        let all: [(ArticleSection, String)] = [
            (.howTo, howTo), (.documents, documents), (.fees, fees), (.processingTime, processingTime),
            (.place, place), (.additionalInfo, additionalInfo), (.appeal, appeal), (.legalBasis, legalBasis),
            (.reuseConditions, reuseConditions),
        ]
        return all.filter { !$0.1.trimmingWhitespace.isEmpty }
    }
}

/// The public sections of an article, named as in the city's template.
public enum ArticleSection: String, Sendable, CaseIterable {
    case howTo, documents, fees, processingTime, place, additionalInfo, appeal, legalBasis, reuseConditions

    public var stringKey: StringKey {
        switch self {
        case .howTo: return .sectionHowTo
        case .documents: return .sectionDocuments
        case .fees: return .sectionFees
        case .processingTime: return .sectionProcessingTime
        case .place: return .sectionPlace
        case .additionalInfo: return .sectionAdditionalInfo
        case .appeal: return .sectionAppeal
        case .legalBasis: return .sectionLegalBasis
        case .reuseConditions: return .sectionReuse
        }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
