// SyncEngine pulling the signed Knowledge Base feed: 304, delta, snapshot after a gap, and every bad feed
// refused with the good one kept.
import Crypto
import Foundation
import KioskCore
import KioskProtocol
import KioskSync
import Testing

@Suite("Sync feed: only a signed, newer, unexpired feed replaces the Knowledge Base")
struct SyncFeedTests {
    let key = FeedMaker.signer.publicKey

    @Test("a snapshot is applied, then the next pull sends If-None-Match and a 304 changes nothing")
    func snapshotThen304() async throws {
        try await withHarness(feedKeys: [key]) { h in
            let issued = h.now
            h.central.set("GET /kiosk/v1/feed") { r in
                r.headers["if-none-match"] == "\"v1\"" ? .respond(status: 304, headers: [], body: Data())
                    : FeedMaker.reply(FeedMaker.payload(version: 1, issued: issued), etag: "\"v1\"")
            }
            let first = await h.engine.runRound()
            #expect(first.ok && first.feed == "snapshot version 1 applied")
            #expect(h.store.currentFeed == FeedState(version: 1, etag: "\"v1\"", expires: issued + 7 * 86_400))
            h.clock.advance(3600)
            let second = await h.engine.runRound()
            #expect(second.ok && second.feed.hasPrefix("unchanged"))
            let asks = h.server.received(path: "/kiosk/v1/feed")
            #expect(asks.map { $0.headers["if-none-match"] } == [nil, "\"v1\""])
            #expect(asks.map { $0.query["since"] } == [nil, "1"])
            #expect(asks.allSatisfy { $0.headers["authorization"] == "Bearer k-123" })
            #expect(h.store.appliedFeeds.count == 1)
        }
    }

    @Test("past half its validity the feed is asked for afresh, and an empty same-version delta renews it")
    func renewBeforeExpiry() async throws {
        try await withHarness(feedKeys: [key]) { h in
            let issued = h.now
            let version = Box(1)
            h.central.set("GET /kiosk/v1/feed") { r in
                if r.headers["if-none-match"] != nil { return .respond(status: 304, headers: [], body: Data()) }
                if r.query["since"] == "1" {
                    return FeedMaker.reply(FeedMaker.payload(.delta, version: 1, since: 1, issued: issued + 4 * 86_400, articles: []), etag: "\"v1b\"")
                }
                return FeedMaker.reply(FeedMaker.payload(version: version.value, issued: issued), etag: "\"v1\"")
            }
            _ = await h.engine.runRound()
            h.clock.advance(4 * 86_400)
            let r = await h.engine.runRound()
            #expect(r.ok && r.feed.contains("signature renewed"))
            #expect(h.server.received(path: "/kiosk/v1/feed").last?.headers["if-none-match"] == nil)
            #expect(h.store.currentFeed?.expires == issued + 11 * 86_400)
            #expect(h.store.appliedFeeds.count == 1 && h.store.refreshes.count == 1)
        }
    }

    @Test("a delta is applied on top of the version the kiosk has")
    func delta() async throws {
        try await withHarness(feedKeys: [key]) { h in
            h.store.setFeed(FeedState(version: 4, etag: "\"v4\"", expires: h.now + 86_400))
            let issued = h.now
            h.central.set("GET /kiosk/v1/feed") { r in
                r.query["since"] == "4" ? FeedMaker.reply(FeedMaker.payload(.delta, version: 5, since: 4, issued: issued,
                                                                           articles: ["a2"], deleted: ["a1"]), etag: "\"v5\"")
                    : .json(400, "[]")
            }
            let r = await h.engine.runRound()
            #expect(r.ok && r.feed == "delta version 5 applied")
            #expect(h.store.appliedFeeds.first?.deletedArticles == ["a1"])
            #expect(h.store.currentFeed?.version == 5)
        }
    }

    @Test("a delta for another version makes the kiosk ask for a full snapshot (since=0)")
    func gapThenSnapshot() async throws {
        try await withHarness(feedKeys: [key]) { h in
            h.store.setFeed(FeedState(version: 2, etag: nil, expires: h.now + 86_400))
            let issued = h.now
            h.central.set("GET /kiosk/v1/feed") { r in
                r.query["since"] == "0" ? FeedMaker.reply(FeedMaker.payload(version: 9, issued: issued), etag: "\"v9\"")
                    : FeedMaker.reply(FeedMaker.payload(.delta, version: 9, since: 8, issued: issued), etag: "\"v9d\"")
            }
            let r = await h.engine.runRound()
            #expect(r.ok && r.feed == "snapshot version 9 applied")
            #expect(h.server.received(path: "/kiosk/v1/feed").map { $0.query["since"] } == ["2", "0"])
            #expect(h.store.currentFeed == FeedState(version: 9, etag: "\"v9\"", expires: issued + 7 * 86_400))
        }
    }

