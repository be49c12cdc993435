import Foundation
import GRDB
import KioskCore
import Testing
@testable import KioskStore

/// One validity rule for every way a resident reaches an article; Ukrainian texts; the public page
/// address; no import that silently empties the kiosk.
@Suite struct StoreRules {
    let today = day("2026-11-23")

    /// Windows chosen for their edges: starts on the day checked, ends on it, open-ended, not yet begun,
    /// a single day. Each is checked the day before, on and after each end.
    static let windows: [(id: String, from: String, to: String?)] = [
        ("starts", "2026-11-23", nil), ("ends", "2024-01-01", "2026-11-23"), ("open", "2020-02-29", nil),
        ("future", "2027-01-01", "2027-12-31"), ("oneday", "2026-11-23", "2026-11-23"), ("past", "2025-01-01", "2025-12-31"),
    ]
    static let days = ["2020-02-28", "2020-02-29", "2025-12-31", "2026-01-01", "2026-11-22", "2026-11-23", "2026-11-24",
                       "2026-12-31", "2027-01-01", "2027-12-31", "2028-01-01", "9999-12-31"]

    @Test func everyPathToAnArticleFollowsTheOneValidityRule() throws {
        let articles = Self.windows.map { w in
            var a = article(w.id, "Okno \(w.id)", from: w.from, to: w.to)
            a.keywords = ["okienko"]
            return a
        }
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(KnowledgeBase(categories: categories, articles: articles), source: "edges")
        var checked = 0
        for d in Self.days.map(day) {
            let rule = Set(articles.filter { $0.isValid(on: d) }.map(\.id))
            let single = Set(try articles.compactMap { try store.article(id: $0.id, on: d)?.id })
            let all = Set(try store.publicArticles(on: d).map(\.id))
            let listed = Set(try store.articles(inCategory: "drogi", on: d).map(\.id))
            let counted = try store.categories(on: d).first { $0.category.id == "drogi" }?.articleCount ?? 0
            let found = Set(try store.search("okienko", on: d, limit: 50).hits.map(\.id))
            #expect(single == rule, "article(id:) on \(d)")
            #expect(all == rule, "publicArticles on \(d)")
            #expect(listed == rule, "articles(inCategory:) on \(d)")
            #expect(counted == rule.count, "category count on \(d)")
            #expect(found == rule, "search on \(d)")
            checked += rule.count
        }
        #expect(checked > 0)
        // The rule itself, on the edges: both ends inclusive, no end means open.
        #expect(articles[0].isValid(on: day("2026-11-23")) && !articles[0].isValid(on: day("2026-11-22")))
        #expect(articles[1].isValid(on: day("2026-11-23")) && !articles[1].isValid(on: day("2026-11-24")))
        #expect(articles[2].isValid(on: day("9999-12-31")))
        #expect(!articles[3].isValid(on: today))
    }

    @Test func theSQLIsRenderedFromTheRule() {
        #expect(KioskStore.validOn == "(a.valid_from <= :day AND (a.valid_to IS NULL OR :day <= a.valid_to))")
    }

    /// The SQL compares ISO text; that is the rule only because ISO text sorts as the dates do.
    @Test func isoTextSortsAsTheDatesDo() {
        var generator = SystemRandomNumberGenerator()
        var dates: [LocalDate] = []
        while dates.count < 2_000 {
            if let d = LocalDate(year: Int.random(in: 1900...9999, using: &generator), month: Int.random(in: 1...12, using: &generator),
                                 day: Int.random(in: 1...31, using: &generator)) { dates.append(d) }
        }
        for (a, b) in zip(dates, dates.shuffled()) {
            #expect((a <= b) == (a.description <= b.description), "\(a) \(b)")
        }
    }

    @Test func aDamagedStoredDateHidesTheArticle() {
        #expect(!KioskStore.isVisible(validFrom: "2024-13-01", validTo: nil, on: today))
        #expect(!KioskStore.isVisible(validFrom: nil, validTo: nil, on: today))
        #expect(!KioskStore.isVisible(validFrom: "2024-01-01", validTo: "soon", on: today))
        #expect(KioskStore.isVisible(validFrom: "2024-01-01", validTo: nil, on: today))
    }

    // MARK: Ukrainian

    static let ukrainian = KnowledgeBase(
        categories: [Category(id: "drogi", name: Localized(pl: "Drogi", en: "Roads", uk: "Дороги"))],
        articles: [
            {
                var a = article("dziura", "Zgłoszenie dziury")
                a.title.uk = "Повідомлення про вибоїну"
                a.summary = Localized(pl: "Zgłoś dziurę w jezdni.", en: "Report a pothole.", uk: "Повідомте про яму на дорозі.")
                return a
            }(),
            article("latarnia", "Niedziałająca latarnia"),
        ])

