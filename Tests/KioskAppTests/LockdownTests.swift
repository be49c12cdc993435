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

    @Test func underSystemdABrokenConfigShowsTheOutOfServiceNoticeInsteadOfARestartLoop() throws {
        let binary = try #require(kioskBinary())
        let dir = try tempDir()
        let bad = dir + "/kiosk.json"
        try Data(#"{"printer": {"kind": "laser"}}"#.utf8).write(to: URL(fileURLWithPath: bad))
        let socket = try NotifySocket()
        defer { socket.close() }
        func start(_ extra: [String: String]) throws -> (Process, Pipe) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--config", bad, "--db", dir + "/k.sqlite", "run", "--windowed", "--size", "768x1366"]
            var env = ProcessInfo.processInfo.environment
            env["KIOSK_CONFIG"] = nil
            env["SDL_VIDEODRIVER"] = "dummy"
            env["NOTIFY_SOCKET"] = nil
            env["INVOCATION_ID"] = nil
            p.environment = env.merging(extra) { $1 }
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            return (p, err)
        }
        // At a terminal: the error, and out.
        let (plain, plainErr) = try start([:])
        plain.waitUntilExit()
        let plainLog = String(decoding: plainErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(plain.terminationStatus != 0 && plainLog.contains("printer.kind"), "\(plainLog)")

        // Under systemd: up, ready, pinging, and saying why; SIGTERM still ends it cleanly.
        let (p, err) = try start(["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "500000", "INVOCATION_ID": "0123456789abcdef"])
        // A debug build takes its time to the first frame; READY waits for it.
        let limit = Date().addingTimeInterval(30)
        while p.isRunning, Date() < limit, !socket.messages.contains(where: { $0.text.contains("READY=1") }) {
            Thread.sleep(forTimeInterval: 0.1)
        }
        Thread.sleep(forTimeInterval: 2.5)
        #expect(p.isRunning, "the kiosk exited: systemd would restart it into a black screen")
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationReason == .exit && p.terminationStatus == 0, "\(log)")
        #expect(log.contains("cannot start") && log.contains(bad) && log.contains("printer.kind"), "\(log)")
        let texts = socket.messages.map(\.text)
        let ready = try #require(texts.first { $0.contains("READY=1") }, "\(texts)")
        #expect(ready.contains("STATUS=out of service: cannot start") && ready.contains("printer.kind"), "\(ready)")
        #expect(texts.filter { $0.contains("WATCHDOG=1") }.count >= 4, "\(texts.count) messages")
        #expect(!FileManager.default.fileExists(atPath: dir + "/k.sqlite"), "nothing is written on a config that was refused")
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
