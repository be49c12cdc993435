// Wiring kiosk-central: the one builder `serve` and the tests share, the spec-error middleware, and the helpers
// every route uses (formats, query fields, keys, responses).
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KioskCore
import KioskProtocol
import Logging

public struct CentralConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 8311
    public var feedValidDays = 7
    public var idempotencyDays = 30
    /// Answer POSTs with a token to resolve later (the spec's asynchronous mode) instead of an id.
    public var tokens = false
    /// One short line per request on stderr.
    public var logRequests = false
    public static let maxBodyBytes = 64 << 10
    public static let maxQueryFields = 200
    public init() {}
}

/// What every route shares.
struct Central: Sendable {
    let store: any CentralStore
    let config: CentralConfig
    let catalogue: CatalogueCache
    let signingKey: Curve25519.Signing.PrivateKey
    let now: @Sendable () -> Date
    let snapshots = SnapshotCache()
}

/// Builds the server: `kiosk-central serve` and every test go through this one function.
public func buildCentral(store: any CentralStore, config: CentralConfig, now: @escaping @Sendable () -> Date = { Date() },
                         logger: Logger? = nil) throws -> some ApplicationProtocol {
    let key = try Curve25519.Signing.PrivateKey(rawRepresentation: store.feedSigningKey())
    let central = Central(store: store, config: config, catalogue: CatalogueCache(store: store), signingKey: key, now: now)
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: SpecErrorMiddleware(logRequests: config.logRequests))
    Open311Routes.add(to: router, central)
    FeedRoutes.add(to: router, central)
    FleetRoutes.add(to: router, central)
    var log = logger ?? Logger(label: "kiosk-central")
    if logger == nil { log.logLevel = .notice }
    return Application(router: router,
                       configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kiosk-central"),
                       logger: log)
}

/// Turns every failure into the spec's error list in the format the path asked for; nothing leaks as a bare 500.
struct SpecErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logRequests: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let format = Open311Format.of(path: request.uri.path)
        let response: Response
        do {
            response = try await next(request, context)
        } catch let e as Open311Error {
            response = Respond.errors([e], format: format)
        } catch let e as StaffAuthRequired {
            response = e.response
        } catch let e as HTTPError {
            let code = Int(e.status.code)
            let description: String
            switch code {
            case 404: description = "no such resource: \(request.method) \(request.uri.path.prefix(120))"
            case 405: description = "method \(request.method) not allowed here"
            case 413: description = "request body larger than \(CentralConfig.maxBodyBytes) bytes"
            default: description = e.body ?? e.status.reasonPhrase
            }
            // Body too large is the client's mistake: the spec's 400.
            response = Respond.errors([Open311Error(code: code == 413 ? 400 : code, description: description)], format: format)
        } catch {
            FileHandle.standardError.write(Data("kiosk-central: internal error on \(request.method) \(request.uri.path): \(error)\n".utf8))
            response = Respond.errors([Open311Error(code: 503, description: "the server could not complete the request; try again later")],
                                      format: format)
        }
        if logRequests {
            let d = (ContinuousClock.now - started).components
            let ms = d.seconds * 1000 + d.attoseconds / 1_000_000_000_000_000
            FileHandle.standardError.write(Data("\(request.method) \(request.uri.path.prefix(80)) \(response.status.code) \(ms)ms\n".utf8))
        }
        return response
    }
}

enum Open311Format {
    /// The format the path names (`….xml`), JSON otherwise.
    static func of(path: String) -> Open311.Format {
        path.lowercased().hasSuffix(".xml") ? .xml : .json
    }

    /// Splits `NAME.json` / `NAME.xml` into the name and the format; nil for any other ending.
    static func split(_ file: String) -> (String, Open311.Format)? {
        guard let dot = file.lastIndex(of: ".") else { return nil }
        guard let f = Open311.Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else { return nil }
        let name = String(file[..<dot])
        return name.isEmpty ? nil : (name, f)
    }
}

enum Respond {
    static func contentType(_ f: Open311.Format) -> String {
        f == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8"
    }

