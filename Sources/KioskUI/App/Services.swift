// The runtime for effects: each kind goes to its own service on its own queue; services answer, or post
// on their own at any time, through one thread-safe entry that wakes the UI loop; their timers run on the
// engine's injected clock, so the script runner's `wait` drives them too.
import Foundation
import KioskCore

public enum EffectMode: Sendable {
    /// Services answer before `send` returns and timers fire inline: scripts and tests are deterministic.
    case synchronous
    /// Each service has its own serial queue: the UI thread never waits on SQLite, a printer or the network.
    case background
}

/// The one way into the UI thread from anywhere: actions wait here until the loop drains them.
public final class ActionSink: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Action] = []
    private var wakeUp: (@Sendable () -> Void)?

    public init() {}

    public func post(_ action: Action) {
        let wake = lock.withLock { () -> (@Sendable () -> Void)? in
            items.append(action)
            return wakeUp
        }
        wake?()
    }

    /// Nudges the loop without an action (a timer was scheduled earlier than it sleeps).
    public func wake() { lock.withLock { wakeUp }?() }

    func setWake(_ w: (@Sendable () -> Void)?) { lock.withLock { wakeUp = w } }
    func take() -> [Action] { lock.withLock { defer { items.removeAll() }; return items } }
}

/// A service's answer to one effect. Work the idle reset waits for is released when the answer is sent,
/// or when a service drops the reply without answering, so a failing service cannot hold the kiosk. A
/// question a resident waits on (`Effect.unanswered`) is answered for the service when it drops the reply
/// unsent: answer through `send`, never only through `ServiceContext.post`.
public final class Reply: @unchecked Sendable {
    private let sink: ActionSink
    private let holdsIdleReset: Bool
    private let unanswered: Action?
    private let lock = NSLock()
    private var finished = false

    init(sink: ActionSink, holdsIdleReset: Bool, unanswered: Action? = nil) {
        self.sink = sink; self.holdsIdleReset = holdsIdleReset; self.unanswered = unanswered
    }

    public func send(_ action: Action) {
        sink.post(action)
        finish(answered: true)
    }

    deinit { finish(answered: false) }

    private func finish(answered: Bool) {
        let first = lock.withLock { () -> Bool in
            defer { finished = true }
            return !finished
        }
        guard first else { return }
        if !answered, let unanswered { sink.post(unanswered) }
        if holdsIdleReset { sink.post(.residentWork(-1)) }
    }
}

/// Timers of services, on the engine's clock. Fired by the engine's loop (or the script's `wait`).
public final class ServiceTimers: @unchecked Sendable {
    struct Entry { var id: Int; var at: Instant; var work: @Sendable () -> Void }
    private let lock = NSLock()
    private var entries: [Entry] = []
    private var nextID = 0

    public init() {}

    @discardableResult
    func schedule(at: Instant, _ work: @escaping @Sendable () -> Void) -> Int {
        lock.withLock {
            nextID += 1
            entries.append(Entry(id: nextID, at: at, work: work))
            return nextID
        }
    }

    func cancel(_ id: Int) { lock.withLock { entries.removeAll { $0.id == id } } }

    var nextDeadline: Instant? { lock.withLock { entries.map(\.at).min() } }

    /// Removes and returns the timers due at `now`, earliest first.
    func takeDue(_ now: Instant) -> [@Sendable () -> Void] {
        lock.withLock {
            let due = entries.filter { $0.at <= now }.sorted { ($0.at, $0.id) < ($1.at, $1.id) }
            entries.removeAll { $0.at <= now }
            return due.map(\.work)
        }
    }
}

/// What a service may do besides answering: post actions, read the clock, set timers.
public struct ServiceContext: Sendable {
    let sink: ActionSink
    let timers: ServiceTimers
    public let clock: KioskClock
    /// The service's own queue; nil in synchronous mode.
    let queue: DispatchQueue?

    /// Whether answers must be given before `handle` returns (scripts and tests).
    public var isSynchronous: Bool { queue == nil }

    public func post(_ action: Action) { sink.post(action) }

    /// Runs `work` on the service's queue after what is already waiting there (inline when synchronous):
    /// long work in pieces lets a newer request in between them.
    public func next(_ work: @escaping @Sendable () -> Void) {
        if let queue { queue.async(execute: work) } else { work() }
    }

    /// Runs `work` on the service's queue after `seconds` on the engine's clock; returns a handle to cancel.
    @discardableResult
    public func after(_ seconds: Double, _ work: @escaping @Sendable () -> Void) -> ServiceTimer {
        let queue = self.queue
        let id = timers.schedule(at: clock.now + max(0, seconds)) {
            if let queue { queue.async(execute: work) } else { work() }
        }
        sink.wake() // the loop may be asleep toward a later deadline
        return ServiceTimer(id: id, timers: timers)
    }
}

public struct ServiceTimer: Sendable {
    let id: Int
    let timers: ServiceTimers
    public func cancel() { timers.cancel(id) }
}

/// A service owns one kind of effect (the store; later the printer and sync).
public protocol KioskService: AnyObject, Sendable {
    var kind: Effect.Kind { get }
    /// Called once when the engine starts; a service that works by itself (sync) begins here.
    func start(_ context: ServiceContext)
    /// Runs one effect; answers through `reply`, now or later.
    func handle(_ effect: Effect, reply: Reply, context: ServiceContext)
}

extension KioskService {
    public func start(_ context: ServiceContext) {}
}

/// Routes effects to their service by kind, each on its own serial queue in background mode.
public final class EffectRouter: @unchecked Sendable {
    public let mode: EffectMode
    public let sink = ActionSink()
    public let timers = ServiceTimers()
    private var services: [Effect.Kind: (KioskService, ServiceContext)] = [:]

    public init(mode: EffectMode) { self.mode = mode }

    /// Registers a service before the engine starts.
    public func register(_ service: KioskService, clock: KioskClock) {
        let queue = mode == .background ? DispatchQueue(label: "kiosk.\(service.kind.rawValue)", qos: .userInitiated) : nil
        services[service.kind] = (service, ServiceContext(sink: sink, timers: timers, clock: clock, queue: queue))
    }

    func start() {
        for (service, context) in services.values {
            if let q = context.queue { q.async { service.start(context) } } else { service.start(context) }
        }
    }

    /// Waits until every service has finished the work given to it so far (a background queue runs in order), at
    /// most `timeout` seconds; true when all had. A stopping kiosk uses it so a commit in flight completes.
    public func drain(timeout: Double) -> Bool {
        let group = DispatchGroup()
        for (_, context) in services.values {
            guard let q = context.queue else { continue }
            group.enter()
            q.async { group.leave() }
        }
        return group.wait(timeout: .now() + timeout) == .success
    }

    /// Whether a service takes this kind of effect (a kiosk without a central server has no sync).
    public func handles(_ kind: Effect.Kind) -> Bool { services[kind] != nil }

    func run(_ effect: Effect) {
        let reply = Reply(sink: sink, holdsIdleReset: effect.holdsIdleReset, unanswered: effect.unanswered)
        // No service for it: the reply is dropped, which releases anything waiting on it and answers a
        // question with "cannot be asked now".
        guard let (service, context) = services[effect.kind] else { return }
        if let q = context.queue {
            q.async { service.handle(effect, reply: reply, context: context) }
        } else {
            service.handle(effect, reply: reply, context: context)
        }
    }
}
