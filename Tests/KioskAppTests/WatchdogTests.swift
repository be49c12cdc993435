// The systemd contract of the real main loop, seen from a real NOTIFY_SOCKET: READY once, pings while idle, none when stuck.
import Foundation
import KioskCore
@testable import KioskSDL
import KioskUI
import Testing
@testable import KioskApp
#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's: every message with the monotonic time it arrived.
final class NotifySocket: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [(at: Double, text: String)] = []
    private var stopped = false
    private var reader: Thread?

    init() throws {
        path = try tempDir() + "/notify"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw POSIXError(.ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let t = Thread { [self] in readLoop() }
        reader = t
        t.start()
    }

    private func readLoop() {
        var buf = [UInt8](repeating: 0, count: 4096)
        while !lock.withLock({ stopped }) {
            let n = recv(fd, &buf, buf.count, 0)
            if n > 0 {
                let text = String(decoding: buf[0..<n], as: UTF8.self)
                let at = MonotonicTime.now
                lock.withLock { received.append((at, text)) }
            }
        }
    }

    var messages: [(at: Double, text: String)] { lock.withLock { received } }

    func close() {
        lock.withLock { stopped = true }
        Thread.sleep(forTimeInterval: 0.1)
        _ = Glibc.close(fd)
    }

    var environment: (String) -> [String: String] {
        { usec in ["NOTIFY_SOCKET": self.path, "WATCHDOG_USEC": usec] }
    }
}

/// What one run of the loop looked like from inside: when it started, its first frame and each turn.
struct LoopTrace: Sendable {
    var start = 0.0
    var firstFrame: Double?
    var turns: [Double] = []
    var end = 0.0
    var article: String?
}

/// Runs `body` on a thread of its own: the SDL loop blocks for seconds, which the test pool should not.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// Opens the kiosk's window as `kiosk run` does (dummy video driver), brings it to an article the way the
/// screens would, then runs the real main loop until `stop` says so.
func runWindowedKiosk(notifier: @escaping @Sendable () -> SystemdNotifier, idle: IdlePolicy, dashboard: Bool = false,
                      stop: @escaping @Sendable (_ elapsed: Double) -> Bool) async throws -> LoopTrace {
    try await onOwnThread {
        setenv("SDL_VIDEODRIVER", "dummy", 1)
        try SDLSystem.start(headless: true)
        let db = try tempDir() + "/kiosk.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        var config = KioskConfig()
        config.idle = idle
        let pinFile = db + ".pin"
        config.maintenance.pinFile = pinFile
        try Data((try PinHash.make(pin: "482915").line + "\n").utf8).write(to: URL(fileURLWithPath: pinFile))
        let (kiosk, host) = try openWindowedKiosk(config: config, dbPath: db,
                                                  options: WindowOptions(size: Size(width: 768, height: 1366), fullscreen: false))
        let e = kiosk.engine
        // The store answers on its own queue, as in the field: wait for each answer like the screen does.
        func settle(_ done: () -> Bool) throws {
            let limit = MonotonicTime.now + 10
            while !done() {
                guard MonotonicTime.now < limit else { throw POSIXError(.ETIMEDOUT) }
                Thread.sleep(forTimeInterval: 0.005)
                e.drainInbox()
            }
        }
        if dashboard {
            // As staff open it: the hidden entry, the PIN checked on the service's queue, the figures read there.
            e.send(.maintenance(.entryHeld))
            for d in [4, 8, 2, 9, 1, 5] { e.send(.maintenance(.pinDigit(d))) }
            e.send(.maintenance(.pinSubmit))
            try settle { e.state.screen == .maintenance && e.state.maintenance.dashboard != nil }
        } else {
            e.send(.openTile(.kb))
            try settle { e.state.browse.categories?.isEmpty == false }
            e.send(.browse(.openCategory(e.state.browse.categories?.first?.category.id ?? "")))
            try settle { e.state.browse.articles?.isEmpty == false }
            e.send(.browse(.openArticle(e.state.browse.articles?.first?.id ?? "")))
            try settle { e.state.browse.article != nil }
        }
        var trace = LoopTrace(article: e.state.browse.articleID)
        trace.start = MonotonicTime.now
        runMainLoop(kiosk, on: host, notifier: notifier(), shouldStop: {
            let now = MonotonicTime.now
            trace.turns.append(now)
            return stop(now - trace.start)
        }, onFirstFrame: { trace.firstFrame = MonotonicTime.now })
        trace.end = MonotonicTime.now
        return trace
    }
}

