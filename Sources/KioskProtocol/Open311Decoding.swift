// Tolerant reading of Open311 GeoReport v2 answers from any server, JSON or XML, with limits: the quirks real
// servers have are accepted, anything that is not an Open311 answer is refused with what came instead.
import Foundation
import KioskCore

/// Why an answer could not be read: what was expected, what came, and the first bytes of it.
public struct Open311DecodingError: Error, Equatable, CustomStringConvertible {
    public var expected: String
    public var found: String
    public var excerpt: String
    public init(expected: String, found: String, excerpt: String) {
        self.expected = expected; self.found = found; self.excerpt = excerpt
    }
    public var description: String {
        excerpt.isEmpty ? "expected \(expected), got \(found)" : "expected \(expected), got \(found): «\(excerpt)»"
    }
}

public enum Open311Decoding {
    public struct Limits: Sendable, Equatable {
        /// The caller's cap on the body (the HTTP client stops reading there too).
        public var maxBytes: Int
        public var maxItems: Int
        /// Longer text is cut to this many characters (a long description still shows); ids and codes are text too.
        public var maxStringLength: Int
        public var maxDepth: Int
        public init(maxBytes: Int = 1 << 20, maxItems: Int = 10_000, maxStringLength: Int = 10_000, maxDepth: Int = 32) {
            self.maxBytes = maxBytes; self.maxItems = maxItems; self.maxStringLength = maxStringLength; self.maxDepth = maxDepth
        }
    }

    // MARK: The answers

    public static func services(_ data: Data, format: Open311.Format? = nil, limits: Limits = Limits()) throws -> [Open311Service] {
        let what = "a list of services"
        let items = try records(data, format: format, limits: limits, expected: what,
                                wrappers: ["services"], itemKey: "service_code")
        return try items.enumerated().map { i, r in
            guard let code = r.text("service_code") else { throw r.missing("service_code", item: i, expected: what) }
            return Open311Service(serviceCode: code, serviceName: r.text("service_name") ?? code,
                                  description: r.text("description") ?? "", metadata: r.bool("metadata") ?? false,
                                  type: r.text("type") ?? "realtime", keywords: r.keywords("keywords"),
                                  group: r.text("group") ?? "")
        }
    }

    public static func serviceDefinition(_ data: Data, format: Open311.Format? = nil, limits: Limits = Limits()) throws -> Open311ServiceDefinition {
        let what = "a service definition"
        let items = try records(data, format: format, limits: limits, expected: what,
                                wrappers: ["service_definition", "service_definitions"], itemKey: "service_code", single: true)
        guard let r = items.first else { throw Open311DecodingError(expected: what, found: "an empty list", excerpt: excerpt(data)) }
        guard let code = r.text("service_code") else { throw r.missing("service_code", item: 0, expected: what) }
        // Some servers wrap the attributes in <attributes>, SF puts each <attribute> under the root.
        let attrRecords = r.has("attributes") ? r.list("attributes") : r.all("attribute")
        guard attrRecords.count <= limits.maxItems else { throw tooMany(what, limits) }
        let attributes = try attrRecords.enumerated().map { i, a -> Open311Attribute in
            guard let c = a.text("code") else { throw a.missing("code", item: i, expected: "an attribute") }
            let values = a.list("values").compactMap { v -> Open311AttributeValue? in
                guard let key = v.text("key") else { return nil }
                return Open311AttributeValue(key: key, name: v.text("name") ?? key)
            }
            return Open311Attribute(variable: a.bool("variable") ?? true, code: c, datatype: a.text("datatype") ?? "string",
                                    required: a.bool("required") ?? false,
                                    datatypeDescription: a.text("datatype_description") ?? "",
                                    order: a.int("order") ?? (i + 1), description: a.text("description") ?? c, values: values)
        }
        return Open311ServiceDefinition(serviceCode: code, attributes: attributes)
    }

