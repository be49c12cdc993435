import Foundation
import KioskCore
import KioskStore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

@Suite struct DemoServiceCatalogue {
    @Test func theDemoCoversEveryUnitInThreeLanguagesWithAllSixDatatypes() throws {
        let c = try ServiceCatalogFile.read(path: Assets.demoServices())
        #expect(c.services.count >= 24)
        // The eight municipal units of the city's agreement (domain.md), each with services of its own.
        #expect(Set(c.units.map(\.id)) == ["log", "mzz", "schronisko", "sm", "zdit", "zgo", "zlm", "zzm"])
        for u in c.units { #expect(c.services.filter { $0.unit == u.id }.count >= 2, "\(u.id)") }
        let types = Set(c.services.flatMap { $0.attributes.map(\.datatype) })
        #expect(types == Set(AttributeDatatype.allCases))
        for s in c.services {
            for text in [s.name, s.description] + s.attributes.map(\.description) + s.attributes.flatMap { $0.values.map(\.name) } {
                #expect(text.has(.en) && text.has(.uk), "\(s.code): \(text.pl) lacks a translation")
            }
        }
        // The report screen's first service asks the threat question and nothing else is required (the
        // contract files it with the description alone).
        let first = try #require(c.services.first)
        #expect(first.dangerous && !first.attributes.contains(where: \.required))
        #expect(c.services.contains { $0.dangerous && $0.code.contains("studzienka") })
    }

    @Test func aNewKioskListsTheDemoCatalogueInOpen311Shape() throws {
        // Through the real binary, as a city's scripts call it, on a database that does not exist yet.
        let dir = try tempDir()
        let (status, data) = try runKioskBinary(["--db", dir + "/k.sqlite", "services", "list", "--json"])
        #expect(status == 0)
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let services = try #require(json["services"] as? [[String: Any]])
        #expect(services.count >= 24)
        let attrs = services.flatMap { ($0["attributes"] as? [[String: Any]]) ?? [] }
        #expect(Set(attrs.compactMap { $0["datatype"] as? String }) == Set(AttributeDatatype.allCases.map(\.rawValue)))
        #expect(attrs.allSatisfy { $0["code"] is String && $0["required"] is Bool })
        #expect(services.first?["service_code"] as? String == "zzm-drzewo-zagrozenie")
    }

    @Test func aBrokenFileThroughTheCLIKeepsTheOldCatalogue() throws {
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try kiosk(["--db", db, "services", "import", try Assets.demoServices()])
        let bad = dir + "/bad.json"
        let text = try String(contentsOfFile: Assets.demoServices(), encoding: .utf8)
            .replacingOccurrences(of: #""datatype": "number""#, with: #""datatype": "integer""#)
        try text.write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            try kiosk(["--db", db, "services", "import", bad])
            Issue.record("imported a bad datatype")
        } catch let e as ServiceCatalogError {
            #expect(e.serviceCode != nil && e.field?.hasSuffix(".datatype") == true, "\(e)")
        }
        #expect(try KioskStore(path: db).serviceCatalog().services.count >= 24)
    }
}

@Suite struct OutboxCommandLine {
    /// The Knowledge Base's pipeline over the catalogue: words as residents type them, without Polish letters,
    /// in other forms.
    @Test(arguments: [
        ("dziura w drodze", "zdit-dziura-jezdnia"), ("latarnia nie swieci", "zdit-latarnia-nie-swieci"),
        ("dziura w chodniku", "zdit-chodnik"), ("przepelniony kosz", "zgo-przepelnione"), ("wrak samochodu", "sm-porzucony-pojazd"),
        ("graffiti", "sm-graffiti"), ("otwarta studzienka", "zdit-studzienka"),
        ("powalone drzewo", "zzm-drzewo-zagrozenie"), ("smieci", nil), ("bezpanski pies", nil),
    ] as [(String, String?)])
    func residentsWordsFindTheService(query: String, expected: String?) throws {
        let (k, _) = try testKiosk()
        let hits = try k.store.searchServices(query)
        if query == "bezpanski pies" {
            // Both services say it in their name or keywords; the aggressive one asks the threat question.
            #expect(Set(hits.prefix(2).map(\.code)) == ["schronisko-agresywny-pies", "schronisko-bezpanskie"], "\(hits.map(\.code))")
        } else if let expected {
            #expect(hits.first?.code == expected, "\(query): \(hits.prefix(3).map(\.code))")
        } else {
            // "śmieci" is a word of several waste services: all of them, and nothing from other topics first.
            let codes = hits.map(\.code)
            #expect(codes.count >= 3 && codes.prefix(3).allSatisfy { $0.hasPrefix("zgo-") || $0.hasPrefix("sm-") }, "\(codes)")
        }
    }

