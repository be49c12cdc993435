// Turns a view tree into a Frame: positions, draw commands, hit table and scroll metrics.
// A small flexbox: rows and columns with fixed, fit and fill sizes; text wraps to its width.

public final class LayoutEngine {
    public let text: TextLayoutCache
    public var theme: Theme

    public init(measurer: TextMeasurer, theme: Theme = Theme()) {
        self.text = TextLayoutCache(measurer: measurer)
        self.theme = theme
    }

    public func layout(_ root: Node, size: Size, screen: ScreenID, scroll: [String: Double]) -> Frame {
        var ctx = Context(frame: Frame(size: size, screen: screen), scroll: scroll)
        let full = Rect(x: 0, y: 0, width: size.width, height: size.height)
        ctx.clips.append(full)
        ctx.bounds.append(full)
        place(root, in: full, ctx: &ctx, scrollID: nil)
        return ctx.frame
    }

    /// Lays a tree out at a width with its natural height: paper, which is as long as its content.
    public func layoutFitting(_ root: Node, width: Double, screen: ScreenID = .ticket) -> Frame {
        let height = max(1, naturalHeight(root, width: width).rounded(.up))
        return layout(root, size: Size(width: width, height: height), screen: screen, scroll: [:])
    }

    struct Context {
        var frame: Frame
        var scroll: [String: Double]
        var clips: [Rect] = []
        /// The ancestors' rectangles: a child placed past them overflows even where nothing clips it.
        var bounds: [Rect] = []
        var layer = 0
        /// Depth of actionable elements being placed: their inner texts are part of their label.
        var insideElement = 0
        var elementIDs: [String] = []
        /// Opaque backgrounds of the ancestors being placed; the last is what text is drawn on.
        var backgrounds: [Color] = []
        var clip: Rect { clips.last ?? Rect(x: 0, y: 0, width: 0, height: 0) }
    }

    // MARK: measuring

    func lines(_ s: String, _ role: FontRole, width: Double) -> [WrappedLine] {
        text.wrap(s, font: theme.font(role), width: max(1, width))
    }

    /// The lines a text node shows, honouring `lastLines`.
    func shownLines(_ n: Node, _ s: String, _ role: FontRole, width: Double) -> [WrappedLine] {
        let all = lines(s, role, width: width)
        guard let keep = n.lastLines, all.count > keep, keep > 0 else { return all }
        // Wrap again leaving room for the ellipsis, so the marked line still fits.
        let ellipsis = text.measurer.width(of: "…", font: theme.font(role))
        var shown = Array(lines(s, role, width: width - ellipsis).suffix(keep))
        shown[0].text = "…" + shown[0].text
        shown[0].width += ellipsis
        return shown
    }

    func lineHeight(_ role: FontRole) -> Double {
        text.lineHeight(theme.font(role), spacing: theme.lineSpacing)
    }

    /// Width the node wants when offered `available`.
    func naturalWidth(_ n: Node, available: Double) -> Double {
        switch n.width {
        case let .fixed(w): return w
        case .fill: return available
        case .fit: return contentWidth(n, available: available)
        }
    }

    /// Width of the content alone: inside a fit parent, fill children count as fit.
    func contentWidth(_ n: Node, available: Double) -> Double {
        if case let .fixed(w) = n.width { return w }
        let inner = available - n.padding.left - n.padding.right
        let content: Double
        switch n.content {
        case let .text(s, role, _):
            content = shownLines(n, s, role, width: inner).reduce(0) { max($0, $1.width) }
        case let .image(image):
            content = image.snapped(in: Rect(x: 0, y: 0, width: inner, height: .infinity)).width
        case .box, .scroll:
            if n.axis != .horizontal {
                content = n.children.reduce(0) { max($0, contentWidth($1, available: inner)) }
            } else {
                content = n.children.reduce(0) { $0 + contentWidth($1, available: inner) }
                    + n.gap * Double(max(0, n.children.count - 1))
            }
        }
        return min(available, max(n.minWidth, content.rounded(.up) + n.padding.left + n.padding.right))
    }

