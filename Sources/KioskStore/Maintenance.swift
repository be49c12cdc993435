// Staff maintenance's side of the kiosk database: the PIN tries that the throttle counts (they survive restarts
// and power cuts: synchronous=FULL like every write here) and the journal of staff actions.
import Foundation
import GRDB
import KioskCore

/// The PIN tries that matter to the throttle.
public struct PinAttempts: Sendable, Equatable {
    /// Failed tries since the last right one (a try cut off before its answer counts as failed).
    public var failuresInARow: Int
    public var lastFailure: Date?
    /// Failed tries in the hour before now, and the oldest of them (the hour's limit frees up from it).
    public var failuresInLastHour: Int
    public var oldestInLastHour: Date?
}

extension KioskStore {
    /// Tries older than this are forgotten: the throttle looks back one hour, the delays a day at most.
    static let pinAttemptMemory: TimeInterval = 86_400

    public func pinAttempts(now: Date) throws -> PinAttempts {
        try read { db in
            let lastOK = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM pin_attempt WHERE ok = 1") ?? 0
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, MAX(at) AS last FROM pin_attempt WHERE id > ? AND (ok IS NULL OR ok = 0)
                """, arguments: [lastOK])
            let hour = try Row.fetchOne(db, sql: """
                SELECT COUNT(*) AS n, MIN(at) AS oldest FROM pin_attempt WHERE (ok IS NULL OR ok = 0) AND at > ?
                """, arguments: [Self.isoString(now.addingTimeInterval(-3600))])
            return PinAttempts(failuresInARow: row?["n"] ?? 0, lastFailure: Self.date(row?["last"]),
                               failuresInLastHour: hour?["n"] ?? 0, oldestInLastHour: Self.date(hour?["oldest"]))
        }
    }

    /// Counts a try on disk before the PIN is compared; returns its id for `pinAttemptSucceeded`.
    public func beginPinAttempt(at date: Date) throws -> Int64 {
        try write { db in
            try db.execute(sql: "DELETE FROM pin_attempt WHERE at < ?", arguments: [Self.isoString(date.addingTimeInterval(-Self.pinAttemptMemory))])
            try db.execute(sql: "INSERT INTO pin_attempt (at) VALUES (?)", arguments: [Self.isoString(date)])
            return db.lastInsertedRowID
        }
    }

    public func finishPinAttempt(_ id: Int64, ok: Bool) throws {
        try write { db in try db.execute(sql: "UPDATE pin_attempt SET ok = ? WHERE id = ?", arguments: [ok, id]) }
    }

    /// Staff actions, kept for the city's records (no resident's data in them).
    public func journal(_ event: String, detail: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO journal (at, event, detail) VALUES (?, ?, ?)",
                           arguments: [Self.isoString(date), String(event.prefix(100)), String(detail.prefix(2_000))])
        }
    }

    /// The newest entries first; only those of `event` when given.
    public func journalEntries(event: String? = nil, limit: Int = 50) throws -> [(at: Date, event: String, detail: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, event, detail FROM journal WHERE ? IS NULL OR event = ? ORDER BY id DESC LIMIT ?",
                             arguments: [event, event, limit]).map {
                (at: Self.date($0["at"]) ?? .distantPast, event: $0["event"], detail: $0["detail"])
            }
        }
    }
}

extension KioskStore {
    /// Retries or discards one refused item and journals it in the same transaction. Only refused items:
    /// a queued one is still on its way, and a delivered one is the server's.
    public func handleRefused(ticket: String, _ action: RefusedItemAction, by who: String, at date: Date) throws {
        do {
            try db.write { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT s.id, o.state, s.service_code, o.last_error FROM submission s JOIN outbox o ON o.submission_id = s.id
                    WHERE s.ticket = ?
                    """, arguments: [ticket]) else {
                    throw StoreError(path: path, problem: "no item with ticket \(ticket); `kiosk outbox list` shows the tickets")
                }
                let state: String = row["state"]
                guard state == OutboxState.refused.rawValue else {
                    throw StoreError(path: path, problem: "ticket \(ticket) is \(state), not refused: only a refused item can be retried or discarded")
                }
                let id: Int64 = row["id"]
                let service: String = row["service_code"]
                let reason: String = row["last_error"] ?? ""
                switch action {
                case .retry:
                    try db.execute(sql: "UPDATE outbox SET state = ?, refused_status = NULL, next_attempt_at = NULL WHERE submission_id = ?",
                                   arguments: [OutboxState.queued.rawValue, id])
                case .discard:
                    try db.execute(sql: "DELETE FROM outbox WHERE submission_id = ?", arguments: [id])
                    try db.execute(sql: "DELETE FROM submission WHERE id = ?", arguments: [id])
                }
                try db.execute(sql: "INSERT INTO journal (at, event, detail) VALUES (?, ?, ?)", arguments: [
                    Self.isoString(date), "outbox-\(action.rawValue)",
                    String("ticket \(ticket) (\(service)) by \(who); the server had said: \(reason)".prefix(2_000)),
                ])
            }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }
}

extension KioskStore {
    /// Whether staff took the kiosk out of service: residents see the helpline notice instead of the screens.
    public func outOfService() throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM kiosk_state WHERE key = 'out_of_service'") == "1" }
    }

    /// Switches out of service on or off and journals who did it, in one transaction.
    public func setOutOfService(_ on: Bool, by who: String, at date: Date) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO kiosk_state (key, value) VALUES ('out_of_service', ?)", arguments: [on ? "1" : "0"])
            try db.execute(sql: "INSERT INTO journal (at, event, detail) VALUES (?, ?, ?)",
                           arguments: [Self.isoString(date), on ? "out-of-service-on" : "out-of-service-off", String(who.prefix(200))])
        }
    }
}
