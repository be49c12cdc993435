// The headless script language: one step a line, elements by ID, time on the test clock.
import Foundation
import KioskCore

public enum ScriptStep: Sendable, Equatable {
    case tap(String)
    /// A finger kept on an element for a time (the hidden maintenance entry), then lifted.
    case hold(String, Double)
    case type(String)
    case scroll(String, Double)
    case wait(Double)
    case shot(String)
    case expectScreen(String)
    case expectText(String)
    case expectElement(String)
    /// A key of a keypad or keyboard: `up down left right enter back help vol+ vol-`.
    case key(InputEvent.Key)
    /// Moves the keypad focus to an element with arrow presses alone, as a resident who cannot see would.
    case focus(String)
}

public struct ScriptError: Error, CustomStringConvertible {
    public var line: Int
    public var text: String
    public var problem: String
    public var description: String { text.isEmpty ? "line \(line): \(problem)" : "line \(line): \(text): \(problem)" }
}

public enum Script {
    public static let maxLines = 10_000
    /// One `wait` moves the test clock at most this far: a week covers every idle and retention rule, and
    /// far larger values overflow the date arithmetic behind "today".
    public static let maxWait: Double = 7 * 24 * 3600
    /// No finger stays longer on a screen; a longer `hold` is a typo for `wait`.
    public static let maxHold: Double = 600
    /// One `scroll` moves at most this many pixels (the longest article is far shorter).
    public static let maxScroll: Double = 1_000_000

    /// Parses a script; blank lines and lines starting with `#` are ignored. Lines may end in LF, CRLF
    /// or CR (a script saved on Windows); a leading byte-order mark is skipped.
    public static func parse(_ source: String) throws -> [(line: Int, text: String, step: ScriptStep)] {
        var out: [(Int, String, ScriptStep)] = []
        // Swift reads "\r\n" as one Character: the shared splitter handles LF, CRLF, CR and the BOM.
        let lines = TextLines.lines(of: source)
        guard lines.count <= maxLines else {
            throw ScriptError(line: maxLines + 1, text: "", problem: "script longer than \(maxLines) lines; split it into several scripts")
        }
        for (i, raw) in lines.enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let n = i + 1
            func fail(_ p: String) -> ScriptError { ScriptError(line: n, text: text, problem: p) }
            let (verb, rest) = splitVerb(text)
            switch verb {
            case "tap":
                guard isID(rest) else { throw fail("expected `tap ELEMENT-ID`") }
                out.append((n, text, .tap(rest)))
            case "hold":
                let parts = rest.split(whereSeparator: \.isWhitespace)
                guard parts.count == 2, isID(String(parts[0])), let d = duration(String(parts[1])) else {
                    throw fail("expected `hold ELEMENT-ID DURATION` such as `hold maintenance.entry 5s`")
                }
                guard d <= maxHold else { throw fail("a hold lasts at most \(Int(maxHold)) s") }
                out.append((n, text, .hold(String(parts[0]), d)))
            case "type":
                out.append((n, text, .type(try quoted(rest, fail))))
            case "scroll":
                let parts = rest.split(whereSeparator: \.isWhitespace)
                guard parts.count == 2, isID(String(parts[0])), let px = Double(parts[1]), px.isFinite else {
                    throw fail("expected `scroll ELEMENT-ID PIXELS`")
                }
                guard abs(px) <= maxScroll else { throw fail("a scroll moves at most \(Int(maxScroll)) pixels") }
                out.append((n, text, .scroll(String(parts[0]), px)))
            case "wait":
                guard let d = duration(rest) else { throw fail("expected `wait DURATION` such as 500ms, 2s, 10m") }
                guard d <= maxWait else {
                    throw fail("a wait is at most 7 days (168h) per step; split a longer wait into several steps")
                }
                out.append((n, text, .wait(d)))
            case "shot":
                guard !rest.isEmpty, rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }),
                      !rest.hasPrefix(".") else { throw fail("expected `shot NAME` (letters, digits, - _ .)") }
                out.append((n, text, .shot(rest)))
            case "expect-screen":
                guard isID(rest) else { throw fail("expected `expect-screen SCREEN-ID`") }
                out.append((n, text, .expectScreen(rest)))
            case "expect-text":
                out.append((n, text, .expectText(try quoted(rest, fail))))
            case "expect-element":
                guard isID(rest) else { throw fail("expected `expect-element ELEMENT-ID`") }
                out.append((n, text, .expectElement(rest)))
            case "key":
                guard let k = InputEvent.Key.scriptNames[rest] else {
                    throw fail("expected `key NAME`; names: \(keyNames)")
                }
                out.append((n, text, .key(k)))
            case "focus":
                guard isID(rest) else { throw fail("expected `focus ELEMENT-ID`") }
                out.append((n, text, .focus(rest)))
            default:
                throw fail("unknown step `\(verb)`; steps: tap, hold, type, scroll, wait, shot, key, focus, expect-screen, expect-text, expect-element")
            }
        }
        return out
    }

    static let keyNames = "up down left right enter back help vol+ vol- pause"

    /// The most arrow presses a `focus` step makes before it gives up.
    public static let maxFocusPresses = 200

    static func splitVerb(_ s: String) -> (String, String) {
        guard let space = s.firstIndex(where: \.isWhitespace) else { return (s, "") }
        return (String(s[..<space]), s[space...].trimmingCharacters(in: .whitespaces))
    }

    static func isID(_ s: String) -> Bool {
        !s.isEmpty && !s.contains(where: \.isWhitespace)
    }

    /// A double-quoted string with \" and \\ escapes.
    static func quoted(_ s: String, _ fail: (String) -> ScriptError) throws -> String {
        guard s.count >= 2, s.first == "\"", s.last == "\"" else { throw fail("expected text in double quotes") }
        var out = ""
        var escaped = false
        for c in s.dropFirst().dropLast() {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    /// "600s", "1.5s", "250ms", "10m", or a bare number of seconds.
    public static func duration(_ s: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, k) in units where s.hasSuffix(suffix) {
            if let v = Double(s.dropLast(suffix.count)), v >= 0, v.isFinite { return v * k }
        }
        if let v = Double(s), v >= 0, v.isFinite { return v }
        return nil
    }
}