    /// Height the node wants at a given width.
    func naturalHeight(_ n: Node, width: Double) -> Double {
        if case let .fixed(h) = n.height { return h }
        let inner = width - n.padding.left - n.padding.right
        let content: Double
        switch n.content {
        case let .text(s, role, _):
            content = Double(shownLines(n, s, role, width: inner).count) * lineHeight(role)
        case let .image(image):
            content = image.snapped(in: Rect(x: 0, y: 0, width: inner, height: .infinity)).height
        case .box, .scroll:
            if n.axis == .vertical {
                content = n.children.reduce(0) { $0 + naturalHeight($1, width: childWidth($1, inner: inner)) }
                    + n.gap * Double(max(0, n.children.count - 1))
            } else if n.axis == .stack {
                content = n.children.reduce(0) { max($0, naturalHeight($1, width: childWidth($1, inner: inner))) }
            } else if n.axis == .flow {
                let lines = flowLines(n.children, inner: inner, gap: n.gap)
                var total = n.gap * Double(max(0, lines.count - 1))
                for line in lines {
                    var tallest = 0.0
                    for item in line { tallest = max(tallest, naturalHeight(n.children[item.index], width: item.width)) }
                    total += tallest
                }
                content = total
            } else {
                let widths = rowWidths(n.children, inner: inner, gap: n.gap)
                content = zip(n.children, widths).reduce(0) { max($0, naturalHeight($1.0, width: $1.1)) }
            }
        }
        return max(n.minHeight, content + n.padding.top + n.padding.bottom)
    }

    /// The least height a node can take without clipping: a scroll view can shrink to a finger's height,
    /// text and fixed parts cannot.
    func minimumHeight(_ n: Node, width: Double) -> Double {
        if case let .fixed(h) = n.height { return h }
        let inner = width - n.padding.left - n.padding.right
        let pad = n.padding.top + n.padding.bottom
        switch n.content {
        case .scroll:
            return max(n.minHeight, pad)
        case .box where n.axis == .vertical:
            let sum = n.children.reduce(0) { $0 + minimumHeight($1, width: childWidth($1, inner: inner)) }
                + n.gap * Double(max(0, n.children.count - 1))
            return max(n.minHeight, sum + pad)
        case .box where n.axis == .horizontal:
            let widths = rowWidths(n.children, inner: inner, gap: n.gap)
            let tallest = zip(n.children, widths).reduce(0) { max($0, minimumHeight($1.0, width: $1.1)) }
            return max(n.minHeight, tallest + pad)
        case .box where n.axis == .stack:
            let tallest = n.children.reduce(0) { max($0, minimumHeight($1, width: childWidth($1, inner: inner))) }
            return max(n.minHeight, tallest + pad)
        default:
            return naturalHeight(n, width: width)
        }
    }

    func childWidth(_ c: Node, inner: Double) -> Double {
        switch c.width {
        case let .fixed(w): return min(w, inner)
        case .fill: return inner
        case .fit: return naturalWidth(c, available: inner)
        }
    }

    /// Widths of a row's children: fixed and fit first, the rest shared among fill children by weight.
    func rowWidths(_ children: [Node], inner: Double, gap: Double) -> [Double] {
        let free0 = inner - gap * Double(max(0, children.count - 1))
        var widths = [Double](repeating: 0, count: children.count)
        var used = 0.0, weights = 0.0
        for (i, c) in children.enumerated() {
            switch c.width {
            case let .fixed(w): widths[i] = w; used += w
            case .fit: widths[i] = naturalWidth(c, available: free0); used += widths[i]
            case let .fill(k): weights += k
            }
        }
        let free = max(0, free0 - used)
        for (i, c) in children.enumerated() {
            if case let .fill(k) = c.width { widths[i] = weights > 0 ? (free * k / weights).rounded(.down) : 0 }
        }
        return widths
    }

