// Open311 GeoReport v2 under /open311/v2: discovery, services, definitions, POST and GET requests, tokens; each
// in .json and .xml, jurisdiction_id accepted and ignored (one jurisdiction: Łódź).
import Foundation
import Hummingbird
import KioskCore
import KioskProtocol

enum Open311Routes {
    static func add(to router: Router<BasicRequestContext>, _ c: Central) {
        let api = router.group(RouterPath(Open311.basePath))
        for f in Open311.Format.allCases {
            api.get(RouterPath("discovery.\(f.rawValue)")) { request, _ in try discovery(request, f) }
            api.get(RouterPath("services.\(f.rawValue)")) { request, _ in try services(request, c, f) }
            api.get(RouterPath("requests.\(f.rawValue)")) { request, _ in try listRequests(request, c, f) }
            api.post(RouterPath("requests.\(f.rawValue)")) { request, _ in try await postRequest(request, c, f) }
        }
        api.get("services/:file") { request, context in
            let (code, f) = try split(context.parameters.get("file"))
            _ = try Incoming.queryFields(request)
            let catalog = try c.catalogue.catalog()
            guard let s = catalog.service(code: code) else {
                throw Open311Error(code: 404, description: "service_code \"\(code.prefix(64))\" is not a service of this server")
            }
            return Respond.single(Open311Nodes.definition(catalog.open311Definition(s)), root: "service_definition", format: f)
        }
        // `request/` is how the community swagger spells it; clients generated from it call that path.
        for prefix in ["requests/:file", "request/:file"] {
            api.get(RouterPath(prefix)) { request, context in
                let (id, f) = try split(context.parameters.get("file"))
                _ = try Incoming.queryFields(request)
                guard let r = try c.store.request(id: id) else {
                    throw Open311Error(code: 404, description: "service_request_id \"\(id.prefix(64))\" not found")
                }
                return Respond.list([Open311Nodes.request(r)], root: "service_requests", item: "request", format: f)
            }
        }
        api.get("tokens/:file") { request, context in
            let (token, f) = try split(context.parameters.get("file"))
            _ = try Incoming.queryFields(request)
            guard let r = try c.store.request(token: token) else {
                throw Open311Error(code: 404, description: "token \"\(token.prefix(64))\" not found")
            }
            let node = Node.object([("service_request_id", .string(r.serviceRequestID)), ("token", .string(token))])
            return Respond.list([node], root: "service_requests", item: "request", format: f)
        }
    }

    static func split(_ file: String?) throws -> (String, Open311.Format) {
        guard let file, let parts = Open311Format.split(file) else {
            throw Open311Error(code: 404, description: "add .json or .xml to the path")
        }
        return parts
    }