    public static func requests(_ data: Data, format: Open311.Format? = nil, limits: Limits = Limits()) throws -> [Open311Request] {
        let what = "a list of service requests"
        let items = try records(data, format: format, limits: limits, expected: what,
                                wrappers: ["service_requests", "requests"], itemKey: "service_request_id", altItemKey: "token")
        return try items.enumerated().map { i, r in
            let id = r.text("service_request_id"), token = r.text("token")
            guard id != nil || token != nil else { throw r.missing("service_request_id", item: i, expected: what) }
            return Open311Request(
                serviceRequestID: id, token: token, status: r.text("status") ?? "unknown", statusNotes: r.text("status_notes"),
                serviceName: r.text("service_name"), serviceCode: r.text("service_code"), description: r.text("description"),
                agencyResponsible: r.text("agency_responsible"), serviceNotice: r.text("service_notice"),
                requestedDatetime: r.text("requested_datetime"), updatedDatetime: r.text("updated_datetime"),
                expectedDatetime: r.text("expected_datetime"), address: r.text("address"), addressID: r.text("address_id"),
                zipcode: r.text("zipcode"), lat: r.coordinate("lat", limit: 90), long: r.coordinate("long", limit: 180),
                mediaURL: r.text("media_url"), ticket: r.text("ticket") ?? r.text(Open311.ticketAttribute))
        }
    }

    /// The answer to `POST requests`: an id, or a token.
    public static func postAnswers(_ data: Data, format: Open311.Format? = nil, limits: Limits = Limits()) throws -> [Open311PostAnswer] {
        try answers(data, format: format, limits: limits, expected: "the answer to a new request (service_request_id or token)")
    }

    /// The answer to `tokens/{token}`: the id the token became (none yet while the server works on it).
    public static func tokenAnswers(_ data: Data, format: Open311.Format? = nil, limits: Limits = Limits()) throws -> [Open311PostAnswer] {
        try answers(data, format: format, limits: limits, expected: "the answer to a token (service_request_id and token)")
    }

    /// The spec's `[{code, description}]`, a bare `<error>text</error>` (SF) or one JSON object. A bare error has
    /// no code: `defaultCode` (the HTTP status) stands in.
    public static func errors(_ data: Data, format: Open311.Format? = nil, defaultCode: Int = 0, limits: Limits = Limits()) throws -> [Open311Error] {
        let what = "an Open311 error list"
        let tree = try parse(data, format: format, limits: limits, expected: what)
        let clean = Cleaner(limits: limits)
        if case let .xmlText(name, text) = tree, name == "error" {
            return [Open311Error(code: defaultCode, description: clean(text) ?? "")]
        }
        let items = try listItems(tree, data: data, limits: limits, expected: what, wrappers: ["errors"],
                                  itemKey: "description", altItemKey: "code", single: true, acceptErrors: true)
        return items.map { r in
            Open311Error(code: r.int("code") ?? defaultCode, description: r.text("description") ?? r.text("message") ?? "")
        }
    }

    // MARK: Shared reading

    static func answers(_ data: Data, format: Open311.Format?, limits: Limits, expected: String) throws -> [Open311PostAnswer] {
        let items = try records(data, format: format, limits: limits, expected: expected,
                                wrappers: ["service_requests", "requests"], itemKey: "service_request_id", altItemKey: "token")
        return try items.enumerated().map { i, r in
            let id = r.text("service_request_id"), token = r.text("token")
            guard id != nil || token != nil else { throw r.missing("service_request_id", item: i, expected: expected) }
            return Open311PostAnswer(serviceRequestID: id, token: token, serviceNotice: r.text("service_notice"),
                                     accountID: r.text("account_id"))
        }
    }

    static func records(_ data: Data, format: Open311.Format?, limits: Limits, expected: String, wrappers: Set<String>,
                        itemKey: String, altItemKey: String? = nil, single: Bool = false) throws -> [Record] {
        let tree = try parse(data, format: format, limits: limits, expected: expected)
        return try listItems(tree, data: data, limits: limits, expected: expected, wrappers: wrappers, itemKey: itemKey,
                             altItemKey: altItemKey, single: single, acceptErrors: false)
    }

