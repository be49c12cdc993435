// The heartbeat a kiosk sends the central server, and what the fleet view shows of it: never personal data.
import Foundation

public struct Heartbeat: Sendable, Equatable, Codable {
    public static let path = "/kiosk/v1/heartbeat"

    public var kioskID: String
    public var softwareVersion: String
    public var sentAt: Date
    /// Items queued, not yet accepted by the server.
    public var outboxDepth: Int
    /// Age of the oldest queued item, in seconds; nil when the outbox is empty.
    public var oldestQueuedSeconds: Double?
    /// Items the server refused for good, waiting for staff.
    public var refused: Int
    /// `ready`, `fault`, `none` (no printer configured) or `unknown`.
    public var printerState: String
    /// IPP `printer-state-reasons` or our fault names (`media-empty`, `offline`…).
    public var printerReasons: [String]
    public var lastSuccessfulSync: Date?
    public var knowledgeBaseVersion: Int?
    public var freeDiskBytes: Int64?

    public init(kioskID: String, softwareVersion: String, sentAt: Date, outboxDepth: Int, oldestQueuedSeconds: Double?,
                refused: Int, printerState: String, printerReasons: [String], lastSuccessfulSync: Date?,
                knowledgeBaseVersion: Int?, freeDiskBytes: Int64?) {
        self.kioskID = kioskID; self.softwareVersion = softwareVersion; self.sentAt = sentAt
        self.outboxDepth = outboxDepth; self.oldestQueuedSeconds = oldestQueuedSeconds; self.refused = refused
        self.printerState = printerState; self.printerReasons = printerReasons
        self.lastSuccessfulSync = lastSuccessfulSync; self.knowledgeBaseVersion = knowledgeBaseVersion
        self.freeDiskBytes = freeDiskBytes
    }

    enum CodingKeys: String, CodingKey {
        case kioskID = "kiosk_id", softwareVersion = "software_version", sentAt = "sent_at", outboxDepth = "outbox_depth"
        case oldestQueuedSeconds = "oldest_queued_seconds", refused, printerState = "printer_state"
        case printerReasons = "printer_reasons", lastSuccessfulSync = "last_successful_sync"
        case knowledgeBaseVersion = "kb_version", freeDiskBytes = "free_disk_bytes"
    }

    public static let maxBytes = 16 << 10

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys]
        return try e.encode(self)
    }

    public static func decode(_ data: Data) throws -> Heartbeat {
        guard data.count <= maxBytes else { throw Open311Error(code: 400, description: "heartbeat larger than \(maxBytes) bytes") }
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        do { return try d.decode(Heartbeat.self, from: data) } catch {
            throw Open311Error(code: 400, description: "heartbeat: \(error)")
        }
    }
}

/// Paths of our additions on kiosk-central.
public enum KioskAPI {
    /// `GET /kiosk/v1/feed?since=N` with `If-None-Match`: a signed snapshot or delta, or 304.
    public static let feedPath = "/kiosk/v1/feed"
    /// `GET /kiosk/v1/tickets/{ticket}`: the request a kiosk ticket became, as an Open311 request (JSON).
    public static let ticketsPath = "/kiosk/v1/tickets"
    /// `GET /fleet` (JSON, or HTML for a browser) and `/fleet.html`.
    public static let fleetPath = "/fleet"
    /// Our endpoints take the kiosk's key as `Authorization: Bearer KEY` (Open311 POST takes `api_key`).
    public static let authorizationScheme = "Bearer"
}
