// The kiosk's HTTP client of the central server: Open311 push and queries, the signed feed, ticket status and
// the heartbeat, each answer read with a size limit and sorted into what the sync can act on.
import AsyncHTTPClient
import Foundation
import KioskCore
import KioskProtocol
import NIOCore
import NIOHTTP1
import NIOSSL

/// What became of one POST.
public enum PostOutcome: Sendable, Equatable {
    /// The server took it: its id, or a token to resolve later.
    case accepted(serviceRequestID: String?, token: String?)
    /// Refused for good (a 4xx other than 408/429), with the server's words; the kiosk keeps it for staff.
    case refused(status: Int, message: String)
    /// Try again later: the network, a timeout, a 5xx, 408, 429, or a success body that could not be read.
    /// `retryAfter` is the server's Retry-After, in seconds, when it gave one.
    case retryLater(reason: String, retryAfter: TimeInterval?)
}

/// The feed endpoint's answer.
public enum FeedResponse: Sendable, Equatable {
    case notModified
    case body(Data, etag: String?)
}

/// Why a query could not be answered.
public enum CentralClientError: Error, Equatable, CustomStringConvertible {
    /// No answer: connection refused, timeout, TLS, DNS, a dropped or truncated answer.
    case unreachable(String)
    /// The server answered with an error status.
    case status(Int, message: String, retryAfter: TimeInterval?)
    case tooLarge(limit: Int)
    /// A 2xx whose body is not what was asked for.
    case unreadable(String)

    public var description: String {
        switch self {
        case let .unreachable(why): return "the server cannot be reached: \(why)"
        case let .status(code, message, _): return "the server answered \(code)\(message.isEmpty ? "" : ": \(message)")"
        case let .tooLarge(limit): return "the answer is larger than \(limit) bytes; not read"
        case let .unreadable(why): return "the answer cannot be read: \(why)"
        }
    }

    /// Worth another try later (as opposed to a definite answer such as 404).
    public var isTransient: Bool {
        switch self {
        case .unreachable, .tooLarge, .unreadable: return true
        case let .status(code, _, _): return code >= 500 || code == 408 || code == 429
        }
    }
}

/// A setting that cannot be used, naming it and what to do.
public struct SyncSettingsError: Error, Equatable, CustomStringConvertible {
    public var description: String
}

public final class CentralClient: Sendable {
    public let settings: SyncSettings
    let http: HTTPClient
    let base: String

