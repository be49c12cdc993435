import Foundation
import KioskCore
import KioskTesting
import Testing
@testable import KioskUI

let drains = CategorySummary(category: Category(id: "odpady", name: Localized(pl: "Odpady")), articleCount: 3)

/// A stand-in store that answers from its own queue and notes where it ran.
final class RecordingStore: KioskService, @unchecked Sendable {
    let kind = Effect.Kind.store
    private let lock = NSLock()
    private var _seen: [(Effect, Bool)] = []
    var seen: [(Effect, Bool)] { lock.withLock { _seen } }
    /// What start() does: here, a timer that posts on its own after 30 s, as sync's retry will.
    var onStart: (@Sendable (ServiceContext) -> Void)?

    func start(_ context: ServiceContext) { onStart?(context) }

    /// When set, answers wait for it: a test proves the UI thread did not wait, whatever the timing.
    var gate: DispatchSemaphore?

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        lock.withLock { _seen.append((effect, Thread.isMainThread)) }
        gate?.wait()
        reply.send(.browse(.categoriesLoaded([drains])))
    }
}

final class WakeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func hit() { lock.withLock { n += 1 } }
    var count: Int { lock.withLock { n } }
}

@Suite struct Services {
    @Test func effectsGoToTheirServiceOnItsOwnQueueAndAnswersWakeTheLoop() async throws {
        let clock = ManualClock()
        let router = EffectRouter(mode: .background)
        let store = RecordingStore()
        let gate = DispatchSemaphore(value: 0)
        store.gate = gate
        router.register(store, clock: clock)
        let engine = KioskEngine(size: Size(width: 1080, height: 1920), measurer: FixedWidthMeasurer(), clock: clock, router: router)
        let wakes = WakeCounter()
        engine.wake = { wakes.hit() }
        engine.send(.openTile(.kb)) // returns while the store is still held at the gate
        #expect(engine.state.browse.categories == nil) // the UI thread did not wait for the store
        gate.signal()
        for _ in 0..<200 where wakes.count == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        #expect(wakes.count >= 1)
        engine.drainInbox()
        #expect(engine.state.browse.categories == [drains])
        #expect(store.seen.count == 1 && store.seen.first?.0 == .store(.loadCategories))
        #expect(store.seen.first?.1 == false) // not on the thread that runs the UI
    }

    @Test func aServicesTimerRunsOnTheEnginesClockSoTheScriptsWaitDrivesIt() throws {
        let clock = ManualClock()
        let router = EffectRouter(mode: .synchronous)
        let store = RecordingStore()
        store.onStart = { context in
            context.after(30) { context.post(.browse(.categoriesLoaded([drains]))) }
        }
        router.register(store, clock: clock)
        let engine = KioskEngine(size: Size(width: 1080, height: 1920), measurer: FixedWidthMeasurer(), clock: clock, router: router)
        engine.start()
        #expect(engine.nextDeadline == 30) // a pristine kiosk sleeps until the service's timer
        let runner = ScriptRunner(engine: engine, clock: clock) { _, _ in }
        runner.advance(by: 29)
        #expect(engine.state.browse.categories == nil)
        runner.advance(by: 2)
        #expect(engine.state.browse.categories == [drains])
        #expect(engine.nextDeadline == 90) // a loaded list is cleared after the idle time, like a resident's data
    }

    @Test func aCancelledTimerNeverFires() throws {
        let clock = ManualClock()
        let router = EffectRouter(mode: .synchronous)
        let store = RecordingStore()
        store.onStart = { context in
            let t = context.after(5) { context.post(.browse(.categoriesLoaded([drains]))) }
            t.cancel()
        }
        router.register(store, clock: clock)
        let engine = KioskEngine(size: Size(width: 1080, height: 1920), measurer: FixedWidthMeasurer(), clock: clock, router: router)
        engine.start()
        ScriptRunner(engine: engine, clock: clock) { _, _ in }.advance(by: 10)
        #expect(engine.state.browse.categories == nil)
    }

    @Test func aReplyDroppedWithoutAnAnswerStillReleasesTheIdleReset() {
        let sink = ActionSink()
        do { _ = Reply(sink: sink, holdsIdleReset: true) }
        #expect(sink.take() == [.residentWork(-1)])
        let answered = Reply(sink: sink, holdsIdleReset: true)
        answered.send(.tick)
        answered.send(.tick) // a second answer must not release twice
        #expect(sink.take() == [.tick, .residentWork(-1), .tick])
    }
}
