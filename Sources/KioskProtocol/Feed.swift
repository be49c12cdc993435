// The Knowledge Base and service-catalogue feed: a versioned payload (a full snapshot, or the changes since a
// version with deletions), signed by the central server with Ed25519. The kiosk applies only what verifies
// against the public key in its config and is newer and unexpired: no rollback, no freeze.
import Crypto
import Foundation
import KioskCore

/// What the feed carries. Articles and the catalogue travel as the objects of the kiosk's own file formats
/// (`lckm-kb/1`, `lckm-services/1`), so the kiosk checks them with the same parser, limits and messages as a
/// file a technician imports.
public struct FeedPayload: Sendable, Equatable {
    public static let format = "lckm-feed/1"
    public enum Kind: String, Sendable, Equatable { case snapshot, delta }

    public var kind: Kind
    /// Grows by one with each change on the server; never reused.
    public var version: Int
    /// For a delta: the version it applies to.
    public var since: Int?
    public var issued: Date
    /// After this the kiosk refuses the payload (a replayed old feed cannot freeze a kiosk forever).
    public var expires: Date
    /// All categories, as `lckm-kb/1` category objects (JSON bytes of the array).
    public var categories: Data
    /// Articles added or changed (all of them in a snapshot), as `lckm-kb/1` article objects (JSON array).
    public var articles: Data
    /// Article ids removed since `since` (empty in a snapshot).
    public var deletedArticles: [String]
    /// The whole `lckm-services/1` document when the catalogue changed since `since` (always in a snapshot).
    public var services: Data?
    /// `lckm-lexicon/1` tables (JSON objects) of what the server's dictionary answered for the words of the
    /// Knowledge Base and of the catalogue sent: the kiosk builds its search index from them instead of loading
    /// its own dictionary. Optional: a word they lack is looked up in the kiosk's dictionary.
    public var lexicons: [Data]
    public static let maxLexicons = 4

    public init(kind: Kind, version: Int, since: Int? = nil, issued: Date, expires: Date, categories: Data,
                articles: Data, deletedArticles: [String] = [], services: Data?, lexicons: [Data] = []) {
        self.kind = kind; self.version = version; self.since = since; self.issued = issued; self.expires = expires
        self.categories = categories; self.articles = articles; self.deletedArticles = deletedArticles; self.services = services
        self.lexicons = lexicons
    }

