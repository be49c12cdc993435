// The kiosk on a real display: window, event loop, redraw only when something changed.
import CSDL2
import Foundation
import KioskUI

public struct WindowOptions: Sendable {
    public var size: Size?
    public var fullscreen: Bool
    public var renderer: String   // "software" (default, see platform-notes.md) or "auto"
    public init(size: Size?, fullscreen: Bool, renderer: String = "software") {
        self.size = size; self.fullscreen = fullscreen; self.renderer = renderer
    }
}

public final class WindowHost {
    let window: OpaquePointer
    let renderer: OpaquePointer
    let drawer: DrawListRenderer
    let wakeEvent: UInt32
    let waiter: EventWaiter
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
        if options.fullscreen { SDL_ShowCursor(SDL_DISABLE) }
    }

    deinit {
        drawer.purge()
        SDL_DestroyRenderer(renderer)
        SDL_DestroyWindow(window)
    }

    /// A thread-safe nudge that wakes the loop when a service has answered.
    public func makeWaker() -> @Sendable () -> Void {
        waiter.makeWaker(eventType: wakeEvent)
    }

    /// Runs until the window closes or `shouldStop` says so. Sleeps in SDL_WaitEvent when nothing is
    /// pending, so an idle kiosk uses no CPU; `onFrame` runs after each present (watchdog, first-frame mark).
    public func run(engine: KioskEngine, background: Color, shouldStop: () -> Bool = { false },
                    onFrame: (Int) -> Void = { _ in }, onIdleWake: () -> Void = {}) {
        var frames = 0
        var e = SDL_Event()
        var outW: Int32 = 0, outH: Int32 = 0, winW: Int32 = 0, winH: Int32 = 0
        while !shouldStop() {
            SDL_GetRendererOutputSize(renderer, &outW, &outH)
            SDL_GetWindowSize(window, &winW, &winH)
            let scale = winW > 0 ? Double(outW) / Double(winW) : 1
            engine.resize(Size(width: Double(outW), height: Double(outH)))
            if engine.needsRedraw || frames == 0 {
                let frame = engine.frame()
                drawer.draw(frame, clear: background)
                SDL_RenderPresent(renderer)
                frames += 1
                onFrame(frames)
            }
            // Sleep until an event or the next deadline (fling frame, countdown, idle warning).
            var got: Bool
            if let deadline = engine.nextDeadline {
                let ms = Int32(max(0, min(60_000, (deadline - engine.clock.now) * 1000)).rounded(.up))
                got = waiter.wait(&e, timeoutMs: ms)
            } else {
                // Nothing scheduled: sleep, waking every 10 s only for the systemd watchdog.
                got = waiter.wait(&e, timeoutMs: 10_000)
                if !got { onIdleWake() }
            }
            while got {
                if e.type == SDL_QUIT.rawValue { return }
                if e.type == wakeEvent {
                    engine.drainInbox()
                } else if e.type == SDL_WINDOWEVENT.rawValue {
                    if e.window.event == UInt8(SDL_WINDOWEVENT_EXPOSED.rawValue) || e.window.event == UInt8(SDL_WINDOWEVENT_SIZE_CHANGED.rawValue) {
                        frames = 0 // force a redraw of the exposed window
                    }
                } else if let input = InputTranslator.translate(&e, scale: scale) {
                    engine.handle(input)
                }
                got = SDL_PollEvent(&e) != 0
            }
            engine.fireTimers()
        }
    }
}
