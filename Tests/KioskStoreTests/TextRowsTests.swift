// The word forms table is written through SQLite's C API (TextRows.swift): what it writes must be what GRDB
// reads back, an empty text must stay text, and a failing row must be an error GRDB can tell.
import Foundation
import GRDB
import Testing
@testable import KioskStore

@Suite struct TextRows {
    @Test func pairsRoundTripAndAFailedRowIsAnError() throws {
        let db = try DatabaseQueue()
        try db.write { db in
            try db.execute(sql: "CREATE TABLE t (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID")
            let rows = [("", "pusty"), ("łódź", "lodz"), ("żółć", "zolc"), (String(repeating: "ą", count: 300), "długi"), ("x", "")]
            let insert = try db.makeStatement(sql: "INSERT INTO t (a, b) VALUES (?, ?)")
            try insert.execute(textPairs: rows)
            let back = try Row.fetchAll(db, sql: "SELECT a, b, typeof(a) AS ta, typeof(b) AS tb FROM t ORDER BY a, b")
            #expect(back.map { [$0["a"] as String, $0["b"] as String] } == rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { [$0.0, $0.1] })
            #expect(back.allSatisfy { $0["ta"] as String == "text" && $0["tb"] as String == "text" })

            // The second copy breaks the key: the error is SQLite's, the rows before it stay, the statement stays usable.
            #expect {
                try insert.execute(textPairs: [("nowy", "1"), ("łódź", "lodz")])
            } throws: { error in
                (error as? DatabaseError)?.resultCode == .SQLITE_CONSTRAINT
            }
            #expect(try String.fetchOne(db, sql: "SELECT b FROM t WHERE a = 'nowy'") == "1")
            try insert.execute(arguments: ["przez GRDB", "2"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t") == rows.count + 2)
        }
    }
}
