import Testing
@testable import KioskUI

@Suite struct ThemeAccessibility {
    let t = Theme()

    @Test func textContrastMeetsWCAG() {
        // AA for all text (4.5:1); the body text pairs reach AAA (7:1).
        let pairs: [(Color, Color, Double, String)] = [
            (t.text, t.background, 7, "body on background"),
            (t.text, t.surface, 7, "body on cards"),
            (t.textMuted, t.background, 7, "summaries"),
            (t.primary, t.surface, 7, "headings on cards"),
            (t.onPrimary, t.primary, 7, "buttons"),
            (t.onPrimary, t.primaryPressed, 7, "pressed buttons"),
            (t.headerSubtext, t.primary, 4.5, "header subtitle"),
            (t.onBadge, t.badge, 7, "badges"),
            (t.error, t.surface, 7, "field errors"),
            (t.error, t.background, 4.5, "field errors on the page"),
            (t.text, t.navBar, 7, "a key that is on (shift)"),
        ] + t.tileColors.map { (t.onPrimary, $0, 4.5, "tile \($0)") }
        for (fg, bg, minimum, what) in pairs {
            #expect(fg.contrast(with: bg) >= minimum, "\(what): \(fg.contrast(with: bg))")
        }
    }

    static let panels: [(Int, Int, Double)] = [(1080, 1920, 21.5), (1920, 1080, 21.5), (1366, 768, 21.5), (1280, 1024, 21.5),
                                               (768, 1366, 21.5), (1366, 768, 15.6), (1920, 1080, 32), (1280, 1024, 19)]

    @Test(arguments: panels)
    func everyPanelKeepsTwentyMillimetreTargetsAndReadableText(w: Int, h: Int, inches: Double) {
        let panel = Panel(size: Size(width: Double(w), height: Double(h)), diagonalInches: inches)
        for large in [false, true] {
            let th = Theme.forPanel(panel, largeText: large)
            #expect(panel.millimetres(px: th.minTarget) >= 20, "\(w)x\(h) \(inches)\": target \(th.minTarget) px")
            #expect(panel.millimetres(px: th.keyHeight) >= 20)
            let cap = Double(th.font(.body).size) * Theme.capHeightRatio
            #expect(panel.millimetres(px: cap) >= 4.8, "\(w)x\(h) \(inches)\": body cap \(cap) px")
            #expect(th.font(.small).size <= th.font(.body).size && th.font(.body).size < th.font(.title).size)
        }
    }

    @Test func largeTextIsOneAndAHalfTimesTheText() {
        let panel = Panel(size: Size(width: 1080, height: 1920))
        let normal = Theme.forPanel(panel), large = Theme.forPanel(panel, largeText: true)
        for role in FontRole.allCases {
            #expect(abs(Double(large.font(role).size) - 1.5 * Double(normal.font(role).size)) <= 1)
        }
        #expect(large.minTarget == normal.minTarget)
    }

    @Test func theReferencePanelKeepsTheDesignSizes() {
        let th = Theme.forPanel(Panel(size: Size(width: 1080, height: 1920)))
        #expect(th.minTarget == 120 && th.font(.body).size == 38)
    }
}
