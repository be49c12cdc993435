import Foundation
import KioskCore
import KioskSpeech
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// Every screen the tests reach, the accessibility statement among them.
let spokenScreens = allScreens + liveScreens

func words(_ s: String) -> [String] {
    s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
}

/// Runs script lines against a test kiosk, as `kiosk run --headless --script` does.
func runSteps(_ k: Kiosk, _ clock: ManualClock, _ lines: [String]) throws {
    let steps = try Script.parse(lines.joined(separator: "\n"))
    try ScriptRunner(engine: k.engine, clock: clock, shot: { _, _ in }).run(steps)
}

@Suite struct SpeechOfEveryScreen {
    /// Speech rendered through espeak-ng for every screen in three languages: not silent, of a length that
    /// fits its words, in the language's voice, every word said, and nothing drawn on the screen left unsaid.
    @Test(arguments: spokenScreens)
    func everyScreenIsSpokenInEveryLanguage(screen: String) throws {
        let synth = try Synthesizer.shared()
        for lang in Language.allCases {
            let (k, _) = try testKiosk()
            k.engine.send(.setLanguage(lang))
            k.engine.send(.toggleSpeech)
            try go(k, screen)
            let pieces = k.engine.screenNarration
            let name = "\(screen) \(lang.rawValue)"
            #expect(!pieces.isEmpty, "\(name) says nothing")
            // Piece by piece, as the kiosk speaks them.
            let text = pieces.joined(separator: " ")
            let audio = try pieces.map { try synth.synthesize($0, language: lang, wordsPerMinute: k.engine.state.speech.wordsPerMinute) }
            let spoken = SpokenAudio(samples: SpeechAudio.join(audio.map(\.samples), sampleRate: synth.sampleRate), sampleRate: synth.sampleRate,
                                     words: audio.flatMap(\.words), voice: audio.first?.voice ?? "")
            #expect(audio.allSatisfy { $0.voice.hasPrefix(lang.rawValue) }, "\(name): voice \(spoken.voice)")
            // espeak-ng's word events are what it said. It joins an unstressed word to its neighbour ("the city's")
            // and reports no event for a lone letter (a keyboard key), so it is held to saying each piece to its
            // last word and to reporting most words, not to an exact list.
            for (piece, said) in zip(pieces, audio) {
                // The last word runs from the last space before its last letter or digit ("E-mail", "(необов'язково)");
                // a lone letter or digit at the end (a ticket's check character) has no event, the word before it does.
                let tokens = piece.split(whereSeparator: \.isWhitespace).filter { $0.unicodeScalars.filter(CharacterSet.alphanumerics.contains).count >= 2 }
                let lastWord = tokens.last.map { piece.unicodeScalars.distance(from: piece.unicodeScalars.startIndex, to: $0.startIndex) } ?? 0
                #expect((said.wordStarts.max() ?? -1) >= lastWord - 1, "\(name): \"\(piece)\" was not said to its last word")
            }
            let expected = words(text).filter { $0.count >= 2 }.count
            #expect(Double(spoken.words.count) >= 0.85 * Double(expected), "\(name): \(spoken.words.count) words said of \(expected)")
            let count = Double(words(text).count)
            #expect(spoken.duration > 0.1 * count && spoken.duration < 1.5 * count, "\(name): \(spoken.duration) s for \(Int(count)) words")
            #expect(SpeechAudio.level(spoken.samples) > -35, "\(name): \(SpeechAudio.level(spoken.samples)) dBFS")
            // Whatever the topmost layer draws as text is in what is said (pictograms aside).
            let f = k.engine.frame()
            let top = f.reading.map(\.layer).max() ?? 0
            let said = Set(words(pieces.joined(separator: " ")))
            // Switches whose face is a symbol or a short word are said by their full name (A+ is "Duży tekst").
            // Language buttons are named in the screen's language, for its voice ("ukraiński").
            let namedOtherwise = Set<String>([ElementID.largeText, ElementID.speech, ElementID.contrast, ElementID.maintenancePinOK,
                                               ElementID.maintenancePinDelete])
                .union(Language.allCases.map { ElementID.language($0.rawValue) })
            for box in f.textBoxes where box.layer == top && !namedOtherwise.contains(box.element ?? "") {
                let missing = words(Narration.spokenForm(box.text)).filter { !said.contains($0) }
                #expect(missing.isEmpty, "\(name): \"\(box.text)\" is drawn but \(missing) is never said")
            }
        }
    }
}

