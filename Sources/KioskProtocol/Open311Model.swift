// Open311 GeoReport v2 as both ends see it: services, definitions, requests, errors, and the fields of a POST.
// The central server writes these (Writers.swift) and the kiosk reads them tolerantly (Open311Decoding) from any
// server, both by the spec's snake_case wire names: no Codable, whose camelCase keys would not match the wire.
import Foundation

public enum Open311 {
    /// Where the API lives on kiosk-central (and on most Open311 servers, below their own prefix).
    public static let basePath = "/open311/v2"
    /// Response formats of the spec.
    public enum Format: String, Sendable, CaseIterable { case json, xml }

    /// Our additions, sent as attributes so a plain Open311 server keeps them with the request.
    public static let idempotencyAttribute = "kiosk_idempotency_key"
    public static let ticketAttribute = "kiosk_ticket"
    /// The header that carries the idempotency key to a server that understands it.
    public static let idempotencyHeader = "Idempotency-Key"
}

/// `service` of `services.{json,xml}`.
public struct Open311Service: Sendable, Equatable {
    public var serviceCode: String
    public var serviceName: String
    public var description: String
    /// Whether a definition with attributes exists.
    public var metadata: Bool
    /// `realtime`, `batch` or `blackbox`.
    public var type: String
    public var keywords: [String]
    public var group: String

    public init(serviceCode: String, serviceName: String, description: String, metadata: Bool, type: String = "realtime",
                keywords: [String] = [], group: String = "") {
        self.serviceCode = serviceCode; self.serviceName = serviceName; self.description = description
        self.metadata = metadata; self.type = type; self.keywords = keywords; self.group = group
    }
}

public struct Open311AttributeValue: Sendable, Equatable {
    public var key: String
    public var name: String
    public init(key: String, name: String) { self.key = key; self.name = name }
}

/// `attribute` of a service definition.
public struct Open311Attribute: Sendable, Equatable {
    public var variable: Bool
    public var code: String
    /// string, number, datetime, text, singlevaluelist, multivaluelist
    public var datatype: String
    public var required: Bool
    public var datatypeDescription: String
    public var order: Int
    public var description: String
    public var values: [Open311AttributeValue]

    public init(variable: Bool = true, code: String, datatype: String, required: Bool, datatypeDescription: String = "",
                order: Int, description: String, values: [Open311AttributeValue] = []) {
        self.variable = variable; self.code = code; self.datatype = datatype; self.required = required
        self.datatypeDescription = datatypeDescription; self.order = order; self.description = description; self.values = values
    }
}

/// `service_definition` of `services/{code}.{json,xml}`.
public struct Open311ServiceDefinition: Sendable, Equatable {
    public var serviceCode: String
    public var attributes: [Open311Attribute]
    public init(serviceCode: String, attributes: [Open311Attribute]) { self.serviceCode = serviceCode; self.attributes = attributes }
}

/// `request` of `requests.{json,xml}` and `requests/{id}`. Dates are kept as the server wrote them
/// (ISO 8601 with an offset per the spec); `Open311Date` reads them.
public struct Open311Request: Sendable, Equatable {
    public var serviceRequestID: String?
    public var token: String?
    public var status: String
    public var statusNotes: String?
    public var serviceName: String?
    public var serviceCode: String?
    public var description: String?
    public var agencyResponsible: String?
    public var serviceNotice: String?
    public var requestedDatetime: String?
    public var updatedDatetime: String?
    public var expectedDatetime: String?
    public var address: String?
    public var addressID: String?
    public var zipcode: String?
    public var lat: Double?
    public var long: Double?
    public var mediaURL: String?
    /// Our addition: the kiosk ticket number kept beside the server's id.
    public var ticket: String?

    public init(serviceRequestID: String?, token: String? = nil, status: String, statusNotes: String? = nil,
                serviceName: String? = nil, serviceCode: String? = nil, description: String? = nil,
                agencyResponsible: String? = nil, serviceNotice: String? = nil, requestedDatetime: String? = nil,
                updatedDatetime: String? = nil, expectedDatetime: String? = nil, address: String? = nil,
                addressID: String? = nil, zipcode: String? = nil, lat: Double? = nil, long: Double? = nil,
                mediaURL: String? = nil, ticket: String? = nil) {
        self.serviceRequestID = serviceRequestID; self.token = token; self.status = status; self.statusNotes = statusNotes
        self.serviceName = serviceName; self.serviceCode = serviceCode; self.description = description
        self.agencyResponsible = agencyResponsible; self.serviceNotice = serviceNotice
        self.requestedDatetime = requestedDatetime; self.updatedDatetime = updatedDatetime
        self.expectedDatetime = expectedDatetime; self.address = address; self.addressID = addressID
        self.zipcode = zipcode; self.lat = lat; self.long = long; self.mediaURL = mediaURL; self.ticket = ticket
    }
}

/// The answer to `POST requests`: an id at once, or a token to resolve later (`tokens/{token}`).
public struct Open311PostAnswer: Sendable, Equatable {
    public var serviceRequestID: String?
    public var token: String?
    public var serviceNotice: String?
    public var accountID: String?
    public init(serviceRequestID: String?, token: String? = nil, serviceNotice: String? = nil, accountID: String? = nil) {
        self.serviceRequestID = serviceRequestID; self.token = token; self.serviceNotice = serviceNotice; self.accountID = accountID
    }
}

/// One entry of the spec's error list `[{code, description}]`.
public struct Open311Error: Sendable, Equatable, Error, CustomStringConvertible {
    public var code: Int
    public var description: String
    public init(code: Int, description: String) { self.code = code; self.description = description }
}

/// Reads the spec's datetimes (ISO 8601 with `Z` or an offset, with or without fractions).
public enum Open311Date {
    public static func parse(_ s: String) -> Date? {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty, t.count <= 40 else { return nil }
        let plain = ISO8601DateFormatter()
        if let d = plain.date(from: t) { return d }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: t)
    }

    /// What our server writes: whole seconds in UTC with `Z`, which every client reads.
    public static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: d)
    }
}
