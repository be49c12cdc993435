// `kiosk bench --report`: what a resident waits for when filing: the durable commit, the ticket on screen,
// and the receipt reaching cupsd. Figures to quote as medians and p99 of several runs, never pass/fail.
import Foundation
import KioskCore
import KioskPrint
import KioskSDL
import KioskStore
import KioskUI

extension Bench {
    func runReport(_ config: KioskConfig) throws {
        let dir = benchDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-bench-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = dir + "/bench-report-\(getpid()).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) } }
        let n = max(10, submissions)

        // 1. The durable write alone: submission, outbox row, ticket and key in one transaction, fsync'd.
        let store = try KioskStore(path: db)
        let day = WarsawTime.localDate(at: Date())
        let sample = Submission(serviceCode: "bench", location: .kiosk(address: config.site.address, latitude: config.site.latitude,
                                                                        longitude: config.site.longitude),
                                description: String(repeating: "Opis zgłoszenia do pomiaru. ", count: 20), answers: ["ile": .number(2)])
        var commit: [Double] = []
        for _ in 0..<n {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = try store.enqueueSubmission(sample, kioskCode: "BN1", day: day)
            commit.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        commit.sort()
        print("durable submission (synchronous=FULL, \(dir)): median \(fmt(median(commit))) ms, p99 \(fmt(percentile(commit, 0.99))) ms, max \(fmt(commit.last ?? 0)) ms (\(n) commits)")

        // 2. From the tap on "send" to the ticket laid out on screen, through the real reducer, store service and layout.
        try SDLSystem.start(headless: true)
        let fonts = try openFonts(config)
        var screenConfig = config
        screenConfig.printer.queue = nil
        screenConfig.site.hasPrinter = false
        try fillIfEmpty(store, config: screenConfig)
        try fillServicesIfNew(store, config: screenConfig)
        let kiosk = try buildKiosk(config: screenConfig, environment: KioskEnvironment(
            dbPath: db, size: size.size, clock: ManualClock(), measurer: fonts, effects: .synchronous))
        var toTicket: [Double] = []
        for _ in 0..<min(n, 200) {
            try navigate(kiosk, to: "report.review", category: nil, article: nil, query: nil)
            _ = kiosk.engine.frame()
            let t = DispatchTime.now().uptimeNanoseconds
            kiosk.engine.send(.report(.submit))
            let frame = kiosk.engine.frame()
            toTicket.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            guard frame.screen == .ticket else { throw BenchError("the ticket did not show; see the log") }
            kiosk.engine.send(.report(.done))
        }
        // A keystroke at the end of a description near the 4,000-character limit: reduce, layout, draw.
        try navigate(kiosk, to: "report.details", category: nil, article: nil, query: String(String(repeating: "Dziura w jezdni przy przejściu. ", count: 130).prefix(3_800)))
        let canvas = try OffscreenCanvas(size: size.size, fonts: fonts)
        var keystroke: [Double] = []
        for i in 0..<150 {
            let t = DispatchTime.now().uptimeNanoseconds
            kiosk.engine.send(i % 2 == 0 ? .keyboard(.key("a")) : .field(.backspace))
            canvas.draw(kiosk.engine.frame(), background: kiosk.engine.theme.background)
            keystroke.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        keystroke.sort()
        print("keystroke in a 3,800-character description (reduce + layout + draw): median \(fmt(median(keystroke))) ms, p99 \(fmt(percentile(keystroke, 0.99))) ms")
        toTicket.sort()
        print("send → ticket on screen (commit + layout, \(Int(size.size.width))x\(Int(size.size.height))): median \(fmt(median(toTicket))) ms, p99 \(fmt(percentile(toTicket, 0.99))) ms (\(toTicket.count) filings)")

        // 3. From the ticket to the receipt accepted by cupsd (and printed), when a printer is configured.
        guard let settings = config.printerSettings else {
            print("ticket → job accepted by cupsd: not measured (no printer.queue in the config)")
            return
        }
        let printer = PrinterService(settings: settings, policy: config.printPolicy, store: store, clock: SystemClock(),
                                     fonts: { try openFonts(config) })
        var accepted: [Double] = [], done: [Double] = [], raster: [Double] = []
        for i in 0..<min(n, 30) {
            let ticket = IssuedTicket(number: "BN1-000000-\(String(format: "%04d", i + 1))-X", serviceName: Localized(pl: "Pomiar"),
                                      unitName: Localized(pl: "Zarząd Dróg i Transportu"), place: config.site.address, created: Date(),
                                      print: .printing)
            let request = ReceiptRequest(ticket: ticket, statusLink: config.site.statusLink(ticket.number), language: .pl)
            let t = DispatchTime.now().uptimeNanoseconds
            let r = try printer.receiptRaster(request)
            let rastered = DispatchTime.now().uptimeNanoseconds
            let run = try printer.print(r, title: "Kiosk benchmark")
            let end = DispatchTime.now().uptimeNanoseconds
            guard run.outcome == .printed, let after = run.acceptedAfter else {
                throw BenchError("printer \(settings.queue ?? ""): \(run.outcome) — \(run.log.suffix(2).joined(separator: "; "))")
            }
            raster.append(Double(rastered - t) / 1e6)
            let c = after.components
            accepted.append(Double(rastered - t) / 1e6 + Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15)
            done.append(Double(end - t) / 1e6)
        }
        raster.sort(); accepted.sort(); done.sort()
        print("receipt layout + raster: median \(fmt(median(raster))) ms, p99 \(fmt(percentile(raster, 0.99))) ms")
        print("ticket → job accepted by cupsd (\(settings.queue ?? "")): median \(fmt(median(accepted))) ms, p99 \(fmt(percentile(accepted, 0.99))) ms; to completed: median \(fmt(median(done))) ms (\(done.count) receipts)")
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
