// The report catalogue in the kiosk's database: replaced whole in one transaction, read in the order
// residents see it.
import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Replaces the catalogue in one transaction: a resident sees the old one or the new one, and a failure
    /// leaves the old one in place.
    public func importServices(_ catalog: ServiceCatalog, source: String, at date: Date = Date()) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ v: T) throws -> String { String(decoding: try encoder.encode(v), as: UTF8.self) }
        let units = try catalog.units.map { ($0.id, try json($0)) }
        let groups = try catalog.groups.map { ($0.id, try json($0)) }
        let services = try catalog.services.map { ($0, try json($0)) }
        do {
            try db.write { db in
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
                for (k, v) in [("source", source), ("imported_at", ISO8601DateFormatter().string(from: date))] {
                    try db.execute(sql: "INSERT OR REPLACE INTO service_meta (key, value) VALUES (?, ?)", arguments: [k, v])
                }
            }
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

    /// Whether a catalogue was ever imported (a new database is filled from the configured source).
    public func servicesImported() throws -> Bool {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM service_meta WHERE key = 'source'") != nil }
    }
}
