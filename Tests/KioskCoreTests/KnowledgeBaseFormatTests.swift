import Foundation
import Testing
@testable import KioskCore

/// What the Knowledge Base format refuses so residents never see a blank title or an empty kiosk,
/// and the article's public page address.
@Suite struct KnowledgeBaseFormatRules {
    /// Each draws nothing on screen, and none is whitespace to Swift's `isWhitespace`. (A lone U+FEFF
    /// does not survive Foundation's JSON round trip here, so it comes with another.)
    static let invisible = ["\u{200B}", "\u{3164}", "\u{2800}", "\u{FEFF}\u{200B}", "\u{2060}", "\u{200B}\u{200C}\u{200D}",
                            "\u{115F}\u{1160}", "\u{FFA0}", "\u{00AD}", "\u{180E}", "\u{034F}", "\u{E0020}", "\u{202E}\u{200F}",
                            " \u{200B}\u{00A0}\u{3000} ", "\u{FE0F}", "\u{0301}"]

    @Test func aTitleOfOnlyInvisibleCharactersIsRefusedInEveryLanguage() {
        for blank in Self.invisible {
            for (lang, title) in [("pl", ["pl": blank, "en": "Waste"]), ("en", ["pl": "Odpady", "en": blank]),
                                  ("uk", ["pl": "Odpady", "uk": blank])] {
                let e = refusal(mutate { $0["title"] = title })
                #expect(e?.articleID == "kb-1", "\(blank.unicodeScalars.map(\.value)) in \(lang)")
                #expect(e?.field == "title.\(lang)", "\(blank.unicodeScalars.map(\.value)) in \(lang)")
                #expect(e?.problem.contains("no visible characters") == true, "\(e?.description ?? "accepted")")
            }
            #expect(refusal(mutate { $0["title"] = blank })?.field == "title", "plain-string title")
        }
        let e = refusal(mutate { $0["title"] = ["pl": "\u{200B}\u{3164}"] })
        #expect(e?.description == "kb.json: article \"kb-1\", field \"title.pl\": has no visible characters, only U+200B U+3164; write the text in letters")
    }

    @Test func otherRequiredTextsAndCategoryNamesMustShowSomethingToo() {
        #expect(refusal(mutate { $0["howTo"] = "\u{200B}" })?.field == "howTo")
        #expect(refusal(mutate { $0["summary"] = ["pl": "Opis", "uk": "\u{2800}\u{2800}"] })?.field == "summary.uk")
        #expect(refusal(mutate { $0["keywords"] = ["śmieci", "\u{3164}"] })?.field == "keywords")
        var file = validFile()
        file["categories"] = [["id": "odpady", "name": ["pl": "Odpady", "uk": "\u{200B}"]]]
        let e = refusal(file)
        #expect(e?.field == "categories[0].name.uk", "\(e?.description ?? "accepted")")
    }

    @Test func visibleTitlesWithInvisibleCharactersInsideAreKept() throws {
        let kb = try parse(mutate {
            $0["title"] = ["pl": "Deklaracja\u{00AD}śmieciowa", "en": "Waste declaration", "uk": "Декларація щодо відходів"]
        })
        #expect(kb.articles[0].title.uk == "Декларація щодо відходів")
        #expect(kb.articles[0].title.pl == "Deklaracja\u{00AD}śmieciowa")
        #expect(!VisibleText.hasVisibleCharacters("\u{FEFF}"))
        #expect(VisibleText.hasVisibleCharacters("ą"))
        #expect(VisibleText.hasVisibleCharacters("😀"))
        #expect(VisibleText.hasVisibleCharacters("е\u{301}"))
    }

    // MARK: url

    @Test func theArticlesPublicPageIsReadAndReachesThePublicArticle() throws {
        let url = "https://uml.lodz.pl/dla-mieszkancow/odpady/deklaracja/?tab=1#krok-2"
        let kb = try parse(mutate { $0["url"] = url })
        #expect(kb.articles[0].url == url)
        #expect(kb.articles[0].publicVersion?.url == url)
        #expect(try parse(validFile()).articles[0].publicVersion?.url == nil) // optional
        #expect(try parse(mutate { $0["url"] = NSNull() }).articles[0].url == nil)
        #expect(try parse(mutate { $0["url"] = "" }).articles[0].url == nil) // an export's empty cell
        let longest = "https://uml.lodz.pl/" + String(repeating: "a", count: KnowledgeBaseFile.maxURLCharacters - 20)
        #expect(try parse(mutate { $0["url"] = longest }).articles[0].url == longest)
    }