    /// One per process: it owns the connection pool. Call `shutdown()` before the process ends.
    public init(settings: SyncSettings) throws {
        let trimmed = settings.serverURL.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else {
            throw SyncSettingsError(description: "server URL \"\(settings.serverURL.prefix(100))\" is not an http:// or https:// address (config server.url or --server)")
        }
        base = trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
        self.settings = settings

        var tls = TLSConfiguration.makeClientConfiguration()
        func readable(_ path: String, _ key: String) throws {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw SyncSettingsError(description: "\(key): cannot read \(path); give the PEM file's path or remove the setting")
            }
        }
        if let ca = settings.caBundlePath {
            try readable(ca, "server.caBundle")
            tls.trustRoots = .file(ca)
        }
        switch (settings.clientCertificatePath, settings.clientKeyPath) {
        case let (cert?, key?):
            try readable(cert, "server.clientCertificate")
            try readable(key, "server.clientKey")
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            } catch {
                throw SyncSettingsError(description: "server.clientCertificate: \(cert) is not a PEM certificate (\(error))")
            }
            do {
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            } catch {
                throw SyncSettingsError(description: "server.clientKey: \(key) is not a PEM private key (\(error))")
            }
        case (nil, nil):
            break
        default:
            throw SyncSettingsError(description: "server.clientCertificate and server.clientKey go together: give both or neither")
        }
        var config = HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow,
                                              timeout: .init(connect: Self.amount(settings.connectTimeout),
                                                             read: Self.amount(settings.readTimeout)))
        config.decompression = .disabled
        http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: config)
    }

    public func shutdown() async throws { try await http.shutdown() }

    static func amount(_ t: TimeInterval) -> TimeAmount { .milliseconds(Int64(max(0.001, t) * 1000)) }

    // MARK: Open311

    /// Sends one saved submission. The key travels as the `Idempotency-Key` header and as an attribute
    /// (the form already carries it), so a repeated POST after a lost answer is not a second request.
    public func postRequest(form: RequestForm, idempotencyKey: String) async -> PostOutcome {
        var request = HTTPClientRequest(url: open311URL("requests.json"))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.headers.add(name: Open311.idempotencyHeader, value: idempotencyKey)
        var f = form
        if f.deviceID == nil { f.deviceID = settings.kioskID }
        if f.apiKey == nil { f.apiKey = settings.apiKey }
        if f.idempotencyKey == nil { f.attributes[Open311.idempotencyAttribute] = [idempotencyKey] }
        request.body = .bytes(ByteBuffer(string: f.body))
        let answer: Answer
        do {
            answer = try await send(request, timeout: settings.connectTimeout + settings.readTimeout * 2, limit: settings.maxOpen311Bytes)
        } catch let e as CentralClientError {
            return .retryLater(reason: e.description, retryAfter: nil)
        } catch {
            return .retryLater(reason: "\(error)", retryAfter: nil)
        }
        switch answer.status {
        case 200..<300:
            do {
                let answers = try Open311Decoding.postAnswers(answer.body, format: .json, limits: limits)
                guard let a = answers.first(where: { $0.serviceRequestID != nil || $0.token != nil }) else {
                    return .retryLater(reason: "the server's answer has no service_request_id or token", retryAfter: nil)
                }
                return .accepted(serviceRequestID: a.serviceRequestID, token: a.token)
            } catch {
                return .retryLater(reason: "the server's answer cannot be read: \(error)", retryAfter: nil)
            }
        case 408, 429, 500...:
            return .retryLater(reason: "the server answered \(answer.status)\(message(answer).map { ": \($0)" } ?? "")",
                               retryAfter: answer.retryAfter)
        case 400..<500:
            return .refused(status: answer.status, message: message(answer) ?? "HTTP \(answer.status)")
        default:
            return .retryLater(reason: "unexpected HTTP \(answer.status) (a redirect? check the server URL)", retryAfter: nil)
        }
    }

    /// `GET requests/{id}.json`; nil when the server does not know it (404).
    public func request(id: String, timeout: TimeInterval? = nil) async throws -> Open311Request? {
        let answer = try await get(open311URL("requests/\(Self.pathComponent(id)).json"), timeout: timeout, allow404: true)
        guard let answer else { return nil }
        return try decodeRequests(answer).first
    }

    /// `GET requests.json` with the spec's filters and the common `lat`/`long`/`radius` extension.
    public func requests(serviceCode: String? = nil, lat: Double? = nil, long: Double? = nil, radius: Double? = nil,
                         status: String? = nil, timeout: TimeInterval? = nil) async throws -> [Open311Request] {
        var q: [(String, String)] = []
        if let serviceCode { q.append(("service_code", serviceCode)) }
        if let status { q.append(("status", status)) }
        if let lat, let long {
            q.append(("lat", String(lat))); q.append(("long", String(long)))
            if let radius { q.append(("radius", String(Int(radius.rounded())))) }
        }
        let url = open311URL("requests.json") + (q.isEmpty ? "" : "?" + FormURLEncoding.encode(q))
        guard let answer = try await get(url, timeout: timeout, allow404: false) else { return [] }
        return try decodeRequests(answer)
    }

    /// `GET tokens/{token}.json`: the id a token became; nil while the server has none yet (or does not know it).
    public func token(_ token: String, timeout: TimeInterval? = nil) async throws -> String? {
        guard let answer = try await get(open311URL("tokens/\(Self.pathComponent(token)).json"), timeout: timeout, allow404: true) else {
            return nil
        }
        do {
            return try Open311Decoding.tokenAnswers(answer.body, limits: limits).first(where: { $0.serviceRequestID != nil })?.serviceRequestID
        } catch { throw CentralClientError.unreadable("\(error)") }
    }

    // MARK: Our additions

    /// `GET /kiosk/v1/tickets/{ticket}`: the request a kiosk ticket became; nil: unknown to the server (404).
    public func ticket(_ ticket: String, timeout: TimeInterval? = nil) async throws -> Open311Request? {
        let url = base + KioskAPI.ticketsPath + "/" + Self.pathComponent(ticket)
        guard let answer = try await get(url, timeout: timeout, allow404: true, authorized: true) else { return nil }
        return try decodeRequests(answer).first
    }

    /// `GET /kiosk/v1/feed?since=N` with `If-None-Match` when an ETag is given.
    public func feed(since: Int?, etag: String?) async throws -> FeedResponse {
        var url = base + KioskAPI.feedPath
        if let since { url += "?since=\(since)" }
        var request = HTTPClientRequest(url: url)
        authorize(&request)
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        request.headers.add(name: "Accept", value: SignedFeed.contentType)
        let answer = try await send(request, timeout: settings.connectTimeout + settings.readTimeout * 4, limit: settings.maxFeedBytes)
        switch answer.status {
        case 304: return .notModified
        case 200..<300: return .body(answer.body, etag: answer.headers.first(name: "ETag"))
        default: throw CentralClientError.status(answer.status, message: message(answer) ?? "", retryAfter: answer.retryAfter)
        }
    }

    /// `POST /kiosk/v1/heartbeat`.
    public func heartbeat(_ beat: Heartbeat) async throws {
        var request = HTTPClientRequest(url: base + Heartbeat.path)
        request.method = .POST
        authorize(&request)
        request.headers.add(name: "Content-Type", value: "application/json")
        do { request.body = .bytes(ByteBuffer(bytes: try beat.encoded())) } catch {
            throw CentralClientError.unreadable("heartbeat cannot be encoded: \(error)")
        }
        let answer = try await send(request, timeout: settings.connectTimeout + settings.readTimeout, limit: 64 << 10)
        guard (200..<300).contains(answer.status) else {
            throw CentralClientError.status(answer.status, message: message(answer) ?? "", retryAfter: answer.retryAfter)
        }
    }

    // MARK: Transport

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var retryAfter: TimeInterval? { headers.first(name: "Retry-After").flatMap { CentralClient.retryAfter($0, now: Date()) } }
    }

    var limits: Open311Decoding.Limits { Open311Decoding.Limits(maxBytes: settings.maxOpen311Bytes) }

    func open311URL(_ rest: String) -> String {
        let p = settings.open311Path.hasSuffix("/") ? String(settings.open311Path.dropLast()) : settings.open311Path
        return base + p + "/" + rest
    }

    static func pathComponent(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }

    func authorize(_ request: inout HTTPClientRequest) {
        if let key = settings.apiKey { request.headers.add(name: "Authorization", value: "\(KioskAPI.authorizationScheme) \(key)") }
    }

    /// A GET whose success is an Open311 body; 404 is nil when allowed, other statuses are errors.
    func get(_ url: String, timeout: TimeInterval?, allow404: Bool, authorized: Bool = false) async throws -> Answer? {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        if authorized { authorize(&request) }
        let answer = try await send(request, timeout: timeout ?? (settings.connectTimeout + settings.readTimeout), limit: settings.maxOpen311Bytes)
        if answer.status == 404, allow404 { return nil }
        guard (200..<300).contains(answer.status) else {
            throw CentralClientError.status(answer.status, message: message(answer) ?? "", retryAfter: answer.retryAfter)
        }
        return answer
    }

    func decodeRequests(_ answer: Answer) throws -> [Open311Request] {
        do { return try Open311Decoding.requests(answer.body, limits: limits) } catch {
            throw CentralClientError.unreadable("\(error)")
        }
    }

    /// The server's own words from an error body (Open311's error list, or the start of whatever it sent).
    func message(_ answer: Answer) -> String? {
        guard !answer.body.isEmpty else { return nil }
        if let errors = try? Open311Decoding.errors(answer.body, defaultCode: answer.status, limits: limits), !errors.isEmpty {
            return errors.map(\.description).filter { !$0.isEmpty }.joined(separator: "; ")
        }
        return Open311Decoding.excerpt(answer.body, length: 200)
    }

    /// Sends and reads the whole answer, stopping at `limit` bytes. Anything short of a complete answer is
    /// `unreachable`: the caller treats it like no answer at all.
    func send(_ request: HTTPClientRequest, timeout: TimeInterval, limit: Int) async throws -> Answer {
        do {
            let response = try await http.execute(request, timeout: Self.amount(timeout))
            if let declared = response.headers.first(name: "Content-Length").flatMap(Int.init), declared > limit {
                throw CentralClientError.tooLarge(limit: limit)
            }
            var body = Data()
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= limit else { throw CentralClientError.tooLarge(limit: limit) }
                body.append(contentsOf: chunk.readableBytesView)
            }
            return Answer(status: Int(response.status.code), headers: response.headers, body: body)
        } catch let e as CentralClientError {
            throw e
        } catch let e as HTTPClientError {
            throw CentralClientError.unreachable(Self.describe(e))
        } catch is CancellationError {
            throw CentralClientError.unreachable("cancelled")
        } catch {
            throw CentralClientError.unreachable(String(describing: error).prefix(200).description)
        }
    }

    static func describe(_ e: HTTPClientError) -> String {
        switch e {
        case .connectTimeout: return "connect timeout"
        case .readTimeout: return "read timeout"
        case .deadlineExceeded: return "no complete answer in time"
        case .remoteConnectionClosed: return "the connection was closed before the answer was complete"
        default: return String(describing: e).prefix(200).description
        }
    }

    /// Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3).
    public static func retryAfter(_ value: String, now: Date) -> TimeInterval? {
        let t = value.trimmingCharacters(in: .whitespaces)
        if let s = Int(t), s >= 0 { return TimeInterval(s) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let d = f.date(from: t) { return max(0, d.timeIntervalSince(now)) }
        return nil
    }
}
