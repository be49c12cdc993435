// The layout check: what a resident would see as broken, found in a Frame rather than in pictures —
// clipped or overlapping text, overlapping or too small targets, anything outside the screen.
import KioskUI

public enum LayoutCheck {
    /// One problem a line, naming the element or text; empty when the frame is sound.
    public static func problems(in f: Frame, panel: Panel, minTargetMillimetres: Double = Theme.minTargetMillimetres) -> [String] {
        var out: [String] = []
        let screen = Rect(x: 0, y: 0, width: f.size.width, height: f.size.height)
        let tolerance = 1.0
        func short(_ s: String) -> String { s.count > 40 ? String(s.prefix(40)) + "…" : s }
        func inside(_ r: Rect, _ outer: Rect) -> Bool {
            r.x >= outer.x - tolerance && r.y >= outer.y - tolerance && r.maxX <= outer.maxX + tolerance && r.maxY <= outer.maxY + tolerance
        }

        // Text: every line fits its box; outside scroll views the box fits where it is drawn.
        var drawn: [(TextBox, Rect)] = []
        for b in f.textBoxes {
            if b.widestLine > b.rect.width + tolerance {
                out.append("text \"\(short(b.text))\" is \(Int(b.widestLine)) px wide in a \(Int(b.rect.width)) px box")
            }
            // A word cut in two reads as two words; a very long token (a link, a hostile query) may be cut.
            if let part = b.brokenWord, let word = b.text.split(whereSeparator: \.isWhitespace).first(where: { $0.hasPrefix(part) }),
               word.count <= 24 {
                out.append("text \"\(short(b.text))\" cuts the word \"\(word)\" across lines")
            }
            let used = Rect(x: b.rect.x, y: b.rect.y, width: min(b.widestLine, b.rect.width), height: b.neededHeight)
            if b.neededHeight > b.rect.height + tolerance {
                out.append("text \"\(short(b.text))\" needs \(Int(b.neededHeight)) px of height and got \(Int(b.rect.height))")
            }
            if !inside(used, b.bounds) {
                out.append("text \"\(short(b.text))\" at \(Int(used.x)),\(Int(used.y)) runs outside its card, button or area")
            }
            if b.scrollID == nil, !inside(used, b.clip) || !inside(used, screen) {
                out.append("text \"\(short(b.text))\" at \(Int(used.x)),\(Int(used.y)) runs outside the visible area")
            } else if used.x < b.clip.x - tolerance || used.maxX > b.clip.maxX + tolerance {
                out.append("text \"\(short(b.text))\" runs past the sides of its scroll view")
            }
            let visible = used.intersection(b.clip).intersection(screen)
            if !visible.isEmpty { drawn.append((b, visible)) }
        }
        for i in drawn.indices {
            for j in drawn.indices where j > i && drawn[i].0.layer == drawn[j].0.layer {
                let o = drawn[i].1.intersection(drawn[j].1)
                if o.width > tolerance, o.height > tolerance {
                    out.append("text \"\(short(drawn[i].0.text))\" overlaps \"\(short(drawn[j].0.text))\"")
                }
            }
        }

        // Targets: big enough for a finger, apart from each other, on the screen.
        let targets = f.hits.filter { $0.action != nil && !$0.rect.isEmpty }
        let minPx = panel.pixels(mm: minTargetMillimetres) - tolerance
        for t in targets {
            if t.fullRect.width < minPx || t.fullRect.height < minPx {
                out.append("target \(t.id) is \(Int(t.fullRect.width))x\(Int(t.fullRect.height)) px: " +
                           "\(String(format: "%.1f", panel.millimetres(px: min(t.fullRect.width, t.fullRect.height)))) mm, less than \(Int(minTargetMillimetres)) mm")
            }
            if t.scrollID == nil, !inside(t.fullRect, screen) {
                out.append("target \(t.id) lies partly outside the screen")
            }
        }
        for i in targets.indices {
            for j in targets.indices where j > i && targets[i].layer == targets[j].layer {
                let a = targets[i], b = targets[j]
                let o = a.rect.intersection(b.rect)
                guard o.width > tolerance, o.height > tolerance else { continue }
                // A dialog's scrim is the "tap outside" of the card: it holds the card's buttons by design.
                let container = inside(b.rect, a.rect) ? a : inside(a.rect, b.rect) ? b : nil
                if let container, container.id.hasSuffix(".scrim") { continue }
                out.append("targets \(a.id) and \(b.id) overlap")
            }
        }
        var clipDepth = 0 // inside a scroll view's clip, cards run past the viewport by design
        for c in f.commands {
            switch c {
            case .pushClip: clipDepth += 1
            case .popClip: clipDepth -= 1
            case let .fill(r, _) where clipDepth == 0 && !inside(r, screen):
                out.append("a fill at \(Int(r.x)),\(Int(r.y)) \(Int(r.width))x\(Int(r.height)) lies outside the screen")
            default: break
            }
        }
        return out
    }
}

import Foundation
