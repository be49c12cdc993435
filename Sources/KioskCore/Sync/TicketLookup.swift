// What the kiosk can honestly say about a ticket and about requests already filed nearby: the answers the
// sync service gives the screens (ticket lookup, the duplicate step), whether the server was reached or not.
import Foundation

/// A request as the central server reports it (Open311 `request`), reduced to what a resident is shown.
public struct ServerRequestStatus: Sendable, Equatable, Codable {
    /// The server's `service_request_id`.
    public var serviceRequestID: String
    /// The kiosk ticket number the server kept beside its id, when the request came from a kiosk.
    public var ticket: String?
    public var serviceCode: String?
    public var serviceName: String?
    /// Open311 `status`: `open` or `closed`; other words from other servers are kept as sent.
    public var status: String
    /// The unit's note to the resident (Open311 `status_notes`), shown as plain text.
    public var statusNotes: String?
    /// Open311 `agency_responsible`.
    public var agency: String?
    public var address: String?
    public var description: String?
    public var requested: Date?
    public var updated: Date?
    public var latitude: Double?
    public var longitude: Double?

    public init(serviceRequestID: String, ticket: String? = nil, serviceCode: String? = nil, serviceName: String? = nil,
                status: String, statusNotes: String? = nil, agency: String? = nil, address: String? = nil,
                description: String? = nil, requested: Date? = nil, updated: Date? = nil,
                latitude: Double? = nil, longitude: Double? = nil) {
        self.serviceRequestID = serviceRequestID; self.ticket = ticket; self.serviceCode = serviceCode
        self.serviceName = serviceName; self.status = status; self.statusNotes = statusNotes; self.agency = agency
        self.address = address; self.description = description; self.requested = requested; self.updated = updated
        self.latitude = latitude; self.longitude = longitude
    }

    public var isClosed: Bool { status.lowercased() == "closed" }
    /// The number a resident quotes: the kiosk ticket when there is one, else the server's id.
    public var numberForResident: String { ticket ?? serviceRequestID }
}

/// The answer to "check a ticket": what the server says when it can be asked, and otherwise exactly what
/// this kiosk knows, never a guess.
public enum TicketLookupResult: Sendable, Equatable {
    /// The server answered.
    case server(ServerRequestStatus)
    /// Saved on this kiosk, not yet sent.
    case savedNotSent(ticket: String, created: Date)
    /// Sent to the server, which cannot be asked now.
    case sentStatusUnknown(ticket: String, sent: Date?)
    /// The server refused it for good; staff see why in maintenance.
    case refused(ticket: String)
    /// Neither this kiosk nor the server know the number.
    case notFound(ticket: String)
    /// Not filed on this kiosk, and the server cannot be reached to ask.
    case unreachable(ticket: String)
}

/// What the duplicate step asks: open requests of this service near this place.
public struct NearbyQuery: Sendable, Equatable {
    public var serviceCode: String
    public var location: ReportLocation
    public init(serviceCode: String, location: ReportLocation) { self.serviceCode = serviceCode; self.location = location }

    /// How near counts as "the same place" when coordinates are known.
    public static let radiusMeters = 150.0
}

/// Distance on the city's scale (equirectangular: well under a metre off within Łódź).
public func metersBetween(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let r = 6_371_000.0
    let x = (lon2 - lon1) * .pi / 180 * cos((lat1 + lat2) / 2 * .pi / 180)
    let y = (lat2 - lat1) * .pi / 180
    return (x * x + y * y).squareRoot() * r
}
