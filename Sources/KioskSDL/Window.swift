// The kiosk on a real display: window, event loop, redraw only when something changed.
import CSDL2
import Foundation
import KioskUI

public struct WindowOptions: Sendable {
    public var size: Size?
    public var fullscreen: Bool
    public var renderer: String   // "software" (default, see platform-notes.md) or "auto"
    /// A kiosk in a public hall: the window's close (Alt+F4, a window manager, a gesture) is ignored and the
    /// keyboard is grabbed, so the kiosk ends only through SIGTERM (maintenance's restart sends it one).
    /// Off for `--windowed`, where closing the window ends the demo.
    public var lockdown: Bool
    public init(size: Size?, fullscreen: Bool, renderer: String = "software", lockdown: Bool? = nil) {
        self.size = size; self.fullscreen = fullscreen; self.renderer = renderer; self.lockdown = lockdown ?? fullscreen
    }
}

/// A request to end the main loop, safe from any thread (a signal's dispatch source).
public final class StopSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    private let wake: @Sendable () -> Void
    init(wake: @escaping @Sendable () -> Void) { self.wake = wake }
    public func stop() {
        lock.withLock { set = true }
        wake()
    }
    public var isSet: Bool { lock.withLock { set } }
}

public final class WindowHost {
    let window: OpaquePointer
    let renderer: OpaquePointer
    let drawer: DrawListRenderer
    let wakeEvent: UInt32
    let waiter: EventWaiter
    let lockdown: Bool
    /// Ends `run` from any thread.
    public private(set) lazy var stopSwitch = StopSwitch(wake: makeWaker())
    /// Close requests ignored under lockdown, for the log and the tests.
    public private(set) var ignoredCloses = 0
    public private(set) var size: Size

