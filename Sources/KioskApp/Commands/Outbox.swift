// `kiosk outbox`: what waits to go to the central server, for a technician; never personal data.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show the submissions saved on this kiosk and where each is on its way to the server.",
        subcommands: [List.self, Retry.self, Discard.self, Fill.self])

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

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put an item the server refused back in the queue (after the cause was fixed on the server); journaled.")

        @ParentCommand var parent: OutboxCommand

        @Argument(help: ArgumentHelp("The item's ticket, as `kiosk outbox list` shows it.", valueName: "TICKET"))
        var ticket: String

        func run() throws {
            try parent.handle(ticket, .retry)
            print("\(ticket): back in the queue; it goes at the next sync round (`kiosk sync now` sends it at once)")
        }
    }

    struct Discard: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an item the server refused, with its personal data; journaled. Asks to confirm unless --yes.")

        @ParentCommand var parent: OutboxCommand

        @Argument(help: ArgumentHelp("The item's ticket, as `kiosk outbox list` shows it.", valueName: "TICKET"))
        var ticket: String

        @Flag(help: "Do not ask: for scripts.")
        var yes = false

        func run() throws {
            if !yes {
                guard isatty(STDIN_FILENO) == 1 else {
                    throw OneLineFailure("discarding \(ticket) cannot be undone: confirm on a terminal or pass --yes")
                }
                FileHandle.standardError.write(Data("Discard \(ticket)? It will never reach the city. Type the ticket to confirm: ".utf8))
                guard readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces) == ticket else {
                    throw OneLineFailure("not confirmed: \(ticket) is kept")
                }
            }
            try parent.handle(ticket, .discard)
            print("\(ticket): discarded (journaled)")
        }
    }

    func handle(_ ticket: String, _ action: RefusedItemAction) throws {
        guard (1...64).contains(ticket.count), ticket.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw OneLineFailure("\(ticket.prefix(64)): not a ticket (letters, digits and '-', as `kiosk outbox list` shows)")
        }
        let config = try root.loadConfig()
        let store = try KioskStore(path: root.dbPath(config))
        do {
            try store.handleRefused(ticket: ticket, action, by: "kiosk outbox \(action.rawValue) (uid \(getuid()))", at: Date())
        } catch let e as StoreError {
            throw OneLineFailure(e.problem)
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
