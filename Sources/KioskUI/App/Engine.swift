// Runs the one-way loop: input -> action -> reduce -> effects; view -> layout -> Frame.
// Single-threaded: the owner calls it from one thread; services answer through the inbox.
import Foundation
import KioskCore

public enum InputEvent: Sendable, Equatable {
    case pointerDown(Point)
    case pointerMove(Point)
    case pointerUp(Point)
    case wheel(Point, dy: Double)
    case key(Key)
    case text(String)

    public enum Key: Sendable, Equatable {
        case back, home, pageDown, pageUp, backspace
        /// Ctrl+Alt+M on a hardware keyboard: opens the PIN pad (from home), like the hidden corner.
        case maintenance
        // An audio-navigation keypad (EN 301 549 5.1.6) shows itself as a keyboard: arrows move the focus
        // through the screen's elements, Enter activates, Help speaks, volume steps the speech.
        case up, down, left, right, enter, help, volumeUp, volumeDown, pause

        /// The names of script steps (`key NAME`).
        public static let scriptNames: [String: Key] = [
            "up": .up, "down": .down, "left": .left, "right": .right, "enter": .enter, "back": .back,
            "help": .help, "vol+": .volumeUp, "vol-": .volumeDown, "pause": .pause,
        ]
    }
}

public final class KioskEngine {
    public private(set) var state: AppState
    public private(set) var size: Size
    public let clock: KioskClock
    /// The glass's diagonal: with the size it sets the physical size of everything (Theme.forPanel).
    public let diagonalInches: Double
    let baseTheme: Theme
    let layoutEngine: LayoutEngine
    /// Public so `render` can stand a demo service in for a missing one before the first effect.
    public let router: EffectRouter
    private var frameCache: Frame?
    private var pending: [Action] = []
    private var draining = false
    private var gesture: Gesture?
    private var started = false
    /// The field last scrolled into view: a newly focused field is brought above the keyboard once.
    private var revealedFocus: String?
    /// When the screen last changed: a touch that lands this soon after was aimed at the screen before.
    private var screenShownAt: Instant = -.infinity
    /// A second tap of a double tap, or a bouncing touch frame, must not press the button that replaced the
    /// one tapped ("skip" on the contact step, then "send" on the review). Slower than a double tap.
    public static let tapGuard: Double = 0.3
    /// How long a finger must stay on a hold target (the hidden maintenance entry) before it acts.
    public var holdDuration: Double = 5
    /// How the hidden entry is worked: held (the default), or tapped `entryTaps` times within `entryTapWindow`
    /// seconds (for panels whose touch controller reports a long press badly).
    public var entryGesture: EntryGesture = .hold
    public enum EntryGesture: String, Sendable { case hold, taps }
    public var entryTaps = 5
    public static let entryTapWindow: Double = 3
    private var entryTapTimes: [Instant] = []
    private var narrating = false
    /// Where an up or down move through the on-screen keyboard started, across the moves that followed it.
    var gridColumn: Double?
    /// What speech last spoke about: the screen or dialog, the focused element, the settings.
    var narrated = Narrated()
    struct Narrated {
        var context: String?
        var focus: String?
        var settings = SpeechSettings()
        /// A receipt's text, waiting to be said after what the same action shows.
        var receipt: [String] = []
        /// The texts (not elements) the screen showed when speech last looked: one that appears later is said.
        var texts: Set<String> = []
        /// A key of the on-screen keyboard just pressed: its character is said back.
        var typed: String?
    }
    /// Frames laid out so far; the benchmark and the idle test read it.
    public private(set) var layoutCount = 0

    struct Gesture {
        var start: Point
        var last: Point
        var targetID: String?
        var action: Action?
        var scrollID: String?
        var dragging = false
        var samples: [(Instant, Double)] = []
        /// A finger on a hold target: what it does and when, unless it moves or lifts first.
        var hold: (action: Action, at: Instant)?
        /// The hold target's action, for the tap-sequence entry.
        var entryAction: Action?
        var startedAt: Instant = 0
    }

    public init(size: Size, measurer: TextMeasurer, clock: KioskClock, router: EffectRouter,
                theme: Theme = Theme(), idle: IdlePolicy = IdlePolicy(), diagonalInches: Double = 21.5,
                site: KioskSite = .demo, streets: StreetList? = nil, languages: [Language] = Language.allCases) {
        self.size = size
        self.clock = clock
        self.baseTheme = theme
        self.router = router
        self.diagonalInches = diagonalInches
        self.layoutEngine = LayoutEngine(measurer: measurer, theme: Theme.forPanel(Panel(size: size, diagonalInches: diagonalInches), base: theme))
        self.state = AppState(idle: idle, now: clock.now)
        state.site = site
        state.streets = streets
        state.languages = languages.isEmpty ? Language.allCases : languages
        state.language = state.languages[0]
        state.date = clock.date
    }

