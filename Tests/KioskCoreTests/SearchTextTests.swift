import Foundation
import Testing
@testable import KioskCore

@Suite struct Folding {
    @Test func foldsPolishLettersIncludingL() {
        #expect(TextFolding.fold("Żłobek w Łodzi") == "zlobek w lodzi")
        #expect(TextFolding.fold("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż") == "acelnoszz acelnoszz")
        #expect(TextFolding.foldedWords("Łódź, ul. Piotrkowska 110!") == ["lodz", "ul", "piotrkowska", "110"])
    }

    @Test func queriesKeepNoSearchSyntax() {
        for hostile in ["\"", "*", "NEAR(", "AND", "-", ":", "OR OR", "(((", "title:x", "x\u{01}y", "\u{202E}abc", "😀 żółw"] {
            let q = SearchQuery(hostile)
            #expect(q.words.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber } }, "\(hostile) → \(q.words)")
        }
    }

    @Test func overLongQueriesAreCutAndSaySo() {
        let q = SearchQuery(String(repeating: "a", count: 10_000))
        #expect(q.wasCut)
        #expect(q.words.first?.count == SearchQuery.maxCharacters)
        #expect(!SearchQuery("dowód osobisty").wasCut)
    }

    @Test func stopWordsGoUnlessNothingElseIsLeft() {
        #expect(SearchQuery("jak wyrobić dowód w Łodzi").words == ["dowod", "lodzi"]) // "wyrobić" names no procedure
        #expect(SearchQuery("jak").words == ["jak"])
    }

    @Test func theWordBeingTypedIsAPrefix() {
        #expect(SearchQuery("zlob", partial: true).lastIsPartial)
        #expect(!SearchQuery("zlob ", partial: true).lastIsPartial)
        #expect(!SearchQuery("zlob", partial: false).lastIsPartial)
    }
}

@Suite struct EditDistance {
    func d(_ a: String, _ b: String) -> Int { editDistance(Array(a.utf8), Array(b.utf8), limit: 3) }

    @Test func countsSwapsAsOneEdit() {
        #expect(d("zameldowanei", "zameldowanie") == 1)
        #expect(d("dowud", "dowod") == 1)
        #expect(d("podatk", "podatek") == 1)
        #expect(d("kot", "kot") == 0)
        #expect(d("abc", "xyz") == 3)
        #expect(d("a", "abcdefgh") == 4) // beyond the limit: limit + 1
    }
}

@Suite struct SynonymList {
    @Test func parsesGroupsOfTerms() throws {
        let g = try SynonymGroups.parse("# komentarz\nśmieci, odpady komunalne\n\nprawko, prawo jazdy # potocznie\n", file: "s.txt")
        #expect(g.groups == [[["smieci"], ["odpady", "komunalne"]], [["prawko"], ["prawo", "jazdy"]]])
        #expect(g.wordsWithLetters.contains("śmieci"))
    }

    @Test func badLinesNameFileAndLine() {
        for bad in ["śmieci\n", "a,\n", ", b\n", String(repeating: "x", count: 1200)] {
            do {
                _ = try SynonymGroups.parse("ok, dobrze\n" + bad, file: "s.txt")
                Issue.record("accepted \(bad.prefix(20))")
            } catch let e as KnowledgeBaseError {
                #expect(e.file == "s.txt")
                #expect(e.field == "line 2")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func theShippedListHasEnoughGroups() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../kiosk-config/synonyms.txt").path
        let g = try SynonymGroups.read(path: path)
        #expect(g.groups.count >= 50)
    }
}

/// The Debian hunspell-pl dictionary, read by our affix engine.
@Suite struct PolishWordForms {
    static let base = "/usr/share/hunspell/pl_PL"
    static let dictionary: AffixDictionary? = try? AffixDictionary(base: base)

    @Test func findsBaseForms() throws {
        let d = try #require(Self.dictionary, "install hunspell-pl")
        #expect(d.lemmas(of: "psa").contains("pies"))
        #expect(d.lemmas(of: "żłobka").contains("żłobek"))
        #expect(d.lemmas(of: "łodzi").contains("łódź"))
        #expect(d.lemmas(of: "odpadów").contains("odpad"))
        #expect(d.lemmas(of: "xqzw").isEmpty)
    }

    @Test func listsEveryFormOfABaseForm() throws {
        let d = try #require(Self.dictionary, "install hunspell-pl")
        let forms = d.forms(of: "pies")
        #expect(forms.isSuperset(of: ["pies", "psa", "psu", "psem", "psy", "psów"]))
        #expect(d.forms(of: "żłobek").contains("żłobkach"))
    }

    @Test func aMissingDictionaryIsExplained() {
        #expect(throws: DictionaryError.self) { try AffixDictionary(base: "/nonexistent/pl_PL") }
    }
}
