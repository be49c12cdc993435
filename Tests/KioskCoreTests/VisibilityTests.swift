import Foundation
import Testing
@testable import KioskCore

func day(_ s: String) -> LocalDate {
    guard let d = LocalDate(iso: s) else { fatalError("bad test date \(s)") }
    return d
}

func sampleArticle(id: String = "a-1", isInternal: Bool = false, from: String = "2024-01-01", to: String? = nil) -> Article {
    Article(id: id, title: Localized(pl: "Wydanie dowodu osobistego", en: "Getting an ID card"),
            summary: Localized(pl: "Krótko", en: "Briefly"), isInternal: isInternal,
            validFrom: day(from), validTo: to.map(day), writtenOn: day("2024-01-01"),
            keywords: ["dowód"], categories: ["dowod-osobisty"], howTo: "1. Złóż wniosek.",
            processingTime: "30 dni", place: "ul. Piotrkowska 110", fees: "brak",
            consultantInfo: "TAJNE: numer wewnętrzny 42 111-11-11", unit: "Urząd Miasta Łodzi")
}

@Suite struct VisibilityRules {
    @Test func internalArticlesNeverReachThePublic() {
        #expect(sampleArticle(isInternal: true).publicVersion == nil)
        #expect(sampleArticle(isInternal: false).publicVersion != nil)
    }

    @Test func consultantFieldIsNotPartOfThePublicArticle() throws {
        let p = try #require(sampleArticle().publicVersion)
        let json = String(decoding: try JSONEncoder().encode(p), as: UTF8.self)
        #expect(!json.contains("TAJNE"))
        #expect(!json.contains("consultant"))
        #expect(Mirror(reflecting: p).children.allSatisfy { $0.label != "consultantInfo" })
    }

    @Test func validityWindowIncludesBothEnds() {
        let a = sampleArticle(from: "2025-01-01", to: "2025-12-31")
        #expect(!a.isValid(on: day("2024-12-31")))
        #expect(a.isValid(on: day("2025-01-01")))
        #expect(a.isValid(on: day("2025-12-31")))
        #expect(!a.isValid(on: day("2026-01-01")))
    }

    @Test func openEndedArticlesStayValid() {
        let a = sampleArticle(from: "2025-01-01", to: nil)
        #expect(a.isValid(on: day("2099-01-01")))
        #expect(!a.isValid(on: day("2024-06-01")))
    }

    @Test func sectionsFollowReadingOrderAndSkipEmptyOnes() throws {
        var a = sampleArticle()
        a.documents = "Do złożenia: wniosek"
        a.additionalInfo = "   "
        let p = try #require(a.publicVersion)
        #expect(p.sections.map(\.0) == [.howTo, .documents, .fees, .processingTime, .place])
    }
}

@Suite struct LocalDates {
    @Test func parsesOnlyRealDaysInIsoForm() {
        #expect(LocalDate(iso: "2024-02-29")?.description == "2024-02-29")
        for bad in ["2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", " 2024-01-01", "2024/01/01",
                    "2024-01-01T00:00", "", "abcd-ef-gh", "٢٠٢٤-٠١-٠١"] {
            #expect(LocalDate(iso: bad) == nil, "\(bad) must be refused")
        }
    }

    @Test func todayInLodzFollowsCentralEuropeanTime() {
        func at(_ iso: String) -> String {
            let f = ISO8601DateFormatter()
            guard let d = f.date(from: iso) else { return "bad" }
            return WarsawTime.localDate(at: d).description
        }
        #expect(at("2026-11-22T22:59:59Z") == "2026-11-22")  // 23:59 CET
        #expect(at("2026-11-22T23:00:00Z") == "2026-11-23")  // midnight CET
        #expect(at("2026-07-01T21:59:59Z") == "2026-07-01")  // 23:59 CEST
        #expect(at("2026-07-01T22:00:00Z") == "2026-07-02")  // midnight CEST
        #expect(at("2026-03-28T23:30:00Z") == "2026-03-29")  // before the switch: CET
        #expect(at("2026-10-24T22:30:00Z") == "2026-10-25")  // still CEST that night
        #expect(WarsawTime.offsetSeconds(at: Date(timeIntervalSince1970: 1_774_746_000)) == 7200) // 2026-03-29 01:00Z
        #expect(WarsawTime.offsetSeconds(at: Date(timeIntervalSince1970: 1_774_745_999)) == 3600)
    }
}
