// Keypad and keyboard navigation (EN 301 549 5.1.6, operation without vision or fine touch): the focus moves
// through a frame's actionable elements in reading order, so every flow can be done with arrows and Enter.
// The order comes from the laid-out frame, not from each screen, so a new screen is navigable as it is drawn.

extension Frame {
    /// What arrows move through: the actionable elements of the topmost layer that has any (an open dialog
    /// keeps the focus inside it), in the order they were laid out, which is reading order. Elements
    /// scrolled out of view are included; focusing one scrolls it in.
    public var focusOrder: [HitTarget] {
        let actionable = hits.filter { $0.action != nil && $0.semantics?.role != .dialog && !$0.fullRect.isEmpty }
        guard let top = actionable.map(\.layer).max() else { return [] }
        var seen = Set<String>()
        return actionable.filter { $0.layer == top && seen.insert($0.id).inserted }
    }

    /// A two-tone ring, dark outside and light inside, so one of its colours stands out at 3:1 or more
    /// against any background (WCAG 2.4.7 and 1.4.11); drawn last, above everything.
    mutating func drawFocusRing(around id: String, theme: Theme) {
        guard let t = focusOrder.first(where: { $0.id == id }), !t.rect.isEmpty else { return }
        let w = theme.focusRingWidth
        let inner = t.rect.outset(w), outer = t.rect.outset(2 * w)
        commands.append(.stroke(outer, theme.focusRingOuter, width: w))
        commands.append(.stroke(inner, theme.focusRingInner, width: w))
    }
}

extension Rect {
    func outset(_ d: Double) -> Rect { Rect(x: x - d, y: y - d, width: width + 2 * d, height: height + 2 * d) }
}

extension KioskEngine {
    /// Keys of the on-screen keyboard are a grid: up and down move between its rows.
    static func isGridKey(_ id: String) -> Bool { id.hasPrefix("keyboard.") }

    func moveFocus(_ key: InputEvent.Key) {
        let f = frame()
        let order = f.focusOrder
        let current = order.firstIndex { $0.id == state.keyFocus }
        let forward = key == .down || key == .right
        // Reading on: down (or up) first scrolls the text the focus is in, a page at a time, before it jumps
        // past it, so an article between two buttons is read, not skipped.
        if key == .down || key == .up, let id = current.map({ order[$0].scrollID }) ?? visibleScrollID,
           let m = f.scrolls[id] {
            let offset = state.scroll[id] ?? 0
            let canScroll = forward ? offset < m.maxOffset - 0.5 : offset > 0.5
            let neighbour = current.flatMap { i in order.indices.contains(i + (forward ? 1 : -1)) ? order[i + (forward ? 1 : -1)] : nil }
                ?? (current == nil ? (forward ? order.first : order.last) : nil)
            let neighbourInView = neighbour.map { $0.scrollID == id && !$0.rect.isEmpty && $0.rect.height >= $0.fullRect.height - 0.5 } ?? false
            if canScroll, !neighbourInView {
                send(.scrollBy(id, (forward ? 1 : -1) * (m.viewport * 0.85).rounded(.down)))
                return
            }
        }
        guard !order.isEmpty else { return }
        let next: Int
        var column: Double?
        if let i = current, key == .up || key == .down, Self.isGridKey(order[i].id) {
            // The column a vertical move started in is kept, so down and up again come back to the same key
            // across rows that are offset from each other.
            column = gridColumn ?? order[i].fullRect.center.x
            next = gridNeighbour(order, from: i, up: key == .up, column: column ?? 0)
        } else if let i = current {
            next = (i + (forward ? 1 : order.count - 1)) % order.count
        } else {
            next = forward ? 0 : order.count - 1
        }
        gridColumn = Self.isGridKey(order[next].id) ? column : nil
        send(.keyFocus(order[next].id))
        let after = frame()
        if let t = after.target(id: order[next].id) { reveal(t, in: after) }
    }

    /// The key straight above or below, or out of the keyboard past its first or last row.
    private func gridNeighbour(_ order: [HitTarget], from i: Int, up: Bool, column: Double) -> Int {
        let here = Point(x: column, y: order[i].fullRect.center.y)
        let keys = order.indices.filter { Self.isGridKey(order[$0].id) }
        let rowAside = keys.filter { up ? order[$0].fullRect.center.y < here.y - 1 : order[$0].fullRect.center.y > here.y + 1 }
        guard let rowY = (up ? rowAside.map({ order[$0].fullRect.center.y }).max() : rowAside.map({ order[$0].fullRect.center.y }).min()) else {
            let edge = up ? (keys.first ?? i) - 1 : (keys.last ?? i) + 1
            return (edge + order.count) % order.count
        }
        let row = rowAside.filter { abs(order[$0].fullRect.center.y - rowY) < 1 }
        return row.min { abs(order[$0].fullRect.center.x - here.x) < abs(order[$1].fullRect.center.x - here.x) } ?? i
    }

    /// Enter does what a tap on the focused element does.
    func activateFocus() {
        guard let id = state.keyFocus, let t = frame().focusOrder.first(where: { $0.id == id }), let action = t.action else { return }
        // A key of the on-screen keyboard is echoed, as a screen reader does, so a resident who cannot see
        // knows what went into the field.
        if state.speech.on, Self.isGridKey(id) { narrated.typed = t.semantics?.label }
        send(action)
    }

    /// The element the keypad focus is on, if it is on this screen's topmost layer.
    public var keypadFocus: HitTarget? {
        guard let id = state.keyFocus else { return nil }
        return frame().focusOrder.first { $0.id == id }
    }
}
