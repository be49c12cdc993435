// Checking a POST requests form against the catalogue: every problem is a 400 naming the field, before
// anything is stored.
import Crypto
import Foundation
import KioskCore
import KioskProtocol

enum RequestValidation {
    static let maxDescription = 4_000
    static let maxField = 4_000
    static let maxAddress = 500

    static func bad(_ s: String) -> Open311Error { Open311Error(code: 400, description: s) }

    /// Refuses control characters (other than line breaks and tabs in free text) and over-long values.
    static func clean(_ name: String, _ value: String, max: Int, multiline: Bool = false) throws -> String {
        guard value.count <= max else { throw bad("\(name): \(value.count) characters, more than the limit of \(max)") }
        for u in value.unicodeScalars {
            let control = u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0xFFFE || u.value == 0xFFFF
            if control && !(multiline && (u == "\n" || u == "\r" || u == "\t")) {
                throw bad("\(name): contains a control character (U+\(String(format: "%04X", u.value)))")
            }
        }
        return value
    }

    /// The idempotency key's payload: every field but the api_key and jurisdiction, in a stable order.
    static func payloadHash(_ fields: [(String, String)]) -> String {
        let kept = fields.filter { $0.0 != "api_key" && $0.0 != "jurisdiction_id" }
        let sorted = kept.enumerated().sorted { a, b in a.element.0 != b.element.0 ? a.element.0 < b.element.0 : a.offset < b.offset }
        let canonical = FormURLEncoding.encode(sorted.map(\.element))
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func number(_ name: String, _ s: String) throws -> Double {
        guard let d = Double(s.trimmingCharacters(in: .whitespaces)), d.isFinite else { throw bad("\(name): \"\(s.prefix(40))\" is not a number") }
        return d
    }

    /// Reads the form into a request for the store, or says what is wrong.
    static func request(fields: [(String, String)], kioskID: String, catalog: ServiceCatalog, now: Date) throws -> NewServiceRequest {
        var single: [String: String] = [:]
        var attributes: [String: [String]] = [:]
        for (k, v) in fields {
            if k.hasPrefix("attribute[") {
                var code = k.dropFirst("attribute[".count)
                var list = false
                if code.hasSuffix("][]") { code = code.dropLast(3); list = true } else if code.hasSuffix("]") { code = code.dropLast() } else {
                    throw bad("\(k.prefix(60)): an attribute is sent as attribute[code]=value")
                }
                guard !code.isEmpty, code.count <= 64, !code.contains("["), !code.contains("]") else {
                    throw bad("\(k.prefix(60)): not a valid attribute code")
                }
                let value = try clean(String(k.prefix(80)), v, max: maxField, multiline: true)
                if list { attributes[String(code), default: []].append(value) } else { attributes[String(code)] = [value] }
            } else {
                single[k] = v
            }
        }
        guard let code = single["service_code"], !code.isEmpty else { throw bad("service_code: missing (required)") }
        _ = try clean("service_code", code, max: 64)
        guard let service = catalog.service(code: code) else {
            throw bad("service_code: \"\(code.prefix(64))\" is not a service of this server; see services.json")
        }
        func text(_ name: String, max: Int = maxField, multiline: Bool = false) throws -> String? {
            guard let v = single[name] else { return nil }
            let t = try clean(name, v, max: max, multiline: multiline)
            return t.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : t
        }
        var lat: Double?, long: Double?
        switch (try text("lat"), try text("long")) {
        case (nil, nil): break
        case let (la?, lo?):
            let a = try number("lat", la), o = try number("long", lo)
            guard (-90...90).contains(a) else { throw bad("lat: \(a) is outside -90…90") }
            guard (-180...180).contains(o) else { throw bad("long: \(o) is outside -180…180") }
            lat = a; long = o
        default: throw bad("lat and long: send both or neither")
        }
        let address = try text("address_string", max: maxAddress)
        let addressID = try text("address_id", max: 128)
        guard lat != nil || address != nil || addressID != nil else {
            throw bad("location: send lat and long, address_string or address_id")
        }
        let description = try text("description", max: maxDescription, multiline: true)
        var mediaURL = try text("media_url", max: 1_000)
        if let m = mediaURL {
            guard let u = URL(string: m), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
                throw bad("media_url: \"\(m.prefix(60))\" is not an http(s) address")
            }
            mediaURL = m
        }
        for a in service.attributes {
            let values = attributes[a.code] ?? []
            let present = values.contains { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            if a.required && !present { throw bad("attribute[\(a.code)]: missing (required for \(service.code))") }
            guard present else { continue }
            let name = "attribute[\(a.code)]"
            if a.datatype != .multivaluelist && values.count > 1 { throw bad("\(name): one value expected, got \(values.count)") }
            switch a.datatype {
            case .number: _ = try number(name, values[0])
            case .datetime:
                guard Open311Date.parse(values[0]) != nil else { throw bad("\(name): \"\(values[0].prefix(40))\" is not an ISO 8601 date and time") }
            case .singlevaluelist, .multivaluelist:
                let keys = Set(a.values.map(\.key))
                if let odd = values.first(where: { !keys.contains($0) }) {
                    throw bad("\(name): \"\(odd.prefix(40))\" is not one of \(a.values.map(\.key).joined(separator: ", "))")
                }
            case .string, .text: break
            }
        }
        return NewServiceRequest(
            serviceCode: service.code, serviceName: service.name.pl, agency: catalog.unitName(service.unit),
            serviceNotice: "Zgłoszenie przekazano: \(catalog.unitName(service.unit)).", description: description,
            address: address, addressID: addressID, zipcode: try text("zipcode", max: 16), lat: lat, long: long,
            mediaURL: mediaURL, email: try text("email", max: 254), phone: try text("phone", max: 40),
            firstName: try text("first_name", max: 100), lastName: try text("last_name", max: 100),
            deviceID: try text("device_id", max: 128), kioskID: kioskID, ticket: attributes[Open311.ticketAttribute]?.first,
            attributes: attributes, requested: now)
    }
}
