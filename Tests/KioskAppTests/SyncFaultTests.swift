import Foundation
import Testing
import KioskCore
import KioskStore
import KioskSync
import KioskTesting
@testable import KioskApp

/// Submissions pushed through a proxy that breaks the network between the real kiosk sync and the real
/// kiosk-central (refused connections, 503, hangs, answers dropped after the server committed, slow and
/// truncated answers): once the faults stop, the server holds exactly one request per submission and the
/// outbox is empty. CI runs 200; `scripts/bench-sync-faults.sh` runs 1,000 and more.
@Suite(.serialized) struct SyncUnderFaults {
    static var count: Int { Int(ProcessInfo.processInfo.environment["KIOSK_FAULT_SUBMISSIONS"] ?? "") ?? 200 }

    @Test func everySubmissionReachesTheServerExactlyOnce() async throws {
        let n = Self.count
        let dir = try tempDir()
        let central = try RunningCentral(db: dir + "/c.sqlite")
        defer { central.stop() }
        let key = try runBinary(try centralBinary(), ["keys", "add", "--db", central.db, "lodz-demo-01"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let seed = UInt64(ProcessInfo.processInfo.environment["KIOSK_FAULT_SEED"] ?? "") ?? 20261202
        let proxy = try FaultProxy(upstreamPort: central.port,
                                   mix: .faulty(seed: seed, rate: 0.3, hangSeconds: 0.8, slowBytesPerSecond: 50_000))
        defer { proxy.stop() }

        let store = try KioskStore(path: dir + "/k.sqlite")
        let day = WarsawTime.localDate(at: Date())
        var tickets: [String] = []
        for i in 0..<n {
            let s = Submission(serviceCode: "zzm-drzewo-zagrozenie", location: .street(name: "ul. Piotrkowska", number: "\(i + 1)"),
                               description: "Złamany konar nad chodnikiem, zgłoszenie \(i).")
            tickets.append(try store.enqueueSubmission(s, kioskCode: "PT1", day: day).ticket.description)
        }
        let settings = SyncSettings(serverURL: proxy.baseURL, apiKey: key, kioskID: "lodz-demo-01", softwareVersion: KioskVersion.current,
                                    connectTimeout: 1, readTimeout: 0.5, backoffBase: 0.001, backoffCap: 0.01)
        let link = try KioskSyncLink(settings: settings, store: store, config: KioskConfig())

        // Under faults: rounds until the outbox is empty or enough rounds have passed for every fault kind.
        var rounds = 0
        while try store.outboxFigures().queued > 0, rounds < 20 * n {
            _ = await link.engine.runRound(ignoringBackoff: true)
            rounds += 1
        }
        let faulted = proxy.requests
        proxy.mix = .passAll
        var calm = 0
        while try store.outboxFigures().queued > 0, calm < 20 {
            _ = await link.engine.runRound(ignoringBackoff: true)
            calm += 1
        }

        await link.shutdownAsync()
        let figures = try store.outboxFigures()
        #expect(figures.queued == 0 && figures.refused == 0 && figures.sent == n, "\(figures)")
        for kind in Fault.Kind.allCases { #expect(proxy.count(kind) > 0, "no \(kind) fault was applied") }

        // The server's view, straight from its requests: one per ticket, none twice.
        let listed = try httpGet("\(central.url)/open311/v2/requests.json?start_date=2000-01-01T00:00:00Z")
        let rows = try #require(try JSONSerialization.jsonObject(with: listed.body) as? [[String: Any]])
        let serverTickets = rows.compactMap { ($0["kiosk_ticket"] ?? $0["ticket"]) as? String }
        #expect(rows.count == n, "server holds \(rows.count) requests for \(n) submissions")
        #expect(Set(serverTickets) == Set(tickets) && serverTickets.count == n)
        let ids = try tickets.map { try #require(try store.localTicket($0)?.serviceRequestID) }
        #expect(Set(ids).count == n)
        print("SyncUnderFaults: \(n) submissions, \(rounds) rounds under faults (\(faulted) requests: \(proxy.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))), \(calm) calm rounds, server rows \(rows.count)")
    }
}
