import Foundation
import KioskCore
import KioskStore
import Testing
@testable import KioskApp

@Suite struct CommandLine_ {
    @Test func kbImportRefusesBadInputAndKeepsTheOldData() throws {
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        let demo = try Assets.demoKnowledgeBase()
        try kiosk(["--db", db, "kb", "import", demo])
        let day = WarsawTime.localDate(at: fixedDay)
        let before = try KioskStore(path: db).publicArticles(on: day).count
        #expect(before == 39) // 44 in the demo: two internal, two expired, one from 2027

        var json = try String(contentsOfFile: demo, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"validFrom\": \"", with: "\"validFrom\": \"x", options: [], range: json.range(of: "\"validFrom\": \""))
        let bad = dir + "/bad.json"
        try json.write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            try kiosk(["--db", db, "kb", "import", bad])
            Issue.record("imported a bad date")
        } catch let e as KnowledgeBaseError {
            #expect(e.file == bad)
            #expect(e.articleID != nil)
            #expect(e.field == "validFrom")
        }
        #expect(try KioskStore(path: db).publicArticles(on: day).count == before)
    }

    @Test func anImportWithNoArticlesIsRefusedUnlessAskedFor() throws {
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try kiosk(["--db", db, "kb", "import", try Assets.demoKnowledgeBase()])
        let empty = dir + "/empty.json"
        try #"{"format": "lckm-kb/1", "categories": [{"id": "drogi", "name": {"pl": "Drogi"}}], "articles": []}"#
            .write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(throws: (any Error).self) { try kiosk(["--db", db, "kb", "import", empty]) }
        #expect(try KioskStore(path: db).publicArticles(on: WarsawTime.localDate(at: fixedDay)).count == 39)
        try kiosk(["--db", db, "kb", "import", "--allow-empty", empty])
        #expect(try KioskStore(path: db).publicArticles(on: WarsawTime.localDate(at: fixedDay)).isEmpty)
        // Emptied on purpose, it stays empty at the next start: the demo does not come back.
        try fillIfEmpty(KioskStore(path: db), config: KioskConfig())
        #expect(try KioskStore(path: db).publicArticles(on: WarsawTime.localDate(at: fixedDay)).isEmpty)
    }

    @Test func aNewDatabaseIsFilledFromTheDemo() throws {
        let dir = try tempDir()
        let (k, _) = try testKiosk()
        #expect(try k.store.meta("source")?.hasSuffix("demo-kb.json") == true)
        #expect(try KioskStore(path: dir + "/new.sqlite").isKnowledgeBaseEmpty())
    }

    @Test func renderWritesAPNGOfTheRequestedSize() throws {
        let dir = try tempDir()
        setenv("SDL_VIDEODRIVER", "dummy", 1)
        try kiosk(["--db", dir + "/k.sqlite", "render", "--screen", "article", "--lang", "en", "--size", "1920x1080", "--out", dir + "/a.png"])
        let data = try #require(FileManager.default.contents(atPath: dir + "/a.png"))
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let w = data[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = data[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect((w, h) == (1920, 1080))
    }
}

@Suite struct ConfigFiles {
    func load(_ text: String) throws -> KioskConfig {
        let path = try tempDir() + "/kiosk.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try KioskConfig.load(path: path)
    }

    func problem(_ text: String) -> ConfigError? {
        do { _ = try load(text); return nil } catch let e as ConfigError { return e } catch { return nil }
    }

    @Test func theShippedConfigIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../kiosk-config/kiosk.json").path
        let c = try KioskConfig.load(path: path)
        #expect(c.knowledgeBaseSource == "demo")
    }

    @Test func errorsNameTheKeyAndWhatIsExpected() {
        #expect(problem("{\"idle\": {\"warnAfterSeconds\": \"soon\"}}")?.key == "idle.warnAfterSeconds")
        #expect(problem("{\"idle\": {\"warnAfterSeconds\": 1}}")?.problem.contains("from 10 to 3600") == true)
        #expect(problem("{\"display\": {\"size\": \"big\"}}")?.key == "display.size")
        #expect(problem("{\"dispaly\": {}}")?.key == "dispaly")
        #expect(problem("{\"display\": {\"fullscreen\": 1}}")?.key == "display.fullscreen")
        #expect(problem("{\"kioskId\": \"../x\"}")?.key == "kioskId")
        #expect(problem("{\"idle\": ")?.problem.contains("not valid JSON") == true)
        #expect(problem("[]")?.problem.contains("top level") == true)
    }

    @Test func reportAndPrinterSettingsAreCheckedByName() throws {
        #expect(problem(#"{"report": {"ticketCode": "PO1"}}"#)?.key == "report.ticketCode", "O reads like 0")
        #expect(problem(#"{"report": {"ticketCode": "ABCDE"}}"#)?.key == "report.ticketCode")
        #expect(problem(#"{"report": {"statusPage": "https://uml.lodz.pl/zgloszenia"}}"#)?.problem.contains("{ticket}") == true)
        #expect(problem(#"{"report": {"statusPage": "javascript:alert(1)//{ticket}"}}"#)?.key == "report.statusPage")
        #expect(problem(#"{"report": {"latitude": 91}}"#)?.key == "report.latitude")
        #expect(problem(#"{"report": {"address": "\#(String(repeating: "x", count: 201))"}}"#)?.key == "report.address")
        #expect(problem(#"{"report": {"ticketcode": "PT1"}}"#)?.key == "report.ticketcode")
        #expect(problem(#"{"printer": {"queue": "a b"}}"#)?.key == "printer.queue")
        #expect(problem(#"{"printer": {"queue": "../../etc"}}"#)?.key == "printer.queue")
        #expect(problem(#"{"printer": {"kind": "laser"}}"#)?.problem.contains("escpos80") == true)
        #expect(problem(#"{"printer": {"jobTimeoutSeconds": 0}}"#)?.key == "printer.jobTimeoutSeconds")
        let c = try load(#"{"report": {"ticketCode": "PT7", "address": "ul. Zachodnia 47"}, "printer": {"queue": "receipt58", "kind": "escpos58"}}"#)
        #expect(c.site.ticketCode == "PT7" && c.site.address == "ul. Zachodnia 47")
        #expect(c.site.hasPrinter && c.printerSettings?.kind == .escpos58)
        #expect(try load("{}").printerSettings == nil && !(try load("{}").site.hasPrinter))
    }

    @Test func anUnreadableConfigNamesTheFile() {
        do {
            _ = try KioskConfig.load(path: "/nonexistent/kiosk.json")
            Issue.record("read a missing file")
        } catch let e as ConfigError {
            #expect(e.description.hasPrefix("/nonexistent/kiosk.json: cannot read"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
