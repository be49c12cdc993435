import Foundation
import KioskCore
import KioskSDL
import KioskStore
import KioskUI
import Testing
@testable import KioskApp

@Suite(.serialized) struct Lockdown {
    /// The real window and loop on SDL's dummy driver; `lockdown` as `kiosk run` sets it (on unless --windowed).
    func loop(lockdown: Bool, _ turn: @escaping @Sendable (Int, WindowHost) -> Bool) async throws -> (turns: Int, ignored: Int) {
        try await onOwnThread {
            setenv("SDL_VIDEODRIVER", "dummy", 1)
            try SDLSystem.start(headless: true)
            let db = try tempDir() + "/kiosk.sqlite"
            try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
            let (kiosk, host) = try openWindowedKiosk(config: KioskConfig(), dbPath: db,
                                                      options: WindowOptions(size: Size(width: 768, height: 1366), fullscreen: false, lockdown: lockdown))
            var turns = 0
            runMainLoop(kiosk, on: host, notifier: SystemdNotifier(environment: [:]), shouldStop: {
                turns += 1
                return turn(turns, host) || turns > 50
            })
            return (turns, host.ignoredCloses)
        }
    }

    @Test func aCloseRequestIsIgnoredUnderLockdownAndOnlyTheStopSwitchEndsTheLoop() async throws {
        let r = try await loop(lockdown: true) { turn, host in
            if turn == 1 { host.postCloseRequest(); host.postCloseRequest() }
            if turn == 3 { host.stopSwitch.stop() }
            return false
        }
        #expect(r.ignored == 2)
        #expect(r.turns >= 3 && r.turns <= 5, "the loop ran \(r.turns) turns")
    }

    @Test func aWindowedDemoEndsOnClose() async throws {
        let r = try await loop(lockdown: false) { turn, host in
            if turn == 1 { host.postCloseRequest() }
            return false
        }
        #expect(r.ignored == 0 && r.turns <= 2)
    }

    @Test func fullScreenMeansLockdownWindowedDoesNot() {
        #expect(WindowOptions(size: nil, fullscreen: true).lockdown)
        #expect(!WindowOptions(size: nil, fullscreen: false).lockdown)
    }

    @Test func sigtermEndsTheKioskWithStatusZeroWithinFiveSeconds() throws {
        let binary = try #require(kioskBinary())
        let dir = try tempDir()
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: dir + "/k.sqlite")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--db", dir + "/k.sqlite", "run"] // full screen: lockdown on
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONFIG"] = nil
        env["SDL_VIDEODRIVER"] = "dummy"
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 2)
        #expect(p.isRunning, "the kiosk ended by itself")
        kill(p.processIdentifier, SIGTERM)
        let sent = Date()
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(sent)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(log)")
        #expect(seconds < 5)
        #expect(log.contains("SIGTERM: stopping") && log.contains("stopped"), "\(log)")
    }

    @Test("SIGTERM during scripted filings: each run exits 0 within 5 s, and every ticket shown is saved exactly once")
    func sigtermDuringASubmissionLosesNothing() throws {
        let binary = try #require(kioskBinary())
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let script = dir + "/file.script"
        try repeatedFilingScript(200).write(toFile: script, atomically: true, encoding: .utf8)
        var statuses: [String] = []
        var slowest = 0.0
        let runs = 30
        let shown = try killDuringFilings(binary: binary, db: db, script: script, kills: runs, delay: 200_000...900_000, signal: SIGTERM) { status, reason, seconds in
            if reason != .exit || status != 0 { statuses.append("\(reason == .exit ? "exit" : "signal") \(status)") }
            slowest = max(slowest, seconds)
        }
        #expect(statuses.isEmpty, "\(statuses)")
        #expect(slowest < 5, "a stop took \(slowest) s")
        let store = try KioskStore(path: db)
        let saved = try store.outboxItems().map(\.ticket)
        #expect(Set(shown).count == shown.count && Set(saved).count == saved.count)
        #expect(Set(shown).isSubset(of: Set(saved)), "\(Set(shown).subtracting(saved).count) shown tickets lost")
        #expect(shown.count >= runs / 3, "too few filings got through: \(shown.count)")
        #expect(try store.integrityCheck() == "ok")
    }
}