    struct BadFeed: Sendable, CustomStringConvertible {
        var description: String
        var why: String
        var make: @Sendable (Date) -> Data
    }

    static let badFeeds: [BadFeed] = [
        BadFeed(description: "tampered payload", why: "changed on the way") { now in
            var obj = (try? JSONSerialization.jsonObject(with: FeedMaker.signed(FeedMaker.payload(version: 6, issued: now)))) as? [String: Any] ?? [:]
            let other = (try? FeedMaker.payload(version: 6, issued: now, articles: ["evil"]).encoded()) ?? Data()
            obj["payload"] = other.base64EncodedString()
            return (try? JSONSerialization.data(withJSONObject: obj)) ?? Data()
        },
        BadFeed(description: "replayed older version", why: "older than this kiosk's") { now in
            FeedMaker.signed(FeedMaker.payload(version: 2, issued: now))
        },
        BadFeed(description: "expired", why: "expired") { now in
            FeedMaker.signed(FeedMaker.payload(version: 6, issued: now - 10 * 86_400))
        },
        BadFeed(description: "signed by another key", why: "not the one in the config") { now in
            (try? SignedFeed.sign(FeedMaker.payload(version: 6, issued: now), with: Curve25519.Signing.PrivateKey())) ?? Data()
        },
        BadFeed(description: "unsigned HTML page", why: "not signed") { _ in Data("<html>maintenance</html>".utf8) },
    ]

    @Test("a bad feed is refused, logged with why, and the good Knowledge Base stays", arguments: badFeeds)
    func refused(_ bad: BadFeed) async throws {
        try await withHarness(feedKeys: [key]) { h in
            let good = FeedState(version: 5, etag: "\"v5\"", expires: h.now + 86_400)
            h.store.setFeed(good)
            let body = bad.make(h.now)
            h.central.set("GET /kiosk/v1/feed") { _ in .respond(status: 200, headers: [("ETag", "\"bad\"")], body: body) }
            let r = await h.engine.runRound()
            #expect(!r.ok && r.feed == "refused")
            #expect(r.problems.contains { $0.contains(bad.why) }, "\(r.problems)")
            #expect(h.logs.value.contains { $0.contains("stays") })
            #expect(h.store.currentFeed == good)
            #expect(h.store.appliedFeeds.isEmpty)
        }
    }

    @Test("a payload the store refuses leaves the old one and fails the round")
    func storeRefuses() async throws {
        try await withHarness(feedKeys: [key]) { h in
            let issued = h.now
            h.central.set("GET /kiosk/v1/feed") { _ in FeedMaker.reply(FeedMaker.payload(version: 1, issued: issued), etag: "\"v1\"") }
            h.store.failNextApply = "article a1: title missing"
            let r = await h.engine.runRound()
            #expect(!r.ok && r.problems.contains { $0.contains("title missing") })
            #expect(h.store.currentFeed == nil)
        }
    }

    @Test("no feed key configured: the feed is skipped as \"not configured\" and the round is fine")
    func notConfigured() async throws {
        try await withHarness { h in
            let r = await h.engine.runRound()
            #expect(r.ok && r.feed == "not configured")
            #expect(h.server.received(path: "/kiosk/v1/feed").isEmpty)
        }
    }

    @Test("the heartbeat carries the outbox, printer, disk and sync figures, and no personal data")
    func heartbeat() async throws {
        try await withHarness { h in
            h.store.file("T-1", created: h.now - 300)
            h.central.set("POST /open311/v2/requests.json") { _ in .json(503, "[]") }
            _ = await h.engine.runRound()
            let beat = try #require(h.server.received(path: Heartbeat.path).last)
            #expect(beat.headers["authorization"] == "Bearer k-123")
            let hb = try Heartbeat.decode(beat.body)
            #expect(hb.kioskID == "lodz-piotrkowska-1" && hb.softwareVersion == "1.2.3")
            #expect(hb.outboxDepth == 1 && hb.oldestQueuedSeconds == 300)
            #expect(hb.printerState == "fault" && hb.printerReasons == ["media-empty"])
            #expect((hb.freeDiskBytes ?? 0) > 0)
            #expect(!String(decoding: beat.body, as: UTF8.self).contains("jan@example.pl"))
        }
    }

    @Test("a failed heartbeat fails the round; the round is recorded either way")
    func heartbeatFailure() async throws {
        try await withHarness { h in
            h.central.set("POST /kiosk/v1/heartbeat") { _ in .json(500, "[]") }
            let r = await h.engine.runRound()
            #expect(!r.ok && r.problems.contains { $0.hasPrefix("heartbeat") })
            #expect(h.store.allRounds == [r])
        }
    }
}