    public init(options: WindowOptions, fonts: FontBook) throws {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, options.renderer == "auto" ? "" : options.renderer)
        var flags = SDL_WINDOW_SHOWN.rawValue | SDL_WINDOW_ALLOW_HIGHDPI.rawValue
        var w = Int32(options.size?.width ?? 1080), h = Int32(options.size?.height ?? 1920)
        if options.fullscreen {
            flags |= SDL_WINDOW_FULLSCREEN_DESKTOP.rawValue | SDL_WINDOW_BORDERLESS.rawValue
            var mode = SDL_DisplayMode()
            if SDL_GetDesktopDisplayMode(0, &mode) == 0 { w = mode.w; h = mode.h }
        }
        guard let win = SDL_CreateWindow("Urząd Miasta Łodzi – kiosk", KIOSK_SDL_WINDOWPOS_CENTERED, KIOSK_SDL_WINDOWPOS_CENTERED, w, h, flags) else {
            throw SDLError("cannot open a window (is there a display? try `kiosk render` headless)")
        }
        let rflags = options.renderer == "software" ? SDL_RENDERER_SOFTWARE.rawValue : 0
        guard let ren = SDL_CreateRenderer(win, -1, rflags) else {
            SDL_DestroyWindow(win)
            throw SDLError("cannot create a renderer")
        }
        window = win
        renderer = ren
        drawer = DrawListRenderer(renderer: ren, fonts: fonts)
        var ow: Int32 = 0, oh: Int32 = 0
        SDL_GetRendererOutputSize(ren, &ow, &oh)
        size = Size(width: Double(ow), height: Double(oh))
        wakeEvent = SDL_RegisterEvents(1)
        waiter = EventWaiter()
        lockdown = options.lockdown
        if options.fullscreen { SDL_ShowCursor(SDL_DISABLE) }
        // Under X11 or a Wayland compositor, Alt+Tab and the like then reach the kiosk (which ignores them), not
        // the desktop. On KMSDRM there is no desktop to switch to.
        if options.lockdown { SDL_SetWindowKeyboardGrab(win, SDL_TRUE) }
    }

    deinit {
        drawer.purge()
        SDL_DestroyRenderer(renderer)
        SDL_DestroyWindow(window)
    }

    /// A thread-safe nudge that wakes the loop when a service has answered.
    /// What a window manager's close (Alt+F4, the title bar's ×) or the last window closing turns into: SDL's
    /// quit event. Tests use it to prove the lockdown.
    public func postCloseRequest() {
        var e = SDL_Event()
        e.type = SDL_QUIT.rawValue
        SDL_PushEvent(&e)
    }

    public func makeWaker() -> @Sendable () -> Void {
        waiter.makeWaker(eventType: wakeEvent)
    }

    /// Runs until the window closes or `shouldStop` says so. Sleeps in the event wait when nothing is
    /// pending, so an idle kiosk uses no CPU, but never past the next heartbeat: the watchdog is fed from
    /// this loop and only from it, so a stuck loop stops feeding it. `onFrame` runs after each present.
    /// `shouldStop` runs on the loop's thread once per turn (tests block the loop in it).
    public func run(engine: KioskEngine, background: Color, heartbeat: Heartbeat? = nil, shouldStop: () -> Bool = { false },
                    onIgnoredClose: () -> Void = {}, onFrame: (Int) -> Void = { _ in }) {
        let stop = stopSwitch
        var frames = 0
        var exposed = true
        var nextBeat = heartbeat.map { _ in MonotonicTime.now }
        var e = SDL_Event()
        var outW: Int32 = 0, outH: Int32 = 0, winW: Int32 = 0, winH: Int32 = 0
        while !shouldStop(), !stop.isSet {
            SDL_GetRendererOutputSize(renderer, &outW, &outH)
            SDL_GetWindowSize(window, &winW, &winH)
            let scale = winW > 0 ? Double(outW) / Double(winW) : 1
            engine.resize(Size(width: Double(outW), height: Double(outH)))
            if engine.needsRedraw || exposed {
                let frame = engine.frame()
                drawer.draw(frame, clear: background)
                SDL_RenderPresent(renderer)
                frames += 1
                exposed = false
                onFrame(frames)
            }
            if let heartbeat, let due = nextBeat, MonotonicTime.now >= due - Self.beatSlack {
                heartbeat.beat()
                nextBeat = MonotonicTime.now + heartbeat.interval
            }
            let got = waiter.wait(&e, timeoutMs: Self.sleepMs(
                deadline: engine.nextDeadline.map { $0 - engine.clock.now },
                beat: nextBeat.map { $0 - MonotonicTime.now }, cap: heartbeat?.interval ?? Self.idleCap))
            var pending = got
            while pending {
                if e.type == SDL_QUIT.rawValue {
                    guard lockdown else { return }
                    ignoredCloses += 1
                    onIgnoredClose()
                }
                if e.type == wakeEvent {
                    engine.drainInbox()
                } else if e.type == SDL_WINDOWEVENT.rawValue {
                    if e.window.event == UInt8(SDL_WINDOWEVENT_EXPOSED.rawValue) || e.window.event == UInt8(SDL_WINDOWEVENT_SIZE_CHANGED.rawValue) {
                        exposed = true
                    }
                } else if let input = InputTranslator.translate(&e, scale: scale) {
                    engine.handle(input)
                }
                pending = SDL_PollEvent(&e) != 0
            }
            engine.fireTimers()
        }
    }

    /// A beat due within this much is sent now rather than after one more millisecond-long sleep.
    static let beatSlack = 0.002
    /// Longest sleep without a heartbeat: the input devices are rescanned this often on KMSDRM.
    static let idleCap = 10.0

    /// Milliseconds to sleep: until the engine's next deadline or the next beat, whichever comes first.
    static func sleepMs(deadline: Double?, beat: Double?, cap: Double) -> Int32 {
        var s = cap
        if let deadline { s = min(s, deadline) }
        if let beat { s = min(s, beat) }
        // Clamped before the conversion: a WATCHDOG_USEC of weeks must not overflow Int32 milliseconds
        // (a day is far below it, and the loop wakes at least that often).
        return Int32((min(max(0, s), 86_400) * 1000).rounded(.up))
    }
}

/// Something the main loop does on a fixed period whatever the screen (the systemd watchdog ping).
public struct Heartbeat {
    public var interval: Double
    public var beat: () -> Void
    public init(interval: Double, beat: @escaping () -> Void) { self.interval = interval; self.beat = beat }
}

/// CLOCK_MONOTONIC in seconds: what systemd measures the watchdog on; wall-clock jumps do not move it.
public enum MonotonicTime {
    public static var now: Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
