// `kiosk run`: the kiosk itself, on a display or headless under a script.
import ArgumentParser
import Foundation
import KioskCore
import KioskSDL
import KioskUI

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the kiosk (full screen by default), or headless under a script of steps.",
        discussion: """
        Script steps, one a line (blank lines and # comments are skipped):
          tap ID            touch the element with that ID
          type "text"       type text into the focused field
          scroll ID PIXELS  scroll a scroll view (positive: further down the content)
          wait DURATION     let time pass on the test clock: 500ms, 2s, 10m
          shot NAME         write the screen to SHOTS/NAME.png
          expect-screen ID  fail unless the screen is ID
          expect-text "t"   fail unless the text is visible
          expect-element ID fail unless the element is on screen and not covered
        A failing step prints one line `FILE: line N: STEP: reason` and exits with status 1.
        """)

    @ParentCommand var root: KioskCommand

    @Flag(help: "A window instead of full screen.")
    var windowed = false

    @Option(help: "Window or headless screen size WIDTHxHEIGHT (default: the display's, or 1080x1920 headless).")
    var size: ScreenSize?

    @Flag(help: "No display: drive the kiosk with --script.")
    var headless = false

    @Option(help: "Script of steps for --headless.")
    var script: String?

    @Option(help: "Folder for `shot` pictures (created if missing).")
    var shots: String?

    @Flag(help: .hidden)
    var benchFirstFrame = false

    func validate() throws {
        if headless, script == nil { throw ValidationError("--headless needs --script FILE") }
        if script != nil, !headless { throw ValidationError("--script runs only with --headless") }
    }

    func run() throws {
        let signals = TerminationSignals()
        let config: KioskConfig
        do {
            config = try root.loadConfig()
        } catch where !headless && SystemdNotifier.isUnderSystemd() {
            return try runOutOfOrder(because: "\(error)", signals: signals)
        }
        // A missing dictionary or font fallback is said on stderr (journald) at every start, not only at import.
        // A fleet kiosk's own ticket code and status page are asked of a kiosk in service (a config file, a
        // window), not of a scripted or demo run, whose one line on stderr scripts rely on.
        StartChecks.report(config, fleet: !headless && config.file != nil)
        if headless {
            try runScript(config, signals: signals)
        } else {
            try runWindow(config, signals: signals)
        }
    }

    /// Under systemd a kiosk that cannot start on its config (or its database, or a file the config names)
    /// would exit, be restarted, exit again and leave a black screen in a public hall. Instead it stays up on
    /// built-in defaults and shows residents the out-of-service notice with the helpline, tells systemd it is
    /// ready (and pings its watchdog), and says the reason in the journal and in a line for staff. After the
    /// fix, `systemctl restart kiosk` starts it properly. Outside systemd the error is printed and the kiosk
    /// exits, as a technician at a terminal expects.
    func runOutOfOrder(because reason: String, signals: TerminationSignals) throws {
        Log.error("cannot start: \(reason)")
        Log.error("showing the out-of-service notice until this is fixed; then run `systemctl restart kiosk`")
        let defaults = KioskConfig()
        try SDLSystem.start(headless: false)
        let options = WindowOptions(size: size?.size ?? defaults.screenSize, fullscreen: !windowed && defaults.fullscreen,
                                    renderer: defaults.renderer)
        let (kiosk, host) = try openWindowedKiosk(config: defaults, dbPath: ":memory:", options: options, fillsNewStore: false)
        kiosk.engine.send(.maintenance(.startFailed(reason)))
        let stop = host.stopSwitch
        signals.onSignal { stop.stop() }
        let notifier = SystemdNotifier()
        runMainLoop(kiosk, on: host, notifier: notifier)
        notifier.stopping()
        stopGracefully(kiosk)
        Log.info("stopped")
    }

    /// Scripts are small hand-written files; anything bigger is a wrong path (a log, an image).
    static let maxScriptBytes = 1_000_000

    func runScript(_ config: KioskConfig, signals: TerminationSignals) throws {
        guard let script else { return }
        let steps = try Self.readScript(script)
        let shotsDir = shots ?? "shots"
        // Only a script that takes pictures needs the folder; a read-only working directory is fine otherwise.
        if steps.contains(where: { if case .shot = $0.step { return true } else { return false } }) {
            try Self.makeShotsFolder(shotsDir)
        }
        try SDLSystem.start(headless: true)
        let fonts = try openFonts(config)
        let clock = ManualClock()
        let screen = size?.size ?? ScreenSize.portrait.size
        let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
            dbPath: root.dbPath(config), size: screen, clock: clock, measurer: fonts, effects: .synchronous))
        defer { kiosk.shutdown() }
        let canvas = try OffscreenCanvas(size: screen, fonts: fonts)
        let runner = ScriptRunner(engine: kiosk.engine, clock: clock) { name, frame in
            canvas.draw(frame, background: kiosk.engine.theme.background)
            let file = "\(shotsDir)/\(name).png"
            do { try canvas.savePNG(file) } catch {
                throw OneLineFailure("\(error); check the free space and permissions of \(shotsDir)") // names the file
            }
        }
        // Each ticket the screen shows is said on stdout once it is on screen (after its commit), so a harness
        // that kills the kiosk knows which submissions a resident saw confirmed.
        var shown: String?
        // A SIGTERM ends the run between two steps: the step under way (a submission's commit) finishes first.
        do {
            for step in steps {
                if signals.received != nil {
                    Log.info("\(signals.name): stopped before line \(step.line) of \(script); every step before it is done")
                    return
                }
                try runner.run([step])
                if kiosk.engine.state.screen == .ticket, let number = kiosk.engine.state.report.ticket?.number, number != shown {
                    _ = kiosk.engine.frame()
                    shown = number
                    FileHandle.standardOutput.write(Data("ticket \(number) shown\n".utf8))
                }
            }
        } catch let e as ScriptError {
            throw OneLineFailure("\(script): \(e)")
        }
        print("\(script): \(steps.count) steps passed")
    }

    /// Reads and parses a script; every problem is one line naming the file (and the line, for steps).
    static func readScript(_ path: String) throws -> [(line: Int, text: String, step: ScriptStep)] {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw OneLineFailure("\(path): no such script; check the path given to --script")
        }
        if attributes[.type] as? FileAttributeType == .typeDirectory {
            throw OneLineFailure("\(path): is a folder; --script takes a file of steps")
        }
        if let bytes = attributes[.size] as? Int, bytes > maxScriptBytes {
            throw OneLineFailure("\(path): \(bytes) bytes is too big for a script (at most \(maxScriptBytes)); is it the right file?")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OneLineFailure("\(path): cannot read the script; check that the kiosk's user may read it")
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw OneLineFailure("\(path): not UTF-8 text; save the script as UTF-8")
        }
        do { return try Script.parse(source) } catch let e as ScriptError {
            throw OneLineFailure("\(path): \(e)")
        }
    }

    /// Creates the shots folder, or says in one line which folder could not be made and what to do.
    static func makeShotsFolder(_ dir: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else {
                throw OneLineFailure("\(dir): the shots folder is a file; give another folder with --shots DIR")
            }
            guard access(dir, W_OK) == 0 else {
                throw OneLineFailure("\(dir): the shots folder is not writable; fix its permissions or give another with --shots DIR")
            }
            return
        }
        // mkdir step by step, as `mkdir -p` does, to name the reason (Foundation's error loses errno here).
        var prefix = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST {
                let reason = String(cString: strerror(errno))
                throw OneLineFailure("\(dir): cannot create the shots folder (\(reason)); create it by hand or give another with --shots DIR")
            }
        }
    }

    func runWindow(_ config: KioskConfig, signals: TerminationSignals) throws {
        try SDLSystem.start(headless: false)
        let options = WindowOptions(size: size?.size ?? config.screenSize, fullscreen: !windowed && config.fullscreen,
                                    renderer: config.renderer)
        let kiosk: Kiosk, host: WindowHost
        do {
            (kiosk, host) = try openWindowedKiosk(config: config, dbPath: root.dbPath(config), options: options)
        } catch where SystemdNotifier.isUnderSystemd() {
            return try runOutOfOrder(because: "\(error)", signals: signals)
        }
        let stop = host.stopSwitch
        signals.onSignal { stop.stop() }
        kiosk.onRestartRequest = { stop.stop() }
        let notifier = SystemdNotifier()
        runMainLoop(kiosk, on: host, notifier: notifier, onFirstFrame: {
            if benchFirstFrame { BenchProbe.reportFirstFrame() }
        })
        notifier.stopping()
        Log.info(signals.received != nil ? "\(signals.name): stopping" : "stopping")
        stopGracefully(kiosk)
        Log.info("stopped")
    }
}

