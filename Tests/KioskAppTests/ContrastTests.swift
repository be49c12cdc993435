import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// The colour under a point after the fills drawn before command `index`, translucent ones blended (a scrim).
func backdrop(_ f: Frame, at p: Point, before index: Int) -> Color? {
    var r = 0.0, g = 0.0, b = 0.0
    var clips: [Rect] = []
    for c in f.commands[..<index] {
        switch c {
        case let .pushClip(rect): clips.append(rect)
        case .popClip: _ = clips.popLast()
        case let .fill(rect, color) where rect.contains(p) && (clips.last?.contains(p) ?? true):
            let a = Double(color.a) / 255
            r = r * (1 - a) + Double(color.r) * a; g = g * (1 - a) + Double(color.g) * a; b = b * (1 - a) + Double(color.b) * a
        case let .image(rect, _) where rect.contains(p):
            return nil // no text is drawn over a picture; were it, this check could not judge it
        default: break
        }
    }
    return Color(UInt32(r.rounded()) << 16 | UInt32(g.rounded()) << 8 | UInt32(b.rounded()))
}

/// Every text of a frame against what is under it: the lowest ratio and where.
func lowestContrast(_ f: Frame) -> (Double, String) {
    var lowest = (Double.infinity, "")
    var clips: [Rect] = []
    for (i, c) in f.commands.enumerated() {
        if case let .pushClip(r) = c { clips.append(r) }
        if case .popClip = c { _ = clips.popLast() }
        guard case let .text(s, origin, font, color, _) = c, !s.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
        // Inside the first glyph's box, where the backdrop of the line is; a line half scrolled out of its
        // view is judged on its visible half.
        let clip = clips.last ?? Rect(x: 0, y: 0, width: f.size.width, height: f.size.height)
        let p = Point(x: origin.x + 2, y: max(origin.y + Double(font.size) * 0.5, clip.y + 1))
        guard clip.contains(p), p.y < origin.y + Double(font.size) * 1.2, let under = backdrop(f, at: p, before: i) else { continue }
        let ratio = color.contrast(with: under)
        if ratio < lowest.0 { lowest = (ratio, "\"\(s.prefix(40))\" \(color) on \(under)") }
    }
    return lowest
}

@Suite struct ContrastOfEveryScreen {
    /// Each theme's minimum over every screen, both orientations, every language, with every element of a
    /// screen pressed in turn (pressed colours) and the screen's error and disabled states among the screens.
    @Test(arguments: [false, true])
    func everyTextMeetsItsThemesContrast(highContrast: Bool) throws {
        let required = highContrast ? 7.0 : 4.5
        var lowest = (Double.infinity, "")
        for screen in spokenScreens {
            for size in [portrait, landscape] {
                for lang in Language.allCases {
                    let (k, _) = try testKiosk(size: size)
                    k.engine.send(.setLanguage(lang))
                    if highContrast { k.engine.send(.toggleContrast) }
                    try go(k, screen)
                    var frames = [k.engine.frame()]
                    if lang == .pl {
                        for hit in k.engine.frame().focusOrder.prefix(16) {
                            k.engine.send(.press(hit.id))
                            frames.append(k.engine.frame())
                        }
                        k.engine.send(.press(nil))
                    }
                    for f in frames {
                        let (ratio, what) = lowestContrast(f)
                        if ratio < lowest.0 { lowest = (ratio, "\(screen) \(lang.rawValue) \(Int(size.width))x\(Int(size.height)): \(what)") }
                        #expect(ratio >= required, "\(screen) \(lang.rawValue) \(Int(size.width))x\(Int(size.height)): \(what) is \(ratio):1")
                    }
                }
            }
        }
        print("contrast minimum, \(highContrast ? "high contrast" : "normal"): \(String(format: "%.2f", lowest.0)):1 at \(lowest.1)")
    }

    @Test func theFocusRingStandsOutOnEveryColourOfEitherTheme() {
        for t in [Theme(), Theme.highContrast()] {
            let colours = [t.background, t.surface, t.primary, t.primaryPressed, t.navBar, t.badge, t.keyColor, t.error] + t.tileColors
            for c in colours {
                let best = max(t.focusRingOuter.contrast(with: c), t.focusRingInner.contrast(with: c))
                #expect(best >= 3, "ring on \(c): \(best):1")
            }
        }
    }
}
