import Foundation
import KioskCore
import Testing
@testable import KioskStore

/// The shipped synonym list saved with Windows line endings still sends "prawko" to the driving
/// licence, on the demo Knowledge Base and the search screen's path (the word being typed is a prefix).
@Suite struct WindowsSynonymFile {
    let today = day("2026-11-23")
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")

    @Test func prawkoFindsTheDrivingLicenceWithACRLFSynonymFile() throws {
        let shipped = Self.root.appendingPathComponent("kiosk-config/synonyms.txt").path
        let crlfPath = FileManager.default.temporaryDirectory.appendingPathComponent("synonyms-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: crlfPath) }
        let text = try TextLines.read(path: shipped, maxBytes: SynonymGroups.maxFileBytes)
        try Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: URL(fileURLWithPath: crlfPath))
        let synonyms = try SynonymGroups.read(path: crlfPath)
        #expect(synonyms == (try SynonymGroups.read(path: shipped)))

        let kb = try KnowledgeBaseFile.read(path: Self.root.appendingPathComponent("assets/kb/demo-kb.json").path)
        let index = SearchIndexBuilder.build(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories,
                                             lexicon: SearchIndexStore.lexicon, extraWords: synonyms.wordsWithLetters)
        let store = try KioskStore(inMemory: UUID().uuidString)
        try store.importKnowledgeBase(kb, source: "demo", index: index)
        let categoriesOf = Dictionary(uniqueKeysWithValues: kb.articles.map { ($0.id, $0.categories) })
        for partial in [false, true] {
            let hits = try store.search("prawko", on: today, partial: partial, synonyms: synonyms).hits
            let top = try #require(hits.first, "prawko found nothing (partial: \(partial))")
            #expect(categoriesOf[top.id]?.contains("pojazdy") == true, "\(top.id) \(top.title.pl)")
            #expect(top.title.pl.lowercased().contains("prawa jazdy"), "\(top.title.pl)")
            #expect(hits.prefix(3).allSatisfy { categoriesOf[$0.id]?.contains("odpady") != true })
        }
        // "prawko" is one edit from "prawo", so a typo fix can hide a lost list; these words reach their
        // article only through the list.
        for (word, category) in [("bryka", "pojazdy"), ("elektroodpady", "odpady"), ("chipowanie", "zwierzeta"), ("bobas", "zlobki")] {
            let top = try store.search(word, on: today, partial: true, synonyms: synonyms).hits.first
            #expect(top.flatMap { categoriesOf[$0.id] }?.contains(category) == true, "\(word) → \(top?.id ?? "nothing")")
        }
    }
}
