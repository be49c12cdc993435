// Our additions for kiosks: the signed Knowledge Base and catalogue feed (snapshot or delta, ETag / 304) and
// ticket status by kiosk ticket number. Both take the kiosk's key as `Authorization: Bearer KEY`.
import Crypto
import Foundation
import Hummingbird
import KioskProtocol

enum FeedRoutes {
    static func add(to router: Router<BasicRequestContext>, _ c: Central) {
        router.get(RouterPath(KioskAPI.feedPath)) { request, _ in try feed(request, c) }
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

    static func feed(_ request: Request, _ c: Central) throws -> Response {
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
        let content = try c.store.feedContent(since: since)
        let now = c.now()
        var articles = Data("[".utf8)
        for (i, a) in content.articles.enumerated() {
            if i > 0 { articles.append(UInt8(ascii: ",")) }
            articles.append(a)
        }
        articles.append(UInt8(ascii: "]"))
        let payload = FeedPayload(kind: content.since == nil ? .snapshot : .delta, version: content.version, since: content.since,
                                  issued: now, expires: now.addingTimeInterval(Double(c.config.feedValidDays) * 86_400),
                                  categories: content.categories, articles: articles, deletedArticles: content.deletedArticles,
                                  services: content.services)
        let body = try SignedFeed.sign(payload, with: c.signingKey)
        return Response(status: .ok, headers: [.contentType: SignedFeed.contentType, .eTag: etag(content.version)],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