@Suite(.serialized) struct SystemdWatchdog {
    /// 0.25 s between pings: the shipped 15 s scaled by 1/60, so 3 s here stand for the 180 s a resident
    /// may read an article untouched (the idle warning comes after that, then the reset).
    static let usec = "500000"
    static let period = 0.5, interval = 0.25

    @Test func readyOnceAfterTheFirstFrameAndAPingEveryIntervalWhileNobodyTouchesTheArticle() async throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        let env = socket.environment(Self.usec)
        let trace = try await runWindowedKiosk(notifier: { SystemdNotifier(environment: env) },
                                               idle: IdlePolicy(warnAfter: 3, resetAfter: 1.5),
                                               stop: { $0 > 5.5 })
        try await Task.sleep(nanoseconds: 100_000_000)
        let messages = socket.messages
        let ready = messages.filter { $0.text.contains("READY=1") }
        #expect(ready.count == 1, "READY=1 sent \(ready.count) times")
        let firstFrame = try #require(trace.firstFrame)
        #expect((ready.first?.at ?? 0) >= firstFrame, "READY before the first frame was shown")

        // systemd restarts the kiosk when a whole period passes without a ping.
        let pings = messages.filter { $0.text.contains("WATCHDOG=1") }.map(\.at)
        // From the first frame on (a debug build takes a while to draw it): the first ping follows it at once.
        let marks = [firstFrame] + pings.filter { $0 >= firstFrame } + [trace.end]
        let gaps = zip(marks, marks.dropFirst()).map { $1 - $0 }
        let longest = gaps.max() ?? .infinity
        #expect(longest < Self.period, "no WATCHDOG=1 for \(longest) s (watchdog period \(Self.period) s)")
        let duration = trace.end - trace.start
        print("watchdog test: \(pings.count) pings in \(String(format: "%.2f", duration)) s, longest gap \(String(format: "%.3f", longest)) s, \(trace.turns.count) loop turns")
        #expect(Double(pings.count) >= duration / Self.interval - 2, "\(pings.count) pings in \(duration) s")
        // One ping per interval, not one per frame or per wake-up.
        #expect(Double(pings.count) <= duration / Self.interval + 3, "\(pings.count) pings in \(duration) s")

        // On the article with no input and no animation the loop wakes only to ping: no CPU beyond that.
        let quiet = trace.turns.filter { $0 > trace.start + 0.5 && $0 < trace.start + 2.5 }
        #expect(quiet.count <= Int(2 / Self.interval) + 3, "\(quiet.count) wake-ups in 2 quiet seconds")

