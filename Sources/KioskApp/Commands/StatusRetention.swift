// `kiosk status` (the dashboard's figures, for a technician's shell or a monitoring script) and
// `kiosk retention run` (the purge the kiosk also runs by itself).
import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The maintenance dashboard's figures: server, Knowledge Base, outbox, refused items, printer, disk, retention (no personal data).")

    @ParentCommand var root: KioskCommand

    @Flag(help: "JSON output (dates in ISO 8601, UTC).")
    var json = false

    func run() throws {
        let config = try root.loadConfig()
        let store = try KioskStore(path: root.dbPath(config))
        let s = KioskStatus.read(store: store, config: config, now: Date())
        if json {
            print(try s.json())
            return
        }
        func t(_ d: Date?) -> String { d.map(MaintenanceService.time) ?? "never" }
        var lines = ["kiosk \(s.kioskID), \(s.place), version \(s.version)\(s.outOfService ? ", OUT OF SERVICE" : "")"]
        if let server = s.server {
            let state = server.reachable.map { $0 ? "reachable" : "NOT reachable" } ?? "no round yet"
            lines.append("server: \(server.url) \(state); last round \(t(server.lastRound)); last success \(t(server.lastSuccess))")
            lines += server.lastRoundProblems.map { "  problem: \($0)" }
        } else {
            lines.append("server: not configured (the kiosk works alone)")
        }
        lines.append("knowledge base: \(s.knowledgeBase.articles.map(String.init) ?? "?") articles from \(s.knowledgeBase.source), \(t(s.knowledgeBase.importedAt))")
        if let o = s.outbox {
            lines.append("outbox: \(o.queued) queued (oldest \(t(o.oldestQueued))), \(o.refused) refused, \(o.sent) sent")
        }
        lines += s.refused.map { "  refused \($0.ticket): \($0.status.map { "HTTP \($0): " } ?? "")\($0.message)" }
        if let p = s.printer {
            let last = p.lastPrinted.map { $0 ? "last print OK" : "last print FAILED (\(p.lastFault ?? "?"): \(p.lastDetail ?? ""))" } ?? "nothing printed yet"
            lines.append("printer: \(p.queue), \(last), \(t(p.lastPrint)); `kiosk printer status` asks CUPS now")
        } else {
            lines.append("printer: not configured")
        }
        if let free = s.freeDiskBytes { lines.append("free disk: \(MaintenanceService.megabytes(free))") }
        lines.append("retention: last run \(t(s.retention.lastRun))\(s.retention.lastSummary.map { ": \($0)" } ?? "")")
        lines += s.unreadable.map { "unreadable: \($0)" }
        print(lines.joined(separator: "\n"))
    }
}

struct RetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "The city's retention rule: submissions removed six full calendar months after their month, contact data after delivery.",
        subcommands: [Run.self])

    @ParentCommand var root: KioskCommand

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove what is due today and clear it from the file and its WAL; the kiosk also does this by itself every few hours.")

        @ParentCommand var parent: RetentionCommand

        @Flag(help: "Only count what would be removed.")
        var dryRun = false

        @Flag(help: "JSON output.")
        var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            let now = Date()
            let report: RetentionReport
            do {
                report = try store.purgeExpired(today: WarsawTime.localDate(at: now), dryRun: dryRun, at: now)
            } catch {
                throw OneLineFailure("retention: \(error)")
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(report.summary)
            }
            if !dryRun, !report.walTruncated {
                throw OneLineFailure("retention: the WAL could not be truncated (a reader held it); run again")
            }
        }
    }
}
