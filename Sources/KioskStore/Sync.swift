// The sync's side of the kiosk database: the outbox as items move to the server, the feed applied last, and
// the rounds. Each change is one transaction, so a kill -9 leaves an item queued or sent, never between.
import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// The same text as ISO8601DateFormatter's, which the submission table already holds.
    static func isoString(_ d: Date) -> String { d.formatted(.iso8601) }
    static func date(_ s: String?) -> Date? { s.flatMap { try? Date($0, strategy: .iso8601) } }

    /// Queued submissions in filing order (the server sees them as residents filed them).
    public func pendingSubmissions(limit: Int) throws -> [PendingSubmission] {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ticket, s.idempotency_key, s.body, s.created_at, o.attempts, o.next_attempt_at
                FROM outbox o JOIN submission s ON s.id = o.submission_id
                WHERE o.state = ? ORDER BY s.id LIMIT ?
                """, arguments: [OutboxState.queued.rawValue, limit]).map { r in
                let body: String = r["body"]
                return PendingSubmission(ticket: r["ticket"], idempotencyKey: r["idempotency_key"],
                                         submission: try decoder.decode(Submission.self, from: Data(body.utf8)),
                                         created: Self.date(r["created_at"]) ?? .distantPast, attempts: r["attempts"],
                                         nextAttempt: Self.date(r["next_attempt_at"]))
            }
        }
    }

    /// Changes the outbox row of a ticket; throws if the ticket is unknown (a bug, not a network fault).
    func updateOutbox(_ ticket: String, _ sql: String, _ arguments: StatementArguments) throws {
        try write { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM submission WHERE ticket = ?", arguments: [ticket]) else {
                throw StoreError(path: path, problem: "no submission with ticket \(ticket)")
            }
            try db.execute(sql: "UPDATE outbox SET \(sql) WHERE submission_id = ?", arguments: arguments + [id])
        }
    }

    public func markSent(ticket: String, serviceRequestID: String?, token: String?, at date: Date) throws {
        try updateOutbox(ticket, "state = ?, server_id = ?, token = ?, sent_at = ?, last_error = NULL, next_attempt_at = NULL",
                         [OutboxState.sent.rawValue, serviceRequestID, token, Self.isoString(date)])
    }

    public func markRefused(ticket: String, status: Int, message: String, at date: Date) throws {
        try updateOutbox(ticket, "state = ?, refused_status = ?, last_error = ?, attempts = attempts + 1, next_attempt_at = NULL",
                         [OutboxState.refused.rawValue, status, String(message.prefix(2_000))])
    }

    public func recordFailedAttempt(ticket: String, error: String, next: Date) throws {
        try updateOutbox(ticket, "attempts = attempts + 1, last_error = ?, next_attempt_at = ?",
                         [String(error.prefix(2_000)), Self.isoString(next)])
    }

    /// Puts a refused item back in the queue (staff fixed the cause on the server).
    public func requeue(ticket: String) throws {
        try updateOutbox(ticket, "state = ?, refused_status = NULL, next_attempt_at = NULL", [OutboxState.queued.rawValue])
    }

    public func unresolvedTokens() throws -> [(ticket: String, token: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ticket, o.token FROM outbox o JOIN submission s ON s.id = o.submission_id
                WHERE o.state = ? AND o.server_id IS NULL AND o.token IS NOT NULL ORDER BY s.id
                """, arguments: [OutboxState.sent.rawValue]).map { (ticket: $0["ticket"], token: $0["token"]) }
        }
    }

    public func resolveToken(ticket: String, serviceRequestID: String) throws {
        try updateOutbox(ticket, "server_id = ?", [serviceRequestID])
    }

    public func localTicket(_ ticket: String) throws -> LocalTicket? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT s.ticket, s.created_at, o.state, o.sent_at, o.server_id, o.token
                FROM submission s JOIN outbox o ON o.submission_id = s.id WHERE s.ticket = ?
                """, arguments: [ticket]).map { r in
                LocalTicket(ticket: r["ticket"], state: OutboxState(rawValue: r["state"]) ?? .queued,
                            created: Self.date(r["created_at"]) ?? .distantPast, sent: Self.date(r["sent_at"]),
                            serviceRequestID: r["server_id"], token: r["token"])
            }
        }
    }

    public func outboxFigures() throws -> OutboxFigures {
        try read { db in
            var counts: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM outbox GROUP BY state") { counts[r["state"]] = r["n"] }
            let oldest = try String.fetchOne(db, sql: """
                SELECT MIN(s.created_at) FROM outbox o JOIN submission s ON s.id = o.submission_id WHERE o.state = ?
                """, arguments: [OutboxState.queued.rawValue])
            return OutboxFigures(queued: counts[OutboxState.queued.rawValue] ?? 0, oldestQueued: Self.date(oldest),
                                 refused: counts[OutboxState.refused.rawValue] ?? 0, sent: counts[OutboxState.sent.rawValue] ?? 0)
        }
    }

    /// Refused items with the server's answer, for staff.
    public func refusedItems() throws -> [(ticket: String, status: Int?, message: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.ticket, o.refused_status, o.last_error FROM outbox o JOIN submission s ON s.id = o.submission_id
                WHERE o.state = ? ORDER BY s.id
                """, arguments: [OutboxState.refused.rawValue]).map {
                (ticket: $0["ticket"], status: $0["refused_status"], message: $0["last_error"] ?? "")
            }
        }
    }

    /// The server's id and the last error of every item, for `outbox list`.
    public func outboxDetails() throws -> [String: (serverID: String?, lastError: String?)] {
        try read { db in
            var out: [String: (serverID: String?, lastError: String?)] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT s.ticket, o.server_id, o.last_error FROM outbox o JOIN submission s ON s.id = o.submission_id
                """) { out[r["ticket"]] = (serverID: r["server_id"], lastError: r["last_error"]) }
            return out
        }
    }

    // MARK: the feed

    public func feedState() throws -> FeedState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT version, etag, expires FROM feed_state WHERE id = 1").map {
                FeedState(version: $0["version"], etag: $0["etag"], expires: Self.date($0["expires"]) ?? .distantPast)
            }
        }
    }

    /// The feed's articles as the server sent them (the base a delta applies to), by id.
    public func feedArticles() throws -> [String: Data] {
        try read { db in
            var out: [String: Data] = [:]
            // Text in rows written before the bytes were kept as they came (a BLOB), read as bytes alike.
            for r in try Row.fetchAll(db, sql: "SELECT id, body FROM feed_article") { out[r["id"]] = r["body"] as Data }
            return out
        }
    }

    /// Applies a feed in one transaction: the Knowledge Base (and the catalogue when it came) as the resident
    /// will see them, the server's raw articles for the next delta, and the version. A version older than the
    /// stored one is refused here too, so two rounds racing cannot roll the kiosk back.
    public func applyFeed(_ update: FeedUpdate, at date: Date = Date()) throws {
        let kb = try PreparedKnowledgeBase(update.knowledgeBase, source: update.source, index: update.knowledgeBaseIndex, allowEmpty: true)
        let catalog = try update.catalog.map { try PreparedCatalog($0, source: update.source, index: update.catalogIndex) }
        do {
            try db.write { db in
                if let have = try Int.fetchOne(db, sql: "SELECT version FROM feed_state WHERE id = 1"), have > update.version {
                    throw StoreError(path: path, problem: "feed version \(update.version) is older than the applied \(have); not applied")
                }
                try kb.write(db, at: date)
                try catalog?.write(db, at: date)
                if update.replacesAllArticles { try db.execute(sql: "DELETE FROM feed_article") }
                let upsert = try db.makeStatement(sql: "INSERT OR REPLACE INTO feed_article (id, body) VALUES (?, ?)")
                // As the bytes the signature covered: no UTF-8 pass over tens of megabytes (they were parsed already).
                for (id, body) in update.articles { try upsert.execute(arguments: [id, body]) }
                let delete = try db.makeStatement(sql: "DELETE FROM feed_article WHERE id = ?")
                for id in update.deletedArticles { try delete.execute(arguments: [id]) }
                try db.execute(sql: """
                    INSERT OR REPLACE INTO feed_state (id, version, etag, expires, applied_at, categories) VALUES (1, ?, ?, ?, ?, ?)
                    """, arguments: [update.version, update.etag, Self.isoString(update.expires), Self.isoString(date),
                                     String(decoding: update.categories, as: UTF8.self)])
            }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
        searchCache.invalidate()
    }

    /// A fresh signature over the version the kiosk has: only the expiry and the ETag move.
    public func refreshFeed(expires: Date, etag: String?) throws {
        try write { db in
            try db.execute(sql: "UPDATE feed_state SET expires = ?, etag = ? WHERE id = 1", arguments: [Self.isoString(expires), etag])
        }
    }

    // MARK: rounds

    /// Keeps the last 500 rounds: a day and more at one a minute, small on disk.
    public func recordSyncRound(_ round: SyncRoundRecord) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let body = String(decoding: try encoder.encode(round), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT INTO sync_round (finished, ok, body) VALUES (?, ?, ?)",
                           arguments: [Self.isoString(round.finished), round.ok, body])
            try db.execute(sql: "DELETE FROM sync_round WHERE id <= (SELECT MAX(id) FROM sync_round) - 500")
        }
    }

    public func lastSyncRounds() throws -> (last: SyncRoundRecord?, lastSuccess: SyncRoundRecord?) {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try read { db in
            let last = try String.fetchOne(db, sql: "SELECT body FROM sync_round ORDER BY id DESC LIMIT 1")
            let ok = try String.fetchOne(db, sql: "SELECT body FROM sync_round WHERE ok = 1 ORDER BY id DESC LIMIT 1")
            return (last: try last.map { try decoder.decode(SyncRoundRecord.self, from: Data($0.utf8)) },
                    lastSuccess: try ok.map { try decoder.decode(SyncRoundRecord.self, from: Data($0.utf8)) })
        }
    }

    func write<T>(_ block: (Database) throws -> T) throws -> T {
        do {
            return try db.write(block)
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }
}

/// A verified feed made ready for the database: what residents will see, and the server's raw articles.
public struct FeedUpdate: Sendable {
    public var version: Int
    public var etag: String?
    public var expires: Date
    /// Where it came from, for `kb list` and the log ("feed v42 from https://…").
    public var source: String
    public var knowledgeBase: KnowledgeBase
    public var knowledgeBaseIndex: SearchIndexData
    public var catalog: ServiceCatalog?
    public var catalogIndex: SearchIndexData?
    /// The categories as the server sent them (JSON array).
    public var categories: Data
    /// Raw articles added or changed, by id; with `replacesAllArticles`, all of them.
    public var articles: [(String, Data)]
    public var deletedArticles: [String]
    public var replacesAllArticles: Bool

    public init(version: Int, etag: String?, expires: Date, source: String, knowledgeBase: KnowledgeBase,
                knowledgeBaseIndex: SearchIndexData, catalog: ServiceCatalog?, catalogIndex: SearchIndexData?,
                categories: Data, articles: [(String, Data)], deletedArticles: [String], replacesAllArticles: Bool) {
        self.version = version; self.etag = etag; self.expires = expires; self.source = source
        self.knowledgeBase = knowledgeBase; self.knowledgeBaseIndex = knowledgeBaseIndex
        self.catalog = catalog; self.catalogIndex = catalogIndex; self.categories = categories
        self.articles = articles; self.deletedArticles = deletedArticles; self.replacesAllArticles = replacesAllArticles
    }
}
