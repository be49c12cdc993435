// The retention purge (RetentionRule): removes due submissions and contact data no longer needed, then makes
// sure the bytes are gone from the file, not only from the tables. Every connection runs with
// secure_delete on (see `configuration()`), so freed cells and pages are zeroed when they are freed; the WAL
// still holds older images of those pages until it is checkpointed and truncated, which is done here.
import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Free pages above this share of the file make the purge rebuild it (VACUUM), to give the space back;
    /// their content is already zeroed, so this is about disk, not privacy.
    static let vacuumFreeShare = 0.25

    /// Removes (or with `dryRun` only counts) what the rule says is due on `today`. Safe to run at any
    /// time and as often as wanted; a resident filing meanwhile waits for the write lock for milliseconds.
    public func purgeExpired(today: LocalDate, dryRun: Bool, at date: Date = Date()) throws -> RetentionReport {
        let cutoff = RetentionRule.cutoff(today: today)
        let before = Self.isoString(RetentionRule.start(of: cutoff))
        var report = RetentionReport(cutoff: cutoff, dryRun: dryRun)
        let due = "SELECT s.id FROM submission s WHERE s.created_at < :before"
        let contactDue = """
            SELECT s.id FROM submission s JOIN outbox o ON o.submission_id = s.id
            WHERE o.state = :sent AND s.created_at >= :before AND json_type(s.body, '$.contact') = 'object'
              AND json_extract(s.body, '$.contact.wantsFeedback') IS NOT 1
            """
        let args: StatementArguments = ["before": before, "sent": OutboxState.sent.rawValue]
        // Log tables carry no personal data, but nothing needs them past the submissions' own time.
        let logs = [("printer_log", "at"), ("journal", "at"), ("sync_round", "finished"), ("pin_attempt", "at")]
        let cutoffDay = cutoff.description
        do {
            try db.write { db in
                for r in try Row.fetchAll(db, sql: """
                    SELECT COALESCE(o.state, 'queued') AS state, COUNT(*) AS n FROM submission s
                    LEFT JOIN outbox o ON o.submission_id = s.id WHERE s.created_at < :before GROUP BY 1
                    """, arguments: args) {
                    report.submissionsRemoved[r["state"]] = r["n"]
                }
                report.contactsRemoved = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(contactDue))", arguments: args) ?? 0
                var logRows = 0
                for (table, column) in logs {
                    logRows += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(column) < ?", arguments: [before]) ?? 0
                }
                logRows += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket_sequence WHERE day < ?", arguments: [cutoffDay]) ?? 0
                report.logRowsRemoved = logRows
                guard !dryRun else { return }
                try db.execute(sql: "DELETE FROM outbox WHERE submission_id IN (\(due))", arguments: args)
                try db.execute(sql: "DELETE FROM submission WHERE id IN (\(due))", arguments: args)
                try db.execute(sql: "UPDATE submission SET body = json_remove(body, '$.contact') WHERE id IN (\(contactDue))", arguments: args)
                for (table, column) in logs {
                    try db.execute(sql: "DELETE FROM \(table) WHERE \(column) < ?", arguments: [before])
                }
                try db.execute(sql: "DELETE FROM ticket_sequence WHERE day < ?", arguments: [cutoffDay])
                try db.execute(sql: "INSERT INTO journal (at, event, detail) VALUES (?, 'retention', ?)",
                               arguments: [Self.isoString(date), report.journalLine])
            }
            guard !dryRun else { return report }
            report.vacuumed = try vacuumIfMostlyFree()
            report.walTruncated = try truncateWAL()
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
        return report
    }

    /// Checkpoints the whole WAL into the file and truncates it to zero bytes. A reader in the middle of a
    /// transaction blocks the truncation; such reads last milliseconds, so a few tries are enough, and a
    /// failed run is repeated at the next purge.
    func truncateWAL() throws -> Bool {
        guard path != ":memory:" else { return true }
        for attempt in 0..<20 {
            let busy = try db.writeWithoutTransaction { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { (r: Row) -> Int in r[0] } ?? 1
            }
            if busy == 0 { return true }
            Thread.sleep(forTimeInterval: 0.05 * Double(attempt + 1))
        }
        return false
    }

    func vacuumIfMostlyFree() throws -> Bool {
        let (free, pages) = try db.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0, try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1)
        }
        guard pages > 0, Double(free) / Double(pages) > Self.vacuumFreeShare else { return false }
        try db.vacuum()
        return true
    }

    /// `PRAGMA secure_delete` of the writer (1 = on): what the purge's promise about free pages rests on.
    public func writerSecureDelete() throws -> Int {
        try db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA secure_delete") ?? -1 }
    }
}
