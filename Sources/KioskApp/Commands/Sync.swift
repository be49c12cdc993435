// `kiosk sync`: one round with the central server now, or what the last rounds did, for a technician.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore
import KioskSync

struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Talk to the central server now, or show how the sync stands.",
        subcommands: [Now.self, Status.self])

    @ParentCommand var root: KioskCommand

    struct Now: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One full round: send the outbox, fetch the Knowledge Base feed, send a heartbeat. Exit status 0 only if all of it succeeded.")

        @ParentCommand var parent: SyncCommand

        func run() throws {
            let config = try parent.root.loadConfig()
            guard let settings = try config.syncSettings() else {
                throw OneLineFailure("no server configured: set server.url in the config or pass --server URL")
            }
            let store = try KioskStore(path: parent.root.dbPath(config))
            let link = try KioskSyncLink(settings: settings, store: store, config: config)
            defer { link.shutdown() }
            let engine = link.engine
            var round = waitFor { await engine.runRound(ignoringBackoff: true) }
            var sent = round.pushed, refused = round.refused
            // A round sends a batch; a technician's "now" means the whole outbox while the server takes it.
            while round.ok, round.pushed + round.refused > 0, try store.outboxFigures().queued > 0 {
                round = waitFor { await engine.runRound(ignoringBackoff: true) }
                sent += round.pushed; refused += round.refused
            }
            let figures = try store.outboxFigures()
            print("sent \(sent), refused \(refused), failed \(round.failed); outbox: \(figures.queued) queued, \(figures.refused) refused; feed: \(round.feed)")
            for p in round.problems { print("problem: \(p)") }
            if !round.ok {
                throw OneLineFailure("sync with \(settings.serverURL) failed: \(round.problems.first ?? "see above")")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The outbox, the feed and the last rounds (no personal data).")

        @ParentCommand var parent: SyncCommand

        @Flag(help: "JSON output.")
        var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            let figures = try store.outboxFigures()
            let feed = try store.feedState()
            let rounds = try store.lastSyncRounds()
            let refused = try store.refusedItems()
            func iso(_ d: Date?) -> Any { d.map { $0.formatted(.iso8601) } ?? NSNull() }
            if json {
                var obj: [String: Any] = [
                    "server": config.server.url.map { $0 as Any } ?? NSNull(),
                    "outbox": ["queued": figures.queued, "refused": figures.refused, "sent": figures.sent,
                               "oldestQueued": iso(figures.oldestQueued)],
                    "refused": refused.map { ["ticket": $0.ticket, "status": $0.status.map { $0 as Any } ?? NSNull(), "message": $0.message] as [String: Any] },
                    "feed": feed.map { ["version": $0.version, "expires": iso($0.expires)] as [String: Any] } ?? NSNull(),
                    "lastRound": rounds.last.map(Self.describe) ?? NSNull(),
                    "lastSuccess": iso(rounds.lastSuccess?.finished),
                ]
                obj["ok"] = rounds.last?.ok ?? false
                let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("server: \(config.server.url ?? "none configured")")
            print("outbox: \(figures.queued) queued\(figures.oldestQueued.map { ", oldest from \($0.formatted(.iso8601))" } ?? ""), \(figures.refused) refused, \(figures.sent) sent")
            for r in refused { print("refused: \(r.ticket) (\(r.status.map(String.init) ?? "?")): \(r.message)") }
            print("feed: \(feed.map { "version \($0.version), valid until \($0.expires.formatted(.iso8601))" } ?? "none applied (the Knowledge Base is the bundled or imported one)")")
            if let last = rounds.last {
                print("last round: \(last.finished.formatted(.iso8601)) \(last.ok ? "ok" : "failed"): sent \(last.pushed), refused \(last.refused), failed \(last.failed); feed: \(last.feed)")
                for p in last.problems { print("  problem: \(p)") }
            } else {
                print("last round: never")
            }
            print("last success: \(rounds.lastSuccess.map { $0.finished.formatted(.iso8601) } ?? "never")")
        }

        static func describe(_ r: SyncRoundRecord) -> [String: Any] {
            ["finished": r.finished.formatted(.iso8601), "ok": r.ok, "pushed": r.pushed, "refused": r.refused, "failed": r.failed,
             "feed": r.feed, "problems": r.problems]
        }
    }
}