    /// Finds the items of a list answer: a JSON list, a JSON object wrapping one, or an XML root with item children;
    /// a lone item stands for a list of one. An error answer is reported as such.
    static func listItems(_ value: Loose, data: Data, limits: Limits, expected: String, wrappers: Set<String>, itemKey: String,
                          altItemKey: String?, single: Bool, acceptErrors: Bool) throws -> [Record] {
        let clean = Cleaner(limits: limits)
        func isItem(_ r: Record) -> Bool { r.has(itemKey) || altItemKey.map(r.has) == true }
        func checkNotError(_ r: Record) throws {
            guard !acceptErrors, !isItem(r), r.has("description") || r.has("code") else { return }
            let code = r.int("code").map { "\($0) " } ?? ""
            throw Open311DecodingError(expected: expected, found: "the server's error \(code)\"\(r.text("description") ?? "")\"",
                                       excerpt: "")
        }
        var items: [Loose]
        switch value {
        case let .list(xs):
            items = xs
        case let .object(pairs, xmlName):
            let r = Record(pairs: pairs, clean: clean)
            let isXML = xmlName != nil
            if let rootName = xmlName, rootName == "errors" || rootName == "error", !acceptErrors {
                let first = r.all("error").first ?? r
                throw Open311DecodingError(expected: expected, found: "the server's error \(first.int("code").map { "\($0) " } ?? "")\"\(first.text("description") ?? "")\"", excerpt: "")
            }
            if isItem(r), single || !isXML || !wrappers.contains(xmlName ?? "") {
                items = [value]
            } else if isXML {
                // The root is the list: every element child that has fields of its own is an item.
                items = pairs.map(\.1).filter { if case .object = $0 { return true } else { return false } }
                if items.isEmpty, r.has("error") || r.has("description") {
                    try checkNotError(r.all("error").first ?? r)
                }
            } else if let key = wrappers.first(where: r.has), case let .list(xs)? = r.value(key) {
                items = xs
            } else if let key = wrappers.first(where: r.has), case .object? = r.value(key), let v = r.value(key) {
                items = [v]
            } else {
                try checkNotError(r)
                let keys = pairs.prefix(6).map(\.0).joined(separator: ", ")
                throw Open311DecodingError(expected: expected, found: "an object with keys \(keys)", excerpt: excerpt(data))
            }
        case let .xmlText(name, text):
            if name == "error", !acceptErrors {
                throw Open311DecodingError(expected: expected, found: "the server's error \"\(clean(text) ?? "")\"", excerpt: "")
            }
            // `<service_requests></service_requests>`: an empty list.
            guard clean(text) == nil else {
                throw Open311DecodingError(expected: expected, found: "a lone <\(clean(name) ?? "")> element with text", excerpt: excerpt(data))
            }
            items = []
        case .text, .number, .bool, .null:
            throw Open311DecodingError(expected: expected, found: "a single \(value.kind)", excerpt: excerpt(data))
        }
        guard items.count <= limits.maxItems else { throw tooMany(expected, limits) }
        return try items.enumerated().map { i, item in
            guard case let .object(pairs, _) = item else {
                throw Open311DecodingError(expected: expected, found: "item \(i + 1) is a \(item.kind), not an object", excerpt: excerpt(data))
            }
            let r = Record(pairs: pairs, clean: clean)
            try checkNotError(r)
            return r
        }
    }

    static func tooMany(_ expected: String, _ limits: Limits) -> Open311DecodingError {
        Open311DecodingError(expected: expected, found: "more than \(limits.maxItems) items (the limit)", excerpt: "")
    }

    /// Reads the body as JSON or XML: the format asked for, but what the body is wins (a server that answers
    /// XML to a .json URL is still read); HTML and anything else is refused.
    static func parse(_ raw: Data, format: Open311.Format?, limits: Limits, expected: String) throws -> Loose {
        guard raw.count <= limits.maxBytes else {
            throw Open311DecodingError(expected: expected, found: "a body larger than \(limits.maxBytes) bytes", excerpt: "")
        }
        var data = raw
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data = data.dropFirst(3) }
        data = Data(data)
        guard let first = data.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            throw Open311DecodingError(expected: expected, found: "an empty body", excerpt: "")
        }
        let wanted = format.map { "\($0.rawValue.uppercased()) " } ?? ""
        if first == UInt8(ascii: "<") {
            let head = String(decoding: data.prefix(512), as: UTF8.self).lowercased()
            if head.contains("<html") || head.contains("<!doctype html") || head.contains("<body") {
                throw Open311DecodingError(expected: "\(wanted)\(expected)", found: "an HTML page (a proxy, portal or error page?)",
                                           excerpt: excerpt(data))
            }
            do {
                let root = try XMLTree.parse(data, limits: XMLTree.Limits(maxDepth: limits.maxDepth))
                return Loose(root)
            } catch let p as XMLTree.Problem {
                throw Open311DecodingError(expected: "\(wanted)\(expected)", found: "XML that cannot be read: \(p.description)",
                                           excerpt: excerpt(data))
            }
        }
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
            do {
                var p = JSONReader(bytes: [UInt8](data), maxDepth: limits.maxDepth)
                return try p.document()
            } catch let p as JSONReader.Problem {
                throw Open311DecodingError(expected: "\(wanted)\(expected)", found: "JSON that cannot be read: \(p.description)",
                                           excerpt: excerpt(data))
            }
        }
        throw Open311DecodingError(expected: "\(wanted)\(expected)", found: "neither JSON nor XML", excerpt: excerpt(data))
    }

    /// The first characters of a body for a message: invalid UTF-8 replaced, controls shown as spaces.
    public static func excerpt(_ data: Data, length: Int = 80) -> String {
        let s = String(decoding: data.prefix(length * 4), as: UTF8.self)
        let shown = s.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : String($0) }.joined()
        let cut = shown.prefix(length)
        return cut.count < shown.count ? cut + "…" : String(cut)
    }
}

