// What the sync needs of the kiosk's database, as a protocol: KioskStore implements it (wired in KioskApp), the
// tests use the real store too; only a fault test would need another. The records are KioskCore's.
import Foundation
import KioskCore
import KioskProtocol

public protocol SyncStore: Sendable {
    /// Queued submissions in filing order, at most `limit`.
    func pendingSubmissions(limit: Int) throws -> [PendingSubmission]
    /// The server took it: its id, or a token to resolve later.
    func markSent(ticket: String, serviceRequestID: String?, token: String?, at: Date) throws
    /// Refused for good (a 4xx other than 408/429): kept for staff with the server's message.
    func markRefused(ticket: String, status: Int, message: String, at: Date) throws
    /// A failed attempt that will be retried at `next`.
    func recordFailedAttempt(ticket: String, error: String, next: Date) throws
    /// Sent items known only by a token.
    func unresolvedTokens() throws -> [(ticket: String, token: String)]
    func resolveToken(ticket: String, serviceRequestID: String) throws
    func localTicket(_ ticket: String) throws -> LocalTicket?
    func outboxFigures() throws -> OutboxFigures

    func feedState() throws -> FeedState?
    /// Applies a verified payload atomically (a resident sees the old Knowledge Base or the new one), or throws
    /// with what was wrong, leaving the old one in place.
    func applyFeed(_ payload: FeedPayload, etag: String?) throws
    /// Remembers a fresh signature over the version the kiosk already has (a snapshot of the same version).
    func refreshFeed(expires: Date, etag: String?) throws

    /// The outcome of the last round, for `sync status`, the heartbeat and maintenance.
    func recordSyncRound(_ round: SyncRoundRecord) throws
    func lastSyncRounds() throws -> (last: SyncRoundRecord?, lastSuccess: SyncRoundRecord?)
}
