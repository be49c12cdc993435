// What a resident waits for: the ticket lookup in every state of the ticket and the server, the duplicate
// step's nearby requests, and the background loop that must never hold anyone up.
import Foundation
import KioskCore
import KioskProtocol
import KioskSync
import Testing

@Suite("Ticket lookup: the server's word when it answers, exactly what the kiosk knows when not")
struct SyncLookupTests {
    static let request = #"[{"service_request_id":"S7","status":"open","status_notes":"Ekipa wyjedzie w czwartek.","service_code":"pothole","requested_datetime":"2026-05-20T10:00:00+02:00"}]"#

    @Test("saved but not sent, and refused: answered from the kiosk without asking the server")
    func localStates() async throws {
        try await withHarness { h in
            let created = h.now
            h.store.file("T-1", created: created)
            h.store.file("T-2", created: created)
            try h.store.markRefused(ticket: "T-2", status: 400, message: "no", at: created)
            #expect(await h.engine.lookup(ticket: " T-1 ") == .savedNotSent(ticket: "T-1", created: created))
            #expect(await h.engine.lookup(ticket: "T-2") == .refused(ticket: "T-2"))
            #expect(h.server.received.isEmpty)
        }
    }

    @Test("sent with an id: the server's status and the unit's note")
    func sentWithID() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            try h.store.setSent("T-1", id: "S7", token: nil, at: h.now)
            h.central.set("GET /open311/v2/requests/S7.json") { _ in .json(200, Self.request) }
            guard case let .server(s) = await h.engine.lookup(ticket: "T-1") else { Issue.record("no server answer"); return }
            #expect(s.serviceRequestID == "S7" && s.ticket == "T-1" && s.status == "open")
            #expect(s.statusNotes == "Ekipa wyjedzie w czwartek.")
            #expect(s.requested == Open311Date.parse("2026-05-20T08:00:00Z"))
        }
    }

    @Test("sent with a token only: resolved on the way, then asked by id")
    func sentWithToken() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            try h.store.setSent("T-1", id: nil, token: "tok", at: h.now)
            h.central.set("GET /open311/v2/tokens/tok.json") { _ in .json(200, #"[{"service_request_id":"S7","token":"tok"}]"#) }
            h.central.set("GET /open311/v2/requests/S7.json") { _ in .json(200, Self.request) }
            guard case .server = await h.engine.lookup(ticket: "T-1") else { Issue.record("no server answer"); return }
            #expect(h.store.item("T-1")?.serviceRequestID == "S7")
        }
    }

    @Test("sent, server down or hanging: \"sent, status unknown\" within the resident's patience")
    func sentServerDown() async throws {
        let dead = try LoopbackServer.deadPort()
        try await withHarness(serverURL: "http://127.0.0.1:\(dead)") { h in
            let sent = h.now
            h.store.file("T-1", created: sent)
            try h.store.setSent("T-1", id: "S7", token: nil, at: sent)
            #expect(await h.engine.lookup(ticket: "T-1") == .sentStatusUnknown(ticket: "T-1", sent: sent))
        }
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            try h.store.setSent("T-1", id: "S7", token: nil, at: h.now)
            // The server would hang 120 s; the lookup's own deadline (2 s here, at most 4) must end it. The bound is
            // loose because the whole `swift test` run starves the cooperative pool (up to 42 s measured); alone it takes 2.0 s.
            h.central.set("GET *") { _ in .hang(120) }
            let started = Date()
            guard case .sentStatusUnknown = await h.engine.lookup(ticket: "T-1") else { Issue.record("wrong answer"); return }
            #expect(Date().timeIntervalSince(started) < 100, "the lookup deadline ended the wait, not the server")
        }
    }

    @Test("not filed here: the server's ticket endpoint, 404 as not found, down as unreachable")
    func notLocal() async throws {
        try await withHarness { h in
            h.central.set("GET /kiosk/v1/tickets/ŁDZ-42") { r in
                r.headers["authorization"] == "Bearer k-123" ? .json(200, Self.request) : .json(403, "[]")
            }
            guard case let .server(s) = await h.engine.lookup(ticket: "ŁDZ-42") else { Issue.record("no server answer"); return }
            #expect(s.ticket == "ŁDZ-42" && s.serviceRequestID == "S7")
            #expect(await h.engine.lookup(ticket: "NOPE-1") == .notFound(ticket: "NOPE-1"))
        }
        let dead = try LoopbackServer.deadPort()
        try await withHarness(serverURL: "http://127.0.0.1:\(dead)") { h in
            #expect(await h.engine.lookup(ticket: "X-1") == .unreachable(ticket: "X-1"))
        }
    }
}

@Suite("Nearby requests for the duplicate step: filtered by the kiosk, empty on any failure")
struct SyncNearbyTests {
    static let answer = """
    [{"service_request_id":"near","status":"open","service_code":"pothole","lat":51.7592,"long":19.4560,"address":"Piotrkowska 104, Łódź"},
     {"service_request_id":"far","status":"open","service_code":"pothole","lat":51.7800,"long":19.4560},
     {"service_request_id":"closed","status":"closed","service_code":"pothole","lat":51.7592,"long":19.4560},
     {"service_request_id":"other","status":"open","service_code":"graffiti","lat":51.7592,"long":19.4560},
     {"service_request_id":"sameaddress","status":"open","service_code":"pothole","address":"ul. Piotrkowska 104"},
     {"service_request_id":"number10","status":"open","service_code":"pothole","address":"ul. Piotrkowska 10, Łódź"},
     {"token":"only-a-token","status":"open","service_code":"pothole"}]
    """