    static func discovery(_ request: Request, _ f: Open311.Format) throws -> Response {
        _ = try Incoming.queryFields(request)
        // The URL a client reaches us at, when the Host header is a plain host[:port].
        let host = request.head.authority ?? ""
        let safe = !host.isEmpty && host.count <= 255 && host.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-:[]".unicodeScalars.contains($0)
        }
        let url = safe ? "http://\(host)\(Open311.basePath)/" : "\(Open311.basePath)/"
        let changeset = "2025-01-01T00:00:00Z"
        let node = Node.object([
            ("changeset", .string(changeset)),
            ("contact", .string("Łódzkie Centrum Kontaktu Mieszkańców, tel. 42 638 44 44")),
            ("key_service", .string("Klucze API wydaje administrator: kiosk-central keys add KIOSK_ID")),
            ("endpoints", .list(item: "endpoint", [.object([
                ("specification", .string("http://wiki.open311.org/GeoReport_v2")),
                ("url", .string(url)), ("changeset", .string(changeset)), ("type", .string("production")),
                ("formats", .list(item: "format", [.string("text/xml"), .string("application/json")])),
            ])])),
        ])
        return Respond.single(node, root: "discovery", format: f)
    }

    static func services(_ request: Request, _ c: Central, _ f: Open311.Format) throws -> Response {
        _ = try Incoming.queryFields(request)
        let catalog = try c.catalogue.catalog()
        return Respond.list(catalog.open311Services.map(Open311Nodes.service), root: "services", item: "service", format: f)
    }

    static func listRequests(_ request: Request, _ c: Central, _ f: Open311.Format) throws -> Response {
        let q = Incoming.lastValues(try Incoming.queryFields(request))
        func bad(_ s: String) -> Open311Error { Open311Error(code: 400, description: s) }
        func list(_ key: String) throws -> [String]? {
            guard let v = q[key] else { return nil }
            let items = v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard items.count <= 200 else { throw bad("\(key): more than 200 values") }
            return items.isEmpty ? nil : items
        }
        func date(_ key: String) throws -> Date? {
            guard let v = q[key], !v.isEmpty else { return nil }
            guard let d = Open311Date.parse(v) else { throw bad("\(key): \"\(v.prefix(40))\" is not an ISO 8601 date and time (2025-05-01T08:00:00Z)") }
            return d
        }
        func number(_ key: String) throws -> Double? {
            guard let v = q[key], !v.isEmpty else { return nil }
            guard let d = Double(v), d.isFinite else { throw bad("\(key): \"\(v.prefix(40))\" is not a number") }
            return d
        }
        var filter = RequestFilter(ids: try list("service_request_id"), serviceCodes: try list("service_code"),
                                   statuses: try list("status"), start: try date("start_date"), end: try date("end_date"))
        if let s = filter.statuses, let odd = s.first(where: { $0 != "open" && $0 != "closed" }) {
            throw bad("status: \"\(odd.prefix(20))\" is neither open nor closed")
        }
        switch (try number("lat"), try number("long")) {
        case (nil, nil): break
        case let (lat?, long?):
            guard (-90...90).contains(lat), (-180...180).contains(long) else { throw bad("lat/long: outside the WGS84 ranges") }
            let radius = try number("radius") ?? NearbyQuery.radiusMeters
            guard radius > 0, radius <= 50_000 else { throw bad("radius: metres, more than 0 and at most 50000") }
            filter.near = (lat, long, radius)
        default: throw bad("lat and long: send both or neither")
        }
        // The spec's default: the last 90 days when no dates are given.
        if filter.ids == nil, filter.start == nil, filter.end == nil { filter.start = c.now().addingTimeInterval(-90 * 86_400) }
        let found = try c.store.requests(filter)
        return Respond.list(found.map(Open311Nodes.request), root: "service_requests", item: "request", format: f)
    }

    static func postRequest(_ request: Request, _ c: Central, _ f: Open311.Format) async throws -> Response {
        var fields = try Incoming.queryFields(request)
        let bytes = try await Incoming.body(request, limit: CentralConfig.maxBodyBytes)
        if !bytes.isEmpty {
            if let type = request.headers[.contentType]?.lowercased(), !type.hasPrefix("application/x-www-form-urlencoded") {
                throw Open311Error(code: 400, description: "Content-Type must be application/x-www-form-urlencoded, not \(type.prefix(60))")
            }
            guard let text = String(bytes: bytes, encoding: .utf8) else { throw Open311Error(code: 400, description: "body is not UTF-8") }
            do { fields += try FormURLEncoding.decode(text, maxFields: CentralConfig.maxQueryFields) } catch {
                throw Open311Error(code: 400, description: "body: \(error)")
            }
        }
        guard fields.count <= CentralConfig.maxQueryFields else {
            throw Open311Error(code: 400, description: "more than \(CentralConfig.maxQueryFields) fields")
        }
        guard let apiKey = Incoming.lastValues(fields)["api_key"], !apiKey.isEmpty else {
            throw Open311Error(code: 403, description: "api_key missing; a kiosk's key comes from kiosk-central keys add")
        }
        guard let kiosk = try c.store.kiosk(forKeyHash: CentralKeys.hash(apiKey)) else {
            throw Open311Error(code: 403, description: "api_key unknown or revoked")
        }
        let new = try RequestValidation.request(fields: fields, kioskID: kiosk, catalog: try c.catalogue.catalog(), now: c.now())
        var key = Incoming.header(request, Open311.idempotencyHeader) ?? new.attributes[Open311.idempotencyAttribute]?.first
        if let k = key {
            let trimmed = try RequestValidation.clean(Open311.idempotencyHeader, k, max: 200).trimmingCharacters(in: .whitespaces)
            key = trimmed.isEmpty ? nil : "\(kiosk)\u{1F}\(trimmed)" // one kiosk's keys never collide with another's
        }
        let outcome: PostOutcome
        do {
            outcome = try c.store.fileRequest(new, idempotencyKey: key, payloadHash: RequestValidation.payloadHash(fields),
                                              useToken: c.config.tokens)
        } catch IdempotencyConflict.differentPayload {
            throw Open311Error(code: 422, description: "Idempotency-Key already used for a different request; send a new key for a new request")
        }
        return Respond.list([Open311Nodes.postAnswer(outcome, tokens: c.config.tokens)], root: "service_requests", item: "request", format: f)
    }
}
