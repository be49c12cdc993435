import Foundation
import KioskCore
import KioskTesting
import Testing
@testable import KioskUI

/// A ticket of 1 December 2026, computed so the check character is right by construction.
func ticketNumber(_ sequence: Int) -> String {
    guard let day = LocalDate(year: 2026, month: 12, day: 1), let t = try? TicketNumber(kioskCode: "PT1", day: day, sequence: sequence) else { return "" }
    return t.description
}
/// PT1-261201-0042-R.
let goodNumber = ticketNumber(42)

func lookupState(typing text: String) -> AppState {
    var s = AppState(idle: policy)
    s.date = noonInLodz
    _ = send(&s, .openTile(.ticket), at: 1)
    _ = send(&s, .field(.type(text)), at: 1)
    return s
}

/// The screen's words, as the fixed-width layout puts them on a portrait panel.
func screenText(_ s: AppState, size: Size = Size(width: 1080, height: 1920)) -> Frame {
    let engine = LayoutEngine(measurer: FixedWidthMeasurer())
    return engine.layout(view(s, ViewContext(size: size, theme: Theme())), size: size, screen: s.screen, scroll: s.scroll)
}

@Suite struct TicketLookup {
    @Test func aValidNumberTypedInLowerCaseIsAskedInItsCanonicalForm() {
        let typed = goodNumber.lowercased().replacingOccurrences(of: "0", with: "o")
        var s = lookupState(typing: typed)
        #expect(s.fieldValue(ElementID.lookupNumber) == typed.uppercased(), "shown as on the receipt")
        let effects = send(&s, .lookup(.submit), at: 2)
        #expect(effects == [.sync(.lookupTicket(goodNumber, token: 2))])
        #expect(s.fieldValue(ElementID.lookupNumber) == goodNumber)
        #expect(s.lookup.pending == 2)
        #expect(screenText(s).containsText(Strings.text(.lookupChecking, .pl)))
        #expect(s.awaitsService)
    }

    @Test func aWrongCheckCharacterIsSaidUnderTheFieldAndNobodyIsAsked() {
        let wrong = String(goodNumber.dropLast()) + (goodNumber.hasSuffix("A") ? "B" : "A")
        var s = lookupState(typing: wrong)
        #expect(send(&s, .lookup(.submit), at: 2).isEmpty)
        #expect(s.lookup.invalid)
        #expect(screenText(s).containsText("znak kontrolny"))
        // Correcting the number takes the message away.
        _ = send(&s, .field(.backspace), at: 3)
        #expect(!s.lookup.invalid)
        for junk in ["", "PT1", "PT1-261301-0042-R", "ZZZZZ-261201-0042-R", "PT1-261201-0042"] {
            var t = lookupState(typing: junk)
            #expect(send(&t, .lookup(.submit), at: 2).isEmpty, "\(junk)")
            #expect(t.lookup.invalid, "\(junk)")
        }
    }

    @Test func theFieldRefusesWhatNoNumberHoldsAndSaysSo() {
        var s = lookupState(typing: "pt1 ą!")
        #expect(s.fieldValue(ElementID.lookupNumber) == "PT1")
        #expect(s.fields[ElementID.lookupNumber]?.error == .notAllowed(.ticket))
        _ = send(&s, .field(.type(String(repeating: "1", count: 40))), at: 2)
        #expect(s.fieldValue(ElementID.lookupNumber).count == 24)
        // The keyboard of the field has digits, capitals and the dash, and no space.
        #expect(KeyboardLayout.forField(.ticket, language: .uk, latin: false) == .ticket)
        let keys = KeyboardLayout.ticket.rows.joined()
        #expect(keys.contains("-") && keys.contains("7") && keys.contains("R") && !keys.contains(" "))
        #expect(!KeyboardLayout.ticket.hasSpace)
    }

    @Test func onlyTheAnswerToTheLatestQuestionIsShownAndOnlyItsFirst() {
        var s = lookupState(typing: goodNumber)
        _ = send(&s, .lookup(.submit), at: 2)
        // A second tap on the same number while it is checked does nothing.
        #expect(send(&s, .lookup(.submit), at: 2.5).isEmpty)
        let other = ticketNumber(43)
        _ = send(&s, .field(.clear(ElementID.lookupNumber)), at: 3)
        _ = send(&s, .field(.type(other)), at: 3)
        #expect(send(&s, .lookup(.submit), at: 3) == [.sync(.lookupTicket(other, token: 3))])
        _ = send(&s, .lookup(.answered(token: 2, .notFound(ticket: goodNumber))), at: 4)
        #expect(s.lookup.result == nil, "the answer about the first number is dropped")
        _ = send(&s, .lookup(.answered(token: 3, .refused(ticket: other))), at: 4)
        #expect(s.lookup.result == .refused(ticket: other))
        _ = send(&s, .lookup(.answered(token: 3, .notFound(ticket: other))), at: 5)
        #expect(s.lookup.result == .refused(ticket: other), "a repeated answer does not replace the first")
        #expect(!s.awaitsService)
    }

