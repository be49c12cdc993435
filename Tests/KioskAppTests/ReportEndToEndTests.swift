// Every demo service filed through the real UI by a script, with receipts through a private cupsd whose raw
// queue prints to a socket listener; the bytes are decoded back from ESC/POS and compared with the receipt.
import Foundation
import KioskCore
import KioskPrint
import KioskSDL
import KioskStore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// Writes script steps as a resident would take them: a tap on something below the fold scrolls first.
final class ScriptWriter {
    let runner: ScriptRunner
    let engine: KioskEngine
    private(set) var lines: [String] = []

    init(engine: KioskEngine, clock: ManualClock) {
        self.engine = engine
        runner = ScriptRunner(engine: engine, clock: clock) { _, _ in }
    }

    func step(_ line: String) throws {
        lines.append(line)
        try runner.run(Script.parse(line))
    }

    func tap(_ id: String) throws {
        let f = engine.frame()
        if let t = f.target(id: id), t.rect.isEmpty || t.rect.height < t.fullRect.height, let scrollID = t.scrollID,
           let viewport = f.target(id: scrollID)?.rect {
            let margin = 16.0
            let dy = t.fullRect.maxY > viewport.maxY ? t.fullRect.maxY - viewport.maxY + margin : t.fullRect.y - viewport.y - margin
            try step("scroll \(scrollID) \(Int(dy.rounded(dy > 0 ? .up : .down)))")
        }
        try step("tap \(id)")
    }

    func type(_ text: String) throws { try step("type \"\(text)\"") }
}

@Suite("Report end to end", .serialized, .enabled(if: PrivateCups.isAvailable, "cups is not installed"))
struct ReportEndToEnd {
    /// The steps that file `service` from the home screen, answering every required question.
    static func file(_ service: CityService, _ w: ScriptWriter) throws {
        try w.step("expect-screen home")
        try w.tap(ElementID.homeReport)
        try w.tap(ElementID.reportServiceQuery)
        try w.type(service.name.pl)
        let hits = w.engine.state.report.matches?.hits.map(\.code) ?? []
        #expect(hits.first == service.code, "typing the name of \(service.code) lists \(hits.prefix(3)) first")
        let index = try #require(hits.firstIndex(of: service.code), "\(service.code) is not found by its name")
        try w.tap(ElementID.reportServiceItem(index))
        if service.dangerous { try w.tap(ElementID.reportThreatNo) }
        try w.tap(ElementID.reportLocationHere)
        try w.tap(ElementID.reportNext)
        try w.tap(ElementID.reportDescription)
        try w.type("Zgłoszenie próbne: \(service.code).")
        for a in service.attributes.sorted(by: { $0.order < $1.order }) where a.required {
            switch a.datatype {
            case .singlevaluelist, .multivaluelist: try w.tap(ElementID.reportAttributeValue(a.code, a.values[0].key))
            case .datetime: try w.tap(ElementID.reportAttributeNow(a.code))
            case .number: try w.tap(ElementID.reportAttribute(a.code)); try w.type("2")
            case .string, .text: try w.tap(ElementID.reportAttribute(a.code)); try w.type("Próba")
            }
        }
        try w.tap(ElementID.reportNext)
        try w.tap(ElementID.reportContactSkip)
        try w.step("expect-text \"\(service.name.pl)\"")
        try w.tap(ElementID.reportSubmit)
        try w.step("expect-screen ticket")
        try w.step("expect-element ticket.number")
        try w.tap(ElementID.ticketDone)
    }

