// `kiosk run --headless --script`: what a technician sees when a script fails, in-process and from the real binary.
import Foundation
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// Runs the headless kiosk in-process on a copy of the demo database; the one-line failure, if any.
func scriptFailure(_ script: String, lineEnding: String = "\n", shots: String? = nil, file: String? = nil) throws -> String? {
    let dir = try tempDir()
    let db = dir + "/kiosk.sqlite"
    try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
    let path = file ?? dir + "/walk.script"
    if file == nil { try script.replacingOccurrences(of: "\n", with: lineEnding).write(toFile: path, atomically: true, encoding: .utf8) }
    setenv("SDL_VIDEODRIVER", "dummy", 1)
    do {
        try kiosk(["--db", db, "run", "--headless", "--script", path, "--shots", shots ?? dir + "/shots", "--size", "768x1366"])
        return nil
    } catch let f as OneLineFailure {
        #expect(!f.description.contains("\n"))
        return f.description
    }
}

@Suite struct ScriptRunner_ {
    @Test func expectElementPassesForWhatAResidentCanSee() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("""
            expect-element home.kb
            expect-element lang.en
            tap home.kb
            tap categories.item.0
            tap articles.item.0
            expect-element article.body
            expect-element nav.back
            """))
    }

    func failure(_ source: String, size: Size = portrait) throws -> ScriptError? {
        let (k, clock) = try testKiosk(size: size)
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        do { try runner.run(Script.parse(source)); return nil } catch let e as ScriptError { return e }
    }

    @Test func expectElementFailsForAMissingElementNamingTheScreen() throws {
        let e = try #require(try failure("tap home.kb\nexpect-element article.qr"))
        #expect(e.line == 2)
        #expect(e.problem.hasPrefix("no element `article.qr` on screen `categories`"))
    }

    @Test func expectElementFailsUnderTheIdleWarning() throws {
        let e = try #require(try failure("tap home.kb\nexpect-element categories.item.0\nwait 91s\nexpect-element idle.more-time\nexpect-element categories.item.0"))
        #expect(e.line == 5)
        #expect(e.problem == "element `categories.item.0` is covered by `idle.scrim`")
    }

    @Test func expectElementFailsForAnElementScrolledOutOfView() throws {
        // A long list on a short landscape panel: its last entries lie below the fold until scrolled to.
        let (k, clock) = try testKiosk(size: landscape)
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("tap home.kb"))
        var found: (list: String, item: String)?
        for category in k.engine.state.browse.categories ?? [] where found == nil {
            k.engine.send(.browse(.openCategory(category.category.id)))
            if let item = k.engine.frame().hits.last(where: { $0.id.hasPrefix("articles.item.") && $0.rect.isEmpty }) {
                found = ("articles.list", item.id)
            } else {
                k.engine.send(.back)
            }
        }
        let (list, hidden) = try #require(found, "every list fits on \(landscape): nothing to scroll to")
        do {
            try runner.run(Script.parse("expect-element \(hidden)"))
            Issue.record("an entry below the fold counted as on screen")
        } catch let e as ScriptError {
            #expect(e.problem == "element `\(hidden)` is scrolled out of view")
        }
        try runner.run(Script.parse("scroll \(list) 100000\nexpect-element \(hidden)"))
    }

    @Test func aFailingStepIsOneLineNamingFileLineAndStep() throws {
        let line = try #require(try scriptFailure("expect-screen home\ntap home.kb\ntap nope\nshot never"))
        #expect(line.contains("/walk.script: line 3: tap nope: no element `nope` on screen `categories`; tappable here: "))
        #expect(line.contains("categories.item.0"))
    }

    @Test func aParseErrorIsTheSameOneLine() throws {
        let line = try #require(try scriptFailure("expect-screen home\n\nfly away\n"))
        #expect(line.hasSuffix("/walk.script: line 3: fly away: unknown step `fly`; steps: tap, hold, type, scroll, wait, shot, key, focus, expect-screen, expect-text, expect-element"))
    }

    @Test func aCRLFScriptRunsAndWritesItsShots() throws {
        let dir = try tempDir()
        #expect(try scriptFailure("expect-screen home\ntap home.kb\nexpect-screen categories\nexpect-element categories.item.0\nshot topics\n",
                                  lineEnding: "\r\n", shots: dir + "/pictures") == nil)
        #expect(FileManager.default.fileExists(atPath: dir + "/pictures/topics.png"))
        #expect(try scriptFailure("tap home.kb\rexpect-screen categories\r", lineEnding: "\r") == nil)
    }

    @Test func aHugeWaitIsAParseErrorNotACrash() throws {
        let line = try #require(try scriptFailure("tap home.kb\nwait 1e19s\n"))
        #expect(line.hasSuffix("/walk.script: line 2: wait 1e19s: a wait is at most 7 days (168h) per step; split a longer wait into several steps"))
    }

    @Test func aShotsFolderThatCannotBeMadeIsNamedWithWhatToDo() throws {
        let dir = try tempDir()
        let file = dir + "/not-a-folder"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        // Works as root too: nobody can make a folder inside a regular file.
        let inside = try #require(try scriptFailure("shot home", shots: file + "/shots"))
        #expect(inside == "\(file)/shots: cannot create the shots folder (Not a directory); create it by hand or give another with --shots DIR")
        let isFile = try #require(try scriptFailure("shot home", shots: file))
        #expect(isFile == "\(file): the shots folder is a file; give another folder with --shots DIR")
        // A picture that cannot be written fails its own step, naming the file.
        let shots = dir + "/shots"
        try FileManager.default.createDirectory(atPath: shots + "/home.png", withIntermediateDirectories: true)
        let unwritable = try #require(try scriptFailure("expect-screen home\nshot home", shots: shots))
        #expect(unwritable.contains("/walk.script: line 2: shot home: cannot write \(shots)/home.png"))
        #expect(unwritable.hasSuffix("; check the free space and permissions of \(shots)"))
        // A script without `shot` never needs the folder.
        #expect(try scriptFailure("expect-screen home", shots: file + "/shots") == nil)
    }

    @Test func anUnusableScriptFileIsOneLineNamingIt() throws {
        let dir = try tempDir()
        #expect(try scriptFailure("", file: dir + "/missing.script") == "\(dir)/missing.script: no such script; check the path given to --script")
        #expect(try scriptFailure("", file: dir) == "\(dir): is a folder; --script takes a file of steps")
        let latin2 = dir + "/latin2.script"
        try Data("expect-text \"\u{00B3}\"\n".utf8.map { $0 == 0xC2 ? 0xFF : $0 }).write(to: URL(fileURLWithPath: latin2))
        #expect(try scriptFailure("", file: latin2) == "\(latin2): not UTF-8 text; save the script as UTF-8")
        let huge = dir + "/huge.script"
        try Data(repeating: 0x23, count: Run.maxScriptBytes + 1).write(to: URL(fileURLWithPath: huge))
        #expect(try scriptFailure("", file: huge)?.hasPrefix("\(huge): \(Run.maxScriptBytes + 1) bytes is too big for a script") == true)
    }
}

