// What the sync tests share: a hand-moved clock, a canned central server on loopback with one answer per
// route, a signed-feed maker, and an engine wired to them that is always shut down.
import Crypto
import Foundation
import KioskCore
import KioskProtocol
import KioskSync
import Testing

final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var t: Date
    init(_ start: Date = Date(timeIntervalSince1970: 1_780_000_000)) { t = start }
    var now: Date { lock.lock(); defer { lock.unlock() }; return t }
    func advance(_ s: TimeInterval) { lock.lock(); t += s; lock.unlock() }
    func set(_ d: Date) { lock.lock(); t = d; lock.unlock() }
}

final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var v: T
    init(_ v: T) { self.v = v }
    var value: T { get { lock.lock(); defer { lock.unlock() }; return v } set { lock.lock(); v = newValue; lock.unlock() } }
    func mutate(_ f: (inout T) -> Void) { lock.lock(); f(&v); lock.unlock() }
}

/// One canned answer per route of kiosk-central; a test replaces the ones it is about.
final class CannedCentral: @unchecked Sendable {
    typealias Route = @Sendable (LoopbackServer.Request) -> LoopbackServer.Reply
    private let lock = NSLock()
    private var routes: [String: Route] = [:]
    private var counter = 0

    init() {
        set("POST /open311/v2/requests.json") { [unowned self] _ in
            .json(201, #"[{"service_request_id":"S\#(self.next())"}]"#)
        }
        set("POST /kiosk/v1/heartbeat") { _ in .json(200, "{}") }
        set("GET /kiosk/v1/feed") { _ in .respond(status: 304, headers: [], body: Data()) }
        set("GET /open311/v2/requests.json") { _ in .json(200, "[]") }
    }

    func next() -> Int { lock.lock(); defer { lock.unlock() }; counter += 1; return counter }

    func set(_ key: String, _ route: @escaping Route) { lock.lock(); routes[key] = route; lock.unlock() }

    func handle(_ r: LoopbackServer.Request) -> LoopbackServer.Reply {
        lock.lock()
        let exact = routes["\(r.method) \(r.path)"]
        let prefix = routes.first { k, _ in k.hasSuffix("*") && "\(r.method) \(r.path)".hasPrefix(k.dropLast()) }?.value
        lock.unlock()
        return (exact ?? prefix)?(r) ?? .json(404, #"[{"code":404,"description":"no route \#(r.path)"}]"#)
    }
}

enum FeedMaker {
    static let signer = Curve25519.Signing.PrivateKey()

    static func payload(_ kind: FeedPayload.Kind = .snapshot, version: Int, since: Int? = nil, issued: Date,
                        life: TimeInterval = 7 * 86_400, articles: [String] = ["a1"], deleted: [String] = []) -> FeedPayload {
        let arts = "[" + articles.map { #"{"id":"\#($0)","title":"T \#($0)"}"# }.joined(separator: ",") + "]"
        return FeedPayload(kind: kind, version: version, since: since, issued: issued, expires: issued + life,
                           categories: Data("[]".utf8), articles: Data(arts.utf8), deletedArticles: deleted, services: nil)
    }

    static func signed(_ p: FeedPayload) -> Data {
        (try? SignedFeed.sign(p, with: signer)) ?? Data()
    }

    static func reply(_ p: FeedPayload, etag: String) -> LoopbackServer.Reply {
        .respond(status: 200, headers: [("Content-Type", SignedFeed.contentType), ("ETag", etag)], body: signed(p))
    }
}

struct Harness {
    let server: LoopbackServer
    let central: CannedCentral
    let store: MemorySyncStore
    let clock: TestClock
    let client: CentralClient
    let engine: SyncEngine
    let logs: Box<[String]>
    let jitter: Box<Double>

    var now: Date { clock.now }
}

/// Runs a test against a fresh canned server and engine; the HTTP client is shut down however the test ends.
func withHarness(feedKeys: [Curve25519.Signing.PublicKey] = [], serverURL: String? = nil,
                 settings tweak: (inout SyncSettings) -> Void = { _ in },
                 sleep: @escaping @Sendable (TimeInterval) async -> Void = { _ in },
                 _ body: (Harness) async throws -> Void) async throws {
    let central = CannedCentral()
    let server = try LoopbackServer { central.handle($0) }
    defer { server.close() }
    var settings = SyncSettings(serverURL: serverURL ?? server.url, apiKey: "k-123", kioskID: "lodz-piotrkowska-1",
                                softwareVersion: "1.2.3", feedPublicKeys: feedKeys, connectTimeout: 1, readTimeout: 1,
                                lookupTimeout: 2, nearbyTimeout: 2, backoffBase: 2, backoffCap: 60)
    tweak(&settings)
    let client = try CentralClient(settings: settings)
    let clock = TestClock()
    let store = MemorySyncStore()
    let logs = Box<[String]>([])
    let jitter = Box(1.0)
    let engine = SyncEngine(store: store, client: client, now: { clock.now }, sleep: sleep, jitter: { jitter.value },
                            printer: { ("fault", ["media-empty"]) }, databaseFolder: NSTemporaryDirectory(),
                            log: { line in logs.mutate { $0.append(line) } })
    let h = Harness(server: server, central: central, store: store, clock: clock, client: client, engine: engine,
                    logs: logs, jitter: jitter)
    do {
        try await body(h)
    } catch {
        await engine.stop()
        try? await client.shutdown()
        throw error
    }
    await engine.stop()
    try await client.shutdown()
}