    @Test func twoQuestionsInOneInstantGetTwoTokens() {
        var s = lookupState(typing: goodNumber)
        _ = send(&s, .lookup(.submit), at: 2)
        let other = ticketNumber(43)
        _ = send(&s, .field(.clear(ElementID.lookupNumber)), at: 2)
        _ = send(&s, .field(.type(other)), at: 2)
        guard case let .sync(.lookupTicket(_, token))? = send(&s, .lookup(.submit), at: 2).first else { Issue.record("no question"); return }
        #expect(token > 2)
    }

    @Test func everyAnswerReadsInEveryLanguage() throws {
        let updated = noonInLodz
        let note = "Naprawiono, dziękujemy"
        let cases: [(TicketLookupResult, [Language: [String]])] = [
            (.server(ServerRequestStatus(serviceRequestID: "7", ticket: goodNumber, serviceName: "Dziura", status: "open", statusNotes: note,
                                         agency: "ZDiT", updated: updated)),
             [.pl: ["W realizacji", note, "ZDiT", "Dziura", "1 grudnia 2026, 12:00"], .en: ["In progress", note, "1 December 2026, 12:00"],
              .uk: ["Виконується", note]]),
            (.server(ServerRequestStatus(serviceRequestID: "7", status: "closed")), [.pl: ["Zakończone", "Zgłoszenie 7"], .en: ["Closed"], .uk: ["Завершено"]]),
            (.server(ServerRequestStatus(serviceRequestID: "7", status: "acknowledged")), [.pl: ["acknowledged"], .en: ["acknowledged"], .uk: ["acknowledged"]]),
            (.savedNotSent(ticket: goodNumber, created: updated), [.pl: ["jeszcze nie zostało wysłane", "Zapisane: 1 grudnia 2026, 12:00"],
                                                                   .en: ["not been sent"], .uk: ["ще не надіслано"]]),
            (.sentStatusUnknown(ticket: goodNumber, sent: updated), [.pl: ["wysłane do miasta", "gdy wróci połączenie"], .en: ["will be known"],
                                                                     .uk: ["буде відомий"]]),
            (.refused(ticket: goodNumber), [.pl: ["nie przyjął", "pracownika", "42 638-44-44"], .en: ["did not accept"], .uk: ["не прийняла"]]),
            (.notFound(ticket: goodNumber), [.pl: ["Nie znaleźliśmy zgłoszenia \(goodNumber)"], .en: ["We found no report"], .uk: ["не знайдено"]]),
            (.unreachable(ticket: goodNumber), [.pl: ["Nie można teraz sprawdzić", "Spróbuj później", "42 638-44-44"], .en: ["Try again later"],
                                                .uk: ["Спробуйте пізніше"]]),
        ]
        for (result, expected) in cases {
            for (lang, texts) in expected {
                var s = lookupState(typing: goodNumber)
                _ = send(&s, .setLanguage(lang), at: 1)
                _ = send(&s, .lookup(.submit), at: 2)
                _ = send(&s, .lookup(.answered(token: 2, result)), at: 3)
                let f = screenText(s)
                for text in texts { #expect(f.containsText(text), "\(lang) \(result): \"\(text)\" missing") }
                #expect(f.target(id: ElementID.lookupResult) != nil)
            }
        }
    }

    @Test func aUnitsNoteIsPlainTextCappedAndNeverInterpreted() {
        let hostile = "<script>alert(1)</script> {helpline} \u{1B}[31m\u{202E}red\u{0007}\n\n\n\nkoniec " + String(repeating: "długa notatka ", count: 400)
        var s = lookupState(typing: goodNumber)
        _ = send(&s, .lookup(.submit), at: 2)
        _ = send(&s, .lookup(.answered(token: 2, .server(ServerRequestStatus(serviceRequestID: "1", status: "open", statusNotes: hostile)))), at: 3)
        let f = screenText(s)
        #expect(f.containsText("<script>alert(1)</script> {helpline}"), "shown as sent, the placeholder not filled")
        #expect(!f.containsText("638-44-44 [31m"))
        let shown = f.texts.joined(separator: "\n")
        #expect(!shown.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x07 })
        #expect(!shown.contains("\n\n\n"))
        let note = OutsideText.shown(hostile, limit: OutsideText.noteLimit) ?? ""
        #expect(note.count <= OutsideText.noteLimit + 1 && note.hasSuffix("…"))
        #expect(OutsideText.shown(" \u{0007}\n ", limit: 10) == nil)
    }

    @Test func aServiceThatNeverAnswersEndsInCannotCheckNow() {
        var s = lookupState(typing: goodNumber)
        _ = send(&s, .lookup(.submit), at: 2)
        run(&s, until: 2 + LookupState.answerWait + 0.1)
        #expect(s.lookup.result == .unreachable(ticket: goodNumber))
        #expect(s.lookup.pending == nil)
    }

    @Test func leavingForgetsTheNumberAndTheAnswer() {
        for leave in [Action.back, .home] {
            var s = lookupState(typing: goodNumber)
            _ = send(&s, .lookup(.submit), at: 2)
            _ = send(&s, .lookup(.answered(token: 2, .notFound(ticket: goodNumber))), at: 3)
            _ = send(&s, leave, at: 4)
            #expect(s.screen == .home)
            #expect(s.lookup == LookupState())
            #expect(s.fields[ElementID.lookupNumber] == nil)
            #expect(s.focus == nil)
            // A late answer after leaving lands nowhere.
            _ = send(&s, .lookup(.answered(token: 2, .refused(ticket: goodNumber))), at: 5)
            #expect(s.lookup.result == nil)
            #expect(s.isPristine || s.showsOnlyHome)
        }
        var s = lookupState(typing: goodNumber)
        run(&s, until: 1 + policy.warnAfter + policy.resetAfter + 1)
        #expect(s.screen == .home && s.fields[ElementID.lookupNumber] == nil, "the idle reset clears it too")
    }

    @Test func everyElementOfTheScreenSaysWhatItIs() {
        var s = lookupState(typing: goodNumber)
        _ = send(&s, .lookup(.submit), at: 2)
        _ = send(&s, .lookup(.answered(token: 2, .server(ServerRequestStatus(serviceRequestID: "1", status: "open", statusNotes: "Uwaga")))), at: 3)
        for size in [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080)] {
            let f = screenText(s, size: size)
            for hit in f.hits where hit.action != nil { #expect(hit.semantics?.label.isEmpty == false, "\(hit.id)") }
            #expect(f.target(id: ElementID.lookupSubmit) != nil)
            #expect(f.hits.first { $0.id == ElementID.lookupResult }?.semantics?.role == .group)
        }
    }
}

/// A stand-in sync answering from its own queue after a moment, as a network would.
final class SlowSync: KioskService, @unchecked Sendable {
    let kind = Effect.Kind.sync
    let answer: TicketLookupResult
    init(answer: TicketLookupResult) { self.answer = answer }
    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        guard case let .sync(.lookupTicket(_, token)) = effect else { return } // the reply goes unsent: the router answers
        Thread.sleep(forTimeInterval: 0.05)
        reply.send(.lookup(.answered(token: token, answer)))
    }
}

