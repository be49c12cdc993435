// The fields of `POST requests` (application/x-www-form-urlencoded), built from a resident's submission on the
// kiosk and read back on the server: one naming for both ends.
import Foundation
import KioskCore

/// A POST request as fields, in the spec's names; our additions ride along as attributes.
public struct RequestForm: Sendable, Equatable {
    public var apiKey: String?
    public var serviceCode: String
    public var lat: Double?
    public var long: Double?
    public var addressString: String?
    public var addressID: String?
    public var description: String?
    public var email: String?
    public var phone: String?
    public var deviceID: String?
    public var mediaURL: String?
    /// `attribute[code]` = value, or `attribute[code][]` = each value of a multivaluelist, in order.
    public var attributes: [String: [String]]

    public init(apiKey: String? = nil, serviceCode: String, lat: Double? = nil, long: Double? = nil,
                addressString: String? = nil, addressID: String? = nil, description: String? = nil,
                email: String? = nil, phone: String? = nil, deviceID: String? = nil, mediaURL: String? = nil,
                attributes: [String: [String]] = [:]) {
        self.apiKey = apiKey; self.serviceCode = serviceCode; self.lat = lat; self.long = long
        self.addressString = addressString; self.addressID = addressID; self.description = description
        self.email = email; self.phone = phone; self.deviceID = deviceID; self.mediaURL = mediaURL
        self.attributes = attributes
    }

    public var idempotencyKey: String? { attributes[Open311.idempotencyAttribute]?.first }
    public var ticket: String? { attributes[Open311.ticketAttribute]?.first }

    /// What the kiosk sends for a saved submission. The ticket and the idempotency key go as attributes, so a
    /// plain Open311 server keeps them with the request.
    public static func from(_ s: Submission, ticket: String, idempotencyKey: String, deviceID: String, apiKey: String?) -> RequestForm {
        var f = RequestForm(apiKey: apiKey, serviceCode: s.serviceCode, description: s.description, deviceID: deviceID)
        switch s.location {
        case let .kiosk(address, lat, lon):
            f.lat = lat; f.long = lon; f.addressString = address
        case let .street(name, number):
            f.addressString = number.isEmpty ? "\(name), Łódź" : "\(name) \(number), Łódź"
        case let .landmark(text):
            f.addressString = text
        }
        for (code, answer) in s.answers {
            switch answer {
            case let .text(t): f.attributes[code] = [t]
            case let .number(n): f.attributes[code] = [Self.number(n)]
            case let .datetime(d): f.attributes[code] = [Open311Date.format(d)]
            case let .choice(k): f.attributes[code] = [k]
            case let .choices(ks): f.attributes[code] = ks
            }
        }
        if let c = s.contact { f.email = c.email; f.phone = c.phone }
        f.attributes[Open311.idempotencyAttribute] = [idempotencyKey]
        f.attributes[Open311.ticketAttribute] = [ticket]
        return f
    }

    static func number(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
    }

    /// The fields in a stable order (attributes sorted by code), for the body and for comparing payloads.
    public var fields: [(String, String)] {
        var out: [(String, String)] = []
        func add(_ k: String, _ v: String?) { if let v { out.append((k, v)) } }
        add("api_key", apiKey)
        add("service_code", serviceCode)
        add("lat", lat.map { String($0) })
        add("long", long.map { String($0) })
        add("address_string", addressString)
        add("address_id", addressID)
        add("description", description)
        add("email", email)
        add("phone", phone)
        add("device_id", deviceID)
        add("media_url", mediaURL)
        for code in attributes.keys.sorted() {
            let values = attributes[code] ?? []
            if values.count == 1, !Self.multiCodes.contains(code) {
                out.append(("attribute[\(code)]", values[0]))
            } else {
                for v in values { out.append(("attribute[\(code)][]", v)) }
            }
        }
        return out
    }

    /// Codes a kiosk always sends as lists would go here; none today (a list of one is sent plainly).
    static let multiCodes: Set<String> = []

    /// The form body: `application/x-www-form-urlencoded; charset=utf-8`.
    public var body: String { FormURLEncoding.encode(fields) }
}

/// `application/x-www-form-urlencoded` both ways, with limits for what a server reads.
public enum FormURLEncoding {
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func encode(_ fields: [(String, String)]) -> String {
        fields.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads a form body. `+` is a space; a bad escape, invalid UTF-8 or too many fields is refused.
    public static func decode(_ body: String, maxFields: Int = 200) throws -> [(String, String)] {
        guard !body.isEmpty else { return [] }
        var out: [(String, String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            guard out.count < maxFields else { throw Problem(description: "more than \(maxFields) fields") }
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func unescape(_ s: Substring) throws -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                guard let v = spaced.removingPercentEncoding else {
                    throw Problem(description: "a bad %-escape or invalid UTF-8 in \"\(String(s.prefix(40)))\"")
                }
                return v
            }
            let key = try unescape(parts[0])
            let value = parts.count > 1 ? try unescape(parts[1]) : ""
            out.append((key, value))
        }
        return out
    }
}
