import Foundation
import GRDB
import KioskCore
import Testing
@testable import KioskStore

func day(_ s: String) -> LocalDate {
    guard let d = LocalDate(iso: s) else { fatalError("bad test date \(s)") }
    return d
}

func article(_ id: String, _ title: String, cats: [String] = ["drogi"], isInternal: Bool = false,
             from: String = "2024-01-01", to: String? = nil) -> Article {
    Article(id: id, title: Localized(pl: title, en: "EN " + title), summary: Localized(pl: "Opis \(title)"),
            isInternal: isInternal, validFrom: day(from), validTo: to.map(day), writtenOn: day("2024-01-01"),
            keywords: ["k"], categories: cats, howTo: "1. Zgłoś.", processingTime: "7 dni", place: "ZDiT",
            fees: "brak", consultantInfo: "POUFNE-\(id)", unit: "Zarząd Dróg i Transportu")
}

let categories = [Category(id: "drogi", name: Localized(pl: "Drogi", en: "Roads")),
                  Category(id: "zielen", name: Localized(pl: "Zieleń", en: "Green")),
                  Category(id: "pusta", name: Localized(pl: "Pusta", en: "Empty"))]

let sample = KnowledgeBase(categories: categories, articles: [
    article("a", "Zgłoszenie dziury"),
    article("b", "Wycinka drzewa", cats: ["zielen", "drogi"]),
    article("int", "Procedura wewnętrzna", isInternal: true),
    article("old", "Stary program", to: "2025-06-30"),
    article("new", "Nowe stawki", from: "2027-01-01"),
])

func tempPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-test-\(UUID().uuidString).sqlite").path
}

@Suite struct KnowledgeBaseStore {
    let today = day("2026-11-23")

    @Test func residentsSeeOnlyPublicArticlesInsideTheirWindow() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        let summary = try store.importKnowledgeBase(sample, source: "test")
        #expect(summary.articles == 4)
        #expect(summary.skippedInternal == 1)
        #expect(try store.publicArticles(on: today).map(\.id) == ["a", "b"])
        #expect(try store.article(id: "int", on: today) == nil)
        #expect(try store.article(id: "old", on: today) == nil)
        #expect(try store.article(id: "old", on: day("2025-06-30")) != nil)
        #expect(try store.article(id: "new", on: day("2027-01-01")) != nil)
    }

    @Test func categoriesCountVisibleArticlesAndHideEmptyOnes() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(sample, source: "test")
        let cats = try store.categories(on: today)
        #expect(cats.map(\.category.id) == ["drogi", "zielen"])
        #expect(cats.map(\.articleCount) == [2, 1])
        #expect(try store.articles(inCategory: "drogi", on: today).map(\.id) == ["b", "a"]) // by title
    }

    @Test func consultantTextNeverReachesTheFile() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let store = try KioskStore(path: path)
            try store.importKnowledgeBase(sample, source: "test")
        }
        var bytes = FileManager.default.contents(atPath: path) ?? Data()
        bytes.append(FileManager.default.contents(atPath: path + "-wal") ?? Data())
        #expect(!bytes.isEmpty)
        #expect(bytes.range(of: Data("POUFNE".utf8)) == nil)
        #expect(bytes.range(of: Data("Procedura wewnętrzna".utf8)) == nil)
    }

    @Test func aFailedImportLeavesTheOldKnowledgeBase() throws {
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(sample, source: "first")
        // Two articles with one id get past no parser; the database refuses the second mid-transaction.
        let broken = KnowledgeBase(categories: categories, articles: [article("x", "Nowy"), article("x", "Nowy 2")])
        #expect(throws: (any Error).self) { try store.importKnowledgeBase(broken, source: "second") }
        #expect(try store.publicArticles(on: today).map(\.id) == ["a", "b"])
        #expect(try store.meta("source") == "first")
    }

    @Test func aCorruptFileIsExplained() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        do {
            _ = try KioskStore(path: path)
            Issue.record("opened a corrupt file")
        } catch let e as StoreError {
            #expect(e.description.hasPrefix(path))
            #expect(e.description.contains("not a SQLite database"))
        }
    }

    @Test func aLockedFileIsExplained() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = Configuration()
        config.allowsUnsafeTransactions = true // this connection plays another process holding the lock
        let other = try DatabaseQueue(path: path, configuration: config)
        try other.inDatabase { db in
            try db.execute(sql: "CREATE TABLE x(a); BEGIN EXCLUSIVE; INSERT INTO x VALUES (1);")
        }
        defer { try? other.inDatabase { try $0.execute(sql: "ROLLBACK") } }
        do {
            _ = try KioskStore(path: path)
            Issue.record("opened a locked file")
        } catch let e as StoreError {
            #expect(e.description.contains("locked by another process"))
        }
    }
}
