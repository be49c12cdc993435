// The kiosk's SQLite file: migrations and the Knowledge Base cache. No SQL lives outside this module.
import Foundation
import GRDB
import KioskCore

/// A store error a technician can act on: which file, what is wrong, what to do.
public struct StoreError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
}

public struct ImportSummary: Sendable, Equatable {
    public var categories: Int
    public var articles: Int
    /// Articles in the file that a public kiosk never stores (internal procedures).
    public var skippedInternal: Int
}

extension ValidityRule.Condition {
    /// The condition as SQL over columns holding `LocalDate.description`; `name` gives each operand's
    /// column or parameter.
    func sql(_ name: (ValidityRule.Operand) -> String) -> String {
        switch self {
        case let .notAfter(a, b): return "\(name(a)) <= \(name(b))"
        case let .absent(o): return "\(name(o)) IS NULL"
        case let .all(cs): return "(" + cs.map { $0.sql(name) }.joined(separator: " AND ") + ")"
        case let .any(cs): return "(" + cs.map { $0.sql(name) }.joined(separator: " OR ") + ")"
        }
    }
}

public final class KioskStore: Sendable {
    let db: any DatabaseWriter
    public let path: String
    let searchCache = SearchCache()

    /// Opens (or creates) the kiosk database at `path` in WAL mode and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        do {
            let pool = try DatabasePool(path: path, configuration: Self.configuration())
            // A submission must be on disk when the screen says so, and the same setting protects the KB swap.
            // It is set here and not in prepareDatabase: GRDB sets NORMAL on the writer when it switches to
            // WAL, after prepareDatabase ran, and NORMAL does not sync the WAL at commit.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            db = pool
            try Self.migrator.migrate(pool)
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        } catch {
            throw StoreError(path: path, problem: "cannot open the database (\(error)); check the path and its permissions")
        }
    }

    /// An in-memory database for fast tests.
    public init(inMemory name: String = "kiosk") throws {
        path = ":memory:"
        let queue = try DatabaseQueue(named: name, configuration: Self.configuration())
        db = queue
        try Self.migrator.migrate(queue)
    }

    static func configuration() -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(2)
        // secure_delete: what a row held is zeroed where it lay when the row is deleted or rewritten (in
        // its page, in freed pages, in cells moved by a rebalance), so a purged submission or contact leaves
        // nothing in free space for someone who copies the file off the kiosk (RetentionRule, `purgeExpired`).
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -8000; PRAGMA secure_delete = ON") }
        return config
    }

    /// `PRAGMA synchronous` of the connection that writes (2 = FULL): what durability rests on.
    public func writerSynchronousMode() throws -> Int {
        try db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    static func explain(_ e: DatabaseError, path: String) -> StoreError {
        switch e.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return StoreError(path: path, problem: "not a SQLite database or damaged; move it aside and start again: the kiosk makes a new one and refills the Knowledge Base")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(path: path, problem: "locked by another process; is another kiosk already running on this file?")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL:
            // These mostly come from the folder, a left-over -wal/-shm file or free space, not from the
            // main file: look at them before answering.
            if path != ":memory:", var found = StoreDiagnosis.findProblem(path: path) {
                found.problem += " (SQLite said: \(e.message ?? "\(e.resultCode)"))"
                return found
            }
            switch e.resultCode {
            case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
                return StoreError(path: path, problem: "cannot be opened for writing (\(e.message ?? "\(e.resultCode)")); check that the folder exists and the kiosk's user may write the file, its -wal and -shm files and the folder")
            case .SQLITE_FULL:
                return StoreError(path: path, problem: "the disk or the file system quota is full; free space (old logs, core dumps) and restart the kiosk")
            default:
                return StoreError(path: path, problem: "cannot read or write the database (\(e.message ?? e.description)); check the disk (`dmesg` shows I/O errors) and that nothing else writes the file")
            }
        default:
            return StoreError(path: path, problem: "database error: \(e.message ?? e.description)")
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        // Append-only: a kiosk in the field upgrades by running the migrations it has not seen.
        m.registerMigration("v1-knowledge-base") { db in
            try db.execute(sql: """
                CREATE TABLE kb_category (
                    id TEXT PRIMARY KEY NOT NULL,
                    position INTEGER NOT NULL,
                    name_pl TEXT NOT NULL,
                    name_en TEXT
                );
                -- Public articles only: internal ones and the consultant field never enter this table.
                CREATE TABLE kb_article (
                    id TEXT PRIMARY KEY NOT NULL,
                    position INTEGER NOT NULL,
                    title_pl TEXT NOT NULL,
                    title_en TEXT,
                    summary_pl TEXT NOT NULL,
                    summary_en TEXT,
                    valid_from TEXT NOT NULL,
                    valid_to TEXT,
                    body TEXT NOT NULL
                );
                CREATE TABLE kb_article_category (
                    article_id TEXT NOT NULL REFERENCES kb_article(id) ON DELETE CASCADE,
                    category_id TEXT NOT NULL REFERENCES kb_category(id) ON DELETE CASCADE,
                    PRIMARY KEY (category_id, article_id)
                ) WITHOUT ROWID;
                CREATE TABLE kb_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                );
                """)
        }
        m.registerMigration("v2-search") { db in
            // Folded text goes in; unicode61 only splits it. Column weights are given at query time.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE kb_search USING fts5(
                    article_id UNINDEXED, title, keywords, categories, body,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                CREATE TABLE search_form (
                    form TEXT NOT NULL,
                    lemma TEXT NOT NULL,
                    PRIMARY KEY (form, lemma)
                ) WITHOUT ROWID;
                CREATE TABLE search_vocab (
                    word TEXT PRIMARY KEY NOT NULL,
                    display TEXT NOT NULL,
                    freq INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v3-search-head") { db in
            // Titles and keywords alone: their doclists are short, so the first ranking tiers stay fast
            // on a large Knowledge Base where common words fill the body index.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE kb_search_head USING fts5(
                    article_id UNINDEXED, title, keywords,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                """)
        }
        m.registerMigration("v4-ukrainian") { db in
            // Ukrainian beside Polish and English. Stored bodies already carry "uk" where the source had it,
            // so titles and summaries are filled from them; category names and the search index get their
            // Ukrainian words at the next import.
            try db.execute(sql: """
                ALTER TABLE kb_category ADD COLUMN name_uk TEXT;
                ALTER TABLE kb_article ADD COLUMN title_uk TEXT;
                ALTER TABLE kb_article ADD COLUMN summary_uk TEXT;
                UPDATE kb_article SET title_uk = json_extract(body, '$.title.uk'), summary_uk = json_extract(body, '$.summary.uk')
                    WHERE json_valid(body);
                """)
        }
        m.registerMigration("v5-services") { db in
            // The report catalogue: units, topics and services with their definitions. A service's whole
            // definition is kept as JSON beside the columns lists and search need.
            try db.execute(sql: """
                CREATE TABLE service_unit (id TEXT PRIMARY KEY, body TEXT NOT NULL);
                CREATE TABLE service_group (id TEXT PRIMARY KEY, position INTEGER NOT NULL, body TEXT NOT NULL);
                CREATE TABLE service (
                    code TEXT PRIMARY KEY, position INTEGER NOT NULL, group_id TEXT NOT NULL REFERENCES service_group(id),
                    unit_id TEXT NOT NULL REFERENCES service_unit(id), body TEXT NOT NULL);
                CREATE TABLE service_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                """)
        }
        m.registerMigration("v6-outbox") { db in
            // A submission, its outbox row and its idempotency key are written in one transaction; the ticket's
            // sequence is taken in that same transaction, so two filings never share a number.
            try db.execute(sql: """
                CREATE TABLE ticket_sequence (kiosk_code TEXT NOT NULL, day TEXT NOT NULL, last INTEGER NOT NULL,
                                              PRIMARY KEY (kiosk_code, day));
                CREATE TABLE submission (
                    id INTEGER PRIMARY KEY, ticket TEXT NOT NULL UNIQUE, idempotency_key TEXT NOT NULL UNIQUE,
                    service_code TEXT NOT NULL, created_at TEXT NOT NULL, body TEXT NOT NULL);
                CREATE TABLE outbox (
                    submission_id INTEGER PRIMARY KEY REFERENCES submission(id) ON DELETE CASCADE,
                    state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT, last_error TEXT,
                    server_id TEXT);
                CREATE INDEX outbox_state ON outbox(state);
                """)
        }
        m.registerMigration("v7-service-search") { db in
            // The report catalogue's own index, built like the Knowledge Base's (folded words followed by
            // their base forms); its own table of forms, so a Knowledge Base import never empties it.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE service_search USING fts5(
                    code UNINDEXED, title, keywords, categories, body,
                    tokenize = 'unicode61 remove_diacritics 2'
                );
                CREATE TABLE service_form (
                    form TEXT NOT NULL,
                    lemma TEXT NOT NULL,
                    PRIMARY KEY (form, lemma)
                ) WITHOUT ROWID;
                """)
            // Set once: rewriting an FTS5 option at each import makes a reader that had already opened the
            // table fail with "SQL logic error" (seen when an upgraded kiosk built its index at start).
            try db.execute(sql: "INSERT INTO service_search (service_search, rank) VALUES ('rank', '\(Self.bm25Arguments)')")
        }
        m.registerMigration("v8-printer-log") { db in
            // What the printer did with each receipt, for maintenance: never what was printed.
            try db.execute(sql: """
                CREATE TABLE printer_log (
                    id INTEGER PRIMARY KEY, at TEXT NOT NULL, queue TEXT NOT NULL, document TEXT NOT NULL,
                    outcome TEXT NOT NULL, fault TEXT NOT NULL, attempts INTEGER NOT NULL, detail TEXT NOT NULL);
                """)
        }
        m.registerMigration("v9-kb-rank-once") { db in
            // Title and keywords weigh above categories and body; FTS5 orders by this rank itself. Set once
            // here, not at each import: rewriting the option under a reader that has the table open fails
            // that reader with "SQL logic error" (an import in the running kiosk, as the sync will do).
            try db.execute(sql: "INSERT INTO kb_search (kb_search, rank) VALUES ('rank', '\(bm25Arguments)')")
            try db.execute(sql: "INSERT INTO kb_search_head (kb_search_head, rank) VALUES ('rank', 'bm25(0.0, 10.0, 6.0)')")
        }
        m.registerMigration("v10-sync") { db in
            // Where each item is on its way to the server, the feed applied last (its articles kept as the
            // server sent them, so a delta is applied to exactly what the kiosk has), and each sync round.
            try db.execute(sql: """
                ALTER TABLE outbox ADD COLUMN token TEXT;
                ALTER TABLE outbox ADD COLUMN sent_at TEXT;
                ALTER TABLE outbox ADD COLUMN refused_status INTEGER;
                CREATE TABLE feed_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL, etag TEXT, expires TEXT NOT NULL,
                    applied_at TEXT NOT NULL, categories TEXT NOT NULL);
                CREATE TABLE feed_article (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE sync_round (id INTEGER PRIMARY KEY, finished TEXT NOT NULL, ok INTEGER NOT NULL, body TEXT NOT NULL);
                """)
        }
        m.registerMigration("v11-contentless-search") { db in
            // The index keeps no copy of the text (kb_article has it): half the bytes an import writes and
            // syncs to disk. Rows are numbered by the article's position, which VACUUM does not renumber (a
            // rowid without INTEGER PRIMARY KEY it may). A larger term buffer (hashsize) flushes a large import
            // in fewer segments. Options are set here once: rewriting one under an open reader fails it.
            try db.execute(sql: """
                CREATE UNIQUE INDEX kb_article_position ON kb_article(position);
                CREATE VIRTUAL TABLE kb_search_v11 USING fts5(
                    title, keywords, categories, body, content = '', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO kb_search_v11 (rowid, title, keywords, categories, body)
                    SELECT a.position, s.title, s.keywords, s.categories, s.body FROM kb_search s JOIN kb_article a ON a.id = s.article_id;
                DROP TABLE kb_search;
                ALTER TABLE kb_search_v11 RENAME TO kb_search;
                CREATE VIRTUAL TABLE kb_search_head_v11 USING fts5(
                    title, keywords, content = '', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO kb_search_head_v11 (rowid, title, keywords)
                    SELECT a.position, s.title, s.keywords FROM kb_search_head s JOIN kb_article a ON a.id = s.article_id;
                DROP TABLE kb_search_head;
                ALTER TABLE kb_search_head_v11 RENAME TO kb_search_head;
                """)
            try db.execute(sql: "INSERT INTO kb_search (kb_search, rank) VALUES ('rank', '\(bm25ArticleArguments)')")
            try db.execute(sql: "INSERT INTO kb_search_head (kb_search_head, rank) VALUES ('rank', 'bm25(10.0, 6.0)')")
            for table in ["kb_search", "kb_search_head"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', \(16 << 20))")
            }
        }
        m.registerMigration("v12-maintenance") { db in
            // Each PIN try is written before it is checked (ok NULL until the answer), so a kill -9 between a
            // wrong try and its count cannot give a free try; and staff actions are journaled.
            try db.execute(sql: """
                CREATE TABLE pin_attempt (id INTEGER PRIMARY KEY, at TEXT NOT NULL, ok INTEGER);
                CREATE TABLE journal (id INTEGER PRIMARY KEY, at TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);
                """)
        }
        m.registerMigration("v13-kiosk-state") { db in
            // What staff switch and the kiosk must remember across restarts (out of service).
            try db.execute(sql: "CREATE TABLE kiosk_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        }
        return m
    }

    // MARK: writes

    /// Replaces the whole Knowledge Base in one transaction: a resident sees the old one or the new one,
    /// never a mix, and a failure leaves the old one in place.
    @discardableResult
    public func importKnowledgeBase(_ kb: KnowledgeBase, source: String, index: SearchIndexData? = nil,
                                    allowEmpty: Bool = false, at date: Date = Date()) throws -> ImportSummary {
        let prepared = try PreparedKnowledgeBase(kb, source: source, index: index, allowEmpty: allowEmpty)
        do {
            try db.write { db in try prepared.write(db, at: date) }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
        searchCache.invalidate()
        return prepared.summary
    }

    // MARK: reads (all judged on `day`, Łódź's calendar date)

    /// The validity rule in SQL, rendered from `ValidityRule.visible` rather than written a second time.
    static let validOn = ValidityRule.visible.sql { operand in
        switch operand {
        case .validFrom: return "a.valid_from"
        case .validTo: return "a.valid_to"
        case .day: return ":day"
        }
    }

    /// Whether an article stored with these window ends may be shown on `day`: the Swift side of the same
    /// rule, for rows already fetched. A stored date that does not parse (the store writes them itself, so
    /// only damage does that) hides the article.
    static func isVisible(validFrom: String?, validTo: String?, on day: LocalDate) -> Bool {
        guard let from = validFrom.flatMap(LocalDate.init(iso:)) else { return false }
        var to: LocalDate?
        if let t = validTo {
            guard let parsed = LocalDate(iso: t) else { return false }
            to = parsed
        }
        return ValidityRule.visible.holds(validFrom: from, validTo: to, day: day)
    }

    public func isKnowledgeBaseEmpty() throws -> Bool {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM kb_category") ?? 0 == 0 }
    }

    public func meta(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM kb_meta WHERE key = ?", arguments: [key]) }
    }

    /// Categories in the source's order, with the number of articles valid on `day`; empty ones are left out.
    public func categories(on day: LocalDate) throws -> [CategorySummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT c.id, c.name_pl, c.name_en, c.name_uk, COUNT(a.id) AS n
                FROM kb_category c
                JOIN kb_article_category ac ON ac.category_id = c.id
                JOIN kb_article a ON a.id = ac.article_id AND \(Self.validOn)
                GROUP BY c.id ORDER BY c.position
                """, arguments: ["day": day.description])
            return rows.map { r in
                CategorySummary(category: Category(id: r["id"], name: Localized(pl: r["name_pl"], en: r["name_en"], uk: r["name_uk"])),
                                articleCount: r["n"])
            }
        }
    }

    public func articles(inCategory id: String, on day: LocalDate) throws -> [ArticleSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, a.title_pl, a.title_en, a.title_uk, a.summary_pl, a.summary_en, a.summary_uk
                FROM kb_article a JOIN kb_article_category ac ON ac.article_id = a.id
                WHERE ac.category_id = :cat AND \(Self.validOn)
                ORDER BY a.title_pl COLLATE NOCASE, a.position
                """, arguments: ["cat": id, "day": day.description])
            return rows.map(Self.summary)
        }
    }

    /// One article if a resident may see it on `day`, else nil.
    public func article(id: String, on day: LocalDate) throws -> PublicArticle? {
        try read { db in
            guard let body = try String.fetchOne(db, sql: "SELECT body FROM kb_article a WHERE a.id = :id AND \(Self.validOn)",
                                                 arguments: ["id": id, "day": day.description]) else { return nil }
            return try Self.decode(body)
        }
    }

    /// Every article a resident may see on `day`, in the source's order.
    public func publicArticles(on day: LocalDate) throws -> [PublicArticle] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT body FROM kb_article a WHERE \(Self.validOn) ORDER BY a.position",
                                arguments: ["day": day.description]).map(Self.decode)
        }
    }

    static func summary(_ r: Row) -> ArticleSummary {
        ArticleSummary(id: r["id"], title: Localized(pl: r["title_pl"], en: r["title_en"], uk: r["title_uk"]),
                       summary: Localized(pl: r["summary_pl"], en: r["summary_en"], uk: r["summary_uk"]))
    }

    static func decode(_ body: String) throws -> PublicArticle {
        try JSONDecoder().decode(PublicArticle.self, from: Data(body.utf8))
    }

    func read<T>(_ block: (Database) throws -> T) throws -> T {
        do {
            return try db.read(block)
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }
}

