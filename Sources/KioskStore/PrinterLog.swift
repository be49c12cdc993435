// The printer's journal for maintenance: each print's outcome and fault, kept to the last few thousand.
import Foundation
import GRDB
import KioskCore

public struct PrintLogEntry: Sendable, Equatable {
    public var at: Date
    public var queue: String
    /// "receipt", "checklist" or "test": what kind of paper, never its content.
    public var document: String
    public var printed: Bool
    public var fault: String
    public var attempts: Int
    public var detail: String
    public init(at: Date, queue: String, document: String, printed: Bool, fault: String, attempts: Int, detail: String) {
        self.at = at; self.queue = queue; self.document = document; self.printed = printed; self.fault = fault
        self.attempts = attempts; self.detail = detail
    }
}

extension KioskStore {
    /// Entries beyond this are dropped oldest first: a printer failing all day must not fill the disk.
    public static let printLogLimit = 5_000

    public func recordPrint(_ e: PrintLogEntry) throws {
        do {
            try db.write { db in
                try db.execute(sql: """
                    INSERT INTO printer_log (at, queue, document, outcome, fault, attempts, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [ISO8601DateFormatter().string(from: e.at), e.queue, e.document, e.printed ? "printed" : "fault",
                                     e.fault, e.attempts, String(e.detail.prefix(2_000))])
                try db.execute(sql: "DELETE FROM printer_log WHERE id <= (SELECT MAX(id) FROM printer_log) - ?",
                               arguments: [Self.printLogLimit])
            }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }

    /// The newest entries first.
    public func printLog(limit: Int = 50) throws -> [PrintLogEntry] {
        let iso = ISO8601DateFormatter()
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM printer_log ORDER BY id DESC LIMIT ?", arguments: [limit]).map { r in
                PrintLogEntry(at: iso.date(from: r["at"]) ?? .distantPast, queue: r["queue"], document: r["document"],
                              printed: (r["outcome"] as String) == "printed", fault: r["fault"], attempts: r["attempts"], detail: r["detail"])
            }
        }
    }
}
