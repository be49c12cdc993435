// Our additions for kiosks: the signed Knowledge Base and catalogue feed (snapshot or delta, ETag / 304) and
// ticket status by kiosk ticket number. Both take the kiosk's key as `Authorization: Bearer KEY`.
import Crypto
import Foundation
import Hummingbird
import KioskProtocol

enum FeedRoutes {
    static func add(to router: Router<BasicRequestContext>, _ c: Central) {
        router.get(RouterPath(KioskAPI.feedPath)) { request, _ in try await feed(request, c) }
        router.get(RouterPath(KioskAPI.ticketsPath + "/:ticket")) { request, context in
            _ = try Incoming.kiosk(request, c)
            let ticket = context.parameters.get("ticket") ?? ""
            guard let r = try c.store.request(ticket: ticket) else {
                throw Open311Error(code: 404, description: "ticket \"\(ticket.prefix(40))\" is not known to this server")
            }
            return Respond.list([Open311Nodes.request(r)], root: "service_requests", item: "request", format: .json)
        }
    }

    /// The ETag names the version the kiosk holds after applying the answer.
    static func etag(_ version: Int) -> String { "\"lckm-feed-\(version)\"" }

    static func feed(_ request: Request, _ c: Central) async throws -> Response {
        _ = try Incoming.kiosk(request, c)
        let q = Incoming.lastValues(try Incoming.queryFields(request))
        var since: Int?
        if let s = q["since"], !s.isEmpty {
            guard let n = Int(s), n >= 0 else { throw Open311Error(code: 400, description: "since: \"\(s.prefix(20))\" is not a feed version") }
            since = n
        }
        let version = try c.store.feedVersion()
        let tag = etag(version)
        if let inm = request.headers[.ifNoneMatch],
           inm.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag || $0.trimmingCharacters(in: .whitespaces) == "*" }) {
            return Response(status: .notModified, headers: [.eTag: tag])
        }
        let signed: SignedAnswer
        if since == nil || since == 0 {
            // A full snapshot is the same for every kiosk: signed once per version and shared.
            signed = try await c.snapshots.answer(version: version, now: c.now()) { try build(since: nil, c) }
        } else {
            signed = try build(since: since, c)
        }
        return Response(status: .ok, headers: [.contentType: SignedFeed.contentType, .eTag: etag(signed.version)],
                        body: .init(byteBuffer: ByteBuffer(bytes: signed.body)))
    }

    static func build(since: Int?, _ c: Central) throws -> SignedAnswer {
        let content = try c.store.feedContent(since: since)
        let now = c.now()
        var articles = Data("[".utf8)
        articles.reserveCapacity(content.articles.reduce(2) { $0 + $1.count + 1 })
        for (i, a) in content.articles.enumerated() {
            if i > 0 { articles.append(UInt8(ascii: ",")) }
            articles.append(a)
        }
        articles.append(UInt8(ascii: "]"))
        let payload = FeedPayload(kind: content.since == nil ? .snapshot : .delta, version: content.version, since: content.since,
                                  issued: now, expires: now.addingTimeInterval(Double(c.config.feedValidDays) * 86_400),
                                  categories: content.categories, articles: articles, deletedArticles: content.deletedArticles,
                                  services: content.services, lexicons: content.lexicons)
        return SignedAnswer(version: content.version, issued: now, body: try SignedFeed.sign(payload, with: c.signingKey))
    }
}

struct SignedAnswer: Sendable {
    let version: Int
    let issued: Date
    let body: Data
}

/// The signed snapshot of the current version. Building one for a 10,000-article Knowledge Base reads and signs
/// tens of megabytes; after an import a whole fleet asks at once, and each kiosk would otherwise wait for its
/// own copy (and the server hold one per kiosk). One build runs per version, everyone asking meanwhile shares
/// it, and its signature is reused for an hour: an expiry at most an hour earlier than a fresh one's.
actor SnapshotCache {
    static let reuse: TimeInterval = 3_600
    private var signed: SignedAnswer?
    private var building: (version: Int, task: Task<SignedAnswer, any Error>)?

    func answer(version: Int, now: Date, build: @escaping @Sendable () throws -> SignedAnswer) async throws -> SignedAnswer {
        if let s = signed, s.version == version, now >= s.issued, now.timeIntervalSince(s.issued) < Self.reuse { return s }
        let task: Task<SignedAnswer, any Error>
        if let b = building, b.version == version {
            task = b.task
        } else {
            // Detached, so the build does not hold the actor: kiosks asking meanwhile wait on this same task.
            task = Task.detached(priority: .medium) { try build() }
            building = (version, task)
        }
        do {
            let s = try await task.value
            if building?.version == version { building = nil }
            if (signed?.version ?? Int.min) <= s.version { signed = s }
            return s
        } catch {
            if building?.version == version { building = nil }
            throw error
        }
    }
}