/// A Knowledge Base encoded for the database before the transaction opens, so the write itself is short
/// and the same for a file import and a feed.
struct PreparedKnowledgeBase {
    let kb: KnowledgeBase
    let source: String
    let index: SearchIndexData
    let articles: [PublicArticle]
    /// Each article's JSON, encoded on other threads while the transaction writes the search index.
    let bodies: Pending<[Data]>
    /// Article id → its position, which is also its row in the search index.
    let positions: [String: Int]
    let summary: ImportSummary

    init(_ kb: KnowledgeBase, source: String, index: SearchIndexData?, allowEmpty: Bool) throws {
        if !allowEmpty { try kb.requirePublicArticles(file: source) }
        self.kb = kb
        self.source = source
        self.index = index ?? SearchIndexBuilder.build(articles: kb.articles.compactMap(\.publicVersion),
                                                      categories: kb.categories, lexicon: nil)
        let visible = kb.articles.compactMap(\.publicVersion)
        articles = visible
        // In parallel parts, one encoder each: a 10,000-article feed is tens of megabytes of JSON.
        bodies = Pending {
            // One core is left to the transaction writing the index meanwhile.
            try Parallel.mapChunks(visible, width: max(1, Parallel.width - 1), minimumChunk: 200) { part in
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                return try part.map { try encoder.encode($0) }
            }
        }
        positions = Dictionary(visible.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        summary = ImportSummary(categories: kb.categories.count, articles: visible.count, skippedInternal: kb.articles.count - visible.count)
    }

    /// Replaces the stored Knowledge Base inside the caller's transaction.
    func write(_ db: Database, at date: Date) throws {
        try db.execute(sql: "DELETE FROM kb_article_category; DELETE FROM kb_article; DELETE FROM kb_category;")
        for (i, c) in kb.categories.enumerated() {
            try db.execute(sql: "INSERT INTO kb_category (id, position, name_pl, name_en, name_uk) VALUES (?, ?, ?, ?, ?)",
                           arguments: [c.id, i, c.name.pl, c.name.en, c.name.uk])
        }
        let article = try db.makeStatement(sql: """
            INSERT INTO kb_article (id, position, title_pl, title_en, title_uk, summary_pl, summary_en, summary_uk,
                                    valid_from, valid_to, body)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let link = try db.makeStatement(sql: "INSERT INTO kb_article_category (article_id, category_id) VALUES (?, ?)")
        // The index first: the articles' JSON is being encoded meanwhile.
        try KioskStore.writeIndex(index, positions: positions, db)
        for (i, (p, body)) in zip(articles, try bodies.value()).enumerated() {
            try article.execute(arguments: [p.id, i, p.title.pl, p.title.en, p.title.uk, p.summary.pl, p.summary.en, p.summary.uk,
                                            p.validFrom.description, p.validTo?.description, String(decoding: body, as: UTF8.self)])
            for c in Set(p.categories) { try link.execute(arguments: [p.id, c]) }
        }
        let iso = ISO8601DateFormatter().string(from: date)
        for (k, v) in [("source", source), ("imported_at", iso), ("articles", String(articles.count))] {
            try db.execute(sql: "INSERT OR REPLACE INTO kb_meta (key, value) VALUES (?, ?)", arguments: [k, v])
        }
    }
}
