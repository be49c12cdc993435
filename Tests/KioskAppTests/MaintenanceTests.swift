import Foundation
import Testing
import KioskCore
import KioskStore
import KioskTesting
import KioskUI
@testable import KioskApp

/// A test kiosk whose PIN is `pin` (a real 600,000-round hash in a file of its own), on a database file that a
/// second kiosk can open after it, as after a restart.
func pinKiosk(pin: String = "482915", db: String? = nil, configure: (inout KioskConfig) -> Void = { _ in }) throws -> (Kiosk, ManualClock, ScriptRunner, db: String) {
    let dir = try tempDir()
    var config = KioskConfig()
    configure(&config)
    config.maintenance.pinFile = dir + "/maintenance-pin"
    try Data((try PinHash.make(pin: pin).line + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/maintenance-pin"))
    let clock = ManualClock(start: fixedDay)
    let path: String
    if let db { path = db } else {
        path = dir + "/kiosk.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: path)
    }
    let k = try buildKiosk(config: config, environment: KioskEnvironment(
        dbPath: path, size: portrait, clock: clock, measurer: FixedWidthMeasurer(), effects: .synchronous))
    return (k, clock, ScriptRunner(engine: k.engine, clock: clock) { _, _ in }, path)
}

func pinSteps(_ pin: String) -> String {
    pin.map { "tap maintenance.pin.key.\($0)" }.joined(separator: "\n") + "\ntap maintenance.pin.ok"
}

@Suite struct MaintenanceEntryAndPIN {
    @Test func holdingTheCornerFiveSecondsOpensThePadAndAShorterHoldOrATapDoesNot() throws {
        let (k, _, run, _) = try pinKiosk()
        try run.run(Script.parse("hold maintenance.entry 4.9s\nexpect-screen home\ntap maintenance.entry\nexpect-screen home"))
        try run.run(Script.parse("hold maintenance.entry 5s\nexpect-screen maintenance.pin"))
        // Unmarked and unspoken: a resident sees and hears nothing there.
        let (h, _) = try testKiosk()
        let entry = try #require(h.engine.frame().target(id: ElementID.maintenanceEntry))
        #expect(entry.semantics == nil && entry.action == nil)
        #expect(!h.engine.frame().commands.contains { if case let .fill(r, _) = $0 { return r == entry.rect } else { return false } })
        _ = k
    }

    @Test func withTheTapEntryFiveQuickTapsOnTheCornerOpenThePadAndSlowOnesOrAHoldDoNot() throws {
        let (k, _, run, _) = try pinKiosk { $0.maintenance.entry = "taps" }
        let taps = { (n: Int, gap: String) in Array(repeating: "tap maintenance.entry\nwait \(gap)", count: n).joined(separator: "\n") }
        try run.run(Script.parse("hold maintenance.entry 6s\nexpect-screen home\n" + taps(4, "200ms") + "\nexpect-screen home\nwait 4s"))
        try run.run(Script.parse(taps(5, "1s") + "\nexpect-screen home\nwait 4s"))
        try run.run(Script.parse(taps(5, "200ms") + "\nexpect-screen maintenance.pin"))
        _ = k
    }

    @Test func onlyTheOfferedLanguagesAreShownAndTheFirstIsWhereAFreshScreenStarts() throws {
        let (k, _, run, _) = try pinKiosk { $0.languages = [.uk, .pl] }
        #expect(k.engine.state.language == .uk)
        #expect(k.engine.frame().target(id: ElementID.language("en")) == nil)
        try run.run(Script.parse("tap lang.pl\nexpect-element lang.uk"))
        k.engine.send(.setLanguage(.en))
        #expect(k.engine.state.language == .pl, "a language not offered is not switched to")
        try run.run(Script.parse("tap home.kb\nwait 10m"))
        #expect(k.engine.state.language == .uk, "after the idle reset: the first language again")
        let (one, _, _, _) = try pinKiosk { $0.languages = [.pl] }
        #expect(one.engine.frame().hits.allSatisfy { !$0.id.hasPrefix("lang.") }, "one language: no buttons to choose")
    }

    @Test func ctrlAltMOnAHardwareKeyboardOpensThePadFromHomeOnly() throws {
        let (k, _, _, _) = try pinKiosk()
        k.engine.send(.openTile(.kb))
        k.engine.handle(.key(.maintenance))
        #expect(k.engine.state.screen == .categories)
        k.engine.send(.home)
        k.engine.handle(.key(.maintenance))
        #expect(k.engine.state.screen == .maintenancePin)
    }

    @Test func aFingerThatMovesOffTheCornerOpensNothing() throws {
        let (k, clock, _, _) = try pinKiosk()
        let c = try #require(k.engine.frame().target(id: ElementID.maintenanceEntry)).rect.center
        k.engine.handle(.pointerDown(c))
        clock.advance(by: 1)
        k.engine.handle(.pointerMove(Point(x: c.x - 200, y: c.y + 200)))
        clock.advance(by: 10)
        k.engine.fireTimers()
        #expect(k.engine.state.screen == .home)
    }

    @Test func aWrongPINStaysOutTheRightOneOpensTheDashboardWithTrueFigures() throws {
        let (k, _, run, _) = try pinKiosk()
        try run.run(Script.parse("hold maintenance.entry 5s\n" + pinSteps("111111") + "\nexpect-screen maintenance.pin"))
        #expect(k.engine.state.maintenance.verdict == .wrong(failures: 1, nextTry: nil))
        #expect(k.engine.state.maintenance.digits.isEmpty)
        try run.run(Script.parse(pinSteps("482915") + "\nexpect-screen maintenance\nexpect-text \"lodz-demo-01\"\nexpect-text \"\(KioskVersion.current)\""))
        let rows = try #require(k.engine.state.maintenance.dashboard).rows
        let kb = try #require(rows.first { $0.label == .maintKB })
        guard case .counted(.articleCount, 42, _) = kb.value else { Issue.record("\(kb)"); return }
        #expect(rows.contains { $0.label == .maintOutbox && $0.value == .data("0") })
        // The digits never reach the screen.
        #expect(!k.engine.frame().containsText("482915"))
    }

    @Test func maintenanceClosesAfterTwoQuietMinutesAndOnBackThroughAFullReset() throws {
        let (k, _, run, _) = try pinKiosk()
        try run.run(Script.parse("hold maintenance.entry 5s\n" + pinSteps("482915") + "\nexpect-screen maintenance\nwait 119s\nexpect-screen maintenance\nwait 2s\nexpect-screen home"))
        #expect(k.engine.state.maintenance == MaintenanceState())
        try run.run(Script.parse("hold maintenance.entry 5s\n" + pinSteps("482915") + "\nexpect-screen maintenance\ntap nav.back\nexpect-screen home"))
        #expect(!k.engine.state.maintenance.granted)
        // The pad too: a stranger who gave up leaves nothing typed behind.
        try run.run(Script.parse("hold maintenance.entry 5s\ntap maintenance.pin.key.4\nwait 121s\nexpect-screen home"))
        #expect(k.engine.state.maintenance.digits.isEmpty)
    }

    @Test func withoutAPINFileThePadSaysHowToSetOne() throws {
        let (k, clock) = try testKiosk()
        let run = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try run.run(Script.parse("hold maintenance.entry 5s\n" + pinSteps("482915") + "\nexpect-screen maintenance.pin\nexpect-text \"kiosk maintenance set-pin\""))
    }

    @Test func throttleWaitsGrowAfterThreeFailuresSurviveARestartAndAreNotCountedWhileWaiting() throws {
        let (k, clock, run, db) = try pinKiosk()
        try run.run(Script.parse("hold maintenance.entry 5s\n" + (1...3).map { _ in pinSteps("111111") }.joined(separator: "\n")))
        guard case let .wrong(3, wait?) = k.engine.state.maintenance.verdict else {
            Issue.record("\(String(describing: k.engine.state.maintenance.verdict))")
            return
        }
        #expect(abs(wait.timeIntervalSince(clock.date) - 1) < 1)
        // Each wait waited out, each next failure doubles it: 1, 2, 4, then 8 s after the 7th failure is 16 s.
        for w in [1, 2, 4, 8] { try run.run(Script.parse("wait \(w)s\n" + pinSteps("111111"))) }
        #expect(try k.store.pinAttempts(now: clock.date).failuresInARow == 7)
        // A restart: a new process on the same file, the same clock.
        let (k2, clock2, run2, _) = try pinKiosk(db: db)
        clock2.set(clock.now)
        try run2.run(Script.parse("hold maintenance.entry 5s\n" + pinSteps("482915")))
        // Even the right PIN is not checked during the wait (nor counted), and the pad says until when.
        guard case let .wrong(failures, next?) = k2.engine.state.maintenance.verdict else {
            Issue.record("expected a wait, got \(String(describing: k2.engine.state.maintenance.verdict))")
            return
        }
        #expect(failures == 7 && next > clock2.date)
        #expect(try k2.store.pinAttempts(now: clock2.date).failuresInARow == 7)
        try run2.run(Script.parse("wait 16s\n" + pinSteps("482915") + "\nexpect-screen maintenance"))
        #expect(try k2.store.pinAttempts(now: clock2.date).failuresInARow == 0)
        #expect(try k2.store.journalEntries().first?.event == "maintenance-opened")
    }

    @Test func aTryCutOffBeforeItsAnswerCountsAsAFailure() throws {
        // A kill -9 between the count and the compare leaves the row without an answer.
        let (k, clock, _, db) = try pinKiosk()
        _ = try k.store.beginPinAttempt(at: clock.date)
        let reopened = try KioskStore(path: db)
        #expect(try reopened.pinAttempts(now: clock.date).failuresInARow == 1)
        #expect(try reopened.pinAttempts(now: clock.date).failuresInLastHour == 1)
    }
}

@Suite struct PinTriesAcrossAKill {
    @Test func aKioskKilledWhileItComparesAWrongPINStillCountsTheTry() throws {
        let binary = try #require(kioskBinary())
        let dir = try tempDir()
        let db = dir + "/kiosk.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        try Data(#"{"maintenance": {"pinFile": "\#(dir)/pin"}}"#.utf8).write(to: URL(fileURLWithPath: dir + "/kiosk.json"))
        try Data((try PinHash.make(pin: "482915").line + "\n").utf8).write(to: URL(fileURLWithPath: dir + "/pin"))
        let script = dir + "/wrong.txt"
        try Data(("hold maintenance.entry 5s\n" + pinSteps("111111") + "\nwait 10m\n").utf8).write(to: URL(fileURLWithPath: script))
        let reader = try KioskStore(path: db)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--config", dir + "/kiosk.json", "--db", db, "run", "--headless", "--script", script]
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONFIG"] = nil
        env["SDL_VIDEODRIVER"] = "dummy"
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // The try is on disk before the slow hash starts: kill the kiosk the moment it is, mid-compare.
        let limit = Date().addingTimeInterval(30)
        var seen = false
        while Date() < limit, p.isRunning {
            if try reader.pinAttempts(now: Date()).failuresInARow > 0 { seen = true; break }
            usleep(2_000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(seen, "the try never reached the database")
        #expect(p.terminationReason == .uncaughtSignal)
        let after = try KioskStore(path: db).pinAttempts(now: Date())
        #expect(after.failuresInARow == 1 && after.failuresInLastHour == 1, "\(after)")
        #expect(try KioskStore(path: db).integrityCheck() == "ok")
    }
}

@Suite struct PinHashFile {
    @Test func aHashMatchesItsPINOnlyAndRoundTripsThroughItsLine() throws {
        let h = try PinHash.make(pin: "482915")
        #expect(h.rounds == 600_000 && h.salt.count == 16)
        let back = try PinHash.parse(h.line + "\r\n", file: "pin")
        #expect(back == h)
        #expect(try back.matches("482915"))
        #expect(try !back.matches("482916"))
        #expect(try !back.matches(""))
        // Two hashes of one PIN differ: the salt is new each time.
        #expect(try PinHash.make(pin: "482915").line != h.line)
    }

    @Test(arguments: [
        "", "482915", "pbkdf2-sha256$600000$c2FsdA==$aGFzaA==", "pbkdf2-sha1$600000$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 43) + "=",
        "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 43) + "=",
        "pbkdf2-sha256$99999999999999999999$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 43) + "=",
        "pbkdf2-sha256$600000$AAAAAAAAAAAAAAAAAAAAAA==$" + String(repeating: "A", count: 43) + "=$extra",
        "<script>alert(1)</script>",
    ])
    func aFileThatIsNotAGoodHashIsRefusedNamingTheFileAndTheFix(_ text: String) {
        do {
            _ = try PinHash.parse(text, file: "/etc/kiosk/maintenance-pin")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error)".hasPrefix("/etc/kiosk/maintenance-pin: "))
            #expect("\(error)".contains("set-pin"))
        }
    }

    @Test func weakPINsAreRefused() {
        for weak in ["123", "1234567890123", "12a456", "000000", "123456", "987654", "890123", "", "４８２９１５"] {
            #expect(PinHash.weakness(weak) != nil, "\(weak)")
        }
        for good in ["482915", "2580", "135792468"] { #expect(PinHash.weakness(good) == nil, "\(good)") }
    }

    @Test func setPinReadsStandardInputTwiceAndWritesAFileOnlyItsGroupMayRead() throws {
        let dir = try tempDir()
        try Data(#"{"kioskId": "lodz-test-01"}"#.utf8).write(to: URL(fileURLWithPath: dir + "/kiosk.json"))
        func setPin(_ input: String) throws -> (Int32, String) {
            let binary = try #require(kioskBinary())
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--config", dir + "/kiosk.json", "maintenance", "set-pin"]
            let stdin = Pipe(), stderr = Pipe()
            p.standardInput = stdin
            p.standardError = stderr
            p.standardOutput = Pipe()
            try p.run()
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        let (differ, why) = try setPin("482915\n482916\n")
        #expect(differ != 0 && why.contains("differ"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/maintenance-pin"))
        let (weak, weakWhy) = try setPin("123456\n123456\n")
        #expect(weak != 0 && weakWhy.contains("run of digits"))
        let (ok, _) = try setPin("482915\r\n482915\r\n")
        #expect(ok == 0)
        var config = try KioskConfig.load(path: dir + "/kiosk.json")
        #expect(try config.loadPinHash()?.matches("482915") == true)
        let mode = try FileManager.default.attributesOfItem(atPath: dir + "/maintenance-pin")[.posixPermissions] as? Int
        #expect(mode == 0o640)
        config.maintenance.pinFile = dir + "/none"
        #expect(try config.loadPinHash() == nil)
    }
}

@Suite struct PinThrottleRule {
    let now = Date(timeIntervalSince1970: 1_795_431_600)

    @Test func threeFreeTriesThenDoublingWaitsUpToFiveMinutes() {
        #expect((0...3).map(PinThrottle.delay(afterFailures:)) == [0, 0, 0, 1])
        #expect(PinThrottle.delay(afterFailures: 4) == 2 && PinThrottle.delay(afterFailures: 11) == 256)
        #expect(PinThrottle.delay(afterFailures: 12) == 300 && PinThrottle.delay(afterFailures: 10_000) == 300)
    }

    @Test func aHundredFailuresInAnHourStopEveryTryUntilTheOldestIsAnHourOld() {
        let oldest = now.addingTimeInterval(-600)
        let next = PinThrottle.nextTry(failuresInARow: 0, lastFailure: nil, failuresInLastHour: 100, oldestInLastHour: oldest, now: now)
        #expect(next == oldest.addingTimeInterval(3600))
        #expect(PinThrottle.nextTry(failuresInARow: 0, lastFailure: nil, failuresInLastHour: 99, oldestInLastHour: oldest, now: now) == nil)
    }

    @Test func aClockSetBackCannotLockStaffOutLongerThanTheRule() {
        let future = now.addingTimeInterval(365 * 86_400)
        let next = PinThrottle.nextTry(failuresInARow: 20, lastFailure: future, failuresInLastHour: 20, oldestInLastHour: future, now: now)
        #expect(next == now.addingTimeInterval(300))
    }
}

/// One hostile value for every key a technician edits, and what the error must name.
let badConfigValues: [(json: String, key: String)] = [
    (#"{"kioskId": "kiosk one"}"#, "kioskId"), (#"{"kioskId": ""}"#, "kioskId"), (#"{"database": 5}"#, "database"),
    (#"{"knowledgeBase": {"source": ""}}"#, "knowledgeBase.source"), (#"{"knowledgeBase": []}"#, "knowledgeBase"),
    (#"{"services": {"source": false}}"#, "services.source"), (#"{"font": {"pattern": ["DejaVu"]}}"#, "font.pattern"),
    (#"{"idle": {"warnAfterSeconds": 5}}"#, "idle.warnAfterSeconds"), (#"{"idle": {"resetAfterSeconds": 1e9}}"#, "idle.resetAfterSeconds"),
    (#"{"idle": {"warnAfterSeconds": true}}"#, "idle.warnAfterSeconds"), (#"{"idle": {"after": 5}}"#, "idle.after"),
    (#"{"search": {"dictionary": ""}}"#, "search.dictionary"), (#"{"search": {"synonyms": 1}}"#, "search.synonyms"),
    (#"{"display": {"size": "big"}}"#, "display.size"), (#"{"display": {"size": "0x0"}}"#, "display.size"),
    (#"{"display": {"fullscreen": "yes"}}"#, "display.fullscreen"), (#"{"display": {"fullscreen": 1}}"#, "display.fullscreen"),
    (#"{"display": {"renderer": "gpu"}}"#, "display.renderer"), (#"{"display": {"diagonalInches": 300}}"#, "display.diagonalInches"),
    (#"{"report": {"ticketCode": "OO"}}"#, "report.ticketCode"), (#"{"report": {"address": "\#(String(repeating: "x", count: 201))"}}"#, "report.address"),
    (#"{"report": {"latitude": 91}}"#, "report.latitude"), (#"{"report": {"longitude": "19.45"}}"#, "report.longitude"),
    (#"{"report": {"statusPage": "ftp://uml.lodz.pl/{ticket}"}}"#, "report.statusPage"),
    (#"{"report": {"statusPage": "https://uml.lodz.pl/zgloszenia"}}"#, "report.statusPage"), (#"{"report": {"streets": ""}}"#, "report.streets"),
    (#"{"maintenance": {"pinFile": ""}}"#, "maintenance.pinFile"), (#"{"maintenance": {"holdSeconds": 1}}"#, "maintenance.holdSeconds"),
    (#"{"maintenance": {"holdSeconds": 31}}"#, "maintenance.holdSeconds"), (#"{"maintenance": {"entry": "swipe"}}"#, "maintenance.entry"),
    (#"{"maintenance": {"taps": 2}}"#, "maintenance.taps"), (#"{"maintenance": {"taps": 4.5}}"#, "maintenance.taps"), (#"{"maintenance": {"pin": "1234"}}"#, "maintenance.pin"),
    (#"{"printer": {"queue": "receipt 80"}}"#, "printer.queue"), (#"{"printer": {"queue": "../../etc"}}"#, "printer.queue"),
    (#"{"printer": {"kind": "laser"}}"#, "printer.kind"), (#"{"printer": {"server": ""}}"#, "printer.server"),
    (#"{"printer": {"jobTimeoutSeconds": 1}}"#, "printer.jobTimeoutSeconds"),
    (#"{"server": {"url": "ftp://central"}}"#, "server.url"), (#"{"server": {"url": "https://user:pw@central"}}"#, "server.url"),
    (#"{"server": {"url": "https://central/?k=1"}}"#, "server.url"), (#"{"server": {"apiKeyFile": ""}}"#, "server.apiKeyFile"),
    (#"{"server": {"feedPublicKeys": ["abc"]}}"#, "server.feedPublicKeys"), (#"{"server": {"feedPublicKeys": "abc"}}"#, "server.feedPublicKeys"),
    (#"{"server": {"caBundle": 5}}"#, "server.caBundle"), (#"{"server": {"clientCertificate": "/etc/kiosk/c.pem"}}"#, "server.clientKey"),
    (#"{"server": {"clientKey": "/etc/kiosk/k.pem"}}"#, "server.clientCertificate"),
    (#"{"server": {"intervalSeconds": 1}}"#, "server.intervalSeconds"), (#"{"server": {"connectTimeoutSeconds": 0}}"#, "server.connectTimeoutSeconds"),
    (#"{"server": {"readTimeoutSeconds": true}}"#, "server.readTimeoutSeconds"), (#"{"colour": "blue"}"#, "colour"),
    (#"{"languages": []}"#, "languages"), (#"{"languages": ["pl", "de"]}"#, "languages"), (#"{"languages": ["pl", "pl"]}"#, "languages"),
    (#"{"languages": "pl"}"#, "languages"),
]

@Suite struct ConfigCheckCommand {
    @Test func everyKeyWithABadValueIsRefusedNamingTheFileTheKeyAndWhatIsExpected() throws {
        let dir = try tempDir()
        for (i, bad) in badConfigValues.enumerated() {
            let file = dir + "/bad-\(i).json"
            try Data(bad.json.utf8).write(to: URL(fileURLWithPath: file))
            do {
                _ = try KioskConfig.checked(path: file)
                Issue.record("accepted \(bad.json)")
            } catch {
                let text = "\(error)"
                #expect(text.contains(file) && text.contains("\"\(bad.key)\""), "\(bad.json) -> \(text)")
                #expect(!text.contains("\n") && text.count < 600, "one readable line: \(text)")
            }
        }
        // The files the config names are read too, and a broken one is named with its key's file.
        for (json, named) in [(#"{"report": {"streets": "\#(dir)/none.txt"}}"#, "none.txt"),
                              (#"{"search": {"synonyms": "\#(dir)/none.txt"}}"#, "none.txt"),
                              (#"{"server": {"url": "https://central.example", "apiKeyFile": "\#(dir)/nokey"}}"#, "server.apiKeyFile")] {
            let file = dir + "/names.json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: file))
            #expect(throws: (any Error).self) { _ = try KioskConfig.checked(path: file) }
            do { _ = try KioskConfig.checked(path: file) } catch { #expect("\(error)".contains(named), "\(error)") }
        }
        // Not a config at all: JSON that is not an object, binary, CRLF text with a BOM, a huge file.
        for (name, bytes) in [("array", Data("[1,2]".utf8)), ("binary", Data([0xFF, 0xFE, 0x00, 0x01])),
                              ("huge", Data(repeating: 0x20, count: 2 << 20))] {
            let file = dir + "/\(name).json"
            try bytes.write(to: URL(fileURLWithPath: file))
            do { _ = try KioskConfig.checked(path: file); Issue.record("accepted \(name)") } catch { #expect("\(error)".contains(file)) }
        }
        let crlf = dir + "/crlf.json"
        try Data(([0xEF, 0xBB, 0xBF] as [UInt8]) + Array("{\r\n  \"kioskId\": \"lodz-bom-01\"\r\n}\r\n".utf8)).write(to: URL(fileURLWithPath: crlf))
        #expect(try KioskConfig.checked(path: crlf).kioskID == "lodz-bom-01", "a file saved by Notepad (BOM, CRLF) is a good config")
    }

    @Test func theShippedConfigPassesAndABrokenOneNamesTheFileAndTheKey() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../kiosk-config/kiosk.json").standardized.path
        let (ok, out) = try runKioskBinary(["config", "check", shipped])
        #expect(ok == 0, "\(String(decoding: out, as: UTF8.self))")
        let dir = try tempDir()
        for (json, key) in [(#"{"maintenance": {"holdSeconds": 1}}"#, "maintenance.holdSeconds"),
                            (#"{"maintenance": {"pinFile": ""}}"#, "maintenance.pinFile"),
                            (#"{"maintenance": {"pin": "1234"}}"#, "maintenance.pin"),
                            (#"{"idle": {"warnAfterSeconds": "soon"}}"#, "idle.warnAfterSeconds")] {
            let file = dir + "/bad.json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: file))
            do {
                try kiosk(["config", "check", file])
                Issue.record("accepted \(json)")
            } catch {
                #expect("\(error)".contains(file) && "\(error)".contains(key), "\(error)")
            }
        }
        // A PIN file that is there but broken stops the check too (the kiosk would not open maintenance).
        try Data(#"{"maintenance": {"pinFile": "\#(dir)/pin"}}"#.utf8).write(to: URL(fileURLWithPath: dir + "/c.json"))
        try Data("pbkdf2-sha256$1000$x$y\n".utf8).write(to: URL(fileURLWithPath: dir + "/pin"))
        #expect(throws: (any Error).self) { try kiosk(["config", "check", dir + "/c.json"]) }
    }
}

let openDashboard = "hold maintenance.entry 5s\n" + pinSteps("482915") + "\nexpect-screen maintenance"

@Suite struct DashboardActions {
    @Test func outOfServiceShowsResidentsTheHelplineSurvivesARestartAndIsJournaled() throws {
        let (k, _, run, db) = try pinKiosk()
        try run.run(Script.parse(openDashboard + "\ntap maintenance.action.out-of-service\nexpect-text \"\(Strings.text(.maintOutOfServiceNow, .pl))\""))
        #expect(try k.store.outOfService())
        try run.run(Script.parse("tap maintenance.action.leave\nexpect-element out-of-service.body\nexpect-text \"42 638-44-44\""))
        // Nothing a resident could start is on the screen: no tile, no search.
        #expect(k.engine.frame().target(id: ElementID.homeReport) == nil && k.engine.frame().target(id: ElementID.homeSearch) == nil)
        try run.run(Script.parse("tap lang.en\nexpect-text \"\(Strings.text(.outOfServiceTitle, .en))\""))
        // A restart (a power cut, systemd) keeps it out of service.
        let (k2, _, run2, _) = try pinKiosk(db: db)
        try run2.run(Script.parse("expect-element out-of-service.body\n" + openDashboard + "\ntap maintenance.action.out-of-service\ntap maintenance.action.leave\nexpect-element home.report"))
        #expect(try !k2.store.outOfService())
        let events = try k2.store.journalEntries().map(\.event)
        #expect(events.contains("out-of-service-on") && events.contains("out-of-service-off"))
    }

    @Test func discardingARefusedItemAsksFirstThenDeletesItAndJournalsIt() throws {
        let (k, clock, run, _) = try pinKiosk()
        let day = WarsawTime.localDate(at: clock.date)
        let a = try k.store.enqueueSubmission(pothole, kioskCode: "PT1", day: day, at: clock.date).ticket.description
        let b = try k.store.enqueueSubmission(pothole, kioskCode: "PT1", day: day, at: clock.date).ticket.description
        for t in [a, b] { try k.store.markRefused(ticket: t, status: 400, message: "service_code unknown", at: clock.date) }
        try run.run(Script.parse(openDashboard + "\nscroll maintenance.body 5000\nexpect-text \"service_code unknown\"\ntap maintenance.action.discard.\(a)\nexpect-element maintenance.action.discard-confirm"))
        try run.run(Script.parse("tap maintenance.action.discard-cancel"))
        #expect(try k.store.submission(ticket: a) != nil, "cancelled: nothing deleted")
        try run.run(Script.parse("tap maintenance.action.discard.\(a)\ntap maintenance.action.discard-confirm"))
        #expect(try k.store.submission(ticket: a) == nil)
        #expect(k.engine.state.maintenance.outcome?.ok == true)
        try run.run(Script.parse("tap maintenance.action.retry.\(b)"))
        #expect(try k.store.outboxItems().map(\.state) == [.queued])
        let journal = try k.store.journalEntries()
        #expect(journal.contains { $0.event == "outbox-discard" && $0.detail.contains(a) && $0.detail.contains("service_code unknown") })
        #expect(journal.contains { $0.event == "outbox-retry" && $0.detail.contains(b) })
        #expect(k.engine.frame().target(id: ElementID.maintenanceItemAction("discard", a)) == nil)
    }

    @Test(.enabled(if: PrivateCups.isAvailable, "cups is not installed"))
    func theTestPrintGoesThroughCUPSAndIsLogged() throws {
        let cups = try PrivateCups()
        defer { cups.stop() }
        let port = try SocketPrinter()
        try cups.addRawQueue("receipt80", uri: port.uri)
        let (k, _, run, _) = try pinKiosk { c in
            c.printer.queue = "receipt80"; c.printer.server = cups.serverAddress; c.printer.kind = "escpos80"
        }
        try run.run(Script.parse(openDashboard + "\ntap maintenance.action.test-print"))
        #expect(k.engine.state.maintenance.outcome?.command == .testPrint)
        #expect(k.engine.state.maintenance.outcome?.ok == true, "\(String(describing: k.engine.state.maintenance.outcome))\n\(cups.logTail())")
        #expect(port.waitForJobs(1, timeout: 5)?.count == 1)
        #expect(try k.store.printLog(limit: 1).first?.document == "test")
    }

    @Test func reloadingABrokenConfigNamesTheKeyAndTheKioskGoesOn() throws {
        let dir = try tempDir()
        let file = dir + "/kiosk.json"
        try Data(#"{"idle": {"warnAfterSeconds": "soon"}}"#.utf8).write(to: URL(fileURLWithPath: file))
        let (k, _, run, _) = try pinKiosk { $0.file = file }
        try run.run(Script.parse(openDashboard + "\ntap maintenance.action.reload-config\nexpect-screen maintenance"))
        let outcome = try #require(k.engine.state.maintenance.outcome)
        #expect(!outcome.ok && (outcome.detail ?? "").contains(file) && (outcome.detail ?? "").contains("idle.warnAfterSeconds"))
        try Data(#"{"idle": {"warnAfterSeconds": 90}}"#.utf8).write(to: URL(fileURLWithPath: file))
        try run.run(Script.parse("tap maintenance.action.reload-config"))
        #expect(k.engine.state.maintenance.outcome?.ok == true, "\(String(describing: k.engine.state.maintenance.outcome))")
    }
}

@Suite struct StaffCommands {
    @Test func statusOutboxAndRetentionFromTheShell() throws {
        let dir = try tempDir()
        let db = dir + "/kiosk.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let store = try KioskStore(path: db)
        let now = Date()
        let day = WarsawTime.localDate(at: now)
        let refused = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: day, at: now).ticket.description
        try store.markRefused(ticket: refused, status: 422, message: "bad attribute", at: now)
        let old = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: day, at: now.addingTimeInterval(-250 * 86_400)).ticket.description

        let (code, out) = try runKioskBinary(["--db", db, "status", "--json"])
        #expect(code == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: out) as? [String: Any])
        let outbox = try #require(json["outbox"] as? [String: Any])
        #expect(outbox["queued"] as? Int == 1 && outbox["refused"] as? Int == 1)
        #expect((json["refused"] as? [[String: Any]])?.first?["ticket"] as? String == refused)
        #expect((json["knowledgeBase"] as? [String: Any])?["articles"] as? Int == 42)
        #expect(!String(decoding: out, as: UTF8.self).contains("jan@example.pl"), "status never shows personal data")

        #expect(try runKioskBinary(["--db", db, "retention", "run", "--dry-run"]).status == 0)
        #expect(try store.submission(ticket: old) != nil)
        let (rc, purged) = try runKioskBinary(["--db", db, "retention", "run", "--json"])
        #expect(rc == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: purged) as? [String: Any])
        #expect((report["submissionsRemoved"] as? [String: Int])?["queued"] == 1 && report["walTruncated"] as? Bool == true)
        #expect(try store.submission(ticket: old) == nil)

        // Discarding needs a terminal or --yes; a queued item cannot be discarded at all.
        #expect(try runKioskBinary(["--db", db, "outbox", "discard", refused]).status != 0)
        #expect(try store.submission(ticket: refused) != nil)
        #expect(try runKioskBinary(["--db", db, "outbox", "retry", refused]).status == 0)
        #expect(try store.outboxItems().first { $0.ticket == refused }?.state == .queued)
        #expect(try runKioskBinary(["--db", db, "outbox", "discard", refused, "--yes"]).status != 0, "queued again: not refused")
        try store.markRefused(ticket: refused, status: 422, message: "bad attribute", at: now)
        #expect(try runKioskBinary(["--db", db, "outbox", "discard", refused, "--yes"]).status == 0)
        #expect(try store.submission(ticket: refused) == nil)
        #expect(try runKioskBinary(["--db", db, "outbox", "retry", "../etc/passwd"]).status != 0)
    }
}

private let pothole = Submission(serviceCode: "zdit-dziura", location: .street(name: "Piotrkowska", number: "110"),
                                 description: "Głęboka dziura.", contact: ContactDetails(email: "jan@example.pl", phone: nil, wantsFeedback: false))