@Suite struct SpeechMode {
    @Test func aKeypadOnlyFilingWithSpeechReachesTheTicketAndSaysEveryStep() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, [
            "expect-screen home", "focus a11y.speech", "key enter",
            "focus home.report", "key enter", "focus report.service.item.0", "key enter",
            "focus report.threat.no", "key enter", "focus report.location.here", "key enter", "focus report.next", "key enter",
            "focus report.description", "key enter", #"type "Nie świeci latarnia przy przejściu dla pieszych.""#,
            "focus report.next", "key enter", "focus report.contact.skip", "key enter", "focus report.submit", "key enter",
            "expect-screen ticket",
        ])
        let said = k.speech.spokenPieces
        #expect(said.first == Strings.text(.speechStarted, .pl))
        // Each step's title was said on arrival, and the ticket's number digit by digit.
        for title in [Strings.text(.reportTitle, .pl), Strings.text(.reportReviewTitle, .pl), Strings.text(.ticketTitle, .pl)] {
            #expect(said.contains { $0.contains(title) }, "\(title) never said")
        }
        let number = try #require(k.engine.state.report.ticket?.number)
        let spelled = number.split(separator: "-").map { $0.map(String.init).joined(separator: " ") }
        #expect(said.contains { p in spelled.allSatisfy { p.contains($0) } }, "the ticket \(number) is not spelled in \(said.suffix(20))")
        // The focus moves were said as elements: label and role.
        #expect(said.contains { $0.hasPrefix(Strings.text(.reportSubmit, .pl)) && $0.contains(Strings.text(.roleButton, .pl)) })
    }

    /// With a printer, the receipt is read after the ticket screen that announces it, its number spelled.
    @Test func theReceiptIsReadBeforeItPrints() throws {
        var config = KioskConfig()
        config.printer.queue = "receipt80"
        config.site.hasPrinter = true
        let (k, clock) = try testKiosk(config: config)
        k.engine.send(.toggleSpeech)
        let press = ["home.report", "report.service.item.0", "report.threat.no", "report.location.here", "report.next", "report.description"]
        try runSteps(k, clock, press.flatMap { ["focus \($0)", "key enter"] } + [#"type "Latarnia nie świeci.""#]
                     + ["report.next", "report.contact.skip", "report.submit"].flatMap { ["focus \($0)", "key enter"] } + ["expect-screen ticket"])
        let said = k.speech.spokenPieces
        let start = try #require(said.lastIndex(of: Strings.text(.speechReceipt, .pl)), "the receipt was not read")
        let ticket = try #require(said.firstIndex { $0.contains(Strings.text(.ticketTitle, .pl)) })
        #expect(ticket < start, "the receipt was read before the ticket screen")
        let number = try #require(k.engine.state.report.ticket?.number)
        #expect(said[start...].contains { $0.contains(number.split(separator: "-").last.map(String.init) ?? "?") })
    }

    /// An answer on the same screen is said when it comes (the ticket's status), and a key of the on-screen
    /// keyboard is echoed.
    @Test func whatAppearsOnTheSameScreenIsSaidAndKeysAreEchoed() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, ["key help", "focus home.ticket", "key enter", "focus ticket-lookup.number", "key enter",
                                "focus keyboard.key.P", "key enter"])
        #expect(k.speech.spokenPieces.last == "P")
        try runSteps(k, clock, [#"type "T1-261201-0042-R""#, "focus ticket-lookup.submit", "key enter"])
        let answer = Narration.spokenForm(Strings.text(.lookupUnreachable, .pl, ["number": .text("PT1-261201-0042-R")]))
        #expect(k.speech.spokenPieces.suffix(3).contains(answer), "\(k.speech.spokenPieces.suffix(3))")
    }

    @Test func aFirstTouchSpeaksAndASecondOneActs() throws {
        let (k, clock) = try testKiosk()
        k.engine.send(.toggleSpeech)
        try runSteps(k, clock, ["tap home.kb", "expect-screen home"])
        #expect(k.engine.state.keyFocus == ElementID.homeKB)
        #expect(k.speech.spokenPieces.last?.hasPrefix(Strings.text(.tileKB, .pl)) == true)
        try runSteps(k, clock, ["tap home.kb", "expect-screen categories"])
    }

    @Test func speechDoublesTheIdleTimeSpeaksTheWarningAndAnyKeyGivesMoreTime() throws {
        let (k, clock) = try testKiosk()
        let idle = k.config.idle
        try runSteps(k, clock, ["tap home.kb", "tap a11y.speech", "tap a11y.speech"]) // focus it, then switch it on
        #expect(k.engine.state.speech.on)
        try runSteps(k, clock, ["wait \(Int(idle.warnAfter + 5))s"])
        #expect(k.engine.state.resetAt == nil, "warned after \(idle.warnAfter) s with speech on")
        try runSteps(k, clock, ["wait \(Int(idle.warnAfter))s"])
        let resetAt = try #require(k.engine.state.resetAt)
        #expect(resetAt - clock.now >= max(20, idle.resetAfter * 2) - 6)
        #expect(k.speech.spokenPieces.contains(Strings.text(.idleTitle, .pl)), "the warning was not said")
        // The countdown ticks on screen, not in the resident's ears.
        let asked = k.speech.requests.count
        try runSteps(k, clock, ["wait 5s"])
        #expect(k.speech.requests.count == asked)
        try runSteps(k, clock, ["key down"])
        #expect(k.engine.state.resetAt == nil && k.engine.state.screen == .categories)
        // At the reset speech stops, and the next resident starts without it.
        try runSteps(k, clock, ["wait 20m", "expect-screen home"])
        #expect(!k.engine.state.speech.on)
        #expect(k.speech.requests.last == .stop)
    }

    @Test func helpTurnsSpeechOnThenRepeatsAndVolumeKeysStep() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, ["key help"])
        #expect(k.engine.state.speech.on)
        let before = k.speech.requests.count
        try runSteps(k, clock, ["key help"])
        #expect(k.speech.requests.count == before + 1)
        let volume = k.engine.state.speech.volumeStep
        try runSteps(k, clock, ["key vol-", "key vol-"])
        #expect(k.engine.state.speech.volumeStep == volume - 2)
        try runSteps(k, clock, ["key pause"])
        #expect(k.engine.state.speech.paused && k.speech.requests.last == .pause(true))
    }
}