    @Test("at the kiosk: asks by service, status and radius, and filters by distance itself")
    func byCoordinates() async throws {
        try await withHarness { h in
            h.central.set("GET /open311/v2/requests.json") { _ in .json(200, Self.answer) }
            let found = await h.engine.nearby(NearbyQuery(serviceCode: "pothole",
                                                          location: .kiosk(address: "Piotrkowska 104", latitude: 51.7595, longitude: 19.4562)))
            #expect(found.map(\.serviceRequestID) == ["near", "sameaddress"])
            let q = try #require(h.server.received(path: "/open311/v2/requests.json").first).query
            #expect(q["service_code"] == "pothole" && q["status"] == "open" && q["radius"] == "150")
            #expect(q["lat"] == "51.7595" && q["long"] == "19.4562")
        }
    }

    @Test("a street address is compared as words, house numbers exactly")
    func byStreet() async throws {
        try await withHarness { h in
            h.central.set("GET /open311/v2/requests.json") { _ in .json(200, Self.answer) }
            let found = await h.engine.nearby(NearbyQuery(serviceCode: "pothole", location: .street(name: "Piotrkowska", number: "104")))
            #expect(found.map(\.serviceRequestID) == ["near", "sameaddress"])
            let ten = await h.engine.nearby(NearbyQuery(serviceCode: "pothole", location: .street(name: "PIOTRKOWSKA", number: "10")))
            #expect(ten.map(\.serviceRequestID) == ["number10"])
        }
    }

    @Test("server down, hanging or answering garbage: nothing, quickly")
    func failures() async throws {
        let q = NearbyQuery(serviceCode: "pothole", location: .street(name: "Piotrkowska", number: "104"))
        let dead = try LoopbackServer.deadPort()
        try await withHarness(serverURL: "http://127.0.0.1:\(dead)") { h in #expect(await h.engine.nearby(q).isEmpty) }
        try await withHarness { h in
            h.central.set("GET /open311/v2/requests.json") { _ in .hang(120) }
            let started = Date()
            #expect(await h.engine.nearby(q).isEmpty)
            #expect(Date().timeIntervalSince(started) < 100, "the nearby deadline ended the wait, not the server")
            h.central.set("GET /open311/v2/requests.json") { _ in .json(200, "<html>login</html>") }
            #expect(await h.engine.nearby(q).isEmpty)
        }
    }
}

@Suite("The background loop: rounds on a timer, at once on a nudge, never blocking")
struct SyncLoopTests {
    @Test("start runs a round, nudge runs another at once, stop ends the loop")
    func startNudgeStop() async throws {
        try await withHarness(settings: { $0.roundInterval = 3_600 },
                              sleep: { try? await Task.sleep(nanoseconds: UInt64($0 * 1e9)) }) { h in
            h.engine.start()
            try await waitUntil(timeout: 300) { h.server.received(path: Heartbeat.path).count == 1 }
            h.store.file("T-1", created: h.now)
            h.engine.nudge()
            // The interval is an hour: only the nudge can have started this round.
            try await waitUntil(timeout: 300) { h.store.item("T-1")?.state == .sent && h.server.received(path: Heartbeat.path).count == 2 }
            let started = Date()
            await h.engine.stop()
            // The loop sleeps an hour between rounds: stopping must cut that sleep. The bound tells the two apart;
            // a full run on two busy cores has taken 11 s to schedule the stop, so it is not a speed limit.
            #expect(Date().timeIntervalSince(started) < 300, "stop waited for the round interval")
            let heartbeats = h.server.received(path: Heartbeat.path).count
            try await Task.sleep(nanoseconds: 200_000_000)
            #expect(h.server.received(path: Heartbeat.path).count == heartbeats, "no round after stop")
        }
    }

    @Test("after a failed round the loop waits by its own backoff, not the normal interval")
    func loopBackoff() async throws {
        let waits = Box<[TimeInterval]>([])
        try await withHarness(settings: { $0.roundInterval = 60; $0.backoffBase = 2; $0.backoffCap = 30 },
                              sleep: { t in waits.mutate { $0.append(t) }; try? await Task.sleep(nanoseconds: 20_000_000) }) { h in
            h.central.set("POST /kiosk/v1/heartbeat") { _ in .json(503, "[]") }
            h.engine.start()
            try await waitUntil(timeout: 300) { waits.value.count >= 6 }
            await h.engine.stop()
            #expect(Array(waits.value.prefix(6)) == [2, 4, 8, 16, 30, 30])
            h.central.set("POST /kiosk/v1/heartbeat") { _ in .json(200, "{}") }
            let ok = await h.engine.runRound()
            #expect(ok.ok)
            #expect(await h.engine.nextPause(after: ok) == 60)
        }
    }
}

func waitUntil(timeout: TimeInterval = 5, _ condition: @Sendable () -> Bool) async throws {
    let deadline = Date() + timeout
    while !condition() {
        guard Date() < deadline else { Issue.record("condition not met within \(timeout) s"); return }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
}