// MARK: The kiosk's view

extension ServerRequestStatus {
    /// What a resident is shown of a server's request. A request known only by its token shows the token as its number.
    public init(from r: Open311Request) {
        self.init(serviceRequestID: r.serviceRequestID ?? r.token ?? "", ticket: r.ticket, serviceCode: r.serviceCode,
                  serviceName: r.serviceName, status: r.status, statusNotes: r.statusNotes, agency: r.agencyResponsible,
                  address: r.address, description: r.description, requested: r.requestedDatetime.flatMap(Open311Date.parse),
                  updated: r.updatedDatetime.flatMap(Open311Date.parse), latitude: r.lat, longitude: r.long)
    }
}

// MARK: The loose tree both formats become

/// A value from either format, before it means anything. Numbers keep their literal so a huge one is not rounded.
indirect enum Loose {
    case text(String)
    case number(String)
    case bool(Bool)
    case null
    case list([Loose])
    /// Keys may repeat (XML siblings). `xmlName` is the element's name for XML (where a lone child may
    /// stand for a list of one), nil for JSON.
    case object([(String, Loose)], xmlName: String?)
    /// An XML element with text and no children (also the root `<error>text</error>`).
    case xmlText(String, String)

    init(_ e: XMLElementNode) {
        if e.attributes["xsi:nil"] == "true" || e.attributes["nil"] == "true" {
            self = .null
        } else if e.children.isEmpty {
            self = .xmlText(e.name, e.text)
        } else {
            self = .object(e.children.map { ($0.name, Loose($0)) }, xmlName: e.name)
        }
    }

    var kind: String {
        switch self {
        case .text, .xmlText: return "string"
        case .number: return "number"
        case .bool: return "boolean"
        case .null: return "null"
        case .list: return "list"
        case .object: return "object"
        }
    }
}

/// Text made safe to show and store: trimmed, controls removed (newlines kept), bidi overrides removed, cut to
/// the limit.
struct Cleaner {
    let limits: Open311Decoding.Limits

    func callAsFunction(_ s: String) -> String? {
        var out = String.UnicodeScalarView()
        var count = 0
        for u in s.unicodeScalars {
            if count >= limits.maxStringLength { break }
            switch u.value {
            case 0x0A: out.append(u)
            case 0x09, 0x0D: out.append(" ")
            case 0x202A...0x202E, 0x2066...0x2069, 0x200B, 0xFEFF: continue
            default:
                if u.properties.generalCategory == .control { continue }
                out.append(u)
            }
            count += 1
        }
        let t = String(out).trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? nil : t
    }
}

/// One object's fields with the tolerant readers: ids as numbers or strings, booleans as words or digits,
/// numbers as strings, empty elements and nulls as missing.
struct Record {
    let pairs: [(String, Loose)]
    let clean: Cleaner

    func has(_ key: String) -> Bool { pairs.contains { $0.0 == key } }
    func value(_ key: String) -> Loose? { pairs.first { $0.0 == key }?.1 }

    func text(_ key: String) -> String? {
        switch value(key) {
        case let .text(s)?, let .xmlText(_, s)?, let .number(s)?: return clean(s)
        case let .bool(b)?: return b ? "true" : "false"
        default: return nil
        }
    }

    func bool(_ key: String) -> Bool? {
        switch value(key) {
        case let .bool(b)?: return b
        case let .text(s)?, let .xmlText(_, s)?, let .number(s)?:
            switch s.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() {
            case "true", "1", "yes", "t", "y": return true
            case "false", "0", "no", "f", "n": return false
            default: return nil
            }
        default: return nil
        }
    }

    func double(_ key: String) -> Double? {
        guard let s = text(key), s.count <= 40, let d = Double(s), d.isFinite else { return nil }
        return d
    }

    func coordinate(_ key: String, limit: Double) -> Double? {
        guard let d = double(key), abs(d) <= limit else { return nil }
        return d
    }

    func int(_ key: String) -> Int? {
        guard let d = double(key), d == d.rounded(), abs(d) < 1e15 else { return nil }
        return Int(d)
    }

