// Rows of text written through SQLite's C API. The word forms table has about 300,000 rows for 10,000
// articles; through GRDB's per-row arguments (each value boxed, converted and copied) its write took twice
// what SQLite itself needs, inside the transaction a whole feed waits on. Written here because GRDB has no
// bulk binding; the statement is GRDB's, and it is left reset as GRDB expects.
import GRDB
import GRDBSQLite

extension Statement {
    /// Runs the statement (two `?` parameters) once per pair.
    func execute(textPairs rows: [(String, String)]) throws {
        let s = sqliteStatement
        defer {
            sqlite3_reset(s)
            sqlite3_clear_bindings(s)
        }
        for (first, second) in rows {
            var first = first, second = second
            let rc = first.withUTF8 { a in
                second.withUTF8 { b -> Int32 in
                    sqlite3_reset(s)
                    // SQLITE_STATIC (nil destructor): the bytes outlive the step that reads them, and are bound
                    // again (or cleared) before any later step.
                    let rcA = bind(s, 1, a), rcB = bind(s, 2, b)
                    guard rcA == SQLITE_OK else { return rcA }
                    guard rcB == SQLITE_OK else { return rcB }
                    return sqlite3_step(s)
                }
            }
            guard rc == SQLITE_DONE else {
                let message = sqlite3_db_handle(s).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: sql)
            }
        }
    }

    private func bind(_ s: SQLiteStatement, _ i: Int32, _ text: UnsafeBufferPointer<UInt8>) -> Int32 {
        // An empty text must still be text, not NULL (a nil pointer binds NULL); SQLite copies it (TRANSIENT).
        guard let base = text.baseAddress, text.count > 0 else {
            return sqlite3_bind_text(s, i, "", 0, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
        return sqlite3_bind_text(s, i, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
    }
}
