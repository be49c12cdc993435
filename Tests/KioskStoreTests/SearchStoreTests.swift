import Foundation
import KioskCore
import Testing
@testable import KioskStore

@Suite struct SearchIndexStore {
    let today = day("2026-11-23")
    /// Loaded once: reading hunspell-pl takes a while in a debug build.
    static let lexicon = try? AffixDictionary(base: "/usr/share/hunspell/pl_PL")

    func store() throws -> KioskStore {
        let s = try KioskStore(inMemory: UUID().uuidString)
        let lexicon = Self.lexicon
        let index = SearchIndexBuilder.build(articles: sample.articles.compactMap(\.publicVersion),
                                             categories: sample.categories, lexicon: lexicon)
        try s.importKnowledgeBase(sample, source: "test", index: index)
        return s
    }

    /// The sync will import a new Knowledge Base into the running kiosk: its readers, which have the index
    /// open, must go on searching (rewriting FTS5's rank option at each import once failed them).
    @Test func aReimportUnderOpenReadersKeepsSearchWorking() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reimport-\(UUID().uuidString).sqlite").path
        let s = try KioskStore(path: path)
        let index = SearchIndexBuilder.build(articles: sample.articles.compactMap(\.publicVersion), categories: sample.categories,
                                             lexicon: Self.lexicon)
        try s.importKnowledgeBase(sample, source: "test", index: index)
        #expect(try s.search("dziura", on: today).hits.first?.id == "a")
        try s.importKnowledgeBase(sample, source: "test again", index: index)
        #expect(try s.search("dziura", on: today).hits.first?.id == "a")
        #expect(try s.search("wycinka drzew", on: today).hits.first?.id == "b")
    }

    @Test func findsWithoutPolishLettersAndInOtherForms() throws {
        let s = try store()
        #expect(try s.search("dziura", on: today).hits.first?.id == "a")
        #expect(try s.search("wycinka drzew", on: today).hits.first?.id == "b")
        #expect(try s.search("zgloszenie dziury", on: today).hits.first?.id == "a")
    }

    @Test func internalAndExpiredArticlesAreNeverFound() throws {
        let s = try store()
        #expect(try s.search("procedura wewnętrzna", on: today).hits.allSatisfy { $0.id != "int" })
        #expect(try s.search("POUFNE", on: today).hits.isEmpty)
        #expect(try s.search("stary program", on: today).hits.allSatisfy { $0.id != "old" })
        #expect(try s.search("stary program", on: day("2025-06-01")).hits.first?.id == "old")
    }

    @Test func suggestsTheWordMeantForATypo() throws {
        let s = try store()
        let outcome = try s.search("wycinak", on: today)
        #expect(outcome.suggestion == "wycinka")
        #expect(outcome.hits.first?.id == "b")
    }

    @Test func synonymsFindTheOfficialWord() throws {
        let s = try store()
        let groups = try SynonymGroups.parse("wyrwa, dziura\n", file: "s.txt")
        #expect(try s.search("wyrwa", on: today).hits.isEmpty)
        #expect(try s.search("wyrwa", on: today, synonyms: groups).hits.first?.id == "a")
    }

    @Test func theWordBeingTypedMatchesAsAPrefix() throws {
        let s = try store()
        #expect(try s.search("wycin", on: today, partial: true).hits.first?.id == "b")
    }

    @Test func allWordsFirstThenAnyWord() throws {
        let s = try store()
        let outcome = try s.search("dziura xylofon", on: today)
        #expect(outcome.relaxed)
        #expect(outcome.hits.first?.id == "a")
    }

    @Test func hostileQueriesAreSearchedAsText() throws {
        let s = try store()
        for q in ["\"", "*", "NEAR(", "AND", "-", ":", String(repeating: "a", count: 10_000), "😀 żółw", "\u{202E}abc",
                  "x\u{01}y", "OR OR", "(((", "title:dziura", "dziura*", "\"dziura", "{title}: x", "^", "NOT dziura"] {
            _ = try s.search(q, on: today)
            _ = try s.search(q, on: today, partial: true)
        }
        #expect(try s.search(String(repeating: "a", count: 10_000), on: today).wasCut)
    }
}
