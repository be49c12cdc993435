// The report catalogue in the kiosk's database: replaced whole in one transaction, read in the order
// residents see it.
import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Replaces the catalogue in one transaction: a resident sees the old one or the new one, and a failure
    /// leaves the old one in place.
    public func importServices(_ catalog: ServiceCatalog, source: String, index: SearchIndexData? = nil,
                               at date: Date = Date()) throws {
        let prepared = try PreparedCatalog(catalog, source: source, index: index)
        do {
            try db.write { db in try prepared.write(db, at: date) }
        } catch let e as DatabaseError {
            throw Self.explain(e, path: path)
        }
    }

    /// The whole catalogue, services in the order residents see them.
    public func serviceCatalog() throws -> ServiceCatalog {
        let decoder = JSONDecoder()
        return try read { db in
            let units = try String.fetchAll(db, sql: "SELECT body FROM service_unit ORDER BY id")
                .map { try decoder.decode(CityUnit.self, from: Data($0.utf8)) }
            let groups = try String.fetchAll(db, sql: "SELECT body FROM service_group ORDER BY position")
                .map { try decoder.decode(ServiceGroup.self, from: Data($0.utf8)) }
            let services = try String.fetchAll(db, sql: "SELECT body FROM service ORDER BY position")
                .map { try decoder.decode(CityService.self, from: Data($0.utf8)) }
            return ServiceCatalog(units: units, groups: groups, services: services)
        }
    }

    /// Whether the catalogue has no search index (a database upgraded from before the index existed).
    public func serviceIndexIsMissing() throws -> Bool {
        try read { db in
            let services = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM service") ?? 0
            let indexed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM service_search") ?? 0
            return services > 0 && indexed == 0
        }
    }

    /// Where the catalogue came from, as the import recorded it.
    public func serviceCatalogSource() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM service_meta WHERE key = 'source'") }
    }

    /// Whether a catalogue was ever imported (a new database is filled from the configured source).
    public func servicesImported() throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM service_meta WHERE key = 'source'") != nil }
    }
}

extension KioskStore {
    /// Services whose name, keywords, topic or description hold every word typed, ranked as articles are
    /// (title and keywords first); the last word may be unfinished. Never throws for what a resident types.
    public func searchServices(_ text: String, limit: Int = 10, partial: Bool = true,
                               synonyms: SynonymGroups = SynonymGroups()) throws -> [ServiceHit] {
        let q = SearchQuery(text, partial: partial)
        guard !q.words.isEmpty, limit > 0, q.words.contains(where: { $0.count > 1 }) else { return [] }
        return try read { db in
            var groups: [Set<Alternative>] = []
            for (i, w) in q.words.enumerated() {
                let isPartial = q.lastIsPartial && i == q.words.count - 1
                // Base forms from the catalogue's own table and from the Knowledge Base's (more words known).
                let lemmas = try Self.lemmas(db, w, table: "service_form").union(Self.lemmas(db, w))
                var alts = Set((lemmas.isEmpty ? [w] : Array(lemmas)).map(Alternative.token))
                if isPartial, w.count >= 2 { alts.insert(.prefix(w)) }
                groups.append(alts)
            }
            let expanded = try expandSynonyms(db, q.words, groups, synonyms)
            func run(_ columns: String?) throws -> [String] {
                let match = expanded.map { alts in
                    let or = "(" + alts.sorted().map(\.fts).joined(separator: " OR ") + ")"
                    return columns.map { "{\($0)} : \(or)" } ?? or
                }.joined(separator: " AND ")
                return try String.fetchAll(db, sql: """
                    SELECT m.code FROM (SELECT code, rank FROM service_search WHERE service_search MATCH ? ORDER BY rank LIMIT ?) m
                    JOIN service s ON s.code = m.code ORDER BY m.rank, s.position
                    """, arguments: [match, limit])
            }
            var codes: [(String, Bool)] = []
            var seen = Set<String>()
            for (columns, strong) in [("title keywords", true), (nil, false)] as [(String?, Bool)] where codes.count < limit {
                for c in try run(columns) where seen.insert(c).inserted { codes.append((c, strong)) }
            }
            let decoder = JSONDecoder()
            return try codes.prefix(limit).compactMap { code, strong in
                guard let body = try String.fetchOne(db, sql: "SELECT body FROM service WHERE code = ?", arguments: [code]) else { return nil }
                let s = try decoder.decode(CityService.self, from: Data(body.utf8))
                return ServiceHit(code: code, name: s.name, strong: strong)
            }
        }
    }
}

/// A catalogue encoded for the database before the transaction opens (file import and feed alike).
struct PreparedCatalog {
    let index: SearchIndexData
    let source: String
    let units: [(String, String)]
    let groups: [(String, String)]
    let services: [(CityService, String)]

    init(_ catalog: ServiceCatalog, source: String, index: SearchIndexData?) throws {
        // Without a dictionary the catalogue is still searchable, by the words as written.
        self.index = index ?? SearchIndexBuilder.build(services: catalog, lexicon: nil)
        self.source = source
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
        units = try catalog.units.map { ($0.id, try json($0)) }
        groups = try catalog.groups.map { ($0.id, try json($0)) }
        services = try catalog.services.map { ($0, try json($0)) }
    }

    /// Replaces the stored catalogue inside the caller's transaction.
    func write(_ db: Database, at date: Date) throws {
        try db.execute(sql: "DELETE FROM service; DELETE FROM service_group; DELETE FROM service_unit;")
        for (id, body) in units {
            try db.execute(sql: "INSERT INTO service_unit (id, body) VALUES (?, ?)", arguments: [id, body])
        }
        for (i, (id, body)) in groups.enumerated() {
            try db.execute(sql: "INSERT INTO service_group (id, position, body) VALUES (?, ?, ?)", arguments: [id, i, body])
        }
        for (i, (s, body)) in services.enumerated() {
            try db.execute(sql: "INSERT INTO service (code, position, group_id, unit_id, body) VALUES (?, ?, ?, ?, ?)",
                           arguments: [s.code, i, s.group, s.unit, body])
        }
        try db.execute(sql: "DELETE FROM service_search; DELETE FROM service_form;")
        let doc = try db.makeStatement(sql: "INSERT INTO service_search (code, title, keywords, categories, body) VALUES (?, ?, ?, ?, ?)")
        for d in index.documents { try doc.execute(arguments: [d.id, d.title, d.keywords, d.categories, d.body]) }
        let form = try db.makeStatement(sql: "INSERT OR IGNORE INTO service_form (form, lemma) VALUES (?, ?)")
        try form.execute(textPairs: index.forms)
        for (k, v) in [("source", source), ("imported_at", ISO8601DateFormatter().string(from: date))] {
            try db.execute(sql: "INSERT OR REPLACE INTO service_meta (key, value) VALUES (?, ?)", arguments: [k, v])
        }
    }
}