/// The kiosk on a window as `kiosk run` wires it: the store answers on a background queue and wakes the loop.
func openWindowedKiosk(config: KioskConfig, dbPath: String, options: WindowOptions, fillsNewStore: Bool = true) throws -> (Kiosk, WindowHost) {
    let fonts = try openFonts(config)
    let host = try WindowHost(options: options, fonts: fonts)
    var env = KioskEnvironment(dbPath: dbPath, size: host.size, clock: SystemClock(), measurer: fonts, effects: .background)
    env.fillsNewStore = fillsNewStore
    env.playsSpeech = true
    let kiosk = try buildKiosk(config: config, environment: env)
    kiosk.engine.wake = host.makeWaker()
    return (kiosk, host)
}

/// The kiosk's main loop with systemd kept informed: `READY=1` once after the first frame, `STATUS=` when
/// what is shown changes, `WATCHDOG=1` from the loop itself on its own period (never from frames or a
/// separate thread, so a hung loop is restarted). `kiosk run` and the watchdog tests both run it.
func runMainLoop(_ kiosk: Kiosk, on host: WindowHost, notifier: SystemdNotifier,
                 shouldStop: () -> Bool = { false }, onFirstFrame: () -> Void = {}) {
    let heartbeat = notifier.watchdogInterval.map { Heartbeat(interval: $0, beat: notifier.ping) }
    host.run(engine: kiosk.engine, background: kiosk.engine.theme.background, heartbeat: heartbeat,
             shouldStop: shouldStop, onIgnoredClose: {
                 Log.info("a request to close the window was ignored: the kiosk ends through maintenance or SIGTERM")
             }) { frames in
        let status = kioskStatus(kiosk.engine.state)
        if frames == 1 {
            onFirstFrame()
            notifier.ready(status: status)
        } else {
            notifier.status(status)
        }
    }
}