    @Test func ukrainianTextsAreStoredAndRead() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(Self.ukrainian, source: "uk")
        #expect(try store.categories(on: today).first?.category.name[.uk] == "Дороги")
        let listed = try store.articles(inCategory: "drogi", on: today)
        let pothole = try #require(listed.first { $0.id == "dziura" })
        #expect(pothole.title[.uk] == "Повідомлення про вибоїну")
        #expect(pothole.summary[.uk] == "Повідомте про яму на дорозі.")
        #expect(listed.first { $0.id == "latarnia" }?.title.has(.uk) == false) // falls back to Polish
        #expect(try store.article(id: "dziura", on: today)?.title.uk == "Повідомлення про вибоїну")
        let hit = try #require(try store.search("dziury", on: today).hits.first)
        #expect(hit.title[.uk] == "Повідомлення про вибоїну")
        #expect(hit.summary[.uk] == "Повідомте про яму на дорозі.")
    }

    @Test func ukrainianWordsAreSearchable() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(Self.ukrainian, source: "uk")
        #expect(try store.search("вибоїну", on: today).hits.first?.id == "dziura")      // title
        #expect(try store.search("ВИБОЇНУ", on: today).hits.first?.id == "dziura")      // any case
        #expect(try store.search("яму дорозі", on: today).hits.first?.id == "dziura")   // summary
        #expect(try store.search("вибо", on: today, partial: true).hits.first?.id == "dziura") // being typed
        #expect(try store.search("дороги", on: today).hits.map(\.id).contains("latarnia")) // category name
    }

    /// A kiosk in the field upgrades by running the migrations it has not seen; the bodies it already has
    /// carry "uk", so titles and summaries are in Ukrainian before the next import.
    @Test func theUkrainianMigrationFillsTitlesFromStoredArticles() throws {
        let queue = try DatabaseQueue(named: UUID().uuidString, configuration: KioskStore.configuration())
        try KioskStore.migrator.migrate(queue, upTo: "v3-search-head")
        let body = try JSONEncoder().encode(try #require(Self.ukrainian.articles[0].publicVersion))
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO kb_article (id, position, title_pl, title_en, summary_pl, summary_en, valid_from, valid_to, body)
                VALUES ('dziura', 0, 'Zgłoszenie dziury', NULL, 'Zgłoś', NULL, '2024-01-01', NULL, ?)
                """, arguments: [String(decoding: body, as: UTF8.self)])
        }
        try KioskStore.migrator.migrate(queue)
        let row = try queue.read { try Row.fetchOne($0, sql: "SELECT title_uk, summary_uk FROM kb_article") }
        #expect(row?["title_uk"] == "Повідомлення про вибоїну")
        #expect(row?["summary_uk"] == "Повідомте про яму на дорозі.")
    }

    // MARK: the article's public page

    @Test func thePublicPageAddressIsStoredAndShown() throws {
        var a = article("dziura", "Zgłoszenie dziury")
        a.url = "https://uml.lodz.pl/dla-mieszkancow/drogi/zgloszenie-dziury/"
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(KnowledgeBase(categories: categories, articles: [a, article("bez", "Bez strony")]), source: "url")
        #expect(try store.article(id: "dziura", on: today)?.url == "https://uml.lodz.pl/dla-mieszkancow/drogi/zgloszenie-dziury/")
        #expect(try store.article(id: "bez", on: today)?.url == nil)
    }

    // MARK: no silent emptying

    @Test func anImportWithNoPublicArticleIsRefusedAndTheOldOneStays() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(sample, source: "first")
        let empty = KnowledgeBase(categories: categories, articles: [])
        let onlyInternal = KnowledgeBase(categories: categories, articles: [article("int", "Wewnętrzna", isInternal: true)])
        for (kb, words) in [(empty, "has no articles"), (onlyInternal, "only internal articles (1)")] {
            do {
                try store.importKnowledgeBase(kb, source: "export.json")
                Issue.record("imported a Knowledge Base residents would see nothing of")
            } catch let e as KnowledgeBaseError {
                #expect(e.file == "export.json")
                #expect(e.field == "articles")
                #expect(e.problem.contains(words), "\(e)")
                #expect(e.problem.contains("--allow-empty"), "\(e)")
            }
            #expect(try store.publicArticles(on: today).map(\.id) == ["a", "b"])
            #expect(try store.meta("source") == "first")
        }
        // Asked for by name, the kiosk is emptied.
        let summary = try store.importKnowledgeBase(onlyInternal, source: "on purpose", allowEmpty: true)
        #expect(summary.articles == 0 && summary.skippedInternal == 1)
        #expect(try store.publicArticles(on: today).isEmpty)
        #expect(try store.categories(on: today).isEmpty)
    }
}
