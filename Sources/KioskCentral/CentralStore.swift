// What kiosk-central keeps, as one storage interface: SQLite implements it now, PostgreSQL next. Every write is
// one transaction that keeps its promise (a request and its idempotency key together, a feed version and its
// changes together), so nothing is ever half-stored.
import Foundation

/// A request as filed, before the store gives it an id.
public struct NewServiceRequest: Sendable, Equatable {
    public var serviceCode: String
    public var serviceName: String
    public var agency: String
    public var serviceNotice: String
    public var description: String?
    public var address: String?
    public var addressID: String?
    public var zipcode: String?
    public var lat: Double?
    public var long: Double?
    public var mediaURL: String?
    /// Kept, never shown by any endpoint.
    public var email: String?
    public var phone: String?
    public var firstName: String?
    public var lastName: String?
    public var deviceID: String?
    /// The kiosk the API key belongs to.
    public var kioskID: String
    public var ticket: String?
    /// `code` → values, as sent (our own attributes included).
    public var attributes: [String: [String]]
    public var requested: Date

    public init(serviceCode: String, serviceName: String, agency: String, serviceNotice: String, description: String?,
                address: String?, addressID: String?, zipcode: String?, lat: Double?, long: Double?, mediaURL: String?,
                email: String?, phone: String?, firstName: String?, lastName: String?, deviceID: String?,
                kioskID: String, ticket: String?, attributes: [String: [String]], requested: Date) {
        self.serviceCode = serviceCode; self.serviceName = serviceName; self.agency = agency
        self.serviceNotice = serviceNotice; self.description = description; self.address = address
        self.addressID = addressID; self.zipcode = zipcode; self.lat = lat; self.long = long; self.mediaURL = mediaURL
        self.email = email; self.phone = phone; self.firstName = firstName; self.lastName = lastName
        self.deviceID = deviceID; self.kioskID = kioskID; self.ticket = ticket; self.attributes = attributes
        self.requested = requested
    }
}

/// A stored request as the Open311 endpoints show it (no contact data).
public struct StoredRequest: Sendable, Equatable {
    public var serviceRequestID: String
    public var token: String?
    public var status: String
    public var statusNotes: String?
    public var serviceCode: String
    public var serviceName: String
    public var description: String?
    public var agency: String
    public var serviceNotice: String
    public var requested: Date
    public var updated: Date
    public var address: String?
    public var addressID: String?
    public var zipcode: String?
    public var lat: Double?
    public var long: Double?
    public var mediaURL: String?
    public var ticket: String?
    public var kioskID: String
}

/// The answer a POST gave, kept with its idempotency key so a retry gets exactly the same one.
public struct PostOutcome: Sendable, Equatable {
    public var serviceRequestID: String
    public var token: String?
    public var serviceNotice: String
    /// False when this is the stored answer to an earlier identical POST.
    public var created: Bool
}

public enum IdempotencyConflict: Error, Equatable {
    /// The key was used before with another payload.
    case differentPayload(key: String)
}

public struct RequestFilter: Sendable, Equatable {
    public var ids: [String]?
    public var serviceCodes: [String]?
    public var statuses: [String]?
    public var start: Date?
    public var end: Date?
    /// Centre and radius in metres: "open requests of this service near here".
    public var near: (lat: Double, long: Double, radius: Double)?
    public var limit: Int = 1000

    public init(ids: [String]? = nil, serviceCodes: [String]? = nil, statuses: [String]? = nil, start: Date? = nil,
                end: Date? = nil, near: (lat: Double, long: Double, radius: Double)? = nil, limit: Int = 1000) {
        self.ids = ids; self.serviceCodes = serviceCodes; self.statuses = statuses; self.start = start; self.end = end
        self.near = near; self.limit = limit
    }

    public static func == (a: RequestFilter, b: RequestFilter) -> Bool {
        a.ids == b.ids && a.serviceCodes == b.serviceCodes && a.statuses == b.statuses && a.start == b.start
            && a.end == b.end && a.limit == b.limit && a.near?.lat == b.near?.lat && a.near?.long == b.near?.long
            && a.near?.radius == b.near?.radius
    }
}

/// A kiosk's API key as staff see it (the key itself is never stored, only its SHA-256).
/// What a key opens: a kiosk's key its own feed, posts and heartbeats; a staff key the fleet view.
public enum KeyRole: String, Sendable, Equatable { case kiosk, staff }