    /// Called from any thread when a service has posted an action (the SDL loop pushes a wake-up event).
    public var wake: (@Sendable () -> Void)? {
        didSet { router.sink.setWake(wake) }
    }

    public var theme: Theme { layoutEngine.theme }
    public var panel: Panel { Panel(size: size, diagonalInches: diagonalInches) }

    public func resize(_ s: Size) {
        guard s != size else { return }
        size = s
        updateTheme()
        frameCache = nil
    }

    private func updateTheme() {
        let t = Theme.forPanel(panel, largeText: state.largeText, base: state.highContrast ? .highContrast(baseTheme) : baseTheme)
        if t != layoutEngine.theme { layoutEngine.theme = t; frameCache = nil }
    }

    /// Starts the services that work by themselves; the first `send` does it too.
    public func start() {
        guard !started else { return }
        started = true
        router.start()
    }

    // MARK: actions

    public func send(_ action: Action) {
        dispatch(action)
        // What changed may need saying: once, after everything the action caused has settled.
        guard !draining, !narrating else { return }
        narrating = true
        defer { narrating = false }
        narrateChanges(after: action)
    }

    private func dispatch(_ action: Action) {
        start()
        pending.append(action)
        guard !draining else { return }
        draining = true
        defer { draining = false }
        while !pending.isEmpty {
            let a = pending.removeFirst()
            var before = state
            state.date = clock.date
            let effects = reduce(&state, a, now: clock.now)
            before.now = state.now // the clock moving is no reason to lay the screen out again
            before.date = state.date
            if state != before { frameCache = nil }
            if state.largeText != before.largeText || state.highContrast != before.highContrast { updateTheme() }
            if state.screen != before.screen { screenShownAt = clock.now }
            for e in effects {
                // Counted before it starts, so its answer can never arrive before the count.
                if e.holdsIdleReset {
                    _ = reduce(&state, .residentWork(1), now: clock.now) // answers nothing: no effects to run
                    frameCache = nil
                }
                // Speech reads a receipt before it prints, so a resident who cannot see knows what they take.
                if state.speech.on, case let .printer(.receipt(r)) = e { sayReceipt(r) }
                router.run(e)
            }
            // Synchronous services have answered already; keep their results in order.
            pending.append(contentsOf: router.sink.take())
        }
    }

    /// Applies actions that services posted from other threads.
    public func drainInbox() {
        for a in router.sink.take() { send(a) }
    }

    /// The next instant something is due: the reducer's (fling, countdown, idle) or a service's timer.
    public var nextDeadline: Instant? {
        [state.nextDeadline(), router.timers.nextDeadline, gesture?.hold?.at].compactMap { $0 }.min()
    }

    /// Fires what is due: services' timers, then the reducer's tick.
    public func fireTimers() {
        let now = clock.now
        for work in router.timers.takeDue(now) { work() }
        drainInbox()
        if let hold = gesture?.hold, now >= hold.at {
            gesture?.hold = nil
            send(hold.action)
        }
        if let d = state.nextDeadline(), now >= d { send(.tick) }
    }

    // MARK: input

    /// Finger travel before a touch becomes a drag; a shaky finger still taps.
    var slop: Double { max(12, theme.minTarget * 0.15) }