    /// The payload's JSON bytes (what is signed). The large parts are spliced in as they are, not parsed and
    /// written again: a 10,000-article snapshot is tens of megabytes.
    public func encoded() throws -> Data {
        var head: [String: Any] = [
            "format": Self.format, "kind": kind.rawValue, "version": version,
            "issued": Open311Date.format(issued), "expires": Open311Date.format(expires), "deletedArticles": deletedArticles,
        ]
        if let since { head["since"] = since }
        var out = try JSONSerialization.data(withJSONObject: head, options: [.sortedKeys, .withoutEscapingSlashes])
        guard out.last == UInt8(ascii: "}") else { throw FeedError.malformed("payload head did not serialise as an object") }
        out.removeLast()
        func splice(_ key: String, _ raw: Data, opening: UInt8) throws {
            guard raw.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == opening else {
                throw FeedError.malformed("payload \(key): expected JSON starting with \(Character(UnicodeScalar(opening)))")
            }
            out.append(Data(",\"\(key)\":".utf8))
            out.append(raw)
        }
        try splice("articles", articles, opening: UInt8(ascii: "["))
        try splice("categories", categories, opening: UInt8(ascii: "["))
        if let services { try splice("services", services, opening: UInt8(ascii: "{")) }
        if !lexicons.isEmpty {
            var list = Data("[".utf8)
            for (i, table) in lexicons.enumerated() {
                guard table.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") else {
                    throw FeedError.malformed("payload lexicons[\(i)]: expected a JSON object")
                }
                if i > 0 { list.append(UInt8(ascii: ",")) }
                list.append(table)
            }
            list.append(UInt8(ascii: "]"))
            try splice("lexicons", list, opening: UInt8(ascii: "["))
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads a verified payload; every problem names the field. The head is parsed; the categories, articles
    /// and catalogue stay the payload's own bytes (slices, no copy), parsed once by whoever applies them.
    public static func decode(_ data: Data) throws -> FeedPayload {
        func bad(_ field: String, _ problem: String) -> FeedError { .malformed("payload \(field): \(problem)") }
        let members: [String: Data]
        do {
            members = Dictionary(try JSONSlices.members(data), uniquingKeysWith: { first, _ in first })
        } catch {
            throw FeedError.malformed("payload: not a JSON object (\(error))")
        }
        func scalar(_ key: String) throws -> Any? {
            guard let raw = members[key] else { return nil }
            guard let v = try? JSONSerialization.jsonObject(with: raw, options: [.fragmentsAllowed]) else { throw bad(key, "not valid JSON") }
            return v is NSNull ? nil : v
        }
        guard try scalar("format") as? String == format else { throw bad("format", "expected \"\(format)\"") }
        guard let k = try scalar("kind") as? String, let kind = Kind(rawValue: k) else { throw bad("kind", "expected snapshot or delta") }
        func int(_ key: String) throws -> Int? {
            guard let v = try scalar(key) else { return nil }
            guard let n = v as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue == n.doubleValue.rounded(),
                  n.doubleValue >= 0, n.doubleValue < 1e15 else { throw bad(key, "expected a whole number") }
            return n.intValue
        }
        guard let version = try int("version") else { throw bad("version", "missing") }
        let since = try int("since")
        if kind == .delta, since == nil { throw bad("since", "a delta needs the version it applies to") }
        func date(_ key: String) throws -> Date {
            guard let s = try scalar(key) as? String, let d = Open311Date.parse(s) else { throw bad(key, "expected an ISO 8601 time") }
            return d
        }
        func container(_ key: String, opening: UInt8) -> Data? {
            guard let raw = members[key], raw.first == opening else { return nil }
            return raw
        }
        guard let cats = container("categories", opening: UInt8(ascii: "[")) else { throw bad("categories", "expected a list") }
        guard let arts = container("articles", opening: UInt8(ascii: "[")) else { throw bad("articles", "expected a list") }
        let deleted = try scalar("deletedArticles") ?? [String]()
        guard let del = deleted as? [String] else { throw bad("deletedArticles", "expected a list of ids") }
        var services: Data?
        if members["services"] != nil, members["services"] != Data("null".utf8) {
            guard let s = container("services", opening: UInt8(ascii: "{")) else { throw bad("services", "expected a lckm-services/1 document") }
            services = s
        }
        var lexicons: [Data] = []
        if let raw = members["lexicons"], raw != Data("null".utf8) {
            guard raw.first == UInt8(ascii: "["), let tables = try? JSONSlices.elements(raw) else { throw bad("lexicons", "expected a list of lckm-lexicon/1 tables") }
            guard tables.count <= maxLexicons else { throw bad("lexicons", "more than \(maxLexicons) tables") }
            for (i, t) in tables.enumerated() where t.first != UInt8(ascii: "{") { throw bad("lexicons[\(i)]", "expected an object") }
            lexicons = tables
        }
        return FeedPayload(kind: kind, version: version, since: since, issued: try date("issued"), expires: try date("expires"),
                           categories: cats, articles: arts, deletedArticles: del, services: services, lexicons: lexicons)
    }
}

/// Why a feed was not applied. The good Knowledge Base stays in place in every case.
public enum FeedError: Error, Equatable, CustomStringConvertible {
    /// No signature, or not the envelope at all (an HTML error page, a proxy's answer).
    case unsigned(String)
    /// Signed by a key other than the configured one.
    case unknownKey(String)
    /// The signature does not match the payload: changed on the way.
    case altered
    /// Older than what the kiosk has (a replay or a rollback).
    case older(version: Int, have: Int)
    /// A delta for another version than the kiosk's.
    case gap(since: Int, have: Int)
    case expired(Date)
    /// Issued further in the future than clocks drift: a wrong server clock or a forged time.
    case fromTheFuture(Date)
    case malformed(String)
    case tooLarge(Int)

    public var description: String {
        switch self {
        case let .unsigned(why): return "the feed is not signed (\(why)); refused"
        case let .unknownKey(id): return "the feed is signed by key \(id), not the one in the config (server.feedPublicKeys); refused"
        case .altered: return "the feed's signature does not match its content: it was changed on the way; refused"
        case let .older(v, have): return "the feed is version \(v), older than this kiosk's \(have) (a replay or rollback); refused"
        case let .gap(since, have): return "the delta applies to version \(since), this kiosk has \(have); a full snapshot is needed"
        case let .expired(d): return "the feed expired at \(Open311Date.format(d)) (a replay, or the server's clock is wrong); refused"
        case let .fromTheFuture(d): return "the feed is dated \(Open311Date.format(d)), in the future; check the server's and the kiosk's clocks"
        case let .malformed(why): return "the feed is malformed: \(why)"
        case let .tooLarge(n): return "the feed is larger than \(n) bytes; refused"
        }
    }
}

/// The signed envelope on the wire: `{"format", "key", "payload": base64, "signature": base64}`. The signature
/// is over the payload's exact bytes, so nothing is canonicalised and nothing can be reordered into a match.
public enum SignedFeed {
    public static let format = "lckm-signed-feed/1"
    public static let contentType = "application/vnd.lckm.feed+json"
    /// A full Knowledge Base file may be 64 MiB; base64 adds a third.
    public static let maxBytes = 96 << 20
    /// How far a feed's issue time may be ahead of the kiosk's clock.
    public static let clockSkew: TimeInterval = 300