@Suite struct KeypadNavigation {
    /// Browse, read, search and check a ticket with the keypad alone, as the filing test does for reporting.
    @Test func everyOtherFlowIsDoneWithTheKeypadAlone() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, [
            "focus home.kb", "key enter", "expect-screen categories", "focus categories.item.0", "key enter",
            "expect-screen articles", "focus articles.item.0", "key enter", "expect-screen article",
            "key down", "key down", "key back", "key back", "key back", "expect-screen home",
            "focus home.search", "key enter", "expect-screen search", "focus keyboard.key.d", "key enter", "focus keyboard.key.o",
            "key enter", "focus keyboard.key.w", "key enter", "focus search.results.item.0", "key enter", "expect-screen article",
            "key back", "key back", "expect-screen home",
            "focus home.ticket", "key enter", "expect-screen ticket-lookup", "focus ticket-lookup.number", "key enter",
            #"type "PT1-261201-0042-R""#, "focus ticket-lookup.submit", "key enter", "expect-element ticket-lookup.result",
        ])
        #expect(k.engine.state.lookup.pending == nil && k.engine.frame().target(id: ElementID.lookupResult) != nil)
    }

    @Test func aDialogKeepsTheFocusInsideIt() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, ["tap home.report", "tap report.service.query", #"type "latarnia""#, "tap nav.home"])
        let order = k.engine.frame().focusOrder.map(\.id)
        #expect(order == [ElementID.leaveStay, ElementID.leaveConfirm], "\(order)")
    }

    @Test func downReadsALongArticleBeforeItLeavesIt() throws {
        let (k, clock) = try testKiosk()
        try go(k, "article")
        let limit = try #require(k.engine.frame().scrolls[ElementID.articleBody]).maxOffset
        #expect(limit > 0)
        var presses = 0
        while (k.engine.state.scroll[ElementID.articleBody] ?? 0) < limit - 1, presses < 100 {
            try runSteps(k, clock, ["key down"])
            presses += 1
        }
        #expect(presses > 1 && presses < 100, "\(presses) presses to the end")
        #expect(k.engine.state.keyFocus == nil, "the focus jumped past the text to \(k.engine.state.keyFocus ?? "")")
        try runSteps(k, clock, ["key down"])
        #expect(k.engine.state.keyFocus != nil)
    }

    @Test func upAndDownMoveBetweenTheKeyboardsRows() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, ["tap home.search", "focus keyboard.key.w", "key down"])
        let w = try #require(k.engine.frame().target(id: "keyboard.key.w")).fullRect
        let below = try #require(k.engine.keypadFocus).fullRect
        #expect(below.y > w.maxY && abs(below.center.x - w.center.x) < w.width, "down from w went to \(k.engine.state.keyFocus ?? "")")
        try runSteps(k, clock, ["key up"])
        #expect(k.engine.state.keyFocus == "keyboard.key.w")
        try runSteps(k, clock, ["key enter", "key enter"])
        #expect(k.engine.state.fields[ElementID.searchQuery]?.value == "ww")
    }

    @Test func aNewScreenStartsWithoutFocusAndTheRingIsDrawn() throws {
        let (k, clock) = try testKiosk()
        try runSteps(k, clock, ["focus home.kb"])
        let ring = k.engine.frame().commands.suffix(2)
        #expect(ring.count == 2 && ring.allSatisfy { if case .stroke = $0 { return true } else { return false } })
        try runSteps(k, clock, ["key enter", "expect-screen categories"])
        #expect(k.engine.state.keyFocus == nil)
    }

    @Test func scriptStepsFailClearly() throws {
        #expect(try scriptFailure("focus no.such.element\n")?.contains("no element `no.such.element` a keypad can reach on screen `home`; reachable here: home.kb") == true)
        #expect(try scriptFailure("key enter\n")?.contains("no element has the keypad focus") == true)
        #expect(try scriptFailure("key jump\n")?.contains("expected `key NAME`; names: up down left right enter back help vol+ vol- pause") == true)
        #expect(try scriptFailure("focus\n")?.contains("expected `focus ELEMENT-ID`") == true)
        #expect(try scriptFailure("key \u{0}enter\n") != nil)
    }
}
