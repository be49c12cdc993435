// The text field on screen: value or placeholder, a caret when focused, the counter near the limit and
// the error under it, in the resident's language.
import KioskCore

extension Screens {
    func textField(_ id: String, lastLines: Int? = nil) -> Node {
        guard let f = s.fields[id] else { return Node() }
        let focused = s.focus == id
        let value = f.value
        let shown: Node
        if value.isEmpty {
            shown = Node.text(str(f.placeholder) + (focused ? " ▏" : ""), .body, t.textMuted)
        } else {
            // Trailing spaces become non-breaking so the caret stays on the line of the last word.
            let trailing = value.reversed().prefix { $0 == " " }.count
            let display = String(value.dropLast(trailing)) + String(repeating: "\u{00A0}", count: trailing) + (focused ? "▏" : "")
            shown = Node.text(display, .heading, t.text)
        }
        var line = shown
        // A long value scrolls in the field and the keyboard stays; the placeholder wraps whole.
        if !value.isEmpty, !f.multiline { line.lastLines = lastLines ?? 1 }
        // A long description being typed shows its last lines, where the caret is, above the keyboard; the
        // whole text when the field is left (and on the review).
        if !value.isEmpty, f.multiline, focused { line.lastLines = 5 }
        var box = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding), [line]).background(t.surface)
            .border(focused ? t.primary : t.border).align(main: .center).width(.fill())
            .onTap(.field(.focus(id)), id: id)
        box.minHeight = t.minTarget
        var spoken = [str(.roleTextField), str(.fieldCharacters, ["count": .number(value.count)])]
        if focused { spoken.append(str(.stateFocused)) }
        // An empty field's hint is heard as it is seen.
        if value.isEmpty { spoken.append(str(f.placeholder)) }
        box.semantics = Semantics(value.isEmpty ? fieldName(f) : "\(fieldName(f)): \(value)", role: .text, state: spoken)
        var below: [Node] = []
        if let error = f.error {
            below.append(Node.text(errorText(error, field: f), .small, t.error).semantics(Semantics(errorText(error, field: f), role: .text)))
        }
        if f.showsCounter {
            below.append(Node.text(str(.fieldCounter, ["count": .number(value.count), "limit": .number(f.maxLength)]), .small,
                                   value.count >= f.maxLength ? t.error : t.textMuted, align: .end))
        }
        guard !below.isEmpty else { return box }
        return Node.column(gap: t.smallGap, [box] + below).height(.fit)
    }

    func fieldName(_ f: TextFieldState) -> String { f.name?[lang] ?? str(f.label) }

    func errorText(_ e: FieldError, field f: TextFieldState) -> String {
        let name = fieldName(f)
        switch e {
        case let .tooLong(limit): return str(.fieldTooLong, ["field": .text(name), "limit": .number(limit)])
        case .refusedCharacters: return str(.fieldRefusedCharacters, ["field": .text(name)])
        case .notAllowed(.number), .notAllowed(.datetime): return str(.fieldDigitsOnly, ["field": .text(name)])
        case .notAllowed(.phone): return str(.fieldPhoneOnly, ["field": .text(name)])
        case .notAllowed(.email): return str(.fieldEmailOnly, ["field": .text(name)])
        case .notAllowed(.ticket): return str(.fieldTicketOnly, ["field": .text(name)])
        case .notAllowed(.text): return str(.fieldRefusedCharacters, ["field": .text(name)])
        }
    }
}
