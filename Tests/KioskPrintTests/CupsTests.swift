// Printing through a real private cupsd: a raw queue to a socket listener, out of paper, a hang.
import Foundation
import KioskCore
import KioskPrint
import KioskTesting
import Testing

/// Each test starts its own cupsd (about a quarter of a second) so none depends on another's queue
/// state; serialized to spare the shared build machine.
@Suite("CUPS, real cupsd", .serialized, .enabled(if: PrivateCups.isAvailable, "cups is not installed"))
struct CupsTests {
    @Test("a raw job reaches the printer port as ESC/POS that decodes to the exact raster sent")
    func rawJobDecodes() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        try cups.addRawQueue("receipt80", uri: port.uri)
        let printer = try CupsPrinter(queue: "receipt80", server: cups.serverAddress)

        for (kind, width) in [(PrinterKind.escpos80, 576), (.escpos58, 379)] {
            let raster = try samplePicture(width: width, height: 900, seed: UInt64(width))
            let job = try KioskPrint.job(for: raster, kind: kind, title: "Kiosk test receipt")
            let run = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .seconds(10), pollInterval: .milliseconds(50))).print(job)
            #expect(run.outcome == .printed, "\(run.log)\n\(cups.logTail())")
            #expect((run.acceptedAfter ?? .seconds(99)) < .seconds(2))
        }
        let captured = try #require(port.waitForJobs(2, timeout: 10), "socket printer got \(port.received.count) jobs")
        let first = try EscPosDecoder().decode(captured[0], width: 576)
        #expect(first.raster == (try samplePicture(width: 576, height: 900, seed: 576)))
        #expect(first.cut == .partial && first.bands == 4)
        #expect(try EscPosDecoder().decode(captured[1], width: 379).raster == (try samplePicture(width: 379, height: 900, seed: 379)))
        #expect(try printer.status().fault == .none)
    }

    @Test("a queue a technician or CUPS left stopped is resumed, and the receipt prints")
    func stoppedQueueResumed() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        try cups.addRawQueue("receipt80", uri: port.uri)
        try cups.run("/usr/sbin/cupsdisable", ["-h", cups.serverAddress, "receipt80"])
        let printer = try CupsPrinter(queue: "receipt80", server: cups.serverAddress)
        #expect(try printer.status().fault == .stopped)
        let raster = try samplePicture(width: 576, height: 120)
        let run = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .seconds(8), pollInterval: .milliseconds(50)))
            .print(try KioskPrint.job(for: raster, kind: .escpos80))
        #expect(run.outcome == .printed, "\(run.log)")
        #expect(run.resumedQueue)
        #expect(try printer.status().state != .stopped)
        let got = try #require(port.waitForJobs(1, timeout: 5))
        #expect(try EscPosDecoder().decode(got[0], width: 576).raster == raster)
    }

    @Test("out of paper: status shows mediaEmpty on a stopped queue; the kiosk cancels and resumes it")
    func mediaEmpty() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        try cups.addRawQueue("empty", uri: "kiosk-test-mediaempty:/")
        let printer = try CupsPrinter(queue: "empty", server: cups.serverAddress)
        let receipt = try KioskPrint.job(for: try samplePicture(width: 576, height: 100), kind: .escpos80)

        // What CUPS itself does: the backend fails, the default error policy stops the queue.
        let id = try printer.submit(receipt)
        var report = try printer.status()
        let deadline = Date().addingTimeInterval(5)
        while report.state != .stopped, Date() < deadline {
            usleep(50_000)
            report = try printer.status()
        }
        #expect(report.state == .stopped, "\(cups.logTail())")
        #expect(report.reasons.contains("media-empty-error"))
        #expect(report.fault == .mediaEmpty)
        #expect(report.message.contains("Out of paper"))
        try printer.cancel(id)
        try printer.resume()
        #expect(try printer.status().state != .stopped)

        // What the kiosk does about it.
        let run = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .seconds(8), pollInterval: .milliseconds(50))).print(receipt)
        #expect(run.outcome.fault == .mediaEmpty, "\(run.log)")
        #expect(run.resumedQueue)
        #expect(run.attempts == 1)
        let after = try printer.status()
        #expect(after.state != .stopped, "queue left stopped: \(after)")
        #expect(after.acceptingJobs)
        let job = try printer.jobReport(try #require(run.jobs.last))
        #expect(job.state == .canceled, "the failed receipt must not print later: \(job)")

        // The roll is changed (here: the queue now leads to a working port): the next receipt prints.
        let port = try SocketPrinter()
        try cups.lpadmin(["-p", "empty", "-v", port.uri])
        let next = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .seconds(8), pollInterval: .milliseconds(50))).print(receipt)
        #expect(next.outcome == .printed, "\(next.log)\n\(cups.logTail())")
        #expect(port.waitForJobs(1, timeout: 5)?.count == 1)
    }

    @Test("a hanging printer: the job is cancelled at the timeout as jobStuck, and the next job still goes")
    func hang() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        try cups.addRawQueue("hang", uri: "kiosk-test-hang:/")
        let printer = try CupsPrinter(queue: "hang", server: cups.serverAddress)
        let receipt = try KioskPrint.job(for: try samplePicture(width: 384, height: 50), kind: .escpos58)

        let started = ContinuousClock.now
        let run = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .milliseconds(1500), pollInterval: .milliseconds(100))).print(receipt)
        let took = ContinuousClock.now - started
        #expect(run.outcome.fault == .jobStuck, "\(run.log)")
        #expect(took >= .milliseconds(1500) && took < .seconds(6))
        let stuck = try #require(run.jobs.first)
        var state = try printer.jobReport(stuck).state
        let deadline = Date().addingTimeInterval(5)
        while state != .canceled, Date() < deadline { usleep(50_000); state = try printer.jobReport(stuck).state }
        #expect(state == .canceled)
        let report = try printer.status()
        #expect(report.state != .stopped && report.acceptingJobs, "\(report)")

        // The next job is accepted and reaches the backend (the queue is processing again).
        let next = try printer.submit(receipt)
        var nextState = try printer.jobReport(next).state
        let until = Date().addingTimeInterval(5)
        while nextState != .processing, Date() < until { usleep(50_000); nextState = try printer.jobReport(next).state }
        #expect(nextState == .processing)
        try printer.cancel(next)
    }

    @Test("a queue that does not exist is a PrintError naming the queue and what to do")
    func unknownQueue() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let printer = try CupsPrinter(queue: "no-such-queue", server: cups.serverAddress)
        do {
            _ = try printer.status()
            Issue.record("status of a missing queue succeeded")
        } catch {
            #expect(error == .unknownQueue(queue: "no-such-queue", server: cups.serverAddress))
            #expect(error.description.contains("no-such-queue") && error.description.contains("lpadmin"))
        }
        #expect(throws: PrintError.unknownQueue(queue: "no-such-queue", server: cups.serverAddress)) {
            try printer.submitRaw(Data([0x1B, 0x40]), title: "x")
        }
        let run = PrintJobWatcher(queue: printer).print(PrintJob(document: .raw(Data([0x1B, 0x40])), title: "x"))
        #expect(run.outcome.fault == .unknownQueue)
    }

    @Test("a cupsd that is not running is reported unreachable, quickly")
    func unreachable() throws {
        let cups = try PrivateCups()
        let address = cups.serverAddress
        cups.stop()
        var printer = try CupsPrinter(queue: "receipt80", server: address)
        printer.timeout = .seconds(2)
        let started = ContinuousClock.now
        #expect(throws: PrintError.self) { try printer.status() }
        do { _ = try printer.status() } catch { #expect(error.fault == .unreachable, "\(error)") }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test("an image job reaches an ordinary printer's port as the PNG sent")
    func imageJob() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        try cups.addImageQueue("office", uri: port.uri)
        let printer = try CupsPrinter(queue: "office", server: cups.serverAddress)
        let raster = try samplePicture(width: 576, height: 400)
        let png = PNG.encode(raster, dpi: 203)
        _ = try printer.submitImage(png: png, title: "Kiosk test image")
        let got = try #require(port.waitForJobs(1, timeout: 10), "\(cups.logTail())")
        #expect(got[0] == png)
    }

    @Test("with the shipped cupsd settings nothing of a printed receipt stays in the spool, and the kiosk still knows it printed")
    func spoolKeepsNothing() throws {
        let shipped = try PrivateCups.shippedSettings()
        #expect(shipped.contains("PreserveJobFiles No") && shipped.contains("PreserveJobHistory No"))
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        try cups.addRawQueue("receipt80", uri: port.uri)
        let printer = try CupsPrinter(queue: "receipt80", server: cups.serverAddress)
        let canary = "KANAREK-\(UUID().uuidString)"
        let job = PrintJob(document: .raw(Data("\u{1B}@Zgloszenie \(canary)\n\n\n".utf8)), title: "Kiosk receipt")
        let run = PrintJobWatcher(queue: printer, policy: PrintPolicy(timeout: .seconds(10), pollInterval: .milliseconds(50))).print(job)
        #expect(run.outcome == .printed, "\(run.log)\n\(cups.logTail())")
        let got = try #require(port.waitForJobs(1, timeout: 5)?.first)
        #expect(got.range(of: Data(canary.utf8)) != nil, "the canary must reach the printer, or the test proves nothing")
        // A finished job's document (d*) and control file (c*) are gone; no file under cupsd's spool,
        // cache or state holds the canary.
        var leftovers: [String] = []
        let deadline = Date().addingTimeInterval(3)
        repeat {
            leftovers = []
            for dir in ["spool", "cache", "state"] {
                let base = cups.root + "/" + dir
                for case let rel as String in FileManager.default.enumerator(atPath: base) ?? NSEnumerator() {
                    let file = base + "/" + rel
                    let name = (rel as NSString).lastPathComponent
                    let data = FileManager.default.contents(atPath: file) ?? Data()
                    if name.hasPrefix("d0") || name.hasPrefix("c0") || data.range(of: Data(canary.utf8)) != nil { leftovers.append(rel) }
                }
            }
            if leftovers.isEmpty { break }
            usleep(100_000)
        } while Date() < deadline
        #expect(leftovers.isEmpty, "left in cupsd's folders: \(leftovers)")
    }

    @Test("stopping the private cupsd leaves no process behind, even with a hanging backend")
    func noOrphans() throws {
        let cups = try PrivateCups()
        try cups.addRawQueue("hang", uri: "kiosk-test-hang:/")
        let printer = try CupsPrinter(queue: "hang", server: cups.serverAddress)
        let id = try printer.submitRaw(Data([0x1B, 0x40]), title: "x")
        var state = try printer.jobReport(id).state
        let deadline = Date().addingTimeInterval(5)
        while state != .processing, Date() < deadline { usleep(50_000); state = try printer.jobReport(id).state }
        #expect(state == .processing)
        let root = cups.root
        #expect(!processes(mentioning: root).isEmpty)
        cups.stop()
        var left = processes(mentioning: root)
        let until = Date().addingTimeInterval(3)
        while !left.isEmpty, Date() < until { usleep(100_000); left = processes(mentioning: root) }
        #expect(left.isEmpty, "left running: \(left)")
        #expect(!FileManager.default.fileExists(atPath: root))
    }
}

/// Live processes whose command line contains `text` (the private cupsd's folder).
func processes(mentioning text: String) -> [String] {
    let fm = FileManager.default
    return ((try? fm.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid in
        guard Int(pid) != nil,
              let raw = fm.contents(atPath: "/proc/\(pid)/cmdline"), !raw.isEmpty else { return nil }
        // Zombies keep no cmdline; a process being reaped is not left behind.
        let cmd = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        return cmd.contains(text) ? "\(pid): \(cmd)" : nil
    }
}
