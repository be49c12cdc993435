// SIGTERM and SIGINT end the kiosk gracefully: the main loop or the script stops between two steps, work a
// service has begun (a submission's commit) finishes, the sync stops, and the process exits 0 within 5 s
// (systemd's stop timeout in kiosk.service is longer, so it never needs SIGKILL).
import Dispatch
import Foundation
import KioskSDL
import KioskUI

/// The termination signals, turned into a call on a queue: a C signal handler may do almost nothing, a dispatch
/// source may do anything.
/// Installed first thing in `kiosk run`, so a SIGTERM during the start is kept and acted on as soon as there
/// is a loop to stop.
final class TerminationSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var got: Int32?
    private var handler: (@Sendable () -> Void)?

    init() {
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN) // the source sees it; the default action (death mid-write) does not run
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global(qos: .userInitiated))
            source.setEventHandler { [weak self] in self?.deliver(sig) }
            source.resume()
            sources.append(source)
        }
    }

    private func deliver(_ sig: Int32) {
        let h = lock.withLock { () -> (@Sendable () -> Void)? in
            if got == nil { got = sig }
            return handler
        }
        h?()
    }

    /// What a signal does from now on; called at once when one came already.
    func onSignal(_ h: @escaping @Sendable () -> Void) {
        let already = lock.withLock { () -> Bool in
            handler = h
            return got != nil
        }
        if already { h() }
    }

    /// The first signal received, if any.
    var received: Int32? { lock.withLock { got } }

    var name: String { received == SIGINT ? "SIGINT" : "SIGTERM" }
}

/// What a stop does after the loop has ended, within `budget` seconds whatever hangs: the services finish what
/// they began (the store's commit first), then the sync is stopped. A sync round still waiting on the network
/// is abandoned: its outbox items stay queued and are sent again with the same idempotency key.
func stopGracefully(_ kiosk: Kiosk, budget: Double = 4.5) {
    let start = MonotonicTime.now
    if !kiosk.engine.router.drain(timeout: budget * 0.6) {
        Log.error("stop: a service was still working after \(Int(budget * 0.6)) s; its last transaction either committed or did not start")
    }
    let done = DispatchSemaphore(value: 0)
    let link = kiosk.sync // Kiosk.shutdown(), from a thread of its own so a hung round cannot hold the exit
    Thread.detachNewThread {
        link?.shutdown()
        done.signal()
    }
    let left = max(0.1, budget - (MonotonicTime.now - start))
    if done.wait(timeout: .now() + left) == .timedOut {
        Log.error("stop: the sync did not stop within \(String(format: "%.1f", budget)) s; leaving it (nothing it holds is lost)")
    }
}
