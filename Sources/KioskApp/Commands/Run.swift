// `kiosk run`: the kiosk itself, on a display or headless under a script.
import ArgumentParser
import Foundation
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
        let config = try root.loadConfig()
        if headless {
            try runScript(config)
        } else {
            try runWindow(config)
        }
    }

    func runScript(_ config: KioskConfig) throws {
        guard let script else { return }
        guard let source = try? String(contentsOfFile: script, encoding: .utf8) else {
            throw ValidationError("\(script): cannot read the script")
        }
        let steps: [(line: Int, text: String, step: ScriptStep)]
        do { steps = try Script.parse(source) } catch { throw ValidationError("\(script): \(error)") }
        let shotsDir = shots ?? "shots"
        try FileManager.default.createDirectory(atPath: shotsDir, withIntermediateDirectories: true)
        try SDLSystem.start(headless: true)
        let fonts = try openFonts(config)
        let clock = ManualClock()
        let screen = size?.size ?? ScreenSize.portrait.size
        let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
            dbPath: root.dbPath(config), size: screen, clock: clock, measurer: fonts, effects: .synchronous))
        let canvas = try OffscreenCanvas(size: screen, fonts: fonts)
        let runner = ScriptRunner(engine: kiosk.engine, clock: clock) { name, frame in
            canvas.draw(frame, background: kiosk.engine.theme.background)
            try canvas.savePNG("\(shotsDir)/\(name).png")
        }
        do {
            try runner.run(steps)
        } catch let e as ScriptError {
            throw ValidationError("\(script): \(e)")
        }
        print("\(script): \(steps.count) steps passed")
    }

    func runWindow(_ config: KioskConfig) throws {
        try SDLSystem.start(headless: false)
        let fonts = try openFonts(config)
        let options = WindowOptions(size: size?.size ?? config.screenSize, fullscreen: !windowed && config.fullscreen,
                                    renderer: config.renderer)
        let host = try WindowHost(options: options, fonts: fonts)
        let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
            dbPath: root.dbPath(config), size: host.size, clock: SystemClock(), measurer: fonts, effects: .background))
        kiosk.engine.wake = host.makeWaker()
        let notifier = SystemdNotifier()
        host.run(engine: kiosk.engine, background: kiosk.engine.theme.background, onFrame: { n in
            if n == 1 {
                notifier.send("READY=1\nSTATUS=Showing the home screen")
                if benchFirstFrame { BenchProbe.reportFirstFrame() }
            }
            notifier.watchdog()
        }, onIdleWake: { notifier.watchdog() })
    }
}