    static func body(_ text: String, contentType: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A list (`[…]` / `<root><item>…`) or a single element in the asked format.
    static func list(_ items: [Node], root: String, item: String, format: Open311.Format, status: HTTPResponse.Status = .ok) -> Response {
        let node = Node.list(item: item, items)
        let text = format == .json ? Render.json(node) : Render.xml(node, root: root)
        return body(text, contentType: contentType(format), status: status)
    }

    static func single(_ node: Node, root: String, format: Open311.Format) -> Response {
        body(format == .json ? Render.json(node) : Render.xml(node, root: root), contentType: contentType(format))
    }

    static func errors(_ errors: [Open311Error], format: Open311.Format) -> Response {
        let status = HTTPResponse.Status(code: errors.first?.code ?? 400)
        return list(errors.map(Open311Nodes.error), root: "errors", item: "error", format: format, status: status)
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Reading what a request carries, with the limits of a server facing the internet.
enum Incoming {
    static func queryFields(_ request: Request) throws -> [(String, String)] {
        guard let q = request.uri.query, !q.isEmpty else { return [] }
        guard q.utf8.count <= CentralConfig.maxBodyBytes else { throw Open311Error(code: 400, description: "query string longer than \(CentralConfig.maxBodyBytes) bytes") }
        do { return try FormURLEncoding.decode(q, maxFields: CentralConfig.maxQueryFields) } catch {
            throw Open311Error(code: 400, description: "query string: \(error)")
        }
    }

    /// Last value wins, as most servers read a repeated field.
    static func lastValues(_ fields: [(String, String)]) -> [String: String] {
        var d: [String: String] = [:]
        for (k, v) in fields { d[k] = v }
        return d
    }

    static func body(_ request: Request, limit: Int) async throws -> [UInt8] {
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            throw Open311Error(code: 400, description: "request body larger than \(limit) bytes")
        }
        return Array(buffer.readableBytesView)
    }

    static func header(_ request: Request, _ name: String) -> String? {
        guard let n = HTTPField.Name(name) else { return nil }
        return request.headers[n]
    }

    /// The kiosk behind `Authorization: Bearer KEY`, or a 403.
    static func kiosk(_ request: Request, _ central: Central) throws -> String {
        guard let auth = request.headers[.authorization] else {
            throw Open311Error(code: 403, description: "Authorization: Bearer KEY missing; a kiosk's key comes from kiosk-central keys add")
        }
        let parts = auth.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == KioskAPI.authorizationScheme.lowercased() else {
            throw Open311Error(code: 403, description: "Authorization must be \(KioskAPI.authorizationScheme) KEY")
        }
        guard let kiosk = try central.store.kiosk(forKeyHash: CentralKeys.hash(String(parts[1]).trimmingCharacters(in: .whitespaces))) else {
            throw Open311Error(code: 403, description: "unknown or revoked API key")
        }
        return kiosk
    }

    /// A staff member's key for the fleet view: `Authorization: Bearer KEY` from a tool, or HTTP Basic with the
    /// key as the password from a browser (which asks for it after the 401's WWW-Authenticate).
    static func staff(_ request: Request, _ central: Central) throws -> String {
        guard let auth = request.headers[.authorization], auth.utf8.count <= 1_024 else { throw StaffAuthRequired(why: "a staff key is needed") }
        let parts = auth.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw StaffAuthRequired(why: "Authorization must be Bearer KEY or Basic") }
        let key: String
        switch parts[0].lowercased() {
        case KioskAPI.authorizationScheme.lowercased():
            key = parts[1]
        case "basic":
            guard let raw = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)),
                  let pair = String(data: raw, encoding: .utf8), let colon = pair.firstIndex(of: ":") else {
                throw StaffAuthRequired(why: "Basic credentials must be base64 of NAME:KEY")
            }
            key = String(pair[pair.index(after: colon)...])
        default:
            throw StaffAuthRequired(why: "Authorization must be Bearer KEY or Basic")
        }
        guard let name = try central.store.staff(forKeyHash: CentralKeys.hash(key.trimmingCharacters(in: .whitespaces))) else {
            throw StaffAuthRequired(why: "not an active staff key (kiosk-central keys add --staff NAME makes one)")
        }
        return name
    }
}

/// 401 with a Basic challenge, so a browser asks for the staff key instead of showing an error page.
struct StaffAuthRequired: Error {
    var why: String
    var response: Response {
        var r = Respond.errors([Open311Error(code: 401, description: why)], format: .json) // status from the code
        r.headers[.wwwAuthenticate] = #"Basic realm="kiosk-central fleet", charset="UTF-8""#
        return r
    }
}

/// API keys: random, shown once, kept only as a SHA-256.
public enum CentralKeys {
    public static func newKey() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A kiosk id as the ticket numbers and the fleet view use it.
    public static func isValidKioskID(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }

    public static func feedPublicKeyBase64(_ store: any CentralStore) throws -> String {
        try Curve25519.Signing.PrivateKey(rawRepresentation: store.feedSigningKey()).publicKey.rawRepresentation.base64EncodedString()
    }
}

/// Opens the database a subcommand names, filling a new one with the demo catalogue and Knowledge Base.
/// Opens (and migrates) the database; a new one gets the demo catalogue and Knowledge Base, with word forms
/// tables from `lexicon`.
public func openCentralStore(path: String, lexicon: LexiconSource = .none) throws -> SQLiteCentralStore {
    let store = try SQLiteCentralStore(path: path)
    try CentralImport.fillIfNew(store, lexicon: lexicon)
    return store
}
