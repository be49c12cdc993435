// The accessibility statement (EAA, EN 301 549 clause 12): what the kiosk offers, how to use speech and the
// keypad, and where to get help, with speech's own controls beside the text that explains them.
import KioskCore

extension Screens {
    func accessibilityStatement() -> Node {
        let paragraphs: [StringKey] = [.a11yStatementIntro, .a11yStatementSpeech, .a11yStatementKeypad, .a11yStatementLook,
                                       .a11yStatementTime, .a11yStatementHelp]
        let sp = s.speech
        let level = str(.a11ySpeechLevel, ["volume": .number(sp.volumeStep + 1), "volumes": .number(SpeechSettings.volumeSteps),
                                           "rate": .number(sp.rateStep + 1), "rates": .number(SpeechSettings.rates.count)])
        let controls: [(SpeechSettings.Control, StringKey)] = [(.quieter, .a11yVolumeDown), (.louder, .a11yVolumeUp),
                                                               (.slower, .a11yRateDown), (.faster, .a11yRateUp),
                                                               (.pause, sp.paused ? .a11yResume : .a11yPause)]
        var body = Node(id: ElementID.accessibilityBody, .scroll)
        body.gap = t.gap
        body.padding = readingPadding()
        body.children = paragraphs.map { Node.text(str($0), .body, t.text) } + [
            Node.text(str(.a11ySpeechControls), .heading, t.text).semantics(Semantics(str(.a11ySpeechControls), role: .heading)),
            Node.text(level, .body, t.text),
            Node.flow(gap: t.gap, controls.map { c, label in
                button(ElementID.speechControl(c), str(label), .speech(c), filled: false).width(.fill())
            }).height(.fit),
            Node.flow(gap: t.gap, [speechToggle().width(.fill()), contrastToggle().width(.fill())]).height(.fit),
        ]
        return page(title: str(.a11yStatementTitle), subtitle: nil, body: body)
    }
}
