// Heartbeats in, and the fleet view out: each kiosk's last heartbeat, online when seen within five minutes.
// JSON for tools, a small escaped HTML page for staff (Accept: text/html or /fleet.html); both need a staff key.
import Foundation
import Hummingbird
import KioskProtocol

enum FleetRoutes {
    static let onlineWithin: TimeInterval = 300

    static func add(to router: Router<BasicRequestContext>, _ c: Central) {
        router.post(RouterPath(Heartbeat.path)) { request, _ in
            let kiosk = try Incoming.kiosk(request, c)
            let bytes = try await Incoming.body(request, limit: Heartbeat.maxBytes)
            let hb = try Heartbeat.decode(Data(bytes))
            guard hb.kioskID == kiosk else {
                throw Open311Error(code: 403, description: "heartbeat for kiosk \"\(hb.kioskID.prefix(64))\" sent with the key of \"\(kiosk)\"")
            }
            try c.store.recordHeartbeat(kioskID: kiosk, json: try hb.encoded(), now: c.now())
            return try Respond.json(["received": Open311Date.format(c.now())])
        }
        router.get(RouterPath(KioskAPI.fleetPath)) { request, _ in
            _ = try Incoming.staff(request, c)
            let wantsHTML = request.headers[.accept]?.lowercased().contains("text/html") ?? false
            return try wantsHTML ? html(c) : json(c)
        }
        router.get(RouterPath(KioskAPI.fleetPath + ".html")) { request, _ in
            _ = try Incoming.staff(request, c)
            return try html(c)
        }
    }

    struct Row {
        var kioskID: String
        var online: Bool
        var lastSeen: Date?
        var heartbeat: Heartbeat?
        var raw: [String: Any]
    }

    static func rows(_ c: Central) throws -> [Row] {
        let now = c.now()
        return try c.store.fleet().map { e in
            let raw = e.heartbeat.flatMap { (try? JSONSerialization.jsonObject(with: $0)) as? [String: Any] } ?? [:]
            let online = e.lastSeen.map { now.timeIntervalSince($0) <= onlineWithin } ?? false
            return Row(kioskID: e.kioskID, online: online, lastSeen: e.lastSeen,
                       heartbeat: e.heartbeat.flatMap { try? Heartbeat.decode($0) }, raw: raw)
        }
    }

    static func json(_ c: Central) throws -> Response {
        let list: [[String: Any]] = try rows(c).map { r in
            var o = r.raw
            o["kiosk_id"] = r.kioskID
            o["online"] = r.online
            o["last_seen"] = r.lastSeen.map(Open311Date.format) ?? NSNull()
            return o
        }
        return try Respond.json(list)
    }

    static func html(_ c: Central) throws -> Response {
        func e(_ s: String) -> String { Render.html(s) }
        func when(_ d: Date?) -> String { d.map(Open311Date.format) ?? "—" }
        var out = """
            <!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><meta http-equiv="refresh" content="30">
            <title>Kioski – stan floty</title><style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}
            td,th{border:1px solid #999;padding:.3em .6em;text-align:left}.off{background:#fdd}.on{background:#dfd}</style></head>
            <body><h1>Kioski – stan floty</h1><table><tr><th>Kiosk</th><th>Stan</th><th>Ostatni kontakt</th>
            <th>Kolejka (najstarsze, s)</th><th>Odrzucone</th><th>Drukarka</th><th>Ostatnia synchronizacja</th>
            <th>Wersja bazy wiedzy</th><th>Oprogramowanie</th><th>Wolne miejsce</th></tr>
            """
        for r in try rows(c) {
            let h = r.heartbeat
            let queue = h.map { "\($0.outboxDepth)" + ($0.oldestQueuedSeconds.map { " (\(Int($0)))" } ?? "") } ?? "—"
            let printer = h.map { $0.printerState + ($0.printerReasons.isEmpty ? "" : ": " + $0.printerReasons.joined(separator: ", ")) } ?? "—"
            let disk = h?.freeDiskBytes.map { "\($0 / (1 << 20)) MiB" } ?? "—"
            out += "<tr class=\"\(r.online ? "on" : "off")\"><td>\(e(r.kioskID))</td><td>\(r.online ? "online" : "offline")</td>"
            out += "<td>\(e(when(r.lastSeen)))</td><td>\(e(queue))</td><td>\(h.map { "\($0.refused)" } ?? "—")</td>"
            out += "<td>\(e(printer))</td><td>\(e(when(h?.lastSuccessfulSync)))</td>"
            out += "<td>\(h?.knowledgeBaseVersion.map { "\($0)" } ?? "—")</td><td>\(e(h?.softwareVersion ?? "—"))</td><td>\(e(disk))</td></tr>\n"
        }
        out += "</table></body></html>\n"
        return Respond.body(out, contentType: "text/html; charset=utf-8")
    }
}