@Suite struct TicketLookupScripted {
    func engine(_ sync: KioskService?) -> (KioskEngine, ManualClock) {
        let clock = ManualClock()
        let router = EffectRouter(mode: .background)
        if let sync { router.register(sync, clock: clock) }
        return (KioskEngine(size: Size(width: 1080, height: 1920), measurer: FixedWidthMeasurer(), clock: clock, router: router), clock)
    }

    @Test func aResidentTypesTheNumberAndReadsTheUnitsNote() throws {
        let (e, clock) = engine(SlowSync(answer: .server(ServerRequestStatus(serviceRequestID: "9", ticket: goodNumber, status: "closed",
                                                                             statusNotes: "Naprawiono, dziękujemy"))))
        let steps = try Script.parse("""
            tap home.ticket
            expect-screen ticket-lookup
            type "\(goodNumber.lowercased())"
            tap ticket-lookup.submit
            expect-text "Naprawiono, dziękujemy"
            expect-text "Zakończone"
            expect-element ticket-lookup.result
            tap nav.home
            expect-screen home
            """)
        try ScriptRunner(engine: e, clock: clock, shot: { _, _ in }).run(steps)
    }

    @Test func withoutASyncServiceTheScreenSaysItCannotCheckNowAtOnce() throws {
        let (e, clock) = engine(nil)
        let steps = try Script.parse("""
            tap home.ticket
            type "\(goodNumber)"
            tap ticket-lookup.submit
            expect-text "Nie można teraz sprawdzić"
            """)
        let started = Date()
        try ScriptRunner(engine: e, clock: clock, shot: { _, _ in }).run(steps)
        #expect(Date().timeIntervalSince(started) < 5, "nobody waited for a service that is not there")
    }

    @Test func aServiceThatDropsTheReplyUnsentStillGetsTheScreenAnAnswer() throws {
        final class Dropping: KioskService, @unchecked Sendable {
            let kind = Effect.Kind.sync
            func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {}
        }
        let (e, clock) = engine(Dropping())
        let steps = try Script.parse("tap home.ticket\ntype \"\(goodNumber)\"\ntap ticket-lookup.submit\nexpect-text \"Spróbuj później\"")
        try ScriptRunner(engine: e, clock: clock, shot: { _, _ in }).run(steps)
    }
}

@Suite struct TicketKeyboard {
    /// A resident copying a receipt finds only keys a number can hold: no I, O, Q or Z to mistake for 1, 0, 2.
    @Test func offersOnlyWhatANumberHolds() {
        let keys = KeyboardLayout.ticket.rows.flatMap { $0 }
        #expect(Set(keys) == Set(TicketNumber.alphabet.map(String.init) + ["-"]))
        #expect(keys.count == TicketNumber.alphabet.count + 1)
    }
}
