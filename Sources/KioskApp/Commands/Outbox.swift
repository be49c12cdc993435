// `kiosk outbox`: what waits to go to the central server, for a technician; never personal data.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the submissions saved on this kiosk and where each is on its way to the server.",
        subcommands: [List.self])

    @ParentCommand var root: KioskCommand

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the outbox, oldest first: ticket, service, state, attempts, created (no personal data).")

        @ParentCommand var parent: OutboxCommand

        @Flag(help: "JSON output: {\"items\": [{ticket, service, state, attempts, created}]}.")
        var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let items = try KioskStore(path: parent.root.dbPath(config)).outboxItems()
            let iso = ISO8601DateFormatter()
            guard json else {
                for i in items { print("\(i.ticket)\t\(i.serviceCode)\t\(i.state.rawValue)\t\(i.attempts)\t\(iso.string(from: i.created))") }
                return
            }
            let rows: [[String: Any]] = items.map {
                ["ticket": $0.ticket, "service": $0.serviceCode, "state": $0.state.rawValue, "attempts": $0.attempts,
                 "created": iso.string(from: $0.created)]
            }
            let data = try JSONSerialization.data(withJSONObject: ["items": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
