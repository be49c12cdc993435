// What the kiosk says at start about the files its config names, and what it does not read before the first frame.
import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// A kiosk's own ticket code and status page: only the demo's values are warned about.
func fieldConfig() -> KioskConfig {
    var c = KioskConfig()
    c.site.ticketCode = "AB7"
    c.site.statusPage = "https://uml.lodz.pl/zgloszenia/{ticket}"
    return c
}

@Suite struct StartChecksRules {
    @Test func aMissingDictionaryIsSaidWithTheKeyTheFilesAndTheFix() throws {
        var config = fieldConfig()
        config.dictionary = try tempDir() + "/pl_PL"
        config.file = "/etc/kiosk/kiosk.json"
        let problems = StartChecks.problems(config)
        #expect(problems.count == 1)
        let p = try #require(problems.first)
        #expect(p.key == "search.dictionary")
        #expect(p.problem.contains(config.dictionary + ".aff") && p.problem.contains(config.dictionary + ".dic"))
        #expect(p.problem.contains("hunspell-pl") && p.problem.contains("/etc/kiosk/kiosk.json"))
    }

    @Test func halfADictionaryIsAlsoMissing() throws {
        let base = try tempDir() + "/pl_PL"
        try "SET UTF-8\n".write(toFile: base + ".aff", atomically: true, encoding: .utf8)
        var config = fieldConfig()
        config.dictionary = base
        let problems = StartChecks.problems(config)
        #expect(problems.map(\.key) == ["search.dictionary"])
        #expect(problems.first?.problem.contains(base + ".dic") == true)
        #expect(problems.first?.problem.contains(base + ".aff") == false)
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/usr/share/hunspell/pl_PL.dic"), "needs hunspell-pl"))
    func theInstalledDictionaryIsNoProblem() {
        #expect(StartChecks.problems(fieldConfig()).isEmpty)
    }

    @Test func theDemosTicketCodeAndStatusPageAreSaidAtStart() throws {
        let problems = StartChecks.problems(KioskConfig())
        #expect(problems.contains { $0.key == "report.ticketCode" && $0.problem.contains("same ticket numbers") })
        #expect(problems.contains { $0.key == "report.statusPage" })
        var config = fieldConfig()
        config.streets = try tempDir() + "/missing-streets.txt"
        #expect(StartChecks.problems(config).map(\.key).contains("report.streets"))
    }

    @Test func aSynonymListThatCannotBeReadIsSaidAtStart() throws {
        var config = KioskConfig()
        config.synonyms = try tempDir() + "/missing-synonyms.txt"
        let problems = StartChecks.problems(config)
        #expect(problems.contains { $0.key == "search.synonyms" && $0.problem.contains(config.synonyms ?? "?") })
    }
}

@Suite struct LazySynonymRules {
    @Test func renderingReadsNoSynonymsAndTheFirstSearchDoes() throws {
        let file = try tempDir() + "/synonyms.txt"
        try "prawko, prawo jazdy\r\n".write(toFile: file, atomically: true, encoding: .utf8)
        var config = KioskConfig()
        config.synonyms = file
        let (k, clock) = try testKiosk(config: config)
        _ = k.engine.frame()
        try navigate(k, to: "article", category: nil, article: nil)
        _ = k.engine.frame()
        #expect(!k.synonymList.isLoaded, "the home and article screens need no synonyms")
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("tap nav.home\ntap home.search\ntype \"prawko\""))
        #expect(k.synonymList.isLoaded)
        #expect(k.synonyms.groups.isEmpty == false)
    }

    @Test func aSynonymListThatVanishedBeforeTheFirstSearchLeavesSearchWorking() throws {
        let file = try tempDir() + "/synonyms.txt"
        try "prawko, prawo jazdy\n".write(toFile: file, atomically: true, encoding: .utf8)
        var config = KioskConfig()
        config.synonyms = file
        let (k, clock) = try testKiosk(config: config)
        try FileManager.default.removeItem(atPath: file)
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("tap home.search\ntype \"zlobek\"\nexpect-text \"Zapisy dziecka do żłobka miejskiego\""))
        #expect(k.synonymList.isLoaded)
        #expect(throws: (any Error).self) { try k.synonymList.load() }
    }
}
