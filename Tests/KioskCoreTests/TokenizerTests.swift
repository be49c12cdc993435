import Foundation
import Testing
@testable import KioskCore

@Suite struct TokenizerTests {
    /// The word splitting search used before the byte-level reader: by Characters, letters and numbers.
    func referenceWords(_ s: String) -> [String] {
        var words: [String] = []
        var current = ""
        for ch in s.lowercased() {
            if ch.isLetter || ch.isNumber { current.append(ch) } else if !current.isEmpty { words.append(current); current = "" }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    @Test func splitsPolishUkrainianAndEnglishAsBefore() {
        let samples = [
            "Żłobek w Łodzi, ul. Piotrkowska 110!", "ZAMELDOWANIE NA POBYT STAŁY", "Посвідка на проживання — Łódź",
            "ID card (e-dowód), 2025-06-28", "ÀÉÎÕÜ ÆØÅ ß İstanbul", "co2 m² ½ Ⅻ", "tab\tnew\nline\r\nend",
            "o\u{0301}sma", "e\u{0301}\u{0323}t\u{0301}", "\u{0301}alone", "emoji 😀 żółw 👩‍💻", "",
        ]
        for s in samples { #expect(TextFolding.words(s) == referenceWords(s), "\(s)") }
    }

    @Test func agreesWithCharacterSplittingOnRandomText() {
        let pool: [Character] = ["a", "Z", "ł", "Ł", "ó", "ż", "Ж", "ї", "1", " ", ",", "-", "\n", "é", "ß", "İ", "Ω", "ǅ",
                                 "\u{0301}", "\u{200B}", "😀", "日", "٣", "ſ"]
        var rng = SplitMix64(state: 7)
        for _ in 0..<3_000 {
            let s = String((0..<Int.random(in: 0...30, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] })
            #expect(TextFolding.words(s) == referenceWords(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func indexTextIsTheFoldedWordFollowedByItsBaseForms() {
        var t = SearchIndexBuilder.Tokenizer(lexicon: nil)
        #expect(t.tokens("Łódź, ŁÓDŹ i 2025") == "lodz lodz i 2025")
        var data = SearchIndexData()
        t.finish(into: &data)
        // "łódź" and "ŁÓDŹ" lowercase alike: one word, counted twice, shown as first written.
        #expect(data.vocabulary.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1) \($0.2)" } == ["2025 2025 1", "i i 1", "lodz łódź 2"])
    }

    @Test func aBuildInPartsEqualsOneInOne() throws {
        let kb = try KnowledgeBaseFile.read(path: assetsFolder.appendingPathComponent("kb/demo-kb.json").path)
        let articles = Array(repeating: kb.articles.compactMap(\.publicVersion), count: 20).joined().enumerated().map { i, a in
            var a = a
            a.id = "\(a.id)-\(i)"
            return a
        }
        let parallel = SearchIndexBuilder.build(articles: articles, categories: kb.categories, lexicon: nil)
        let serial = SearchIndexBuilder.build(articles: articles, categories: kb.categories, lexicon: nil, width: 1)
        #expect(parallel.documents == serial.documents)
        #expect(parallel.vocabulary.map { "\($0.0) \($0.1) \($0.2)" } == serial.vocabulary.map { "\($0.0) \($0.1) \($0.2)" })
        #expect(Set(parallel.forms.map { "\($0.0) \($0.1)" }) == Set(serial.forms.map { "\($0.0) \($0.1)" }))
    }
}

@Suite struct FoldingByTable {
    @Test func foldsAsTheWholeStringDefinitionDoes() {
        let pool: [Character] = ["A", "z", "Ł", "ł", "Ó", "ó", "Ż", "Ą", "ß", "İ", "Ø", "đ", "Ж", "Ї", "ї", "ё", "Ω", "ǅ", "é", "\u{0301}",
                                 "\u{0323}", "o\u{0308}", "1", " ", "😀", "日", "ﬁ", "Ⅻ", "ǰ", "ΐ"]
        var rng = SplitMix64(state: 11)
        for _ in 0..<3_000 {
            let s = String((0..<Int.random(in: 0...20, using: &rng)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] })
            #expect(TextFolding.fold(s) == TextFolding.foldOne(s), "\(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }
}
