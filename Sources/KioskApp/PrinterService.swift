// The printer service: receipts are laid out as views, drawn at the printer's resolution, sent through
// CUPS and watched until done or failed, on the service's own queue. Every outcome goes to the printer log;
// the resident's ticket stays on screen whatever happens.
import Foundation
import KioskCore
import KioskPrint
import KioskSDL
import KioskStore
import KioskUI

final class PrinterService: KioskService, @unchecked Sendable {
    let kind = Effect.Kind.printer
    let settings: PrinterSettings
    let policy: PrintPolicy
    let store: KioskStore
    let clock: KioskClock
    private let openFonts: () throws -> FontBook
    // Only touched on the service's queue (one print at a time).
    private var paper: PaperRenderer?

    init(settings: PrinterSettings, policy: PrintPolicy, store: KioskStore, clock: KioskClock, fonts: @escaping () throws -> FontBook) {
        self.settings = settings; self.policy = policy; self.store = store; self.clock = clock; self.openFonts = fonts
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        switch effect {
        case let .printer(.receipt(request)):
            let run = printReceipt(request)
            reply.send(.report(.printed(ticket: request.ticket.number, run.outcome == .printed ? .printed : .failed)))
        case let .printer(.checklist(request)):
            let run = printChecklist(request)
            reply.send(.browse(.checklistPrinted(articleID: request.article.id, run.outcome == .printed ? .printed : .failed)))
        case let .printer(.test(request)):
            let run = printReceipt(request, document: "test")
            let detail: String
            switch run.outcome {
            case .printed: detail = "\(settings.queue ?? ""): \(run.attempts) attempt\(run.attempts == 1 ? "" : "s")"
            case let .fault(f, d): detail = "\(f.rawValue): \(d) — \(f.technicianText)"
            }
            reply.send(.maintenance(.finished(MaintenanceOutcome(command: .testPrint, ok: run.outcome == .printed, detail: detail))))
        case .store, .sync, .maintenance, .speech:
            return
        }
    }

    func printChecklist(_ request: ChecklistRequest) -> PrintRun {
        let run: PrintRun
        do {
            let width = settings.kind.dotsAcross
            let theme = Receipt.theme(dotsAcross: width)
            if paper == nil { paper = PaperRenderer(fonts: try openFonts()) }
            guard let paper else { throw PaperError.raster("no fonts") }
            let raster = try paper.raster(Receipt.checklist(request, theme: theme, width: Double(width)), width: width, theme: theme).raster
            run = try print(raster, title: "Kiosk checklist")
        } catch {
            run = PrintRun(outcome: .fault(.jobFailed, detail: "\(error)"))
        }
        record(run, document: "checklist")
        return run
    }

    /// The receipt as the printer gets it: for tests that decode what was printed.
    func receiptRaster(_ request: ReceiptRequest) throws -> PrintRaster {
        let width = settings.kind.dotsAcross
        let theme = Receipt.theme(dotsAcross: width)
        if paper == nil { paper = PaperRenderer(fonts: try openFonts()) }
        guard let paper else { throw PaperError.raster("no fonts") }
        return try paper.raster(Receipt.ticket(request, theme: theme, width: Double(width)), width: width, theme: theme).raster
    }

    func printReceipt(_ request: ReceiptRequest, document: String = "receipt") -> PrintRun {
        let run: PrintRun
        do {
            let raster = try receiptRaster(request)
            run = try print(raster, title: "Kiosk receipt")
        } catch {
            run = PrintRun(outcome: .fault(.jobFailed, detail: "\(error)"))
        }
        record(run, document: document)
        return run
    }

    func print(_ raster: PrintRaster, title: String) throws -> PrintRun {
        guard let queue = settings.queue else { return PrintRun(outcome: .fault(.unknownQueue, detail: "no printer.queue in the config")) }
        let job = try KioskPrint.job(for: raster, kind: settings.kind, title: title)
        let printer = try CupsPrinter(queue: queue, server: settings.server)
        return PrintJobWatcher(queue: printer, policy: policy).print(job)
    }

    func record(_ run: PrintRun, document: String) {
        let detail: String
        switch run.outcome {
        case .printed: detail = run.log.suffix(3).joined(separator: "; ")
        case let .fault(f, d): detail = "\(f.technicianText) \(d) \(run.log.suffix(3).joined(separator: "; "))"
            Log.error("printer \(settings.queue ?? "-"): \(f.rawValue): \(d)")
        }
        do {
            try store.recordPrint(PrintLogEntry(at: clock.date, queue: settings.queue ?? "", document: document,
                                                printed: run.outcome == .printed, fault: run.outcome.fault.rawValue,
                                                attempts: run.attempts, detail: detail))
        } catch {
            Log.error("printer log: \(error)")
        }
    }
}

extension KioskConfig {
    /// The printer settings of the config, or nil when no queue is configured.
    var printerSettings: PrinterSettings? {
        guard let queue = printer.queue, let kind = PrinterKind(rawValue: printer.kind) else { return nil }
        return PrinterSettings(queue: queue, kind: kind, server: printer.server)
    }

    var printPolicy: PrintPolicy {
        PrintPolicy(timeout: .milliseconds(Int(printer.jobTimeout * 1000)))
    }
}