    @Test("every demo service is filed through the UI: one outbox row each and a receipt that decodes to what was laid out")
    func everyDemoServiceThroughTheUIWithReceipts() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        defer { port.close() }
        try cups.addRawQueue("receipt80", uri: port.uri)
        let dir = try tempDir()
        let configPath = dir + "/kiosk.json"
        try """
            {"printer": {"queue": "receipt80", "kind": "escpos80", "server": "\(cups.serverAddress)", "jobTimeoutSeconds": 15},
             "report": {"ticketCode": "E2E"}}
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let config = try KioskConfig.load(path: configPath)

        // Write the script on an in-process kiosk with the same fonts and panel as the headless run.
        try SDLSystem.start(headless: true)
        let fonts = try openFonts(config)
        var scriptConfig = config
        scriptConfig.printer.queue = nil // the writing pass prints nothing
        scriptConfig.site.hasPrinter = false
        let (k, clock) = try testKiosk(size: portrait, config: scriptConfig, measurer: fonts)
        let writer = ScriptWriter(engine: k.engine, clock: clock)
        let catalog = try k.store.serviceCatalog()
        #expect(catalog.services.count >= 24)
        for service in catalog.services {
            do { try Self.file(service, writer) } catch {
                Issue.record("\(service.code): \(error)\nlast steps:\n\(writer.lines.suffix(12).joined(separator: "\n"))")
                throw error
            }
        }
        let script = dir + "/file-all.script"
        try writer.lines.joined(separator: "\n").write(toFile: script, atomically: true, encoding: .utf8)

        // The real binary runs it, printing to the private cupsd.
        let db = dir + "/e2e.sqlite"
        let started = Date()
        let run = try runKioskBinary(["--config", configPath, "--db", db, "run", "--headless", "--script", script,
                                      "--size", "\(Int(portrait.width))x\(Int(portrait.height))"])
        #expect(run.status == 0, "the scripted filing failed; script in \(script)")
        let seconds = Date().timeIntervalSince(started)
        let store = try KioskStore(path: db)
        let items = try store.outboxItems()
        #expect(items.map(\.serviceCode) == catalog.services.map(\.code), "one outbox row per service, in filing order")
        #expect(Set(items.map(\.ticket)).count == items.count)
        #expect(try store.integrityCheck() == "ok")
        let jobs = try #require(port.waitForJobs(catalog.services.count, timeout: 30), "\(port.received.count) receipts reached the printer")
        #expect(jobs.count == catalog.services.count)
        let log = try store.printLog(limit: 100)
        #expect(log.count == catalog.services.count && log.allSatisfy(\.printed), "\(log.filter { !$0.printed })")

        // The last receipt, decoded, is exactly the receipt laid out for that ticket.
        let last = try #require(items.last)
        let decoded = try EscPosDecoder().decode(try #require(jobs.last), width: PrinterKind.escpos80.dotsAcross)
        let service = try #require(catalog.services.last)
        let ticket = IssuedTicket(number: last.ticket, serviceName: service.name,
                                  unitName: try #require(catalog.unit(service.unit)).name, place: config.site.address,
                                  created: last.created, print: .printing)
        let printer = PrinterService(settings: try #require(config.printerSettings), policy: config.printPolicy, store: store,
                                     clock: SystemClock(), fonts: { try openFonts(config) })
        let expected = try printer.receiptRaster(ReceiptRequest(ticket: ticket, statusLink: config.site.statusLink(last.ticket), language: .pl))
        #expect(decoded.raster == expected, "the printed receipt differs from the one laid out")
        // For the closing note and a technician's eye: the decoded receipt as a PNG.
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("decoded-receipt.png")
        try PNG.encode(decoded.raster, dpi: 203).write(to: png)
        print("e2e: \(items.count) services filed and printed in \(String(format: "%.1f", seconds)) s; decoded receipt \(decoded.raster.width)x\(decoded.raster.height) in \(png.path)")
    }

    @Test("out of paper: the ticket stays on screen with what to do, the submission is saved, the fault is logged, the queue is not left stopped")
    func outOfPaperLosesNothing() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        try cups.addRawQueue("empty", uri: "kiosk-test-mediaempty:/")
        var config = KioskConfig()
        config.printer.queue = "empty"
        config.printer.server = cups.serverAddress
        config.printer.jobTimeout = 10
        config.site.hasPrinter = true
        try SDLSystem.start(headless: true)
        let (k, clock) = try testKiosk(config: config)
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse(repeatedFilingScript(1).replacingOccurrences(of: "tap ticket.done", with: "expect-element ticket.number")))
        #expect(k.engine.state.report.ticket?.print == .failed)
        #expect(k.engine.frame().containsText(Strings.text(.ticketPrintFailed, .pl)))
        #expect(try k.store.outboxItems().count == 1)
        let log = try k.store.printLog()
        #expect(log.first?.fault == PrinterFault.mediaEmpty.rawValue && log.first?.printed == false, "\(log)")
        #expect(try CupsPrinter(queue: "empty", server: cups.serverAddress).status().state != .stopped)
        // The resident may try again: it fails the same way, and nothing else changes.
        try runner.run(Script.parse("tap ticket.print"))
        #expect(k.engine.state.report.ticket?.print == .failed)
        #expect(try k.store.outboxItems().count == 1)
    }

    @Test("printer status and printer test: what a technician sees, from the real binary against a real cupsd")
    func printerCommands() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        defer { port.close() }
        try cups.addRawQueue("receipt80", uri: port.uri)
        try cups.addRawQueue("empty", uri: "kiosk-test-mediaempty:/")
        let dir = try tempDir()
        func config(_ queue: String) throws -> String {
            let path = dir + "/\(queue).json"
            try #"{"printer": {"queue": "\#(queue)", "server": "\#(cups.serverAddress)", "jobTimeoutSeconds": 10}}"#
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let db = dir + "/k.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let good = try config("receipt80"), empty = try config("empty")
        let test = try runKioskBinary(["--config", good, "--db", db, "printer", "test"])
        #expect(test.status == 0)
        let job = try #require(port.waitForJobs(1, timeout: 10)?.first)
        #expect(try EscPosDecoder().decode(job, width: 576).raster.height > 500)
        let status = try runKioskBinary(["--config", good, "--db", db, "printer", "status", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: status.stdout) as? [String: Any])
        #expect(json["fault"] as? String == "none" && json["acceptingJobs"] as? Bool == true)
        #expect((json["recent"] as? [[String: Any]])?.first?["printed"] as? Bool == true)

        #expect(try runKioskBinary(["--config", empty, "--db", db, "printer", "test"]).status == 1)
        let after = try runKioskBinary(["--config", empty, "--db", db, "printer", "status"])
        let text = String(decoding: after.stdout, as: UTF8.self)
        #expect(!text.contains(": stopped"), "the kiosk left the queue stopped:\n\(text)")
        #expect(text.contains("FAULT mediaEmpty"), "\(text)")
        let log = try KioskStore(path: db).printLog()
        #expect(log.first?.fault == "mediaEmpty" && log.first?.document == "test", "\(log)")
    }
}