/// The real `kiosk` binary beside this test bundle (built by `swift build --build-tests` and `swift test`).
func kioskBinary() -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("kiosk").path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return nil
}

@Suite struct ScriptRunBinary {
    func run(_ script: String) throws -> (status: Int32, signalled: Bool, stdout: String, stderr: String, path: String) {
        let binary = try #require(kioskBinary(), "no kiosk executable beside the test bundle; run `swift build --build-tests`")
        let dir = try tempDir()
        let db = dir + "/kiosk.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let path = dir + "/walk.script"
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--db", db, "run", "--headless", "--script", path, "--shots", dir + "/shots", "--size", "768x1366"]
        var env = ProcessInfo.processInfo.environment
        env["SDL_VIDEODRIVER"] = "dummy"
        env["KIOSK_CONFIG"] = nil
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason == .uncaughtSignal,
                String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self), path)
    }

    @Test func aFailingStepExitsOneWithExactlyOneLineOnStderr() throws {
        let r = try run("expect-screen home\r\ntap home.kb\r\n\r\nexpect-element article.qr\r\n")
        #expect(!r.signalled)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("\(r.path): line 4: expect-element article.qr: no element `article.qr` on screen `categories`; elements here: "))
        #expect(r.stderr.hasSuffix("\n"))
        #expect(r.stderr.dropLast().contains("\n") == false, "more than one line: \(r.stderr)")
        #expect(!r.stderr.contains("Usage"))
    }

    @Test func aHugeWaitExitsOneInsteadOfCrashing() throws {
        let r = try run("tap home.kb\nwait 1e19s\n")
        #expect(!r.signalled, "killed by a signal")
        #expect(r.status == 1)
        #expect(r.stderr == "\(r.path): line 2: wait 1e19s: a wait is at most 7 days (168h) per step; split a longer wait into several steps\n")
    }

    @Test func aPassingScriptExitsZero() throws {
        let r = try run("expect-screen home\ntap home.kb\nexpect-element categories.item.0\n")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "\(r.path): 3 steps passed\n")
    }
}
