// The kiosk-central command line through the built binary, as a technician's scripts call it.
import Foundation
import KioskCentral
import Testing

@Suite struct CommandLineTests {
    func tempDB() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kc-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir + "/c.sqlite"
    }

    @Test func keysAddPrintsTheKeyAloneAndKeepsOnlyItsHash() throws {
        let db = try tempDB()
        let r = try runCentral(["keys", "add", "--db", db, "lodz-demo-01"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "stdout is the key and a newline: \(r.stdout)")
        let key = String(lines[0])
        #expect(key.count == 43 && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        let store = try SQLiteCentralStore(path: db)
        #expect(try store.kiosk(forKeyHash: CentralKeys.hash(key)) == "lodz-demo-01")
        let raw = try #require(FileManager.default.contents(atPath: db))
        #expect(raw.range(of: Data(key.utf8)) == nil, "the key itself is in the database file")
        let list = try runCentral(["keys", "list", "--db", db])
        #expect(list.stdout.contains("lodz-demo-01") && !list.stdout.contains(key))
        let bad = try runCentral(["keys", "add", "--db", db, "bad id!"])
        #expect(bad.status != 0)
        // A staff key is printed alone too, opens the fleet view and is no kiosk's.
        let staff = try runCentral(["keys", "add", "--db", db, "--staff", "jan.kowalski"])
        let staffKey = staff.stdout.trimmingCharacters(in: .newlines)
        #expect(staff.status == 0 && staffKey.count == 43, "\(staff.stderr)")
        // A store opened anew: reading the file above closed a descriptor of it, which drops this process's
        // POSIX locks on it, so the older store's view of the WAL is not to be trusted (SQLite's documented caveat).
        let after = try SQLiteCentralStore(path: db)
        #expect(try after.staff(forKeyHash: CentralKeys.hash(staffKey)) == "jan.kowalski")
        #expect(try after.kiosk(forKeyHash: CentralKeys.hash(staffKey)) == nil)
        #expect(try after.staff(forKeyHash: CentralKeys.hash(key)) == nil)
        #expect(try runCentral(["keys", "list", "--db", db]).stdout.contains("jan.kowalski\tstaff"))
    }

    @Test func setStatusChangesTheStatusAndNoteResidentsSee() throws {
        let db = try tempDB()
        let store = try openCentralStore(path: db)
        let req = NewServiceRequest(serviceCode: "zgo-przepelnione", serviceName: "Kosz", agency: "ZGO", serviceNotice: "n",
                                    description: nil, address: "Piotrkowska 1", addressID: nil, zipcode: nil, lat: nil, long: nil,
                                    mediaURL: nil, email: nil, phone: nil, firstName: nil, lastName: nil, deviceID: nil,
                                    kioskID: "k", ticket: "K01-T", attributes: [:], requested: Date())
        let id = try store.fileRequest(req, idempotencyKey: nil, payloadHash: "", useToken: false).serviceRequestID
        let r = try runCentral(["requests", "set-status", "--db", db, id, "closed", "--note", "Naprawiono, dziękujemy"])
        #expect(r.status == 0, "\(r.stderr)")
        let got = try #require(try store.request(id: id))
        #expect(got.status == "closed" && got.statusNotes == "Naprawiono, dziękujemy")
        #expect(got.updated >= got.requested)
        #expect(try runCentral(["requests", "set-status", "--db", db, "K01-T", "open", "--note", "Ponownie"]).status == 0)
        #expect(try store.request(id: id)?.status == "open")
        #expect(try runCentral(["requests", "set-status", "--db", db, id, "pending"]).status != 0)
        let missing = try runCentral(["requests", "set-status", "--db", db, "99999", "closed", "--note", "x"])
        #expect(missing.status == 1 && missing.stderr.contains("99999"))
        #expect(try runCentral(["requests", "list", "--db", db]).stdout.contains(id))
    }

    @Test func importErrorsAreOneLineNamingTheFileAndExitOne() throws {
        let db = try tempDB()
        let dir = (db as NSString).deletingLastPathComponent
        let broken = dir + "/broken-kb.json"
        try Data("{\"format\": \"lckm-kb/1\", \"categories\": [], \"articles\": []".utf8).write(to: URL(fileURLWithPath: broken))
        let r = try runCentral(["kb", "import", "--db", db, broken])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("broken-kb.json"), "\(r.stderr)")
        let wrong = dir + "/wrong-services.json"
        try Data("{\"format\": \"lckm-services/9\"}".utf8).write(to: URL(fileURLWithPath: wrong))
        let s = try runCentral(["services", "import", "--db", db, wrong])
        #expect(s.status == 1 && s.stderr.contains("wrong-services.json") && s.stderr.contains("format"), "\(s.stderr)")
        let missing = try runCentral(["kb", "import", "--db", db, dir + "/none.json"])
        #expect(missing.status == 1 && missing.stderr.contains("none.json"))
        // The bundled files import cleanly and, unchanged, make no new feed version.
        let again = try runCentral(["kb", "import", "--db", db, repoRoot + "/assets/kb/demo-kb.json"])
        #expect(again.status == 0 && again.stdout.contains("no change"), "\(again.stdout) \(again.stderr)")
        // The word forms table for kiosks is made from the system dictionary; one named and missing is an error.
        #expect(again.stdout.contains("word forms table of"), "\(again.stdout)")
        let noDictionary = try runCentral(["kb", "import", "--db", db, "--dictionary", dir + "/none/pl_PL", repoRoot + "/assets/kb/demo-kb.json"])
        #expect(noDictionary.status == 1 && noDictionary.stderr.contains("--dictionary"), "\(noDictionary.stderr)")
        let badSynonyms = dir + "/synonyms.txt"
        try Data("dowód = \u{0}\n".utf8).write(to: URL(fileURLWithPath: badSynonyms))
        let synonyms = try runCentral(["kb", "import", "--db", db, "--synonyms", badSynonyms, repoRoot + "/assets/kb/demo-kb.json"])
        #expect(synonyms.status == 1 && synonyms.stderr.contains("synonyms.txt"), "\(synonyms.stderr)")
    }

    @Test func feedKeyPrintsThe32BytePublicKeyAndDefaultsToTheEnvironmentsDatabase() throws {
        let db = try tempDB()
        let r = try runCentral(["feed-key"], env: ["KIOSK_CENTRAL_DB": db])
        #expect(r.status == 0, "\(r.stderr)")
        let raw = try #require(Data(base64Encoded: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(raw.count == 32)
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(try runCentral(["feed-key", "--db", db]).stdout == r.stdout)
    }

    @Test func serveAnswersAndStopsOnSIGTERM() throws {
        let db = try tempDB()
        let binary = try #require(centralBinary())
        let port = Int.random(in: 20_000...40_000)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["serve", "--db", db, "--port", "\(port)", "--quiet"]
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { if p.isRunning { p.terminate() } }
        var body: Data?
        for _ in 0..<100 {
            let r = try runProcess("/usr/bin/curl", ["-sf", "http://127.0.0.1:\(port)/open311/v2/services.json"])
            if r.status == 0 { body = Data(r.stdout.utf8); break }
            usleep(100_000)
        }
        let data = try #require(body)
        let list = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(!list.isEmpty)
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
    }
}