/// Runs parsed steps against an engine whose clock it owns.
public struct ScriptRunner {
    public let engine: KioskEngine
    public let clock: ManualClock
    public let shot: (String, Frame) throws -> Void
    /// Real seconds the runner waits for a service still answering the screen (a ticket lookup over the
    /// network) before the next step; the screen's own wait limits apply on the test clock as always.
    public var serviceTimeout: Double = 10

    public init(engine: KioskEngine, clock: ManualClock, shot: @escaping (String, Frame) throws -> Void) {
        self.engine = engine; self.clock = clock; self.shot = shot
    }

    public func run(_ steps: [(line: Int, text: String, step: ScriptStep)]) throws {
        for s in steps {
            do {
                try perform(s.step)
            } catch let e as StepFailure {
                throw ScriptError(line: s.line, text: s.text, problem: e.message)
            } catch {
                throw ScriptError(line: s.line, text: s.text, problem: "\(error)") // a shot that could not be written
            }
        }
    }

    struct StepFailure: Error { var message: String }

    public func perform(_ step: ScriptStep) throws {
        engine.drainInbox()
        let f = engine.frame()
        switch step {
        case let .tap(id):
            let p = try reachable(id, in: f)
            // A finger takes longer than the engine's tap guard to find the next button.
            clock.advance(by: KioskEngine.tapGuard + 0.1)
            engine.handle(.pointerDown(p))
            clock.advance(by: 0.05)
            engine.handle(.pointerUp(p))
        case let .hold(id, d):
            let p = try reachable(id, in: f)
            engine.handle(.pointerDown(p))
            advance(by: d)
            engine.handle(.pointerUp(p))
        case let .type(text):
            // As a hardware keyboard would: the text goes to the focused field, with its limits and rules.
            guard engine.focusedFieldOnScreen, let id = engine.state.focus else {
                let fields = f.hits.filter { engine.state.fields[$0.id] != nil }.map(\.id)
                throw StepFailure(message: fields.isEmpty ? "no text field on screen `\(f.screen.rawValue)`"
                                                          : "no field has the focus; tap one first: \(fields.joined(separator: " "))")
            }
            let before = engine.state.fields[id]?.value
            engine.handle(.text(text))
            if !text.isEmpty, engine.state.fields[id]?.value == before, let error = engine.state.fields[id]?.error {
                throw StepFailure(message: "field `\(id)` took none of the text (\(error))")
            }
        case let .scroll(id, px):
            guard let target = f.target(id: id), target.scrollID == id || f.scrolls[id] != nil else {
                throw StepFailure(message: "no scrollable element `\(id)` on screen `\(f.screen.rawValue)`; scrollable here: \(f.scrolls.keys.sorted().joined(separator: " "))")
            }
            engine.send(.scrollBy(id, px))
        case let .wait(d):
            advance(by: d)
        case let .shot(name):
            try shot(name, engine.frame())
        case let .expectScreen(id):
            guard f.screen.rawValue == id else {
                throw StepFailure(message: "expected screen `\(id)`, but the screen is `\(f.screen.rawValue)`")
            }
        case let .expectText(text):
            guard f.containsText(text) else {
                throw StepFailure(message: "text \"\(text)\" is not on screen `\(f.screen.rawValue)`")
            }
        case let .expectElement(id):
            try expectVisible(id, in: f)
        case let .key(k):
            if k == .enter, engine.keypadFocus == nil {
                throw StepFailure(message: "no element has the keypad focus on screen `\(f.screen.rawValue)`; move it first with `focus ID` or arrows")
            }
            engine.handle(.key(k))
        case let .focus(id):
            try focus(id)
        }
        waitForServices()
    }