        // STATUS tells what is shown, once per change: article, idle warning, then home after the reset.
        let statuses = messages.compactMap { m in
            m.text.split(separator: "\n").first { $0.hasPrefix("STATUS=") }.map { String($0.dropFirst(7)) }
        }
        let article = try #require(trace.article)
        #expect(statuses == ["showing article \(article) in pl", "showing article \(article) in pl, idle warning up",
                             "showing home in pl"])
    }

    @Test func withTheMaintenanceDashboardOpenThePingsKeepTheirPeriodAndTheLoopStaysQuiet() async throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        let env = socket.environment(Self.usec)
        let trace = try await runWindowedKiosk(notifier: { SystemdNotifier(environment: env) },
                                               idle: IdlePolicy(warnAfter: 3, resetAfter: 1.5), dashboard: true,
                                               stop: { $0 > 4 })
        try await Task.sleep(nanoseconds: 100_000_000)
        let messages = socket.messages
        #expect(messages.filter { $0.text.contains("READY=1") }.count == 1)
        let firstFrame = try #require(trace.firstFrame)
        let pings = messages.filter { $0.text.contains("WATCHDOG=1") }.map(\.at)
        let marks = [firstFrame] + pings.filter { $0 >= firstFrame } + [trace.end]
        let longest = zip(marks, marks.dropFirst()).map { $1 - $0 }.max() ?? .infinity
        #expect(longest < Self.period, "no WATCHDOG=1 for \(longest) s with the dashboard open")
        let quiet = trace.turns.filter { $0 > trace.start + 0.5 && $0 < trace.start + 2.5 }
        #expect(quiet.count <= Int(2 / Self.interval) + 3, "\(quiet.count) wake-ups in 2 quiet seconds")
        // The dashboard's own 2-minute leave (not the resident idle warning) is what runs: still on it.
        let statuses = messages.compactMap { m in
            m.text.split(separator: "\n").first { $0.hasPrefix("STATUS=") }.map { String($0.dropFirst(7)) }
        }
        #expect(statuses == ["showing maintenance in pl"], "\(statuses)")
    }

    @Test func noPingOnceTheMainLoopIsStuck() async throws {
        let socket = try NotifySocket()
        defer { socket.close() }
        let env = socket.environment(Self.usec)
        let blockedAt = 1.5, blockedFor = 2.0
        let trace = try await runWindowedKiosk(notifier: { SystemdNotifier(environment: env) },
                                               idle: IdlePolicy(warnAfter: 90, resetAfter: 20)) { elapsed in
            guard elapsed >= blockedAt else { return false }
            // A hung reducer or a stuck call on the UI thread: the loop goes no further.
            Thread.sleep(forTimeInterval: blockedFor)
            return true
        }
        try await Task.sleep(nanoseconds: 100_000_000)
        let pings = socket.messages.filter { $0.text.contains("WATCHDOG=1") }.map(\.at)
        let stuck = try #require(trace.turns.last)
        #expect(pings.filter { $0 < stuck }.count >= Int(blockedAt / Self.interval) - 1, "the loop did not ping before it stuck")
        let late = pings.filter { $0 > stuck + 0.01 }
        #expect(late.isEmpty, "\(late.count) pings while the loop was stuck for \(blockedFor) s")
        #expect(trace.end - stuck >= blockedFor - 0.05)
    }

    @Test func watchdogSettingsFollowSystemdsRules() {
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000"], pid: 7) == 15)
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"], pid: 7) == 15)
        // Meant for another process (a parent that started us): not ours to ping.
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "8"], pid: 7) == nil)
        for bad in ["", "0", "-5", "soon", "1e6", "99999999999999999999999"] {
            #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": bad], pid: 7) == nil, "\(bad)")
        }
        #expect(SystemdNotifier.watchdogInterval(environment: ["WATCHDOG_USEC": "1"], pid: 7) == 0.01)
        #expect(SystemdNotifier.watchdogInterval(environment: [:], pid: 7) == nil)
    }

    @Test func theLoopNeverSleepsPastTheNextPing() {
        #expect(WindowHost.sleepMs(deadline: 85, beat: 15, cap: 15) == 15_000)
        // WatchdogSec=60d: half of it in milliseconds overflows Int32; the sleep is a day at most.
        #expect(WindowHost.sleepMs(deadline: nil, beat: 2_592_000, cap: 2_592_000) == 86_400_000)
        #expect(WindowHost.sleepMs(deadline: 0.0101, beat: 15, cap: 15) == 11)
        #expect(WindowHost.sleepMs(deadline: nil, beat: 2.5, cap: 15) == 2_500)
        #expect(WindowHost.sleepMs(deadline: -3, beat: 2, cap: 15) == 0)
        #expect(WindowHost.sleepMs(deadline: nil, beat: nil, cap: 10) == 10_000)
    }
}
