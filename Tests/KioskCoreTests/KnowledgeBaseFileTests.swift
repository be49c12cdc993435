import Foundation
import Testing
@testable import KioskCore

/// A valid one-article file as a JSON object, for tests to break one field at a time.
func validFile() -> [String: Any] {
    [
        "format": "lckm-kb/1",
        "categories": [["id": "odpady", "name": ["pl": "Odpady", "en": "Waste"]]],
        "articles": [[
            "id": "kb-1", "title": ["pl": "Deklaracja śmieciowa", "en": "Waste declaration"],
            "summary": ["pl": "Złóż deklarację.", "en": "File it."], "internal": false,
            "validFrom": "2024-01-01", "validTo": NSNull(), "writtenOn": "2023-12-01",
            "keywords": ["śmieci"], "categories": ["odpady"], "howTo": "1. Wypełnij.",
            "processingTime": "od ręki", "place": "ZGO, ul. Piotrkowska 175", "fees": "brak",
            "documents": "Do złożenia: deklaracja", "consultantInfo": "tel. wewn. 123", "unit": "Zarząd Gospodarowania Odpadami",
        ] as [String: Any]],
    ]
}

func parse(_ object: Any) throws -> KnowledgeBase {
    let data = try JSONSerialization.data(withJSONObject: object)
    return try KnowledgeBaseFile.parse(data, file: "kb.json")
}

func mutate(_ change: (inout [String: Any]) -> Void) -> [String: Any] {
    var file = validFile()
    var articles = file["articles"] as? [[String: Any]] ?? []
    change(&articles[0])
    file["articles"] = articles
    return file
}

func refusal(_ object: Any) -> KnowledgeBaseError? {
    do { _ = try parse(object); return nil } catch let e as KnowledgeBaseError { return e } catch { return nil }
}

@Suite struct KnowledgeBaseFileParsing {
    @Test func readsAValidFile() throws {
        let kb = try parse(validFile())
        #expect(kb.articles.count == 1)
        #expect(kb.articles[0].consultantInfo == "tel. wewn. 123")
        #expect(kb.categories[0].name[.en] == "Waste")
    }

    @Test func malformedJSONNamesTheFile() throws {
        do {
            _ = try KnowledgeBaseFile.parse(Data("{\"format\": \"lckm-kb/1\", ".utf8), file: "broken.json")
            Issue.record("accepted malformed JSON")
        } catch let e as KnowledgeBaseError {
            #expect(e.file == "broken.json")
            #expect(e.description.hasPrefix("broken.json: not valid JSON"))
        }
    }

    @Test func missingRequiredFieldNamesArticleAndField() {
        let e = refusal(mutate { $0["fees"] = nil })
        #expect(e?.articleID == "kb-1")
        #expect(e?.field == "fees")
        #expect(e?.description == "kb.json: article \"kb-1\", field \"fees\": missing (required)")
    }

    @Test func duplicateIDIsRefused() {
        var file = validFile()
        let a = (file["articles"] as? [[String: Any]])?[0] ?? [:]
        file["articles"] = [a, a]
        let e = refusal(file)
        #expect(e?.articleID == "kb-1")
        #expect(e?.field == "id")
        #expect(e?.problem.contains("duplicate") == true)
    }

    @Test func datesMustBeYYYYMMDD() {
        for bad: Any in ["2024-13-01", "01.02.2024", "2024-2-1", 20240101] {
            let e = refusal(mutate { $0["validFrom"] = bad })
            #expect(e?.field == "validFrom", "\(bad)")
            #expect(e?.problem.contains("YYYY-MM-DD") == true)
        }
    }

    @Test func validToBeforeValidFromIsRefused() {
        #expect(refusal(mutate { $0["validTo"] = "2023-01-01" })?.field == "validTo")
    }

    @Test func hostileInputIsRefusedWithAReason() {
        #expect(refusal(mutate { $0["internal"] = 1 })?.field == "internal")            // TAK/NIE must be a boolean
        #expect(refusal(mutate { $0["categories"] = ["nieznana"] })?.problem.contains("unknown category") == true)
        #expect(refusal(mutate { $0["categories"] = [] })?.field == "categories")
        #expect(refusal(mutate { $0["id"] = "../../etc/passwd" })?.field == "id")
        #expect(refusal(mutate { $0["howTo"] = "krok\u{0007}" })?.problem.contains("control") == true)
        #expect(refusal(mutate { $0["howTo"] = String(repeating: "ż", count: 40_000) })?.problem.contains("limit") == true)
        #expect(refusal(mutate { $0["handlers"] = (0..<51).map { "Osoba \($0)" } })?.field == "handlers")
        #expect(refusal(mutate { $0["title"] = ["en": "Only English"] })?.field == "title.pl")
        #expect(refusal(mutate { $0["keywords"] = [""] })?.field == "keywords")
        #expect(refusal(["format": "lckm-kb/2", "categories": [], "articles": []])?.field == "format")
        #expect(refusal([1, 2, 3]) != nil)
        #expect(refusal(["format": "lckm-kb/1", "articles": []])?.field == "categories")
    }

    @Test func fileSizeIsLimited() {
        var limits = KnowledgeBaseFile.Limits()
        limits.maxFileBytes = 100
        #expect(throws: KnowledgeBaseError.self) {
            try KnowledgeBaseFile.parse(Data(repeating: 32, count: 101), file: "big.json", limits: limits)
        }
    }
}

/// Articles are checked in parallel parts; what is reported is what a reading from the top meets first.
@Suite struct KnowledgeBaseParallelChecks {
    func many(_ n: Int, _ change: (Int, inout [String: Any]) -> Void) -> [String: Any] {
        var file = validFile()
        let one = (file["articles"] as? [[String: Any]] ?? [])[0]
        file["articles"] = (0..<n).map { i -> [String: Any] in
            var a = one
            a["id"] = "kb-\(i)"
            change(i, &a)
            return a
        }
        return file
    }

    @Test func aLargeFileReadsInOrder() throws {
        let kb = try parse(many(2_000) { _, _ in })
        #expect(kb.articles.map(\.id) == (0..<2_000).map { "kb-\($0)" })
    }

    @Test func theFirstProblemInTheFileIsTheOneReported() {
        // Errors in the second half and near the end: the earlier one wins whichever part finishes first.
        let e = refusal(many(2_000) { i, a in
            if i == 1_500 { a["fees"] = 7 }
            if i == 1_990 { a["howTo"] = NSNull() }
        })
        #expect(e?.articleID == "kb-1500" && e?.field == "fees")
        // A repeated id before a broken field in a later part.
        let d = refusal(many(2_000) { i, a in
            if i == 1_200 { a["id"] = "kb-3" }
            if i == 1_700 { a["fees"] = 7 }
        })
        #expect(d?.articleID == "kb-3" && d?.field == "id" && d?.problem.contains("duplicate") == true)
        // A broken field of the article that also repeats an id: the id is read first.
        let both = refusal(many(2_000) { i, a in
            if i == 1_800 { a["id"] = "kb-5"; a["fees"] = 7 }
        })
        #expect(both?.field == "id")
    }
}
