// `kiosk outbox`: what waits to go to the central server, for a technician; never personal data.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the submissions saved on this kiosk and where each is on its way to the server.",
        subcommands: [List.self, Fill.self])

    @ParentCommand var root: KioskCommand

    /// For the kill -9 harness and the latency benchmark: saves demo submissions one by one and prints each
    /// ticket only after its commit, as the screen shows it only then.
    struct Fill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save COUNT test submissions, printing each ticket after its commit (kill -9 harness, benchmark).",
            shouldDisplay: false)

        @ParentCommand var parent: OutboxCommand

        @Option(help: "How many submissions.")
        var count = 100

        @Option(help: "The kiosk's ticket code.")
        var ticketCode = "TS1"

        @Option(help: "The service code filed (one a server knows, to time a sync; the default one it refuses).")
        var service = "test"

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count: expected 1 to 1000000") }
            guard (1...100).contains(service.count), service.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ValidationError("--service: a service code of ASCII letters, digits, '-' and '_'")
            }
            guard TicketNumber.isValidKioskCode(ticketCode) else { throw ValidationError("--ticket-code: \(TicketNumberError.badKioskCode(ticketCode))") }
        }

        func run() throws {
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            let day = WarsawTime.localDate(at: Date())
            let s = Submission(serviceCode: service, location: .landmark("test"), description: "kill -9 harness")
            for _ in 0..<count {
                let saved = try store.enqueueSubmission(s, kioskCode: ticketCode, day: day)
                FileHandle.standardOutput.write(Data("\(saved.ticket)\n".utf8))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the outbox, oldest first: ticket, service, state, attempts, created (no personal data).")

        @ParentCommand var parent: OutboxCommand

        @Flag(help: "JSON output: {\"items\": [{ticket, service, state, attempts, created, serverId, lastError}]}.")
        var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            let items = try store.outboxItems()
            let details = try store.outboxDetails()
            let iso = ISO8601DateFormatter()
            guard json else {
                for i in items {
                    let d = details[i.ticket]
                    print("\(i.ticket)\t\(i.serviceCode)\t\(i.state.rawValue)\t\(i.attempts)\t\(iso.string(from: i.created))\t\(d?.serverID ?? "-")\t\(d?.lastError ?? "")")
                }
                return
            }
            let rows: [[String: Any]] = items.map {
                let d = details[$0.ticket]
                return ["ticket": $0.ticket, "service": $0.serviceCode, "state": $0.state.rawValue, "attempts": $0.attempts,
                        "created": iso.string(from: $0.created), "serverId": d?.serverID.map { $0 as Any } ?? NSNull(),
                        "lastError": d?.lastError.map { $0 as Any } ?? NSNull()]
            }
            let data = try JSONSerialization.data(withJSONObject: ["items": rows], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