    /// A flow's lines: children at their fit widths, greedily, then each line's rest shared by its fill children.
    func flowLines(_ children: [Node], inner: Double, gap: Double) -> [[(index: Int, width: Double)]] {
        var lines: [[(index: Int, width: Double)]] = []
        var line: [(index: Int, width: Double)] = []
        var used = 0.0
        for (i, c) in children.enumerated() {
            // Whole pixels up: a share rounded down must never leave a label a fraction too narrow, which breaks its word.
            let w = min(inner, contentWidth(c, available: inner).rounded(.up))
            if !line.isEmpty, used + gap + w > inner {
                lines.append(line); line = []; used = 0
            }
            used += (line.isEmpty ? 0 : gap) + w
            line.append((i, w))
        }
        if !line.isEmpty { lines.append(line) }
        return lines.map { line in
            let used = line.reduce(0) { $0 + $1.width } + gap * Double(line.count - 1)
            let weights = line.reduce(0.0) { if case let .fill(k) = children[$1.index].width { return $0 + k } else { return $0 } }
            guard weights > 0, used < inner else { return line }
            // Equal shares when every fill child fits in its share (buttons of one width), else each keeps
            // its content and the rest is shared.
            let fixedWidth = line.reduce(0.0) { if case .fill = children[$1.index].width { return $0 } else { return $0 + $1.width } }
            let free = inner - fixedWidth - gap * Double(line.count - 1)
            let fitsEqual = line.allSatisfy { item in
                guard case let .fill(k) = children[item.index].width else { return true }
                return item.width <= (free * k / weights).rounded(.down)
            }
            if fitsEqual {
                return line.map { item in
                    guard case let .fill(k) = children[item.index].width else { return item }
                    return (item.index, (free * k / weights).rounded(.down))
                }
            }
            return line.map { item in
                guard case let .fill(k) = children[item.index].width else { return item }
                return (item.index, (item.width + (inner - used) * k / weights).rounded(.down))
            }
        }
    }

    // MARK: placing