    /// A key's id: the first 16 hex digits of the SHA-256 of its raw bytes, for messages and key rotation.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        SHA256.hash(data: key.rawRepresentation).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public static func sign(_ payload: FeedPayload, with key: Curve25519.Signing.PrivateKey) throws -> Data {
        let bytes = try payload.encoded()
        let signature = try key.signature(for: bytes)
        // Written by hand: every value is ASCII that needs no escaping (the format, hex, base64), and a JSON
        // writer escaping a 70 MB string character by character took most of the server's time.
        var out = Data()
        out.reserveCapacity(bytes.count / 3 * 4 + 256)
        out.append(contentsOf: #"{"format":"\#(format)","key":"\#(keyID(key.publicKey))","payload":""#.utf8)
        out.append(bytes.base64EncodedData())
        out.append(contentsOf: #"","signature":""#.utf8)
        out.append(signature.base64EncodedData())
        out.append(contentsOf: #""}"#.utf8)
        return out
    }

    /// Checks the envelope and returns the payload, or says why it is refused. `have` is the version the kiosk
    /// applied last (nil for none).
    public static func verify(_ data: Data, keys: [Curve25519.Signing.PublicKey], have: Int?, now: Date) throws -> FeedPayload {
        guard data.count <= maxBytes else { throw FeedError.tooLarge(maxBytes) }
        guard let members = try? Dictionary(JSONSlices.members(data), uniquingKeysWith: { first, _ in first }) else {
            throw FeedError.unsigned("not a JSON envelope")
        }
        func text(_ key: String) -> String? { members[key].flatMap { try? JSONSlices.string($0) } }
        guard text("format") == format else { throw FeedError.unsigned("format is not \(format)") }
        guard let payloadBytes = members["payload"].flatMap(Self.base64String) else { throw FeedError.unsigned("no payload") }
        guard let signature = members["signature"].flatMap(Self.base64String), !signature.isEmpty else {
            throw FeedError.unsigned("no signature")
        }
        let id = text("key") ?? "?"
        guard let key = keys.first(where: { keyID($0) == id }) ?? (keys.count == 1 && members["key"] == nil ? keys.first : nil) else {
            throw FeedError.unknownKey(String(id.prefix(64)))
        }
        guard key.isValidSignature(signature, for: payloadBytes) else { throw FeedError.altered }
        let payload = try FeedPayload.decode(payloadBytes)
        if payload.expires <= now { throw FeedError.expired(payload.expires) }
        if payload.issued > now.addingTimeInterval(clockSkew) { throw FeedError.fromTheFuture(payload.issued) }
        if let have {
            if payload.version < have { throw FeedError.older(version: payload.version, have: have) }
            if payload.kind == .delta, let since = payload.since, since != have { throw FeedError.gap(since: since, have: have) }
        } else if payload.kind == .delta, let since = payload.since {
            throw FeedError.gap(since: since, have: 0)
        }
        return payload
    }

    /// The bytes of a base64 JSON string value; the common case (no escapes) is decoded from the slice as it is.
    static func base64String(_ slice: Data) -> Data? {
        guard slice.count >= 2, slice.first == UInt8(ascii: "\""), slice.last == UInt8(ascii: "\"") else { return nil }
        let inner = slice.dropFirst().dropLast()
        let escaped = inner.withUnsafeBytes { $0.contains(UInt8(ascii: "\\")) }
        if !escaped { return Data(base64Encoded: inner) }
        return (try? JSONSlices.string(slice)).flatMap { Data(base64Encoded: $0) }
    }

    /// A public key from its config form: base64 of the 32 raw bytes.
    public static func publicKey(base64: String) throws -> Curve25519.Signing.PublicKey {
        guard let raw = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)), raw.count == 32 else {
            throw FeedError.malformed("a feed public key is the base64 of 32 bytes (`kiosk-central feed-key` prints it)")
        }
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw FeedError.malformed("not an Ed25519 public key")
        }
    }
}
