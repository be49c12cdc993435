// The print policy against a scripted queue and a hand-driven clock: no cupsd, no waiting.
import Foundation
import KioskCore
import KioskPrint
import Testing

/// Time that moves only when the watcher sleeps.
final class HandClock: PrintWaitClock, @unchecked Sendable {
    private let lock = NSLock()
    private var elapsed: Duration = .zero
    func now() -> Duration { lock.withLock { elapsed } }
    func sleep(for duration: Duration) { lock.withLock { elapsed += duration } }
}

/// A queue whose answers a test scripts: each submitted job follows `script` (one job-state per poll,
/// the last repeated), and the printer reports what `printerAfter` says for that poll.
final class ScriptedQueue: PrintQueue, @unchecked Sendable {
    struct Step { var job: JobState?; var printer: PrinterState; var reasons: [String] = [] }
    let queueName = "scripted"
    private let lock = NSLock()
    var initial = PrinterReport(queue: "scripted", state: .idle, acceptingJobs: true, reasons: [], message: "")
    /// Per attempt: the steps its job goes through. nil job state = job not found.
    var attempts: [[Step]] = []
    var submitError: PrintError?
    private(set) var submitted = 0
    private(set) var cancelled: [JobID] = []
    private(set) var resumes = 0
    private var polls = 0
    private var current: Step?

    func submit(_ job: PrintJob) throws(PrintError) -> JobID {
        lock.lock(); defer { lock.unlock() }
        if let submitError { throw submitError }
        submitted += 1
        polls = 0
        return JobID(100 + submitted)
    }

    func jobReport(_ id: JobID) throws(PrintError) -> JobReport {
        lock.lock(); defer { lock.unlock() }
        let steps = attempts[min(submitted, attempts.count) - 1]
        let step = steps[min(polls, steps.count - 1)]
        polls += 1
        current = step
        guard let state = step.job else { throw .jobNotFound(queue: queueName, job: id) }
        return JobReport(id: id, state: state, reasons: [])
    }

    func status() throws(PrintError) -> PrinterReport {
        lock.withLock {
            guard let step = current else { return initial }
            if resumes > 0 && step.printer == .stopped && cancelled.count >= submitted {
                return PrinterReport(queue: queueName, state: .idle, acceptingJobs: true, reasons: step.reasons, message: "")
            }
            return PrinterReport(queue: queueName, state: step.printer, acceptingJobs: true, reasons: step.reasons, message: "scripted")
        }
    }

    func cancel(_ id: JobID) throws(PrintError) { lock.withLock { cancelled.append(id) } }
    func resume() throws(PrintError) { lock.withLock { resumes += 1 } }
}

@Suite("Print policy")
struct PrintPolicyTests {
    let job = PrintJob(document: .raw(Data([0x1B, 0x40])), title: "test")

    func watcher(_ q: ScriptedQueue, timeout: Duration = .seconds(20), clock: HandClock = HandClock()) -> PrintJobWatcher<ScriptedQueue> {
        PrintJobWatcher(queue: q, policy: PrintPolicy(timeout: timeout, pollInterval: .milliseconds(250)), clock: clock)
    }

