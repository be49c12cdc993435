// The JSON and XML writers of the Open311 answers: one ordered tree per answer, two renderings, so the two
// formats can never disagree. Fields that are absent are left out (the community swagger types them as strings,
// so a JSON null would not validate).
import Foundation
import KioskProtocol

indirect enum Node: Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    /// An element present but empty (`<account_id/>` in XML); left out of JSON.
    case empty
    /// A list: JSON array; in XML a wrapper element holding one `item` element per entry.
    case list(item: String, [Node])
    case object([(String, Node)])
}

enum Render {
    static func json(_ node: Node) -> String {
        var out = ""
        json(node, into: &out)
        return out
    }

    static func json(_ node: Node, into out: inout String) {
        switch node {
        case let .string(s): jsonString(s, into: &out)
        case let .number(d): out += d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)) : "null"
        case let .integer(i): out += String(i)
        case let .bool(b): out += b ? "true" : "false"
        case .empty: out += "null"
        case let .list(_, items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                json(item, into: &out)
            }
            out += "]"
        case let .object(fields):
            out += "{"
            var first = true
            for (k, v) in fields {
                if case .empty = v { continue }
                if !first { out += "," }
                first = false
                jsonString(k, into: &out)
                out += ":"
                json(v, into: &out)
            }
            out += "}"
        }
    }

    static func jsonString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x2028 || u.value == 0x2029:
                out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// `root` wraps the list's entries (`<services><service>…`) or is the single element (`<service_definition>`).
    static func xml(_ node: Node, root: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml(node, name: root, into: &out)
        out += "\n"
        return out
    }

    static func xml(_ node: Node, name: String, into out: inout String) {
        switch node {
        case .empty: out += "<\(name)/>"
        case let .string(s): out += s.isEmpty ? "<\(name)/>" : "<\(name)>\(xmlEscape(s))</\(name)>"
        case .number, .integer, .bool: out += "<\(name)>\(json(node))</\(name)>"
        case let .list(item, items):
            out += "<\(name)>"
            for i in items { xml(i, name: item, into: &out) }
            out += "</\(name)>"
        case let .object(fields):
            out += "<\(name)>"
            for (k, v) in fields { xml(v, name: k, into: &out) }
            out += "</\(name)>"
        }
    }

    /// Escapes markup and drops what XML 1.0 cannot carry at all (control characters, U+FFFE/FFFF).
    static func xmlEscape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF || (0x7F...0x9F).contains(u.value): continue
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func html(_ s: String) -> String { xmlEscape(s) }
}

/// The Open311 answers as trees.
enum Open311Nodes {
    static func service(_ s: Open311Service) -> Node {
        .object([
            ("service_code", .string(s.serviceCode)), ("service_name", .string(s.serviceName)),
            ("description", .string(s.description)), ("metadata", .bool(s.metadata)), ("type", .string(s.type)),
            ("keywords", .string(s.keywords.joined(separator: ","))), ("group", .string(s.group)),
        ])
    }

    static func definition(_ d: Open311ServiceDefinition) -> Node {
        .object([
            ("service_code", .string(d.serviceCode)),
            ("attributes", .list(item: "attribute", d.attributes.map { a in
                .object([
                    ("variable", .bool(a.variable)), ("code", .string(a.code)), ("datatype", .string(a.datatype)),
                    ("required", .bool(a.required)), ("datatype_description", .string(a.datatypeDescription)),
                    ("order", .integer(a.order)), ("description", .string(a.description)),
                    ("values", .list(item: "value", a.values.map { .object([("key", .string($0.key)), ("name", .string($0.name))]) })),
                ])
            })),
        ])
    }

    static func request(_ r: StoredRequest) -> Node {
        var f: [(String, Node)] = [("service_request_id", .string(r.serviceRequestID))]
        func opt(_ k: String, _ v: String?) { if let v { f.append((k, .string(v))) } }
        f.append(("status", .string(r.status)))
        opt("status_notes", r.statusNotes)
        f.append(("service_name", .string(r.serviceName)))
        f.append(("service_code", .string(r.serviceCode)))
        opt("description", r.description)
        f.append(("agency_responsible", .string(r.agency)))
        f.append(("service_notice", .string(r.serviceNotice)))
        f.append(("requested_datetime", .string(Open311Date.format(r.requested))))
        f.append(("updated_datetime", .string(Open311Date.format(r.updated))))
        opt("address", r.address)
        opt("address_id", r.addressID)
        opt("zipcode", r.zipcode)
        if let lat = r.lat, let long = r.long { f.append(("lat", .number(lat))); f.append(("long", .number(long))) }
        opt("media_url", r.mediaURL)
        opt("ticket", r.ticket)
        return .object(f)
    }

    static func postAnswer(_ o: PostOutcome, tokens: Bool) -> Node {
        if tokens, let token = o.token { return .object([("token", .string(token))]) }
        return .object([("service_request_id", .string(o.serviceRequestID)), ("service_notice", .string(o.serviceNotice)),
                        ("account_id", .empty)])
    }

    static func error(_ e: Open311Error) -> Node {
        .object([("code", .integer(e.code)), ("description", .string(e.description))])
    }
}
