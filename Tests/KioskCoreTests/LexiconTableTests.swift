import Foundation
import Testing
@testable import KioskCore

/// The table of what the dictionary answered for a Knowledge Base's words, which a server can send instead of
/// a kiosk loading the dictionary itself.
@Suite struct LexiconTableTests {
    func demo() throws -> KnowledgeBase {
        try KnowledgeBaseFile.read(path: assetsFolder.appendingPathComponent("kb/demo-kb.json").path)
    }

    func same(_ a: SearchIndexData, _ b: SearchIndexData) {
        #expect(a.documents == b.documents)
        #expect(a.vocabulary.map { "\($0.0) \($0.1) \($0.2)" } == b.vocabulary.map { "\($0.0) \($0.1) \($0.2)" })
        #expect(Set(a.forms.map { "\($0.0) \($0.1)" }) == Set(b.forms.map { "\($0.0) \($0.1)" }))
    }

    @Test func anIndexBuiltFromTheTableIsTheDictionarysIndex() throws {
        let d = try #require(PolishWordForms.dictionary, "install hunspell-pl")
        let kb = try demo()
        let articles = kb.articles.compactMap(\.publicVersion)
        let extra: Set<String> = ["prawko", "meldunek"]
        let table = SearchIndexBuilder.lexiconTable(articles: articles, categories: kb.categories, lexicon: d, extraWords: extra)
        // The table holds exactly what the dictionary answers, for the words it asked about.
        for (w, l) in table.lemmas { #expect(l == d.lemmas(of: w), "\(w)") }
        #expect(table.lemmas.values.filter { !$0.isEmpty }.count > 500)
        #expect(table.lemmas["prawko"] != nil && table.lemmas["meldunek"] != nil)
        // Sent over the wire and read back, with no dictionary behind it.
        let read = try LexiconTable.parse(try table.encoded(), source: "test")
        #expect(read.lemmas == table.lemmas && read.forms == table.forms)
        let fromDictionary = SearchIndexBuilder.build(articles: articles, categories: kb.categories, lexicon: d, extraWords: extra)
        let fromTable = SearchIndexBuilder.build(articles: articles, categories: kb.categories, lexicon: read, extraWords: extra)
        #expect(fromDictionary.forms.count > 1_000)
        same(fromDictionary, fromTable)
    }

    @Test func theSameTableIsTheSameBytes() throws {
        let t = LexiconTable(lemmas: ["Łodzi": ["Łódź"], "psa": ["pies"], "xyz": []], forms: ["pies": ["psa", "pies", "psu"]])
        #expect(try t.encoded() == (try t.encoded()))
        #expect(String(decoding: try t.encoded(), as: UTF8.self).contains(#""pies":["pies","psa","psu"]"#))
    }

    @Test func wordsTheTableLacksAreAskedOfTheFallback() {
        struct Fixed: WordForms {
            func lemmas(of word: String) -> Set<String> { word == "psem" ? ["pies"] : [] }
            func forms(of lemma: String) -> Set<String> { lemma == "pies" ? ["pies", "psem"] : [lemma] }
        }
        let t = LexiconTable(lemmas: ["psa": ["pies"]], forms: [:], fallback: { Fixed() })
        #expect(t.lemmas(of: "psa") == ["pies"])
        #expect(t.lemmas(of: "psem") == ["pies"])
        #expect(t.forms(of: "pies") == ["pies", "psem"])
        #expect(LexiconTable(lemmas: [:], forms: [:]).forms(of: "kot") == ["kot"])
    }

    @Test func hostileTablesAreRefusedWithTheKeyNamed() {
        func problem(_ json: String) -> String {
            do { _ = try LexiconTable.parse(Data(json.utf8), source: "feed v7"); return "accepted" } catch { return error.description }
        }
        let long = String(repeating: "a", count: LexiconTable.maxWordBytes + 1)
        let many = (0...LexiconTable.maxLemmasPerWord).map { "\"w\($0)\"" }.joined(separator: ",")
        let cases: [(String, String)] = [
            ("<html>502</html>", "not a JSON object"),
            (#"[1,2]"#, "not a JSON object"),
            (#"{"format":"lckm-lexicon/9","lemmas":{},"forms":{}}"#, "format is not"),
            (#"{"format":"lckm-lexicon/1","forms":{}}"#, "\"lemmas\" must be an object"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"psa":"pies"},"forms":{}}"#, "lemmas[\"psa\"] must be a list"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"psa":[1]},"forms":{}}"#, "lemmas[\"psa\"] must be a list"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"psa":[""]},"forms":{}}"#, "is not a word of 1 to"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"\#(long)":[]},"forms":{}}"#, "a word of 1 to"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"":[]},"forms":{}}"#, "a word of 1 to"),
            (#"{"format":"lckm-lexicon/1","lemmas":{"psa":[\#(many)]},"forms":{}}"#, "has more than 32 words"),
            (#"{"format":"lckm-lexicon/1","lemmas":{},"forms":{"pies":{"a":1}}}"#, "forms[\"pies\"] must be a list"),
        ]
        for (json, expected) in cases {
            let p = problem(json)
            #expect(p.contains(expected), "\(json.prefix(60)): \(p)")
            #expect(p == "accepted" || (p.hasPrefix("feed v7: lexicon: ") && p.hasSuffix("the kiosk uses its own dictionary")))
        }
        #expect(problem(#"{"format":"lckm-lexicon/1","lemmas":{"Łodzi":["Łódź"]},"forms":{"Łódź":["lodz","lodzi"]}}"#) == "accepted")
        let huge = Data(repeating: 0x20, count: LexiconTable.maxBytes + 1)
        #expect(throws: LexiconTable.Problem.self) { try LexiconTable.parse(huge, source: "x") }
    }
}
