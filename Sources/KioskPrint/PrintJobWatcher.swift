// The print policy: submit, watch until done or too late, and never leave the queue stopped.
import Foundation
import KioskCore

/// What the watcher needs of a queue; `CupsPrinter` is the real one, tests use a scripted one.
public protocol PrintQueue: Sendable {
    var queueName: String { get }
    func submit(_ job: PrintJob) throws(PrintError) -> JobID
    func jobReport(_ id: JobID) throws(PrintError) -> JobReport
    func status() throws(PrintError) -> PrinterReport
    func cancel(_ id: JobID) throws(PrintError)
    func resume() throws(PrintError)
}

/// Elapsed time and waiting, injectable so the policy's timeouts are tested without waiting.
public protocol PrintWaitClock: Sendable {
    func now() -> Duration
    func sleep(for duration: Duration)
}

public struct SystemPrintClock: PrintWaitClock {
    private let origin = ContinuousClock.now
    public init() {}
    public func now() -> Duration { ContinuousClock.now - origin }
    public func sleep(for duration: Duration) {
        let c = duration.components
        Thread.sleep(forTimeInterval: Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }
}

public struct PrintPolicy: Sendable, Equatable {
    /// From submission to "completed" per attempt. A receipt takes 1–3 s on a thermal printer; 20 s
    /// is long past that while a resident still stands at the kiosk.
    public var timeout: Duration
    public var pollInterval: Duration
    /// Re-submissions after the queue was found stopped and resumed.
    public var retriesAfterResume: Int

    public init(timeout: Duration = .seconds(20), pollInterval: Duration = .milliseconds(250), retriesAfterResume: Int = 1) {
        self.timeout = timeout
        self.pollInterval = pollInterval
        self.retriesAfterResume = retriesAfterResume
    }
}

/// One print as maintenance records it.
public struct PrintRun: Sendable, Equatable {
    public var outcome: PrintOutcome
    public var attempts: Int = 0
    public var jobs: [JobID] = []
    /// The kiosk resumed a stopped queue during this print.
    public var resumedQueue = false
    /// From the call to cupsd accepting the first job (the benchmark's "ticket to job accepted").
    public var acceptedAfter: Duration?
    public var lastReport: PrinterReport?
    /// Lines for the maintenance journal: what happened, in order, for a technician.
    public var log: [String] = []

    public init(outcome: PrintOutcome) { self.outcome = outcome }
}

/// The policy, stated once:
/// - Before submitting, a stopped queue is resumed (a stopped queue is never left stopped: CUPS stops
///   a queue whenever its backend fails under the default error policy, and then prints nothing for
///   anyone). A queue that rejects jobs is a technician's decision and is left alone: fault, no job.
/// - After submitting, the job is polled until it completes or `timeout` passes.
/// - Out of paper (`media-empty*`/`media-needed*` in printer-state-reasons of a stopped queue, or at
///   the timeout) ends the print: the job is cancelled (so it does not come out later for the next
///   resident), the queue resumed, and nothing retried — paper does not come back by itself.
/// - Queue stopped for another reason while the job waits: cancel, resume, and submit again at most
///   `retriesAfterResume` times (once by default); then drop it.
/// - Timeout: the job is cancelled and the fault is `jobStuck` (or `offline` if the printer says so).
/// - CUPS aborting or cancelling the job, or the job vanishing from its history: fault, no retry.
/// Every fault leaves the ticket on screen (the submission was durable before printing started);
/// the caller records `PrintRun` for maintenance.
public struct PrintJobWatcher<Queue: PrintQueue>: Sendable {
    public let queue: Queue
    public let policy: PrintPolicy
    public let clock: any PrintWaitClock

    public init(queue: Queue, policy: PrintPolicy = PrintPolicy(), clock: any PrintWaitClock = SystemPrintClock()) {
        self.queue = queue
        self.policy = policy
        self.clock = clock
    }

