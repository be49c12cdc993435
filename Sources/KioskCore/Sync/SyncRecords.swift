// What the kiosk remembers of its sync with the central server: the outbox as the sync sees it, the feed it
// applied last, and the outcome of each round. KioskStore keeps them; KioskSync works on them.
import Foundation

/// A saved submission waiting for the server, oldest first.
public struct PendingSubmission: Sendable, Equatable {
    public var ticket: String
    public var idempotencyKey: String
    public var submission: Submission
    public var created: Date
    public var attempts: Int
    /// Not before this (backoff); nil: at once.
    public var nextAttempt: Date?
    public init(ticket: String, idempotencyKey: String, submission: Submission, created: Date, attempts: Int, nextAttempt: Date?) {
        self.ticket = ticket; self.idempotencyKey = idempotencyKey; self.submission = submission; self.created = created
        self.attempts = attempts; self.nextAttempt = nextAttempt
    }
}

/// Where a ticket filed on this kiosk stands, for the ticket lookup.
public struct LocalTicket: Sendable, Equatable {
    public var ticket: String
    public var state: OutboxState
    public var created: Date
    public var sent: Date?
    /// The server's id, once known.
    public var serviceRequestID: String?
    /// The server's token while the id is not known yet.
    public var token: String?
    public init(ticket: String, state: OutboxState, created: Date, sent: Date?, serviceRequestID: String?, token: String?) {
        self.ticket = ticket; self.state = state; self.created = created; self.sent = sent
        self.serviceRequestID = serviceRequestID; self.token = token
    }
}

/// The last feed applied, for the next pull (`since`, `If-None-Match`) and the rollback check.
public struct FeedState: Sendable, Equatable {
    public var version: Int
    public var etag: String?
    public var expires: Date
    public init(version: Int, etag: String?, expires: Date) { self.version = version; self.etag = etag; self.expires = expires }
}

/// The outbox figures of the heartbeat and `sync status`.
public struct OutboxFigures: Sendable, Equatable {
    public var queued: Int
    public var oldestQueued: Date?
    public var refused: Int
    public var sent: Int
    public init(queued: Int, oldestQueued: Date?, refused: Int, sent: Int) {
        self.queued = queued; self.oldestQueued = oldestQueued; self.refused = refused; self.sent = sent
    }
}

/// One round of the sync as it is remembered.
public struct SyncRoundRecord: Sendable, Equatable, Codable {
    public var finished: Date
    public var ok: Bool
    public var pushed: Int
    public var refused: Int
    public var failed: Int
    public var feed: String
    /// One line per problem, for the log and `sync status`.
    public var problems: [String]
    public init(finished: Date, ok: Bool, pushed: Int, refused: Int, failed: Int, feed: String, problems: [String]) {
        self.finished = finished; self.ok = ok; self.pushed = pushed; self.refused = refused; self.failed = failed
        self.feed = feed; self.problems = problems
    }
}
