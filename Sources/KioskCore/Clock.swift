// The clock protocol: monotonic seconds for timeouts, wall time for "today". Injected everywhere, so tests and
// scripts move time by hand.
import Foundation

/// Seconds on the kiosk's monotonic clock (the test clock in tests and scripts).
public typealias Instant = Double

public protocol KioskClock: AnyObject, Sendable {
    /// Monotonic seconds, for timeouts and animation.
    var now: Instant { get }
    /// Wall time, for "today" in validity rules.
    var date: Date { get }
}

public final class SystemClock: KioskClock {
    public init() {}
    public var now: Instant { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    public var date: Date { Date() }
}

/// A clock that moves only when told: tests and `run --headless --script` reach idle timeouts instantly.
public final class ManualClock: KioskClock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Instant = 0
    private let start: Date

    public init(start: Date = Date()) { self.start = start }

    public var now: Instant { lock.withLock { seconds } }
    public var date: Date { start.addingTimeInterval(now) }

    public func set(_ t: Instant) { lock.withLock { seconds = max(seconds, t) } }
    public func advance(by d: Double) { lock.withLock { seconds += max(0, d) } }
}
