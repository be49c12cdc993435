import Foundation
import Testing
import KioskCore
import KioskStore

/// The real kiosk and the real kiosk-central on loopback, as a city runs them: filed while the server is
/// down, delivered exactly once when it comes up, the staff's note read back on the ticket screen.
@Suite(.serialized) struct SyncEndToEnd {
    let fileScript = """
        expect-screen home
        tap home.report
        tap report.service.item.0
        tap report.threat.no
        tap report.location.here
        tap report.next
        tap report.description
        type "Pusty kosz przy przystanku nie był opróżniany od tygodnia."
        tap report.next
        tap report.contact.skip
        tap report.submit
        expect-screen ticket
        """

    @Test func aReportFiledOfflineReachesTheServerOnceAndItsStatusComesBack() throws {
        let kiosk = try #require(kioskBinary())
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let port = freePort()
        let url = "http://127.0.0.1:\(port)"
        try fileScript.write(toFile: dir + "/file.script", atomically: true, encoding: .utf8)

        let filed = try runBinary(kiosk, ["--db", db, "--server", url, "run", "--headless", "--script", dir + "/file.script", "--shots", dir])
        #expect(filed.status == 0, "\(filed.stderr)")
        let down = try runBinary(kiosk, ["--db", db, "--server", url, "sync", "now"])
        #expect(down.status == 1, "sync now must fail with no server: \(down.stdout)")
        #expect(down.stderr.contains(url), "\(down.stderr)")
        #expect(try KioskStore(path: db).outboxFigures().queued == 1)

        let central = try RunningCentral(db: dir + "/c.sqlite", port: port)
        defer { central.stop() }
        let central_ = try centralBinary()
        let key = try runBinary(central_, ["keys", "add", "--db", central.db, "lodz-demo-01"])
        #expect(key.status == 0, "\(key.stderr)")
        let apiKey = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!apiKey.isEmpty && !apiKey.contains(" "), "keys add prints the key alone: \(key.stdout)")

        // Without the key the server refuses, and the item stays queued (403 is not the item's fault).
        let first = try runBinary(kiosk, ["--db", db, "--server", url, "sync", "now"], env: ["KIOSK_API_KEY": apiKey])
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        let again = try runBinary(kiosk, ["--db", db, "--server", url, "sync", "now"], env: ["KIOSK_API_KEY": apiKey])
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")

        let listed = try httpGet("\(url)/open311/v2/requests.json")
        let requests = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
        #expect(requests.count == 1)
        let store = try KioskStore(path: db)
        let item = try #require(try store.outboxItems().first)
        #expect(item.state == .sent)
        let id = try #require(requests.first?["service_request_id"].map { "\($0)" })
        #expect(try store.localTicket(item.ticket)?.serviceRequestID == id)

        let status = try runBinary(central_, ["requests", "set-status", "--db", central.db, id, "closed", "--note", "Naprawiono, dziękujemy"])
        #expect(status.status == 0, "\(status.stderr)")
        let look = """
            expect-screen home
            tap home.ticket
            expect-screen ticket-lookup
            tap ticket-lookup.number
            type "\(item.ticket)"
            tap ticket-lookup.submit
            expect-text "Naprawiono, dziękujemy"
            """
        try look.write(toFile: dir + "/look.script", atomically: true, encoding: .utf8)
        let looked = try runBinary(kiosk, ["--db", db, "--server", url, "run", "--headless", "--script", dir + "/look.script", "--shots", dir],
                                   env: ["KIOSK_API_KEY": apiKey])
        #expect(looked.status == 0, "\(looked.stderr)")

        // With the server gone the kiosk says what it knows, and the ticket is still found.
        central.stop()
        let offline = look.replacingOccurrences(of: "expect-text \"Naprawiono, dziękujemy\"", with: "expect-screen ticket-lookup")
        try offline.write(toFile: dir + "/offline.script", atomically: true, encoding: .utf8)
        let off = try runBinary(kiosk, ["--db", db, "--server", url, "run", "--headless", "--script", dir + "/offline.script", "--shots", dir])
        #expect(off.status == 0, "\(off.stderr)")
    }

    @Test func theSignedFeedReplacesTheKnowledgeBaseAndAnUnchangedOneIsNotFetchedAgain() throws {
        let kiosk = try #require(kioskBinary())
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let central = try RunningCentral(db: dir + "/c.sqlite")
        defer { central.stop() }
        let c = try centralBinary()
        let apiKey = try runBinary(c, ["keys", "add", "--db", central.db, "lodz-demo-01"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let feedKey = try runBinary(c, ["feed-key", "--db", central.db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let config = dir + "/kiosk.json"
        try """
            {"kioskId": "lodz-demo-01", "server": {"url": "\(central.url)", "feedPublicKeys": ["\(feedKey)"]}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let env = ["KIOSK_API_KEY": apiKey]
        let one = try runBinary(kiosk, ["--db", db, "--config", config, "sync", "now"], env: env)
        #expect(one.status == 0, "\(one.stdout) \(one.stderr)")
        let applied = try #require(try KioskStore(path: db).feedState())
        #expect(applied.version > 0)
        let two = try runBinary(kiosk, ["--db", db, "--config", config, "sync", "now"], env: env)
        #expect(two.status == 0, "\(two.stdout) \(two.stderr)")
        #expect(try KioskStore(path: db).feedState()?.version == applied.version)

        // A kiosk that trusts another key refuses the feed and keeps its Knowledge Base.
        let stranger = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        try """
            {"kioskId": "lodz-demo-01", "server": {"url": "\(central.url)", "feedPublicKeys": ["\(stranger)"]}}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let other = dir + "/other.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: other)
        let refused = try runBinary(kiosk, ["--db", other, "--config", config, "sync", "now"], env: env)
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(try KioskStore(path: other).feedState() == nil)
        #expect(try KioskStore(path: other).isKnowledgeBaseEmpty() == false)
    }
}
