// The durable outbox: a resident's submission is on disk (synchronous = FULL) before the screen shows its
// ticket, with the ticket number and the idempotency key created in the same transaction.
import Foundation
import GRDB
import KioskCore

public struct SavedSubmission: Sendable, Equatable {
    public var ticket: TicketNumber
    public var idempotencyKey: String
}

extension KioskStore {
    /// Saves a submission and its outbox row in one transaction; returns only after the commit is durable.
    public func enqueueSubmission(_ s: Submission, kioskCode: String, day: LocalDate, at date: Date = Date()) throws -> SavedSubmission {
        guard s.description.count <= Submission.maxDescriptionCharacters else {
            throw StoreError(path: path, problem: "the description is \(s.description.count) characters, more than \(Submission.maxDescriptionCharacters)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let body = String(decoding: try encoder.encode(s), as: UTF8.self)
        let created = ISO8601DateFormatter().string(from: date)
        do {
            return try db.write { db in
                let last = try Int.fetchOne(db, sql: "SELECT last FROM ticket_sequence WHERE kiosk_code = ? AND day = ?",
                                            arguments: [kioskCode, day.description]) ?? 0
                let ticket = try TicketNumber(kioskCode: kioskCode, day: day, sequence: last + 1)
                try db.execute(sql: "INSERT OR REPLACE INTO ticket_sequence (kiosk_code, day, last) VALUES (?, ?, ?)",
                               arguments: [kioskCode, day.description, last + 1])
                let key = UUID().uuidString.lowercased()
                try db.execute(sql: """
                    INSERT INTO submission (ticket, idempotency_key, service_code, created_at, body) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [ticket.description, key, s.serviceCode, created, body])
                try db.execute(sql: "INSERT INTO outbox (submission_id, state) VALUES (?, ?)",
                               arguments: [db.lastInsertedRowID, OutboxState.queued.rawValue])
                return SavedSubmission(ticket: ticket, idempotencyKey: key)
            }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }

    /// The outbox, oldest first, without personal data.
    public func outboxItems() throws -> [OutboxItem] {
        let iso = ISO8601DateFormatter()
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ticket, s.service_code, s.created_at, s.idempotency_key, o.state, o.attempts
                FROM outbox o JOIN submission s ON s.id = o.submission_id ORDER BY s.id
                """).map { r in
                OutboxItem(ticket: r["ticket"], serviceCode: r["service_code"],
                           state: OutboxState(rawValue: r["state"]) ?? .queued, attempts: r["attempts"],
                           created: iso.date(from: r["created_at"]) ?? .distantPast, idempotencyKey: r["idempotency_key"])
            }
        }
    }

    /// The saved submission of a ticket (for the receipt and the sync), or nil.
    public func submission(ticket: String) throws -> Submission? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try read { db in
            try String.fetchOne(db, sql: "SELECT body FROM submission WHERE ticket = ?", arguments: [ticket])
                .map { try decoder.decode(Submission.self, from: Data($0.utf8)) }
        }
    }
}

extension KioskStore {
    /// `PRAGMA integrity_check`: "ok" for a sound database (the kill -9 harness and maintenance ask).
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
