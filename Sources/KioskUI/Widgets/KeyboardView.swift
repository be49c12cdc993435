// The on-screen keyboard on screen: the focused field's layout, keys of one width, capitals via shift.
import KioskCore

extension Screens {
    var keyboardLayout: KeyboardLayout {
        let kind = s.focus.flatMap { s.fields[$0]?.kind } ?? .text
        return KeyboardLayout.forField(kind, language: lang, latin: s.keyboard.latin)
    }

    /// `height`: the most the keyboard may take; keys get lower down to 20 mm to fit it.
    func onScreenKeyboard(width: Double, height: Double? = nil) -> Node {
        let layout = keyboardLayout
        let cols = Double(layout.columns)
        // Every key of a layout has one width, so shorter rows centre rather than stretch.
        let keyWidth = ((width - (cols - 1) * t.keyGap) / cols).rounded(.down)
        let rows = Double(layout.rows.count + 1)
        let fitting = height.map { (($0 - (rows - 1) * t.keyGap) / rows).rounded(.down) } ?? t.keyHeight
        let keyHeight = max(t.minTouch, min(t.keyHeight, fitting))
        let shift = s.keyboard.shift && layout.hasLetters
        var lines: [Node] = layout.rows.map { row in
            Node.row(gap: t.keyGap, row.map { ch in
                let label = shift ? ch.uppercased() : ch
                return key(ElementID.key(ch), label, .keyboard(.key(ch)), spoken: label).width(.fixed(keyWidth))
            }).height(.fixed(keyHeight)).align(main: .center)
        }
        var controls: [Node] = []
        if layout.hasLetters {
            var k = key(ElementID.keyShift, "⇧", .keyboard(.toggleShift), spoken: str(.keyShift), on: s.keyboard.shift)
            k.semantics?.state = [s.keyboard.shift ? str(.stateOn) : str(.stateOff)]
            controls.append(k.width(.fill(1.2)))
        }
        if lang == .uk, layout == .ukrainian || layout == .polish, s.focus.flatMap({ s.fields[$0]?.kind }) ?? .text == .text {
            let label = s.keyboard.latin ? str(.keyCyrillic) : str(.keyLatin)
            controls.append(key(ElementID.keyLayout, label, .keyboard(.toggleLatin), spoken: label).width(.fill(1.2)))
        }
        if layout == .ukrainian {
            controls.append(key(ElementID.key("'"), "'", .keyboard(.key("'")), spoken: "'").width(.fixed(keyWidth)))
        }
        if layout.hasSpace {
            controls.append(key(ElementID.keySpace, str(.keySpace), .keyboard(.key(" ")), spoken: str(.keySpace)).width(.fill(3)))
        }
        controls.append(key(ElementID.keyBackspace, "⌫", .field(.backspace), spoken: str(.keyBackspace)).width(.fill(1.6)))
        lines.append(Node.row(gap: t.keyGap, controls).height(.fixed(keyHeight)))
        return Node.column(gap: t.keyGap, lines).height(.fit)
    }

    func key(_ id: String, _ label: String, _ action: Action, spoken: String, on: Bool = false) -> Node {
        let bg = s.pressed == id ? t.navBar.darkened(0.85) : (on ? t.navBar : t.keyColor)
        var n = Node.column([.text(label, .button, t.text, align: .center)])
            .background(bg).border(on ? t.primary : t.border)
            .align(main: .center).height(.fill())
            .onTap(action, id: id)
        n.semantics = Semantics(spoken, role: .button)
        return n
    }
}