    @Test("a job that completes is printed, once, with nothing cancelled")
    func completes() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .pending, printer: .idle), .init(job: .processing, printer: .processing), .init(job: .completed, printer: .idle)]]
        let run = watcher(q).print(job)
        #expect(run.outcome == .printed)
        #expect(run.attempts == 1 && q.submitted == 1 && q.cancelled.isEmpty && q.resumes == 0)
        #expect(run.jobs == [JobID(101)])
        #expect(run.acceptedAfter == .zero)
    }

    @Test("a queue found stopped is resumed before the job is sent")
    func stoppedBefore() {
        let q = ScriptedQueue()
        q.initial = PrinterReport(queue: "scripted", state: .stopped, acceptingJobs: true, reasons: ["paused"], message: "")
        q.attempts = [[.init(job: .completed, printer: .idle)]]
        let run = watcher(q).print(job)
        #expect(run.outcome == .printed)
        #expect(q.resumes == 1 && run.resumedQueue)
    }

    @Test("out of paper: the job is cancelled, the queue resumed, nothing retried")
    func mediaEmpty() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .processing, printer: .processing),
                       .init(job: .pending, printer: .stopped, reasons: ["media-empty-error", "paused"])]]
        let run = watcher(q).print(job)
        #expect(run.outcome.fault == .mediaEmpty)
        #expect(q.submitted == 1)
        #expect(q.cancelled == [JobID(101)])
        #expect(q.resumes == 1)
    }

    @Test("a queue stopped for another reason is resumed and the job retried once, then dropped")
    func stoppedRetriedOnce() {
        let q = ScriptedQueue()
        let stops: [ScriptedQueue.Step] = [.init(job: .pending, printer: .stopped, reasons: ["paused"])]
        q.attempts = [stops, stops]
        let run = watcher(q).print(job)
        #expect(run.outcome.fault == .stopped)
        #expect(q.submitted == 2 && run.attempts == 2)
        #expect(q.cancelled == [JobID(101), JobID(102)])
        #expect(q.resumes == 2)
    }

    @Test("the retry after a resume can succeed")
    func retrySucceeds() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .stopped, printer: .stopped, reasons: ["paused"])], [.init(job: .completed, printer: .idle)]]
        let run = watcher(q).print(job)
        #expect(run.outcome == .printed)
        #expect(run.attempts == 2 && q.cancelled == [JobID(101)])
    }

    @Test("a job that never finishes is cancelled at the timeout as jobStuck, and no sooner")
    func timeout() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .processing, printer: .processing)]]
        let clock = HandClock()
        let run = watcher(q, timeout: .seconds(20), clock: clock).print(job)
        #expect(run.outcome.fault == .jobStuck)
        #expect(q.cancelled == [JobID(101)])
        #expect(clock.now() >= .seconds(20) && clock.now() < .seconds(21))
        #expect(q.submitted == 1)
    }

    @Test("at the timeout the printer's own reason names the fault (offline)")
    func timeoutOffline() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .processing, printer: .processing, reasons: ["offline-report"])]]
        let run = watcher(q, timeout: .seconds(2)).print(job)
        #expect(run.outcome.fault == .offline)
        #expect(q.cancelled == [JobID(101)])
    }

    @Test("an old media-empty reason on a working queue does not cancel a job that completes")
    func lingeringReason() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: .processing, printer: .processing, reasons: ["media-empty-error"]), .init(job: .completed, printer: .idle)]]
        #expect(watcher(q).print(job).outcome == .printed)
        #expect(q.cancelled.isEmpty)
    }

    @Test("a queue that rejects jobs gets no job and is not forced to accept")
    func notAccepting() {
        let q = ScriptedQueue()
        q.initial = PrinterReport(queue: "scripted", state: .idle, acceptingJobs: false, reasons: [], message: "")
        let run = watcher(q).print(job)
        #expect(run.outcome.fault == .notAcceptingJobs)
        #expect(q.submitted == 0 && q.resumes == 0)
    }

    @Test("a refused submission is a fault with the queue named, not a crash or a retry")
    func unknownQueue() {
        let q = ScriptedQueue()
        q.submitError = .unknownQueue(queue: "scripted", server: "127.0.0.1:1")
        let run = watcher(q).print(job)
        #expect(run.outcome.fault == .unknownQueue)
        guard case .fault(_, let detail) = run.outcome else { return }
        #expect(detail.contains("scripted"))
    }

    @Test("a job that vanishes or is aborted by CUPS is never reported as printed")
    func vanishedOrAborted() {
        let q = ScriptedQueue()
        q.attempts = [[.init(job: nil, printer: .idle)]]
        #expect(watcher(q).print(job).outcome.fault == .jobUnconfirmed)
        let a = ScriptedQueue()
        a.attempts = [[.init(job: .aborted, printer: .idle)]]
        #expect(watcher(a).print(job).outcome.fault == .jobFailed)
        let e = ScriptedQueue()
        e.attempts = [[.init(job: .aborted, printer: .idle, reasons: ["media-empty-error"])]]
        #expect(watcher(e).print(job).outcome.fault == .mediaEmpty)
    }
}