    /// Blocks until the print is done or given up; call it off the UI thread.
    public func print(_ job: PrintJob) -> PrintRun {
        let start = clock.now()
        var run = PrintRun(outcome: .printed)
        func fail(_ fault: PrinterFault, _ detail: String) -> PrintRun {
            run.outcome = .fault(fault, detail: detail)
            run.log.append("fault \(fault.rawValue): \(detail)")
            return run
        }

        do {
            let report = try queue.status()
            run.lastReport = report
            if report.state == .stopped {
                run.log.append("queue \(queue.queueName) was stopped (\(report.reasons.joined(separator: ","))); resuming")
                try resume(&run)
            }
            if !report.acceptingJobs {
                return fail(.notAcceptingJobs, PrintError.notAcceptingJobs(queue: queue.queueName).description)
            }
        } catch {
            return fail(error.fault, error.description)
        }

        while true {
            run.attempts += 1
            let id: JobID
            do {
                id = try queue.submit(job)
            } catch {
                return fail(error.fault, error.description)
            }
            run.jobs.append(id)
            if run.acceptedAfter == nil { run.acceptedAfter = clock.now() - start }
            run.log.append("job \(id) accepted on \(queue.queueName) (attempt \(run.attempts))")

            let verdict = watch(id, &run)
            switch verdict {
            case .completed:
                run.log.append("job \(id) completed")
                run.outcome = .printed
                return run
            case .finishedBadly(let fault, let detail):
                resumeIfStopped(&run)
                return fail(fault, detail)
            case .queueStopped(let fault, let detail):
                cancel(id, &run)
                do { try resume(&run) } catch { run.log.append("resume failed: \(error.description)") }
                if fault == .mediaEmpty || run.attempts > policy.retriesAfterResume {
                    return fail(fault, detail)
                }
                run.log.append("retrying after resume: \(detail)")
            case .timedOut(let fault, let detail):
                cancel(id, &run)
                resumeIfStopped(&run)
                return fail(fault, detail)
            case .lostContact(let error):
                return fail(error.fault, error.description)
            }
        }
    }

    private enum Verdict {
        case completed
        case finishedBadly(PrinterFault, String)
        case queueStopped(PrinterFault, String)
        case timedOut(PrinterFault, String)
        case lostContact(PrintError)
    }

    private func watch(_ id: JobID, _ run: inout PrintRun) -> Verdict {
        let deadline = clock.now() + policy.timeout
        let name = queue.queueName
        while true {
            let job: JobReport
            let printer: PrinterReport
            do {
                job = try queue.jobReport(id)
                if job.state == .completed { return .completed }
                printer = try queue.status()
                run.lastReport = printer
            } catch .jobNotFound {
                return .finishedBadly(.jobUnconfirmed, PrintError.jobNotFound(queue: name, job: id).description)
            } catch {
                return .lostContact(error)
            }
            let reasons = printer.reasons.joined(separator: ",")
            switch job.state {
            case .canceled, .aborted:
                let f = printer.fault == .none || printer.fault == .stopped ? PrinterFault.jobFailed : printer.fault
                return .finishedBadly(f, "job \(id) on \(name) was \(job.state.rawValue) by CUPS (\(job.reasons.joined(separator: ","))); printer: \(reasons) \(printer.message)")
            case .completed:
                return .completed
            case .pending, .held, .processing, .stopped:
                break
            }
            // A media-empty reason alone does not end the wait: CUPS may keep a backend's old reason
            // after the roll was changed. A stopped queue or the timeout decides, and then the
            // reasons say why.
            if job.state == .stopped || printer.state == .stopped {
                let f = printer.fault == .none ? PrinterFault.stopped : printer.fault
                return .queueStopped(f, "\(name) stopped while job \(id) waited (\(reasons)) \(printer.message)")
            }
            if clock.now() >= deadline {
                let f: PrinterFault = printer.fault == .none || printer.fault == .notAcceptingJobs ? .jobStuck : printer.fault
                return .timedOut(f, "job \(id) on \(name) still \(job.state.rawValue) after \(policy.timeout) (\(reasons)) \(printer.message); cancelled")
            }
            clock.sleep(for: policy.pollInterval)
        }
    }

    private func cancel(_ id: JobID, _ run: inout PrintRun) {
        do {
            try queue.cancel(id)
            run.log.append("job \(id) cancelled")
        } catch {
            run.log.append("cancel of job \(id) failed: \(error.description)")
        }
    }

    private func resume(_ run: inout PrintRun) throws(PrintError) {
        try queue.resume()
        run.resumedQueue = true
        run.log.append("queue \(queue.queueName) resumed")
    }

    private func resumeIfStopped(_ run: inout PrintRun) {
        guard let report = try? queue.status() else { return }
        run.lastReport = report
        if report.state == .stopped {
            do { try resume(&run) } catch { run.log.append("resume failed: \(error.description)") }
        }
    }
}