public struct KioskKey: Sendable, Equatable {
    public var hashPrefix: String
    /// The kiosk's id, or a staff member's name for a staff key.
    public var kioskID: String
    public var role: KeyRole = .kiosk
    public var created: Date
    public var revoked: Date?
}

/// What a catalogue or Knowledge Base import changed: the feed version it made and the counts.
public struct FeedChange: Sendable, Equatable {
    public var version: Int?
    public var articlesAdded = 0
    public var articlesChanged = 0
    public var articlesDeleted = 0
    public var categoriesChanged = false
    public var servicesChanged = false
    /// Words in the word forms table made for kiosks; nil when none was made.
    public var lexiconWords: Int?
    public var changedAnything: Bool {
        articlesAdded + articlesChanged + articlesDeleted > 0 || categoriesChanged || servicesChanged
    }
}

/// The public Knowledge Base and catalogue as the feed serves them, for one request.
public struct FeedContent: Sendable, Equatable {
    public var version: Int
    /// Non-nil when the content is a delta since that version.
    public var since: Int?
    public var categories: Data
    /// `lckm-kb/1` article objects without the consultant field, each as JSON bytes.
    public var articles: [Data]
    public var deletedArticles: [String]
    public var services: Data?
    /// `lckm-lexicon/1` tables for the kiosk's search index: in a snapshot the Knowledge Base's and the
    /// catalogue's, in a delta the catalogue's when it is sent (a kiosk looks up a delta's new words itself).
    public var lexicons: [Data] = []
}

public struct FleetEntry: Sendable, Equatable {
    public var kioskID: String
    /// The last heartbeat's JSON as the kiosk sent it (re-encoded), nil when none came yet.
    public var heartbeat: Data?
    public var lastSeen: Date?
}

/// The storage kiosk-central needs. Each method is one transaction.
public protocol CentralStore: Sendable {
    // Catalogue and Knowledge Base.
    /// The `lckm-services/1` document and the feed version it last changed in.
    func servicesDocument() throws -> (document: Data, version: Int)?
    /// Replaces the catalogue and, when it differs, bumps the feed version. `lexicon` is the table of its words'
    /// forms (nil: none could be made, kiosks use their own dictionary); it alone changing makes no new version.
    func importServices(document: Data, lexicon: Data?, now: Date) throws -> FeedChange
    /// Replaces the public Knowledge Base (categories as the raw array, articles as id → raw JSON without the
    /// consultant field; internal ones are not given) and records what changed.
    func importKnowledgeBase(categories: Data, articles: [(id: String, json: Data)], lexicon: Data?, now: Date) throws -> FeedChange
    func feedVersion() throws -> Int
    /// A delta since `since` when history covers it, else a snapshot.
    func feedContent(since: Int?) throws -> FeedContent
    func publicArticleCount() throws -> Int

    // Feed signing key (raw 32 bytes).
    func feedSigningKey() throws -> Data

    // API keys.
    func addKey(kioskID: String, keyHash: String, role: KeyRole, now: Date) throws
    /// The kiosk a kiosk key belongs to (a staff key is none).
    func kiosk(forKeyHash: String) throws -> String?
    /// The staff member a staff key belongs to.
    func staff(forKeyHash: String) throws -> String?
    func keys() throws -> [KioskKey]
    /// Revokes every key of the kiosk, or the one whose hash starts with the prefix; returns how many.
    func revokeKeys(matching: String, now: Date) throws -> Int

    // Requests.
    /// Stores the request and its idempotency key in one transaction; an identical earlier POST gets its answer.
    func fileRequest(_ r: NewServiceRequest, idempotencyKey: String?, payloadHash: String, useToken: Bool) throws -> PostOutcome
    func requests(_ filter: RequestFilter) throws -> [StoredRequest]
    func request(id: String) throws -> StoredRequest?
    func request(ticket: String) throws -> StoredRequest?
    func request(token: String) throws -> StoredRequest?
    /// Returns the updated request, nil when no request has that id (or ticket).
    func setStatus(idOrTicket: String, status: String, note: String?, now: Date) throws -> StoredRequest?
    func requestCount() throws -> Int
    func purgeIdempotencyKeys(olderThan: Date) throws -> Int

    // Heartbeats.
    func recordHeartbeat(kioskID: String, json: Data, now: Date) throws
    func fleet() throws -> [FleetEntry]
}

extension CentralStore {
    public func addKey(kioskID: String, keyHash: String, now: Date) throws {
        try addKey(kioskID: kioskID, keyHash: keyHash, role: .kiosk, now: now)
    }
}