    @Test func searchOffersToReportOnlyWhenAServiceMatchesEveryWord() throws {
        let (k, _) = try testKiosk()
        k.engine.send(.openTile(.search))
        k.engine.send(.field(.type("dziura w chodniku")))
        #expect(k.engine.state.search.outcome?.services.first?.code == "zdit-chodnik")
        #expect(k.engine.frame().target(id: ElementID.searchReportItem(0)) != nil)
        k.engine.send(.field(.clear(ElementID.searchQuery)))
        k.engine.send(.field(.type("dowód osobisty")))
        #expect(k.engine.state.search.outcome?.services == [])
        // Straight into the form at that service, and back returns to the search.
        k.engine.send(.field(.clear(ElementID.searchQuery)))
        k.engine.send(.field(.type("dziura w chodniku")))
        k.engine.send(.report(.start(service: "zdit-chodnik")))
        #expect(k.engine.state.screen == .reportLocation)
        #expect(k.engine.state.report.serviceCode == "zdit-chodnik")
        k.engine.send(.back)
        k.engine.send(.back)
        #expect(k.engine.state.screen == .search)
    }

    @Test func theOutboxListsTicketsWithoutPersonalData() throws {
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        let store = try KioskStore(path: db)
        let s = Submission(serviceCode: "zdit-dziura", location: .landmark("przy szkole"), description: "Dziura",
                           contact: ContactDetails(email: "jan.kowalski@example.pl", phone: "+48 600 100 200", wantsFeedback: true))
        let saved = try store.enqueueSubmission(s, kioskCode: "PT1", day: LocalDate(year: 2026, month: 12, day: 1)!)
        let (status, data) = try runKioskBinary(["--db", db, "outbox", "list", "--json"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(status == 0)
        let items = try #require((JSONSerialization.jsonObject(with: data) as? [String: Any])?["items"] as? [[String: Any]])
        #expect(items.count == 1 && items[0]["ticket"] as? String == saved.ticket.description && items[0]["state"] as? String == "queued")
        #expect(!text.contains("kowalski") && !text.contains("600 100") && !text.contains("szkole"))
    }
}

@Suite struct OutboxUnderKill {
    /// A ticket printed is a ticket saved: kill -9 at random moments while submissions are saved, then every
    /// ticket that was printed (shown) is there exactly once, and the database is sound.
    @Test func everyShownTicketSurvivesKillNineExactlyOnce() throws {
        let binary = try #require(kioskBinary(), "no kiosk executable beside the test bundle")
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        _ = try KioskStore(path: db)
        var shown: [String] = []
        var rng = SystemRandomNumberGenerator()
        let kills = 40 // scripts/bench-outbox-kill.sh runs more
        for _ in 0..<kills {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--db", db, "outbox", "fill", "--count", "100000"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 20_000...120_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            // A line cut by the kill was never fully shown.
            shown += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init).filter { TicketNumber.parse($0) != nil }
        }
        let store = try KioskStore(path: db)
        let saved = try store.outboxItems().map(\.ticket)
        #expect(Set(saved).count == saved.count, "a ticket saved twice")
        #expect(Set(shown).isSubset(of: Set(saved)), "\(Set(shown).subtracting(saved).count) shown tickets lost")
        #expect(try store.integrityCheck() == "ok")
        print("outbox under kill -9: \(kills) kills, \(shown.count) tickets shown, \(saved.count) saved, none lost or doubled")
    }
}

@Suite struct ServiceIndexUpgrade {
    /// A kiosk upgraded from the version before the service index (its catalogue imported, the index table
    /// new and empty) builds the index at start, so search finds services at once.
    @Test func anUpgradedKioskBuildsItsServiceIndex() throws {
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        // Its own database, closed before python3 touches it (a copy of an open one may lack its WAL).
        do { try fillServicesIfNew(try KioskStore(path: db), config: KioskConfig()) }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('DELETE FROM service_search'); c.execute('DELETE FROM service_form'); c.commit()", db]
        try python.run()
        python.waitUntilExit()
        try #require(python.terminationStatus == 0, "python3 could not empty the index")
        do {
            let before = try KioskStore(path: db)
            #expect(try before.serviceIndexIsMissing())
            #expect(try before.searchServices("dziura w drodze").isEmpty, "the upgraded database finds nothing yet")
        }
        let k = try buildKiosk(config: KioskConfig(), environment: KioskEnvironment(
            dbPath: db, size: portrait, clock: ManualClock(), measurer: FixedWidthMeasurer(), effects: .synchronous))
        #expect(try k.store.serviceIndexIsMissing() == false)
        // In the same process that read the empty index before building it (this once failed with "SQL logic error").
        #expect(try k.store.searchServices("dziura w drodze").first?.code == "zdit-dziura-jezdnia")
    }
}