    func place(_ n: Node, in rect: Rect, ctx: inout Context, scrollID: String?) {
        let visible = !rect.intersection(ctx.clip).isEmpty
        // Speech reads an element as one thing (its label, not the texts inside it), and any other text on its own.
        // A dialog's scrim takes taps outside the card; it is not an element, and what the card says is read.
        let element = n.id != nil && n.onTap != nil && n.semantics?.role != .dialog
        if ctx.insideElement == 0, n.semantics?.role != .dialog {
            if let sem = n.semantics, element || sem.role == .image || { if case .text = n.content { return true } else { return false } }() {
                if !sem.label.isEmpty { ctx.frame.reading.append(ReadingItem(id: n.id, semantics: sem, layer: ctx.layer, actionable: element)) }
            } else if n.semantics == nil, case let .text(s, _, _) = n.content, !s.isEmpty {
                ctx.frame.reading.append(ReadingItem(id: n.id, semantics: Semantics(s, role: .text), layer: ctx.layer, actionable: false))
            }
        }
        if element { ctx.insideElement += 1; ctx.elementIDs.append(n.id ?? "") }
        defer { if element { ctx.insideElement -= 1; ctx.elementIDs.removeLast() } }
        if visible {
            if let bg = n.background { ctx.frame.commands.append(.fill(rect, bg)) }
            if let b = n.border { ctx.frame.commands.append(.stroke(rect, b, width: 3)) }
        }
        if let id = n.id {
            let shown = rect.intersection(ctx.clip)
            // A scroll view is the drag target of its own area, not only of its children.
            var drags = scrollID
            if case .scroll = n.content { drags = id }
            if !shown.isEmpty || n.onTap != nil || n.onHold != nil {
                ctx.frame.hits.append(HitTarget(id: id, rect: shown, action: n.onTap, scrollID: drags, semantics: n.semantics,
                                                fullRect: rect, layer: ctx.layer, holdAction: n.onHold))
            }
        }
        let inner = rect.inset(n.padding)
        let opaque = n.background.map { $0.a == 255 } ?? false
        if opaque, let bg = n.background { ctx.backgrounds.append(bg) }
        defer { if opaque { ctx.backgrounds.removeLast() } }
        switch n.content {
        case let .text(s, role, color):
            guard visible else { return }
            ctx.frame.texts.append(s)
            let lh = lineHeight(role)
            let font = theme.font(role)
            let wrapped = shownLines(n, s, role, width: inner.width)
            ctx.frame.textBoxes.append(TextBox(text: s, rect: inner, neededHeight: Double(wrapped.count) * lh,
                                               widestLine: wrapped.reduce(0) { max($0, $1.width) },
                                               clip: ctx.clip, bounds: ctx.bounds.last ?? ctx.clip,
                                               scrollID: scrollID, layer: ctx.layer, font: font,
                                               brokenWord: wrapped.first(where: \.breaksWord)?.text, element: ctx.elementIDs.last))
            var y = inner.y
            if n.mainAlign == .center { y += max(0, (inner.height - Double(wrapped.count) * lh) / 2) }
            // Centre each line box on the font's own height so extra line spacing is shared above and below.
            let lead = ((lh - text.measurer.lineHeight(font: font)) / 2).rounded(.down)
            for line in wrapped {
                if y + lh >= ctx.clip.y, y <= ctx.clip.maxY, !line.text.isEmpty {
                    var x = inner.x
                    switch n.textAlign {
                    case .start: break
                    case .center: x += ((inner.width - line.width) / 2).rounded(.down)
                    case .end: x += inner.width - line.width
                    }
                    ctx.frame.commands.append(.text(line.text, origin: Point(x: x, y: y + lead), font: font, color: color,
                                                    background: ctx.backgrounds.last))
                }
                y += lh
            }
        case let .image(image):
            // Whole pixels per module even when the parent gave less room than asked: crisp, and readable.
            let drawn = image.snapped(in: inner)
            if visible, !drawn.isEmpty { ctx.frame.commands.append(.image(drawn, image)) }
        case .box:
            ctx.bounds.append(inner.intersection(ctx.bounds.last ?? inner))
            placeChildren(n, in: inner, ctx: &ctx, scrollID: scrollID)
            ctx.bounds.removeLast()
        case .scroll:
            let id = n.id ?? "scroll"
            let content = n.children.reduce(0) { $0 + naturalHeight($1, width: inner.width) }
                + n.gap * Double(max(0, n.children.count - 1)) + n.padding.top + n.padding.bottom
            let metrics = ScrollMetrics(viewport: rect.height, content: content)
            ctx.frame.scrolls[id] = metrics
            let offset = min(max(0, ctx.scroll[id] ?? 0), metrics.maxOffset)
            let clip = rect.intersection(ctx.clip)
            ctx.frame.commands.append(.pushClip(clip))
            ctx.clips.append(clip)
            // Content runs past the viewport by design; only its sides bound it.
            ctx.bounds.append(Rect(x: inner.x, y: -1e9, width: inner.width, height: 2e9))
            defer { ctx.bounds.removeLast() }
            // Content shorter than the viewport: fill children share the rest, so a screen that scrolls only
            // on a small panel (or in large text) still fills a big one.
            var heights = n.children.map { naturalHeight($0, width: inner.width) }
            let extra = rect.height - content
            let weights = n.children.reduce(0.0) { if case let .fill(k) = $1.height { return $0 + k } else { return $0 } }
            if extra > 0, weights > 0 {
                for (i, c) in n.children.enumerated() {
                    if case let .fill(k) = c.height { heights[i] += (extra * k / weights).rounded(.down) }
                }
            }
            var y = inner.y - offset
            for (i, c) in n.children.enumerated() {
                place(c, in: Rect(x: inner.x, y: y, width: inner.width, height: heights[i]), ctx: &ctx, scrollID: id)
                y += heights[i] + n.gap
            }
            ctx.clips.removeLast()
            ctx.frame.commands.append(.popClip)
            if metrics.maxOffset > 0 {
                // A scrollbar tells a resident there is more to read below.
                let w = theme.scrollbarWidth
                let thumbH = max(theme.minTarget / 2, rect.height * rect.height / content)
                let thumbY = rect.y + (rect.height - thumbH) * offset / metrics.maxOffset
                ctx.frame.commands.append(.fill(Rect(x: rect.maxX - w - 4, y: thumbY, width: w, height: thumbH), theme.scrollbar))
            }
        }
    }

