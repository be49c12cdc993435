// Shared pieces of every screen: header, buttons, the navigation bar, pages, messages and dialogs. Sizes
// come from the theme only.
import KioskCore

public struct ViewContext: Sendable {
    public var size: Size
    public var theme: Theme
    public init(size: Size, theme: Theme) { self.size = size; self.theme = theme }
}

/// Builders for each screen; `s` is the state, `t` the theme. Each room adds its screens in an extension.
struct Screens {
    let s: AppState
    let t: Theme
    let size: Size
    var lang: Language { s.language }
    func str(_ k: StringKey, _ args: [String: Strings.Argument] = [:]) -> String { Strings.text(k, lang, args) }

    func header(_ title: String, _ subtitle: String?) -> Node {
        var children = [Node.text(title, .title, t.headerText).semantics(Semantics(title, role: .heading))]
        if let subtitle { children.append(.text(subtitle, .small, t.headerSubtext)) }
        return Node.column(gap: t.smallGap, padding: .xy(t.spacing, t.spacing * 0.75), children)
            .height(.fit).background(t.primary).align(main: .center)
    }

    func button(_ id: String, _ label: String, _ action: Action, filled: Bool = true, state: [String] = []) -> Node {
        let pressed = s.pressed == id
        let bg = filled ? (pressed ? t.primaryPressed : t.primary) : (pressed ? t.navBar.darkened(0.9) : t.surface)
        var n = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding),
                            [.text(label, .button, filled ? t.onPrimary : t.primary, align: .center)])
            .background(bg).border(filled ? nil : t.primary).align(main: .center)
            .onTap(action, id: id)
        n.minHeight = t.minTarget
        n.minWidth = t.minTarget
        n.semantics = Semantics(label, role: .button, state: state)
        return n
    }

    /// The large-text switch, on every screen.
    func largeTextToggle() -> Node {
        let on = s.largeText
        var b = button(ElementID.largeText, on ? str(.largeTextOff) : str(.largeTextOn), .toggleLargeText, filled: on,
                       state: [on ? str(.stateOn) : str(.stateOff)])
        b.semantics?.label = str(.largeTextLabel)
        return b.width(.fit)
    }

    /// A switch whose state shows in its shape and its words, not in colour alone: filled with a tick when on.
    func toggle(_ id: String, _ label: String, spoken: String, on: Bool, _ action: Action) -> Node {
        var b = button(id, on ? "✓ " + label : label, action, filled: on, state: [on ? str(.stateOn) : str(.stateOff)])
        b.semantics?.label = spoken
        return b.width(.fit)
    }

    /// Speech output, on every screen, so a resident who cannot see finds it wherever they start.
    func speechToggle() -> Node {
        toggle(ElementID.speech, str(.a11ySpeech), spoken: str(.a11ySpeechLabel), on: s.speech.on, .toggleSpeech)
    }

    func contrastToggle() -> Node {
        toggle(ElementID.contrast, str(.a11yContrast), spoken: str(.a11yContrastLabel), on: s.highContrast, .toggleContrast)
    }

    /// One row where the labels fit; in large text on a narrow panel the switches wrap to a second line
    /// rather than cut a word.
    func navBar() -> Node {
        var bar = Node.flow(gap: t.gap, [
            Node.row(gap: t.gap, [
                button(ElementID.navBack, str(.navBack), .back).width(.fill(1)),
                button(ElementID.navHome, str(.navHome), .home).width(.fill(1)),
            ]).width(.fill(2)).height(.fit),
            Node.row(gap: t.gap, [speechToggle().width(.fill()), largeTextToggle()]).width(.fill(1)).height(.fit),
        ])
        bar.padding = .all(t.gap * 0.75)
        return bar.height(.fit).background(t.navBar)
    }

    /// A plain screen: header, content that takes the rest, and the navigation bar at the bottom,
    /// where a seated or short resident reaches it.
    func page(title: String, subtitle: String?, body: Node) -> Node {
        Node.column([header(title, subtitle), body.height(.fill()), navBar()]).height(.fill())
    }

    func message(_ k: StringKey) -> Node {
        Node.column(padding: .all(t.spacing * 2), [.text(str(k), .body, t.textMuted, align: .center)]).height(.fill()).align(main: .center)
    }

    /// Lines of about 70 characters read best; on a wide landscape screen the text column is centred.
    func readingPadding(width: Double? = nil) -> Insets {
        let w = width ?? size.width
        let side = max(t.spacing, ((w - t.readingWidth) / 2).rounded(.down))
        return Insets(top: t.spacing, left: side, bottom: t.spacing, right: side)
    }

    func dialog(scrimID: String, scrimAction: Action, _ children: [Node]) -> Node {
        let width = min(size.width - 2 * t.spacing, t.dialogWidth)
        var content = Node(id: ElementID.dialogBody, .scroll)
        content.gap = t.spacing
        content.padding = .all(t.spacing * 1.5)
        content.children = children
        content.height = .fit
        // The border keeps the card's edge where the card and the dimmed screen are both dark (high contrast).
        let card = Node.column([content]).width(.fixed(width)).background(t.surface).border(t.border)
            .semantics(Semantics(str(.roleDialog), role: .dialog))
        var scrim = Node.column(padding: .all(t.spacing), [card]).background(t.scrim).align(main: .center, cross: .center)
            .height(.fill()).onTap(scrimAction, id: scrimID)
        scrim.semantics = Semantics(str(.roleDialog), role: .dialog)
        return scrim
    }
}

extension Node {
    /// Keeps a touch target at least a finger's size even when its text is short.
    func asMinimum(_ minimum: Double) -> Node {
        var n = self
        n.minHeight = minimum
        return n
    }
}