    /// Presses left or right, whichever way round the reading order is shorter, until `id` has the focus.
    func focus(_ id: String) throws {
        for _ in 0..<Script.maxFocusPresses {
            let order = engine.frame().focusOrder.map(\.id)
            guard let target = order.firstIndex(of: id) else {
                throw StepFailure(message: "no element `\(id)` a keypad can reach on screen `\(engine.state.screen.rawValue)`; reachable here: \(order.joined(separator: " "))")
            }
            let n = order.count
            guard let current = engine.state.keyFocus.flatMap({ order.firstIndex(of: $0) }) else {
                engine.handle(.key(target < n - target ? .right : .left))
                continue
            }
            if current == target { return }
            engine.handle(.key((target - current + n) % n <= (current - target + n) % n ? .right : .left))
            engine.drainInbox()
        }
        if engine.keypadFocus?.id == id { return }
        throw StepFailure(message: "`\(id)` not reached in \(Script.maxFocusPresses) arrow presses; the focus is on `\(engine.state.keyFocus ?? "nothing")`")
    }

    /// Where a finger touches the element: its centre, if it is on screen and nothing lies over it.
    func reachable(_ id: String, in f: Frame) throws -> Point {
        guard let target = f.target(id: id) else {
            let ids = f.hits.filter { $0.action != nil }.map(\.id)
            throw StepFailure(message: "no element `\(id)` on screen `\(f.screen.rawValue)`; tappable here: \(ids.joined(separator: " "))")
        }
        guard !target.rect.isEmpty else {
            throw StepFailure(message: "element `\(id)` is scrolled out of view; scroll first")
        }
        let p = target.rect.center
        if let top = f.target(at: p), top.id != id {
            throw StepFailure(message: "element `\(id)` is covered by `\(top.id)`")
        }
        return p
    }

    /// Lets a service on its own queue answer the question the step asked, so the next step sees the answer
    /// (synchronous services have answered already and this returns at once).
    func waitForServices() {
        engine.drainInbox()
        let deadline = Date().addingTimeInterval(serviceTimeout)
        while engine.state.awaitsService, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.005)
            engine.drainInbox()
        }
    }

    /// A resident can see the element: it is in the frame, not scrolled out of view, and no target drawn
    /// above it (an overlay, a dialog) lies on its centre. Targets inside the element are part of it.
    func expectVisible(_ id: String, in f: Frame) throws {
        guard let index = f.hits.lastIndex(where: { $0.id == id }) else {
            throw StepFailure(message: "no element `\(id)` on screen `\(f.screen.rawValue)`; elements here: \(f.hits.map(\.id).joined(separator: " "))")
        }
        let element = f.hits[index]
        guard !element.rect.isEmpty else {
            throw StepFailure(message: "element `\(id)` is scrolled out of view")
        }
        let screen = Rect(x: 0, y: 0, width: f.size.width, height: f.size.height)
        guard !element.rect.intersection(screen).isEmpty else {
            throw StepFailure(message: "element `\(id)` lies outside the \(Int(f.size.width))x\(Int(f.size.height)) screen")
        }
        let centre = element.rect.center
        let cover = f.hits[(index + 1)...].last { hit in
            (hit.action != nil || hit.scrollID != nil) && hit.rect.contains(centre) && !encloses(element.rect, hit.rect)
        }
        if let cover {
            throw StepFailure(message: "element `\(id)` is covered by `\(cover.id)`")
        }
    }

    func encloses(_ outer: Rect, _ inner: Rect) -> Bool {
        inner.x >= outer.x && inner.y >= outer.y && inner.maxX <= outer.maxX && inner.maxY <= outer.maxY
    }

    /// Moves the test clock, firing every deadline on the way in order, as real time would.
    public func advance(by d: Double) {
        let target = clock.now + d
        var guardCount = 0
        while guardCount < 1_000_000 {
            guardCount += 1
            engine.drainInbox()
            guard let next = engine.nextDeadline, next <= target else { break }
            clock.set(next)
            engine.fireTimers()
        }
        clock.set(target)
        engine.fireTimers()
        engine.drainInbox()
    }
}