    @Test func aPageAddressThatIsNotAPlainHttpsAddressIsRefused() {
        let hostile: [Any] = [
            "http://uml.lodz.pl/a", "javascript:alert(1)", "ftp://uml.lodz.pl/", "uml.lodz.pl/a", "//uml.lodz.pl/a",
            "https://uml.lodz.pl/a b", "https://uml.lodz.pl/a\tb", "https://uml.lodz.pl/a\nb", "https://uml.lodz.pl/\u{7}",
            "https://uml.lodz.pl/\u{85}", "https://uml.lodz.pl/\u{200B}", "https://uml.lodz.pl/\u{202E}lmth.exe",
            "https://uml.lodz.pl/" + String(repeating: "a", count: 1981), "https://uml.lodz.pl/łódź",
            "https://user:haslo@uml.lodz.pl/", "https://uml.lodz.pl@evil.example/", "https:///sciezka", "https://",
            "https://localhost/", "https://uml..lodz.pl/", "https://uml.lodz.pl./", "https://<script>.pl/", " ", 42,
            ["https://uml.lodz.pl/"], "https://uml.lodz.pl\\@evil.example/",
        ]
        for bad in hostile {
            let e = refusal(mutate { $0["url"] = bad })
            #expect(e?.articleID == "kb-1", "\(bad)")
            #expect(e?.field == "url", "\(bad): \(e?.description ?? "accepted")")
        }
        #expect(refusal(mutate { $0["url"] = "http://uml.lodz.pl/" })?.problem.contains("https") == true)
        #expect(refusal(mutate { $0["url"] = "https://uml.lodz.pl/łódź" })?.problem.contains("percent-encode") == true)
        // A space, tab, DEL or no-break space is named as such, in an ASCII address and in one with other letters.
        for spaced in ["https://uml.lodz.pl/a b", "https://uml.lodz.pl/a\tb", "https://uml.lodz.pl/a\u{7F}", "https://uml.lodz.pl/a\u{A0}b",
                       "https://uml.lodz.pl/ł\u{2028}", "https://uml.lodz.pl/\u{200B}"] {
            #expect(refusal(mutate { $0["url"] = spaced })?.problem.contains("space or control") == true, "\(spaced.debugDescription)")
        }
    }

    // MARK: empty public Knowledge Base

    @Test func aKnowledgeBaseWithoutPublicArticlesIsRefusedByName() throws {
        var file = validFile()
        file["articles"] = []
        let empty = try parse(file) // the format allows it; importing it is what is refused
        #expect(throws: KnowledgeBaseError.self) { try empty.requirePublicArticles(file: "kb.json") }
        let onlyInternal = try parse(mutate { $0["internal"] = true })
        do {
            try onlyInternal.requirePublicArticles(file: "kb.json")
            Issue.record("accepted a Knowledge Base residents would see nothing of")
        } catch let e as KnowledgeBaseError {
            #expect(e.description.hasPrefix("kb.json: field \"articles\": has only internal articles (1)"))
            #expect(e.problem.contains("--allow-empty"))
        }
        try parse(validFile()).requirePublicArticles(file: "kb.json")
    }
}

/// The bundled demo: every article links its page on the city's site, and has Ukrainian where it has English.
@Suite struct DemoKnowledgeBase {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../assets/kb/demo-kb.json").path

    @Test func everyArticleHasACityPageAddress() throws {
        let kb = try KnowledgeBaseFile.read(path: Self.path)
        #expect(kb.articles.count == 44)
        for a in kb.articles where !a.isInternal {
            let url = try #require(a.url, "\(a.id) has no url")
            #expect(url.hasPrefix("https://uml.lodz.pl/"), "\(a.id): \(url)")
        }
        let urls = kb.articles.compactMap(\.url)
        #expect(Set(urls).count == urls.count, "two articles link the same page")
    }

    @Test func everyEnglishTextHasAUkrainianOne() throws {
        let kb = try KnowledgeBaseFile.read(path: Self.path)
        func cyrillic(_ s: String?) -> Bool { s?.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) } ?? false }
        for c in kb.categories where c.name.has(.en) {
            #expect(cyrillic(c.name.uk), "category \(c.id)")
        }
        for a in kb.articles {
            if a.title.has(.en) { #expect(cyrillic(a.title.uk), "\(a.id) title") }
            if a.summary.has(.en) { #expect(cyrillic(a.summary.uk), "\(a.id) summary") }
        }
    }
}