    public func handle(_ event: InputEvent) {
        let t = clock.now
        switch event {
        case let .pointerDown(p):
            let f = frame()
            let target = f.target(at: p)
            // A drag still scrolls; only the tap is dropped.
            let settled = t - screenShownAt >= Self.tapGuard
            let holds = entryGesture == .hold
            gesture = Gesture(start: p, last: p, targetID: target?.id, action: settled ? target?.action : nil, scrollID: target?.scrollID,
                              samples: [(t, p.y)], hold: holds ? target?.holdAction.map { ($0, t + holdDuration) } : nil,
                              entryAction: holds ? nil : target?.holdAction, startedAt: t)
            if let id = target?.scrollID, state.fling != nil { send(.scrollBy(id, 0)) } // a touch stops a fling
            if settled, let target, target.action != nil { send(.press(target.id)) }
        case let .pointerMove(p):
            guard var g = gesture else { return }
            let moved = hypot(p.x - g.start.x, p.y - g.start.y)
            if !g.dragging, moved > slop {
                if g.scrollID != nil { g.dragging = true }
                g.action = nil // sliding off a button cancels the tap
                g.hold = nil
                g.entryAction = nil
                send(.press(nil))
            }
            if g.dragging, let id = g.scrollID {
                send(.scrollBy(id, g.last.y - p.y))
                g.samples.append((t, p.y))
                if g.samples.count > 8 { g.samples.removeFirst() }
            }
            g.last = p
            gesture = g
        case let .pointerUp(p):
            guard let g = gesture else { return }
            gesture = nil
            if g.dragging, let id = g.scrollID {
                let recent = g.samples.filter { t - $0.0 <= 0.1 }
                if let first = recent.first, let last = recent.last, last.0 > first.0 {
                    send(.fling(id, velocity: (first.1 - last.1) / (last.0 - first.0)))
                } else {
                    send(.fling(id, velocity: 0))
                }
                return
            }
            if state.pressed != nil { send(.press(nil)) }
            if let action = g.action, frame().target(at: p)?.id == g.targetID {
                // Touch exploration with speech on: a first touch says what is there, a second one does it.
                if state.speech.on, let id = g.targetID, state.keyFocus != id, frame().focusOrder.contains(where: { $0.id == id }) {
                    send(.keyFocus(id))
                } else {
                    send(action)
                }
            }
            // A tap is short: a finger resting on the corner is not one.
            if let entry = g.entryAction, t - g.startedAt < 1, frame().target(at: p)?.id == g.targetID {
                entryTapTimes = entryTapTimes.filter { t - $0 < Self.entryTapWindow } + [t]
                if entryTapTimes.count >= entryTaps {
                    entryTapTimes = []
                    send(entry)
                }
            }
        case let .wheel(p, dy):
            if let id = frame().target(at: p)?.scrollID ?? visibleScrollID { send(.scrollBy(id, -dy * theme.minTarget)) }
        case let .key(k):
            // Any key during the idle warning is a resident still there: it gives more time, and does nothing else.
            if state.resetAt != nil, k != .volumeUp, k != .volumeDown {
                send(.moreTime)
                return
            }
            switch k {
            case .back: send(state.screen == .home ? .home : .back)
            case .backspace: send(focusedFieldOnScreen ? .field(.backspace) : .back)
            case .home: send(.home)
            case .maintenance: send(.maintenance(.entryHeld))
            case .pageDown, .pageUp:
                guard let id = visibleScrollID, let m = frame().scrolls[id] else { return }
                send(.scrollBy(id, (k == .pageDown ? 1 : -1) * m.viewport * 0.85))
            case .up, .down, .left, .right: moveFocus(k)
            case .enter: activateFocus()
            case .help: help()
            case .volumeUp: send(.speech(.louder))
            case .volumeDown: send(.speech(.quieter))
            case .pause: if state.speech.on { send(.speech(.pause)) }
            }
        case let .text(t):
            // A hardware keyboard or SDL text input types into the focused field, as the on-screen keys do.
            if focusedFieldOnScreen { send(.field(.type(t))) }
        }
    }

    /// Whether the focused text field is on screen, so typing has somewhere to go.
    public var focusedFieldOnScreen: Bool {
        guard let id = state.focus else { return false }
        return frame().target(id: id).map { !$0.rect.isEmpty } ?? false
    }

    /// The scroll view keys move: the one drawn topmost (a dialog's text over the article under it).
    var visibleScrollID: String? {
        let f = frame()
        return f.hits.last(where: { $0.scrollID == $0.id && f.scrolls[$0.id] != nil && !$0.rect.isEmpty })?.id
    }

    // MARK: frames

    public var needsRedraw: Bool { frameCache == nil }

    /// The current frame, laid out again only when state or size changed.
    public func frame() -> Frame {
        if let f = frameCache { return f }
        var f = layoutNow()
        // Layout knows how far each scroll view can go; the reducer clamps with it. One more pass at most.
        let limits = f.scrolls.mapValues(\.maxOffset)
        if limits != state.scrollLimits {
            send(.scrollLimits(limits))
            f = frameCache ?? layoutNow()
        }
        // A field that gets the focus may sit under the keyboard that its focus brought up: scroll it into
        // view once, as a phone does; the resident may scroll away again.
        if state.focus != revealedFocus {
            revealedFocus = state.focus
            if let id = state.focus, let t = f.target(id: id), reveal(t, in: f) { f = frameCache ?? layoutNow() }
        }
        frameCache = f
        return f
    }

    /// Scrolls a partly hidden element into its scroll view's viewport; whether it had to.
    @discardableResult
    func reveal(_ t: HitTarget, in f: Frame) -> Bool {
        guard let scrollID = t.scrollID, scrollID != t.id, t.rect.height < t.fullRect.height,
              let viewport = f.target(id: scrollID)?.rect else { return false }
        let dy = t.fullRect.maxY > viewport.maxY ? t.fullRect.maxY - viewport.maxY + theme.gap : t.fullRect.y - viewport.y - theme.gap
        send(.scrollBy(scrollID, min(dy, t.fullRect.y - viewport.y)))
        return true
    }

    private func layoutNow() -> Frame {
        layoutCount += 1
        let root = view(state, ViewContext(size: size, theme: theme))
        var f = layoutEngine.layout(root, size: size, screen: state.screen, scroll: state.scroll)
        if let id = state.keyFocus { f.drawFocusRing(around: id, theme: theme) }
        return f
    }
}
