// The kiosk's figures, read once from the database and the system: the maintenance dashboard shows them on
// screen and `kiosk status` prints them, so the two never disagree. Never personal data.
import Foundation
import KioskCore
import KioskStore
import KioskSync

struct KioskStatus: Codable, Sendable {
    struct Server: Codable, Sendable {
        var url: String
        /// The last round reached the server (nil: no round yet).
        var reachable: Bool?
        var lastRound: Date?
        var lastRoundProblems: [String]
        var lastSuccess: Date?
    }
    struct KnowledgeBase: Codable, Sendable {
        /// "feed v12" once the server's feed was applied, else the file it was imported from.
        var source: String
        var articles: Int?
        var importedAt: Date?
    }
    struct Outbox: Codable, Sendable {
        var queued: Int
        var oldestQueued: Date?
        var refused: Int
        var sent: Int
    }
    struct Refused: Codable, Sendable {
        var ticket: String
        var status: Int?
        var message: String
    }
    struct Printer: Codable, Sendable {
        var queue: String
        var lastPrint: Date?
        var lastPrinted: Bool?
        var lastFault: String?
        var lastDetail: String?
    }
    struct Retention: Codable, Sendable {
        var lastRun: Date?
        var lastSummary: String?
    }

    var kioskID: String
    var place: String
    var version: String
    var readAt: Date
    /// Only when read inside the running kiosk.
    var uptimeSeconds: Int?
    var outOfService: Bool
    var server: Server?
    var knowledgeBase: KnowledgeBase
    var outbox: Outbox?
    var refused: [Refused]
    var printer: Printer?
    var freeDiskBytes: Int64?
    var retention: Retention
    /// Problems met while reading the figures themselves (a figure that cannot be read says so).
    var unreadable: [String]

    static func read(store: KioskStore, config: KioskConfig, now: Date, startedAt: Date? = nil) -> KioskStatus {
        var unreadable: [String] = []
        func attempt<T>(_ what: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch { unreadable.append("\(what): \(error)"); return nil }
        }
        let rounds = attempt("sync rounds") { try store.lastSyncRounds() }
        let server = config.server.url.map { url in
            Server(url: url, reachable: rounds?.last.map(\.ok), lastRound: rounds?.last?.finished,
                   lastRoundProblems: rounds?.last?.problems ?? [], lastSuccess: rounds?.lastSuccess?.finished)
        }
        let feed = attempt("feed state") { try store.feedState() } ?? nil
        let source = feed.map { "feed v\($0.version)" } ?? (try? store.meta("source")) ?? "?"
        let kb = KnowledgeBase(source: source, articles: (try? store.meta("articles")).flatMap { Int($0) },
                               importedAt: (try? store.meta("imported_at")).flatMap { try? Date($0, strategy: .iso8601) })
        let outbox = attempt("outbox") { try store.outboxFigures() }.map {
            Outbox(queued: $0.queued, oldestQueued: $0.oldestQueued, refused: $0.refused, sent: $0.sent)
        }
        let refused = (attempt("refused items") { try store.refusedItems() } ?? []).map { Refused(ticket: $0.ticket, status: $0.status, message: $0.message) }
        let printer = config.printer.queue.map { queue in
            let last = attempt("printer log") { try store.printLog(limit: 1) }?.first
            return Printer(queue: queue, lastPrint: last?.at, lastPrinted: last?.printed, lastFault: last?.fault, lastDetail: last?.detail)
        }
        let folder = store.path == ":memory:" ? nil : URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        let lastPurge = attempt("journal") { try store.journalEntries(event: "retention", limit: 1) }?.first
        return KioskStatus(kioskID: config.kioskID, place: config.site.address, version: KioskVersion.current, readAt: now,
                           uptimeSeconds: startedAt.map { max(0, Int(now.timeIntervalSince($0))) },
                           outOfService: (try? store.outOfService()) ?? false,
                           server: server, knowledgeBase: kb, outbox: outbox, refused: refused, printer: printer,
                           freeDiskBytes: folder.flatMap(SyncEngine.freeDiskBytes),
                           retention: Retention(lastRun: lastPurge?.at, lastSummary: lastPurge?.detail), unreadable: unreadable)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
