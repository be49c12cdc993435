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
        ] + t.tileColors.map { (t.onPrimary, $0, 4.5, "tile \($0)") }
        for (fg, bg, minimum, what) in pairs {
            #expect(fg.contrast(with: bg) >= minimum, "\(what): \(fg.contrast(with: bg))")
        }
    }

    @Test func scalingKeepsTargetsUsable() {
        let small = t.scaled(forShortSide: 768)
        #expect(small.minTarget >= 80)
        #expect(small.font(.body).size >= 24)
    }
}
