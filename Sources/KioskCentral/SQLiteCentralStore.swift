// kiosk-central's SQLite store (GRDB): WAL, synchronous=FULL on the writer, append-only migrations.
import Crypto
import Foundation
import GRDB
import KioskCore

public struct CentralStoreError: Error, CustomStringConvertible {
    public var path: String
    public var problem: String
    public var description: String { "\(path): \(problem)" }
}

public final class SQLiteCentralStore: CentralStore {
    let db: any DatabaseWriter
    public let path: String

    /// Opens (or creates) the database in WAL mode and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        do {
            var config = Configuration()
            config.busyMode = .timeout(5)
            let pool = try DatabasePool(path: path, configuration: config)
            // A request is answered only once it is on disk; GRDB sets NORMAL when it switches to WAL, after
            // prepareDatabase, so FULL is set here on the writer.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            db = pool
            try Self.migrator.migrate(pool)
            try Self.ensureSigningKey(pool)
        } catch let e as DatabaseError {
            let why: String
            switch e.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT: why = "not a SQLite database or damaged; move it aside and start again"
            case .SQLITE_CANTOPEN: why = "cannot open the database; check the folder exists and its permissions"
            case .SQLITE_READONLY: why = "the database is read-only; check its permissions"
            case .SQLITE_FULL: why = "the disk is full; free space and start again"
            default: why = "database error: \(e.message ?? "\(e.resultCode)")"
            }
            throw CentralStoreError(path: path, problem: why)
        }
    }

    /// `PRAGMA synchronous` of the writer (2 = FULL).
    public func writerSynchronousMode() throws -> Int {
        try db.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE services_document (id INTEGER PRIMARY KEY CHECK (id = 1), document BLOB NOT NULL,
                    version INTEGER NOT NULL);
                CREATE TABLE kb_categories (id INTEGER PRIMARY KEY CHECK (id = 1), document BLOB NOT NULL,
                    version INTEGER NOT NULL);
                CREATE TABLE articles (id TEXT PRIMARY KEY, json BLOB NOT NULL, version INTEGER NOT NULL);
                CREATE INDEX articles_version ON articles(version);
                CREATE TABLE article_deletions (id TEXT NOT NULL, version INTEGER NOT NULL);
                CREATE INDEX article_deletions_version ON article_deletions(version);
                CREATE TABLE feed_versions (version INTEGER PRIMARY KEY, created REAL NOT NULL,
                    articles_added INTEGER NOT NULL, articles_changed INTEGER NOT NULL,
                    articles_deleted INTEGER NOT NULL, categories_changed INTEGER NOT NULL,
                    services_changed INTEGER NOT NULL);
                CREATE TABLE api_keys (hash TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL, created REAL NOT NULL,
                    revoked REAL);
                CREATE TABLE requests (
                    row INTEGER PRIMARY KEY AUTOINCREMENT,
                    service_request_id TEXT UNIQUE,
                    token TEXT UNIQUE,
                    status TEXT NOT NULL DEFAULT 'open',
                    status_notes TEXT,
                    service_code TEXT NOT NULL,
                    service_name TEXT NOT NULL,
                    description TEXT,
                    agency TEXT NOT NULL,
                    service_notice TEXT NOT NULL,
                    requested REAL NOT NULL,
                    updated REAL NOT NULL,
                    address TEXT, address_id TEXT, zipcode TEXT, lat REAL, long REAL, media_url TEXT,
                    email TEXT, phone TEXT, first_name TEXT, last_name TEXT,
                    device_id TEXT, kiosk_id TEXT NOT NULL, ticket TEXT,
                    attributes BLOB NOT NULL);
                CREATE INDEX requests_requested ON requests(requested);
                CREATE INDEX requests_ticket ON requests(ticket);
                CREATE INDEX requests_service ON requests(service_code, status);
                CREATE TABLE idempotency_keys (key TEXT PRIMARY KEY, payload_hash TEXT NOT NULL,
                    request_row INTEGER NOT NULL REFERENCES requests(row), created REAL NOT NULL);
                CREATE INDEX idempotency_keys_created ON idempotency_keys(created);
                CREATE TABLE heartbeats (kiosk_id TEXT PRIMARY KEY, json BLOB NOT NULL, received REAL NOT NULL);
                """)
        }
        m.registerMigration("v2") { db in
            // What the dictionary answered for the words of the Knowledge Base ('kb') and of the catalogue
            // ('services'), made at import and sent with snapshots (lckm-lexicon/1).
            try db.execute(sql: "CREATE TABLE lexicons (name TEXT PRIMARY KEY, document BLOB NOT NULL)")
        }
        m.registerMigration("v3") { db in
            // Staff keys open the fleet view; every key made before is a kiosk's.
            try db.execute(sql: "ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'kiosk'")
        }
        return m
    }

    static func ensureSigningKey(_ db: any DatabaseWriter) throws {
        try db.write { db in
            if try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'feed_signing_key'") == nil {
                let key = Curve25519.Signing.PrivateKey()
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('feed_signing_key', ?)",
                               arguments: [key.rawRepresentation])
            }
        }
    }

    public func feedSigningKey() throws -> Data {
        try db.read { db in
            guard let k = try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'feed_signing_key'") else {
                throw CentralStoreError(path: path, problem: "no feed signing key in the database")
            }
            return k
        }
    }

    // MARK: Catalogue, Knowledge Base and the feed

    /// The next version: one more than the last, and never below the Unix time, so a re-created database
    /// still issues versions newer than any kiosk holds.
    static func nextVersion(_ db: Database, now: Date) throws -> Int {
        let last = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM feed_versions") ?? 0
        return max(last + 1, Int(now.timeIntervalSince1970))
    }

    static func record(_ change: FeedChange, version: Int, _ db: Database, now: Date) throws {
        try db.execute(sql: """
            INSERT INTO feed_versions(version, created, articles_added, articles_changed, articles_deleted,
                categories_changed, services_changed) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [version, now.timeIntervalSince1970, change.articlesAdded, change.articlesChanged,
                             change.articlesDeleted, change.categoriesChanged, change.servicesChanged])
    }

    public func servicesDocument() throws -> (document: Data, version: Int)? {
        try db.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT document, version FROM services_document WHERE id = 1") else { return nil }
            return (row["document"], row["version"])
        }
    }

    static func storeLexicon(_ name: String, _ document: Data?, _ db: Database) throws {
        if let document {
            try db.execute(sql: "INSERT OR REPLACE INTO lexicons(name, document) VALUES (?, ?)", arguments: [name, document])
        } else {
            try db.execute(sql: "DELETE FROM lexicons WHERE name = ?", arguments: [name])
        }
    }

    public func importServices(document: Data, lexicon: Data?, now: Date) throws -> FeedChange {
        try db.write { db in
            var change = FeedChange()
            try Self.storeLexicon("services", lexicon, db)
            let old = try Data.fetchOne(db, sql: "SELECT document FROM services_document WHERE id = 1")
            guard old != document else { return change }
            change.servicesChanged = true
            let v = try Self.nextVersion(db, now: now)
            change.version = v
            try db.execute(sql: "INSERT OR REPLACE INTO services_document(id, document, version) VALUES (1, ?, ?)",
                           arguments: [document, v])
            try Self.record(change, version: v, db, now: now)
            return change
        }
    }

    public func importKnowledgeBase(categories: Data, articles: [(id: String, json: Data)], lexicon: Data?, now: Date) throws -> FeedChange {
        try db.write { db in
            var change = FeedChange()
            try Self.storeLexicon("kb", lexicon, db)
            let oldCategories = try Data.fetchOne(db, sql: "SELECT document FROM kb_categories WHERE id = 1")
            change.categoriesChanged = oldCategories != categories
            var old: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, json FROM articles") { old[row["id"] as String] = row["json"] as Data }
            var added: [(String, Data)] = [], changed: [(String, Data)] = []
            var seen = Set<String>()
            for a in articles {
                seen.insert(a.id)
                if let o = old[a.id] { if o != a.json { changed.append((a.id, a.json)) } } else { added.append((a.id, a.json)) }
            }
            let deleted = old.keys.filter { !seen.contains($0) }.sorted()
            change.articlesAdded = added.count; change.articlesChanged = changed.count; change.articlesDeleted = deleted.count
            guard change.changedAnything else { return change }
            let v = try Self.nextVersion(db, now: now)
            change.version = v
            if change.categoriesChanged {
                try db.execute(sql: "INSERT OR REPLACE INTO kb_categories(id, document, version) VALUES (1, ?, ?)",
                               arguments: [categories, v])
            }
            for (id, json) in added + changed {
                try db.execute(sql: "INSERT OR REPLACE INTO articles(id, json, version) VALUES (?, ?, ?)", arguments: [id, json, v])
            }
            for id in deleted {
                try db.execute(sql: "DELETE FROM articles WHERE id = ?", arguments: [id])
                try db.execute(sql: "INSERT INTO article_deletions(id, version) VALUES (?, ?)", arguments: [id, v])
            }
            try Self.record(change, version: v, db, now: now)
            return change
        }
    }

    public func feedVersion() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT MAX(version) FROM feed_versions") ?? 0 }
    }

    public func publicArticleCount() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM articles") ?? 0 }
    }

    public func feedContent(since: Int?) throws -> FeedContent {
        try db.read { db in
            let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM feed_versions") ?? 0
            let categories = try Data.fetchOne(db, sql: "SELECT document FROM kb_categories WHERE id = 1") ?? Data("[]".utf8)
            let services = try Row.fetchOne(db, sql: "SELECT document, version FROM services_document WHERE id = 1")
            // A delta needs the version the kiosk has to be one this database made (its history covers it).
            if let since, since <= version,
               try Int.fetchOne(db, sql: "SELECT 1 FROM feed_versions WHERE version = ?", arguments: [since]) != nil {
                let articles = try Data.fetchAll(db, sql: "SELECT json FROM articles WHERE version > ? ORDER BY id", arguments: [since])
                let deleted = try String.fetchAll(db, sql: """
                    SELECT DISTINCT id FROM article_deletions WHERE version > ? AND id NOT IN (SELECT id FROM articles)
                    ORDER BY id
                    """, arguments: [since])
                let servicesChanged = (services?["version"] as Int?).map { $0 > since } ?? false
                let lexicons = servicesChanged
                    ? try Data.fetchAll(db, sql: "SELECT document FROM lexicons WHERE name = 'services'") : []
                return FeedContent(version: version, since: since, categories: categories, articles: articles,
                                   deletedArticles: deleted, services: servicesChanged ? services?["document"] : nil,
                                   lexicons: lexicons)
            }
            let articles = try Data.fetchAll(db, sql: "SELECT json FROM articles ORDER BY id")
            let lexicons = try Data.fetchAll(db, sql: "SELECT document FROM lexicons ORDER BY name")
            return FeedContent(version: version, since: nil, categories: categories, articles: articles,
                               deletedArticles: [], services: services?["document"], lexicons: lexicons)
        }
    }

    // MARK: Keys

    public func addKey(kioskID: String, keyHash: String, role: KeyRole, now: Date) throws {
        try db.write { db in
            try db.execute(sql: "INSERT INTO api_keys(hash, kiosk_id, created, role) VALUES (?, ?, ?, ?)",
                           arguments: [keyHash, kioskID, now.timeIntervalSince1970, role.rawValue])
        }
    }

    public func kiosk(forKeyHash hash: String) throws -> String? {
        try holder(hash, role: .kiosk)
    }

    public func staff(forKeyHash hash: String) throws -> String? {
        try holder(hash, role: .staff)
    }

    private func holder(_ hash: String, role: KeyRole) throws -> String? {
        try db.read {
            try String.fetchOne($0, sql: "SELECT kiosk_id FROM api_keys WHERE hash = ? AND revoked IS NULL AND role = ?",
                                arguments: [hash, role.rawValue])
        }
    }

    public func keys() throws -> [KioskKey] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT hash, kiosk_id, role, created, revoked FROM api_keys ORDER BY role, kiosk_id, created").map { r in
                KioskKey(hashPrefix: String((r["hash"] as String).prefix(12)), kioskID: r["kiosk_id"],
                         role: KeyRole(rawValue: r["role"]) ?? .kiosk, created: Date(timeIntervalSince1970: r["created"]),
                         revoked: (r["revoked"] as Double?).map { Date(timeIntervalSince1970: $0) })
            }
        }
    }

    public func revokeKeys(matching: String, now: Date) throws -> Int {
        try db.write { db in
            try db.execute(sql: """
                UPDATE api_keys SET revoked = ? WHERE revoked IS NULL AND (kiosk_id = ? OR (length(?) >= 8 AND hash LIKE ? || '%'))
                """, arguments: [now.timeIntervalSince1970, matching, matching, matching.lowercased()])
            return db.changesCount
        }
    }

    // MARK: Requests

    public func fileRequest(_ r: NewServiceRequest, idempotencyKey: String?, payloadHash: String, useToken: Bool) throws -> PostOutcome {
        let attributes = try JSONSerialization.data(withJSONObject: r.attributes, options: [.sortedKeys])
        return try db.write { db in
            if let key = idempotencyKey,
               let row = try Row.fetchOne(db, sql: """
                   SELECT k.payload_hash, r.service_request_id, r.token, r.service_notice FROM idempotency_keys k
                   JOIN requests r ON r.row = k.request_row WHERE k.key = ?
                   """, arguments: [key]) {
                guard row["payload_hash"] as String == payloadHash else { throw IdempotencyConflict.differentPayload(key: key) }
                return PostOutcome(serviceRequestID: row["service_request_id"], token: row["token"],
                                   serviceNotice: row["service_notice"], created: false)
            }
            let t = r.requested.timeIntervalSince1970
            try db.execute(sql: """
                INSERT INTO requests(service_code, service_name, description, agency, service_notice, requested, updated,
                    address, address_id, zipcode, lat, long, media_url, email, phone, first_name, last_name, device_id,
                    kiosk_id, ticket, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [r.serviceCode, r.serviceName, r.description, r.agency, r.serviceNotice, t, t,
                                 r.address, r.addressID, r.zipcode, r.lat, r.long, r.mediaURL, r.email, r.phone,
                                 r.firstName, r.lastName, r.deviceID, r.kioskID, r.ticket, attributes])
            let rowID = db.lastInsertedRowID
            let id = String(rowID)
            let token = useToken ? Self.randomToken() : nil
            try db.execute(sql: "UPDATE requests SET service_request_id = ?, token = ? WHERE row = ?", arguments: [id, token, rowID])
            if let key = idempotencyKey {
                try db.execute(sql: "INSERT INTO idempotency_keys(key, payload_hash, request_row, created) VALUES (?, ?, ?, ?)",
                               arguments: [key, payloadHash, rowID, t])
            }
            return PostOutcome(serviceRequestID: id, token: token, serviceNotice: r.serviceNotice, created: true)
        }
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    static let columns = """
        service_request_id, token, status, status_notes, service_code, service_name, description, agency, service_notice,
        requested, updated, address, address_id, zipcode, lat, long, media_url, ticket, kiosk_id
        """

    static func stored(_ r: Row) -> StoredRequest {
        StoredRequest(serviceRequestID: r["service_request_id"], token: r["token"], status: r["status"],
                      statusNotes: r["status_notes"], serviceCode: r["service_code"], serviceName: r["service_name"],
                      description: r["description"], agency: r["agency"], serviceNotice: r["service_notice"],
                      requested: Date(timeIntervalSince1970: r["requested"]), updated: Date(timeIntervalSince1970: r["updated"]),
                      address: r["address"], addressID: r["address_id"], zipcode: r["zipcode"], lat: r["lat"], long: r["long"],
                      mediaURL: r["media_url"], ticket: r["ticket"], kioskID: r["kiosk_id"])
    }

    public func requests(_ f: RequestFilter) throws -> [StoredRequest] {
        var clauses: [String] = [], args: [(any DatabaseValueConvertible)?] = []
        func list(_ column: String, _ values: [String]) {
            clauses.append("\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ",")))")
            for v in values { args.append(v) }
        }
        if let ids = f.ids, !ids.isEmpty {
            list("service_request_id", ids) // the spec: a list of ids overrides every other filter
        } else {
            if let c = f.serviceCodes, !c.isEmpty { list("service_code", c) }
            if let s = f.statuses, !s.isEmpty { list("status", s) }
            if let start = f.start { clauses.append("requested >= ?"); args.append(start.timeIntervalSince1970) }
            if let end = f.end { clauses.append("requested <= ?"); args.append(end.timeIntervalSince1970) }
            if let n = f.near {
                // A box first (cheap, indexed scan), the exact distance after.
                let dLat = n.radius / 111_000, dLon = n.radius / (111_000 * max(cos(n.lat * .pi / 180), 0.01))
                clauses.append("lat BETWEEN ? AND ? AND long BETWEEN ? AND ?")
                for v in [n.lat - dLat, n.lat + dLat, n.long - dLon, n.long + dLon] { args.append(v) }
            }
        }
        let sql = "SELECT \(Self.columns) FROM requests" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND "))
            + " ORDER BY requested DESC, row DESC LIMIT ?"
        args.append(f.limit)
        let arguments = StatementArguments(args)
        var out = try db.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.stored) }
        if let n = f.near, f.ids?.isEmpty ?? true {
            out = out.filter { r in
                guard let lat = r.lat, let long = r.long else { return false }
                return metersBetween(n.lat, n.long, lat, long) <= n.radius
            }
        }
        return out
    }

    private func one(_ column: String, _ value: String) throws -> StoredRequest? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM requests WHERE \(column) = ? ORDER BY row DESC LIMIT 1",
                             arguments: [value]).map(Self.stored)
        }
    }

    public func request(id: String) throws -> StoredRequest? { try one("service_request_id", id) }
    public func request(ticket: String) throws -> StoredRequest? { try one("ticket", ticket) }
    public func request(token: String) throws -> StoredRequest? { try one("token", token) }

    public func setStatus(idOrTicket: String, status: String, note: String?, now: Date) throws -> StoredRequest? {
        try db.write { db in
            // The server's id first; a kiosk ticket number is what a resident reads out on the phone.
            guard let row = try Int64.fetchOne(db, sql: """
                SELECT row FROM requests WHERE service_request_id = ? OR ticket = ?
                ORDER BY service_request_id = ? DESC, row DESC LIMIT 1
                """, arguments: [idOrTicket, idOrTicket, idOrTicket]) else { return nil }
            try db.execute(sql: "UPDATE requests SET status = ?, status_notes = ?, updated = ? WHERE row = ?",
                           arguments: [status, note, now.timeIntervalSince1970, row])
            return try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM requests WHERE row = ?", arguments: [row]).map(Self.stored)
        }
    }

    public func requestCount() throws -> Int {
        try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM requests") ?? 0 }
    }

    public func purgeIdempotencyKeys(olderThan: Date) throws -> Int {
        try db.write { db in
            try db.execute(sql: "DELETE FROM idempotency_keys WHERE created < ?", arguments: [olderThan.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: Heartbeats

    public func recordHeartbeat(kioskID: String, json: Data, now: Date) throws {
        try db.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO heartbeats(kiosk_id, json, received) VALUES (?, ?, ?)",
                           arguments: [kioskID, json, now.timeIntervalSince1970])
        }
    }

    public func fleet() throws -> [FleetEntry] {
        try db.read { db in
            // Every kiosk with a key or a heartbeat: a kiosk that never called in is the one to worry about.
            try Row.fetchAll(db, sql: """
                SELECT k.kiosk_id AS kiosk_id, h.json AS json, h.received AS received FROM
                    (SELECT kiosk_id FROM api_keys WHERE revoked IS NULL AND role = 'kiosk' UNION SELECT kiosk_id FROM heartbeats) k
                LEFT JOIN heartbeats h ON h.kiosk_id = k.kiosk_id ORDER BY k.kiosk_id
                """).map { r in
                FleetEntry(kioskID: r["kiosk_id"], heartbeat: r["json"],
                           lastSeen: (r["received"] as Double?).map { Date(timeIntervalSince1970: $0) })
            }
        }
    }
}
