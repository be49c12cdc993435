// `kiosk printer`: the receipt printer as CUPS sees it, and a test print through the kiosk's own path.
import ArgumentParser
import Foundation
import KioskCore
import KioskPrint
import KioskSDL
import KioskStore
import KioskUI

struct PrinterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "printer",
        abstract: "The receipt printer: its state and faults as CUPS reports them, and a test print.",
        subcommands: [Status.self, Test.self])

    @ParentCommand var root: KioskCommand

    func settings(_ config: KioskConfig) throws -> PrinterSettings {
        guard let s = config.printerSettings else {
            throw ValidationError("\(config.file ?? "the config"): no printer.queue; set printer.queue to the CUPS queue (see `lpstat -p`)")
        }
        return s
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue state, printer-state-reasons, the fault they mean and the last prints (exit 1 when CUPS cannot be asked).")

        @ParentCommand var parent: PrinterCommand
        @Flag(help: "JSON for scripts and monitoring.") var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let s = try parent.settings(config)
            let printer = try CupsPrinter(queue: s.queue ?? "", server: s.server)
            let report: PrinterReport
            do { report = try printer.status() } catch { throw OneLineFailure("\(error)") }
            let log = (try? KioskStore(path: parent.root.dbPath(config)).printLog(limit: 10)) ?? []
            if json {
                let iso = ISO8601DateFormatter()
                let out: [String: Any] = [
                    "queue": report.queue, "kind": s.kind.rawValue, "state": report.state.rawValue, "acceptingJobs": report.acceptingJobs,
                    "reasons": report.reasons, "message": report.message, "fault": report.fault.rawValue,
                    "advice": report.fault.technicianText,
                    "recent": log.map { ["at": iso.string(from: $0.at), "document": $0.document, "printed": $0.printed,
                                         "fault": $0.fault, "attempts": $0.attempts] as [String: Any] },
                ]
                let data = try JSONSerialization.data(withJSONObject: out, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("queue \(report.queue) (\(s.kind.rawValue)): \(report.state.rawValue), \(report.acceptingJobs ? "accepting jobs" : "NOT accepting jobs")")
            if !report.reasons.isEmpty { print("reasons: \(report.reasons.joined(separator: ", "))") }
            if !report.message.isEmpty { print("message: \(report.message)") }
            print("fault: \(report.fault.rawValue)\(report.fault == .none ? "" : " — \(report.fault.technicianText)")")
            for e in log { print("  \(ISO8601DateFormatter().string(from: e.at)) \(e.document) \(e.printed ? "printed" : "FAULT \(e.fault)") attempts=\(e.attempts)") }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a test receipt through the kiosk's own layout, raster and CUPS path; exit 1 on a fault.")

        @ParentCommand var parent: PrinterCommand

        func run() throws {
            let config = try parent.root.loadConfig()
            let s = try parent.settings(config)
            try SDLSystem.start(headless: true)
            let store = try KioskStore(path: parent.root.dbPath(config))
            let service = PrinterService(settings: s, policy: config.printPolicy, store: store, clock: SystemClock(),
                                         fonts: { try openFonts(config) })
            let ticket = IssuedTicket(number: "TEST", serviceName: Localized(pl: "Wydruk próbny drukarki", en: "Printer test", uk: "Тестовий друк"),
                                      unitName: Localized(pl: config.kioskID), place: config.site.address, created: Date(), print: .printing)
            let request = ReceiptRequest(ticket: ticket, statusLink: config.site.statusLink("TEST"), language: .pl)
            let started = Date()
            let run = service.printReceipt(request, document: "test")
            let ms = Int(Date().timeIntervalSince(started) * 1000)
            switch run.outcome {
            case .printed:
                print("printed on \(s.queue ?? "") in \(ms) ms (\(run.attempts) attempt\(run.attempts == 1 ? "" : "s"))")
            case let .fault(f, detail):
                throw OneLineFailure("printer \(s.queue ?? ""): \(f.rawValue): \(detail) — \(f.technicianText)")
            }
        }
    }
}