    func placeChildren(_ n: Node, in inner: Rect, ctx: inout Context, scrollID: String?) {
        guard !n.children.isEmpty else { return }
        let gaps = n.gap * Double(n.children.count - 1)
        if n.axis == .flow {
            var y = inner.y
            for line in flowLines(n.children, inner: inner.width, gap: n.gap) {
                let h = line.map { naturalHeight(n.children[$0.index], width: $0.width) }.max() ?? 0
                var x = inner.x
                for item in line {
                    place(n.children[item.index], in: Rect(x: x, y: y, width: item.width, height: h), ctx: &ctx, scrollID: scrollID)
                    x += item.width + n.gap
                }
                y += h + n.gap
            }
        } else if n.axis == .stack {
            for (i, c) in n.children.enumerated() {
                if i > 0 { ctx.layer += 1 } // each later child is an overlay above the ones before
                place(c, in: inner, ctx: &ctx, scrollID: scrollID)
            }
        } else if n.axis == .vertical {
            let widths = n.children.map { childWidth($0, inner: inner.width) }
            var heights = [Double](repeating: 0, count: n.children.count)
            var used = 0.0, weights = 0.0
            for (i, c) in n.children.enumerated() {
                if case let .fill(k) = c.height { weights += k; continue }
                heights[i] = naturalHeight(c, width: widths[i]); used += heights[i]
            }
            if used > inner.height - gaps {
                // Too tall for the screen: scroll views of fit height give up the excess (a dialog's text
                // scrolls on a small panel instead of running off it).
                var excess = used - (inner.height - gaps)
                for (i, c) in n.children.enumerated() where excess > 0 {
                    guard case .scroll = c.content, case .fit = c.height else { continue }
                    let cut = min(excess, max(0, heights[i] - theme.minTarget))
                    heights[i] -= cut; used -= cut; excess -= cut
                }
                for (i, c) in n.children.enumerated() where excess > 0 {
                    // A column holding a scroll view (a dialog's card) gives up space the same way.
                    guard case .box = c.content, case .fit = c.height,
                          c.children.contains(where: { if case .scroll = $0.content { return true } else { return false } }) else { continue }
                    let cut = min(excess, max(0, heights[i] - theme.minTarget))
                    heights[i] -= cut; used -= cut; excess -= cut
                }
            }
            let free = max(0, inner.height - gaps - used)
            // Fill children share the rest by weight, but none gets less than its content needs (CSS flex's
            // min-height: auto): a taller tile row keeps its text inside, the others share what is left.
            var fixed = Set<Int>()
            var remaining = free, remainingWeights = weights
            var settled = false
            while !settled {
                settled = true
                for (i, c) in n.children.enumerated() where !fixed.contains(i) {
                    guard case let .fill(k) = c.height else { continue }
                    let share = remainingWeights > 0 ? remaining * k / remainingWeights : 0
                    let need = minimumHeight(c, width: widths[i])
                    if need > share {
                        heights[i] = need; fixed.insert(i)
                        remaining = max(0, remaining - need); remainingWeights -= k
                        settled = false
                    }
                }
            }
            for (i, c) in n.children.enumerated() where !fixed.contains(i) {
                if case let .fill(k) = c.height { heights[i] = remainingWeights > 0 ? (remaining * k / remainingWeights).rounded(.down) : 0 }
            }
            var y = inner.y
            if weights == 0 {
                switch n.mainAlign {
                case .start: break
                case .center: y += (free / 2).rounded(.down)
                case .end: y += free
                }
            }
            for (i, c) in n.children.enumerated() {
                var x = inner.x
                switch n.crossAlign {
                case .start: break
                case .center: x += ((inner.width - widths[i]) / 2).rounded(.down)
                case .end: x += inner.width - widths[i]
                }
                place(c, in: Rect(x: x, y: y, width: widths[i], height: heights[i]), ctx: &ctx, scrollID: scrollID)
                y += heights[i] + n.gap
            }
        } else {
            let widths = rowWidths(n.children, inner: inner.width, gap: n.gap)
            var x = inner.x
            let used = widths.reduce(0, +) + gaps
            if !n.children.contains(where: { if case .fill = $0.width { return true } else { return false } }) {
                switch n.mainAlign {
                case .start: break
                case .center: x += ((inner.width - used) / 2).rounded(.down)
                case .end: x += inner.width - used
                }
            }
            for (i, c) in n.children.enumerated() {
                var h = inner.height
                var y = inner.y
                switch c.height {
                case let .fixed(v): h = v
                case .fill: break
                case .fit: h = naturalHeight(c, width: widths[i])
                }
                switch n.crossAlign {
                case .start: break
                case .center: y += ((inner.height - h) / 2).rounded(.down)
                case .end: y += inner.height - h
                }
                place(c, in: Rect(x: x, y: y, width: widths[i], height: h), ctx: &ctx, scrollID: scrollID)
                x += widths[i] + n.gap
            }
        }
    }
}