    /// Keywords as a list or as one comma-separated string.
    func keywords(_ key: String) -> [String] {
        if case let .list(xs)? = value(key) {
            return xs.compactMap { if case let .text(s) = $0 { return clean(s) } else { return nil } }
        }
        return (text(key) ?? "").split(separator: ",").compactMap { clean(String($0)) }
    }

    /// A list field: a JSON list of objects, or an XML wrapper whose children are the items.
    func list(_ key: String) -> [Record] {
        switch value(key) {
        case let .list(xs)?:
            return xs.compactMap { if case let .object(p, _) = $0 { return Record(pairs: p, clean: clean) } else { return nil } }
        case let .object(p, _?)?:
            return p.compactMap { if case let .object(q, _) = $0.1 { return Record(pairs: q, clean: clean) } else { return nil } }
        case let .object(p, nil)?:
            return [Record(pairs: p, clean: clean)]
        default:
            return []
        }
    }

    /// Every field with this key that is an object (repeated XML siblings).
    func all(_ key: String) -> [Record] {
        pairs.compactMap { k, v in
            guard k == key, case let .object(p, _) = v else { return nil }
            return Record(pairs: p, clean: clean)
        }
    }

    func missing(_ key: String, item: Int, expected: String) -> Open311DecodingError {
        let keys = pairs.map(\.0).prefix(8).joined(separator: ", ")
        return Open311DecodingError(expected: expected, found: "item \(item + 1) without \(key) (it has: \(keys))", excerpt: "")
    }
}

// MARK: JSON

/// A small JSON reader with a depth limit, strict UTF-8 and numbers kept as text. Foundation's reader has no
/// depth limit on every platform and turns 1e400 into infinity.
struct JSONReader {
    struct Problem: Error { var description: String }
    let bytes: [UInt8]
    let maxDepth: Int
    var i = 0

    init(bytes: [UInt8], maxDepth: Int) { self.bytes = bytes; self.maxDepth = maxDepth }

    mutating func document() throws -> Loose {
        let v = try value(depth: 0)
        skipSpace()
        if i < bytes.count { throw Problem(description: "extra content after the JSON value at byte \(i)") }
        return v
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    func truncated() -> Problem { Problem(description: "the body ends in the middle (truncated at byte \(bytes.count))") }

    mutating func value(depth: Int) throws -> Loose {
        skipSpace()
        guard i < bytes.count else { throw truncated() }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw Problem(description: "nested deeper than \(maxDepth) levels") }
            i += 1
            var pairs: [(String, Loose)] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs, xmlName: nil) }
            while true {
                skipSpace()
                guard i < bytes.count else { throw truncated() }
                guard bytes[i] == UInt8(ascii: "\"") else { throw Problem(description: "expected a key at byte \(i)") }
                let key = try string()
                skipSpace()
                guard i < bytes.count else { throw truncated() }
                guard bytes[i] == UInt8(ascii: ":") else { throw Problem(description: "expected ':' at byte \(i)") }
                i += 1
                pairs.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw truncated() }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(pairs, xmlName: nil) }
                throw Problem(description: "expected ',' or '}' at byte \(i)")
            }
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw Problem(description: "nested deeper than \(maxDepth) levels") }
            i += 1
            var items: [Loose] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw truncated() }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .list(items) }
                throw Problem(description: "expected ',' or ']' at byte \(i)")
            }
        case UInt8(ascii: "\""):
            return .text(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = i
            while i < bytes.count, "+-.eE0123456789".utf8.contains(bytes[i]) { i += 1 }
            guard i - start <= 400 else { throw Problem(description: "a number of \(i - start) digits") }
            return .number(String(decoding: bytes[start..<i], as: UTF8.self))
        default:
            throw Problem(description: "unexpected character at byte \(i)")
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count else { throw truncated() }
        guard Array(bytes[i..<(i + w.count)]) == w else { throw Problem(description: "unexpected word at byte \(i)") }
        i += w.count
    }

    mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw truncated() }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; break }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { throw truncated() }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"), UInt8(ascii: "f"): break
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) { code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00) }
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: throw Problem(description: "a bad escape at byte \(i - 2)")
                }
                continue
            }
            out.append(b)
            i += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw Problem(description: "invalid UTF-8 in a string ending at byte \(i)")
        }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw truncated() }
        guard let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw Problem(description: "a bad \\u escape at byte \(i)")
        }
        i += 4
        return v
    }
}
