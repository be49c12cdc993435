// Speech mode in the loop: after each action the engine compares what is shown with what it last said and
// asks speech output for the difference (a new screen or dialog, the focus moving, a volume step).
import KioskCore

extension KioskEngine {
    func narrateChanges(after action: Action) {
        let settings = state.speech
        let before = narrated.settings
        narrated.settings = settings
        let receipt = narrated.receipt
        narrated.receipt = []
        defer { narrated.typed = nil }
        guard settings.on else {
            if before.on {
                narrated = Narrated()
                router.run(.speech(.stop))
            }
            return
        }
        if settings.paused != before.paused, before.on {
            router.run(.speech(.pause(settings.paused)))
            if settings.paused { return }
        }
        let f = frame()
        let context = Narration.context(f)
        let language = state.language
        var pieces: [String] = []
        let texts = Narration.texts(f)
        defer { narrated.texts = Set(texts) }
        if !before.on {
            narrated.context = context
            narrated.focus = state.keyFocus
            pieces = [Strings.text(.speechStarted, language)] + Narration.arrival(f, language: language) + [Strings.text(.speechHint, language)]
        } else if context != narrated.context {
            narrated.context = context
            narrated.focus = state.keyFocus
            pieces = Narration.arrival(f, language: language)
        } else if state.keyFocus != narrated.focus {
            narrated.focus = state.keyFocus
            if let item = focusedItem(f) { pieces = [Narration.describe(item, language: language)] }
        } else if let typed = narrated.typed {
            pieces = [typed]
        } else if case .tick = action {
            // The clock moves a countdown; that is not news to read out every second.
        } else if case .scrollLimits = action {
        } else if !texts.filter({ !narrated.texts.contains($0) }).isEmpty {
            // What an answer or an action added to the same screen: a ticket's status, a field's error.
            pieces = texts.filter { !narrated.texts.contains($0) }
        } else if settings.volumeStep != before.volumeStep || settings.rateStep != before.rateStep {
            pieces = [Strings.text(.a11ySpeechLevel, language, [
                "volume": .number(settings.volumeStep + 1), "volumes": .number(SpeechSettings.volumeSteps),
                "rate": .number(settings.rateStep + 1), "rates": .number(SpeechSettings.rates.count),
            ])]
        }
        // A receipt sent to the printer is read after the screen that announced it, not cut off by it.
        say(pieces + receipt)
    }

    /// The Help key: turns speech on, or says again where the resident is.
    func help() {
        guard state.speech.on else {
            send(.toggleSpeech)
            return
        }
        let f = frame()
        if let item = focusedItem(f) {
            say([Narration.describe(item, language: state.language)])
        } else {
            say(Narration.arrival(f, language: state.language))
        }
    }

    /// The receipt's text as it will be printed (its own layout at a thermal printer's width), piece by piece.
    func sayReceipt(_ r: ReceiptRequest) {
        let paper = Receipt.theme(dotsAcross: 576)
        let f = layoutEngine.layoutFitting(Receipt.ticket(r, theme: paper, width: 576), width: 576)
        narrated.receipt += [Strings.text(.speechReceipt, state.language)]
            + f.reading.flatMap { item in Narration.paragraphs(item.semantics.label).map(Narration.spokenForm) }.filter { !$0.isEmpty }
    }

    /// What speech would say on this screen now, as `kiosk speak` writes it.
    public var screenNarration: [String] { Narration.arrival(frame(), language: state.language) }

    private func focusedItem(_ f: Frame) -> ReadingItem? {
        guard let id = state.keyFocus else { return nil }
        return Narration.topItems(f).last { $0.id == id }
    }

    private func say(_ pieces: [String]) {
        guard !pieces.isEmpty else { return }
        router.run(.speech(.say(pieces, language: state.language, settings: state.speech)))
    }
}
