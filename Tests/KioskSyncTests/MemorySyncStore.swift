// An in-memory SyncStore for the engine tests until KioskStore implements the protocol: it keeps the same
// promises (filing order, states, the feed replaced whole or not at all) and lets a test look inside.
import Foundation
import KioskCore
import KioskProtocol
import KioskSync

final class MemorySyncStore: SyncStore, @unchecked Sendable {
    struct Item: Equatable {
        var pending: PendingSubmission
        var state: OutboxState = .queued
        var sent: Date?
        var serviceRequestID: String?
        var token: String?
        var refusal: (status: Int, message: String)?
        var lastError: String?
        static func == (a: Item, b: Item) -> Bool { a.pending == b.pending && a.state == b.state }
    }

    private let lock = NSLock()
    private var items: [Item] = []
    private var feed: FeedState?
    private(set) var appliedFeeds: [FeedPayload] = []
    private(set) var refreshes: [(expires: Date, etag: String?)] = []
    private var rounds: [SyncRoundRecord] = []
    /// The next applyFeed throws this (a payload the store's own parser refuses).
    var failNextApply: String?

    private func locked<T>(_ body: () throws -> T) rethrows -> T { lock.lock(); defer { lock.unlock() }; return try body() }

    @discardableResult
    func file(_ ticket: String, service: String = "pothole", location: ReportLocation = .street(name: "Piotrkowska", number: "104"),
              created: Date, description: String = "Dziura w jezdni") -> PendingSubmission {
        let p = PendingSubmission(ticket: ticket, idempotencyKey: "key-\(ticket)",
                                  submission: Submission(serviceCode: service, location: location, description: description,
                                                         contact: ContactDetails(email: "jan@example.pl", phone: nil, wantsFeedback: true)),
                                  created: created, attempts: 0, nextAttempt: nil)
        locked { items.append(Item(pending: p)) }
        return p
    }

    func item(_ ticket: String) -> Item? { locked { items.first { $0.pending.ticket == ticket } } }
    func setFeed(_ f: FeedState?) { locked { feed = f } }
    func setSent(_ ticket: String, id: String?, token: String?, at: Date) throws { try markSent(ticket: ticket, serviceRequestID: id, token: token, at: at) }
    var allRounds: [SyncRoundRecord] { locked { rounds } }
    var currentFeed: FeedState? { locked { feed } }
    var unresolvedCount: Int { (try? unresolvedTokens().count) ?? -1 }

    func pendingSubmissions(limit: Int) throws -> [PendingSubmission] {
        locked { Array(items.filter { $0.state == .queued }.map(\.pending).prefix(limit)) }
    }

    private func update(_ ticket: String, _ change: (inout Item) -> Void) throws {
        try locked {
            guard let i = items.firstIndex(where: { $0.pending.ticket == ticket }) else {
                throw Open311Error(code: 0, description: "no ticket \(ticket)")
            }
            change(&items[i])
        }
    }

    func markSent(ticket: String, serviceRequestID: String?, token: String?, at: Date) throws {
        try update(ticket) { $0.state = .sent; $0.sent = at; $0.serviceRequestID = serviceRequestID; $0.token = token }
    }

    func markRefused(ticket: String, status: Int, message: String, at: Date) throws {
        try update(ticket) { $0.state = .refused; $0.refusal = (status, message) }
    }

    func recordFailedAttempt(ticket: String, error: String, next: Date) throws {
        try update(ticket) { $0.pending.attempts += 1; $0.pending.nextAttempt = next; $0.lastError = error }
    }

    func unresolvedTokens() throws -> [(ticket: String, token: String)] {
        locked { items.compactMap { i in i.state == .sent && i.serviceRequestID == nil ? i.token.map { (i.pending.ticket, $0) } : nil } }
    }

    func resolveToken(ticket: String, serviceRequestID: String) throws {
        try update(ticket) { $0.serviceRequestID = serviceRequestID }
    }

    func localTicket(_ ticket: String) throws -> LocalTicket? {
        locked {
            items.first { $0.pending.ticket == ticket }.map {
                LocalTicket(ticket: ticket, state: $0.state, created: $0.pending.created, sent: $0.sent,
                            serviceRequestID: $0.serviceRequestID, token: $0.token)
            }
        }
    }

    func outboxFigures() throws -> OutboxFigures {
        locked {
            let queued = items.filter { $0.state == .queued }
            return OutboxFigures(queued: queued.count, oldestQueued: queued.map(\.pending.created).min(),
                                 refused: items.filter { $0.state == .refused }.count, sent: items.filter { $0.state == .sent }.count)
        }
    }

    func feedState() throws -> FeedState? { locked { feed } }

    func applyFeed(_ payload: FeedPayload, etag: String?) throws {
        try locked {
            if let why = failNextApply { failNextApply = nil; throw Open311Error(code: 0, description: why) }
            appliedFeeds.append(payload)
            feed = FeedState(version: payload.version, etag: etag, expires: payload.expires)
        }
    }

    func refreshFeed(expires: Date, etag: String?) throws {
        locked {
            refreshes.append((expires, etag))
            if var f = feed { f.expires = expires; f.etag = etag ?? f.etag; feed = f }
        }
    }

    func recordSyncRound(_ round: SyncRoundRecord) throws { locked { rounds.append(round) } }

    func lastSyncRounds() throws -> (last: SyncRoundRecord?, lastSuccess: SyncRoundRecord?) {
        locked { (rounds.last, rounds.last(where: \.ok)) }
    }
}
