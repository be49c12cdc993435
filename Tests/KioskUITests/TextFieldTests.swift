import KioskCore
import KioskTesting
import Testing
@testable import KioskUI

/// A state with one focused field of the kind given, as a form step would have.
func stateWithField(_ kind: InputKind, maxLength: Int = 20, multiline: Bool = false) -> AppState {
    var s = AppState(idle: policy)
    let f = TextFieldState(id: "form.field", kind: kind, multiline: multiline, maxLength: maxLength,
                           label: .searchFieldLabel, placeholder: .searchPlaceholder)
    startFlow(&s, FlowState(id: "test", steps: [.search], fieldIDs: [f.id]), fields: [f])
    _ = reduce(&s, .field(.focus(f.id)), now: 1)
    return s
}

@Suite struct TextFields {
    @Test func typingGoesToTheFocusedFieldOnly() {
        var s = stateWithField(.text)
        _ = reduce(&s, .field(.type("Piotrkowska")), now: 2)
        #expect(s.fields["form.field"]?.value == "Piotrkowska")
        #expect(s.searchQuery.isEmpty)
        _ = reduce(&s, .field(.focus("search.query")), now: 3)
        _ = reduce(&s, .field(.type("x")), now: 3)
        #expect(s.searchQuery == "x")
        #expect(s.fields["form.field"]?.value == "Piotrkowska")
    }

    @Test func aFieldOnNoScreenCannotBeFocused() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .field(.focus("nowhere")), now: 1)
        #expect(s.focus == nil)
        _ = reduce(&s, .field(.type("x")), now: 1)
        #expect(s.fields.values.allSatisfy { $0.value.isEmpty })
    }

    @Test func theLimitCutsAndSaysSo() {
        var s = stateWithField(.text, maxLength: 10)
        _ = reduce(&s, .field(.type("12345678")), now: 2)
        #expect(s.fields["form.field"]?.showsCounter == true) // 8 of 10: the counter is shown from 80 %
        #expect(s.fields["form.field"]?.error == nil)
        _ = reduce(&s, .field(.type("abcdef")), now: 2)
        #expect(s.fields["form.field"]?.value == "12345678ab")
        #expect(s.fields["form.field"]?.error == .tooLong(limit: 10))
        _ = reduce(&s, .field(.backspace), now: 3)
        #expect(s.fields["form.field"]?.error == nil)
    }

    @Test func lineEndingsBecomeLineFeedsAndControlCharactersAreRefused() {
        var s = stateWithField(.text, maxLength: 100, multiline: true)
        _ = reduce(&s, .field(.type("a\r\nb\rc\nd")), now: 2)
        #expect(s.fields["form.field"]?.value == "a\nb\nc\nd")
        #expect(s.fields["form.field"]?.error == nil)
        _ = reduce(&s, .field(.type("\u{7F}x\u{85}y\u{9B}z\u{01}\u{200E}")), now: 3) // DEL, C1 (NEL, CSI), C0, LRM
        #expect(s.fields["form.field"]?.value == "a\nb\nc\ndxyz")
        #expect(s.fields["form.field"]?.error == .refusedCharacters)
        var one = stateWithField(.text)
        _ = reduce(&one, .field(.type("a\r\nb\tc")), now: 2)
        #expect(one.fields["form.field"]?.value == "a b c") // a one-line field keeps one line
    }

    @Test func eachKindTakesItsOwnCharacters() {
        var phone = stateWithField(.phone)
        _ = reduce(&phone, .field(.type("+48 42 638-44-44")), now: 2)
        #expect(phone.fields["form.field"]?.value == "+48 42 638-44-44")
        _ = reduce(&phone, .field(.type("x")), now: 2)
        #expect(phone.fields["form.field"]?.error == .notAllowed(.phone))
        var number = stateWithField(.number)
        _ = reduce(&number, .field(.type("12,5a")), now: 2)
        #expect(number.fields["form.field"]?.value == "12,5")
        #expect(number.fields["form.field"]?.error == .notAllowed(.number))
        var mail = stateWithField(.email, maxLength: 60)
        _ = reduce(&mail, .field(.type("jan.kowalski@uml.lodz.pl")), now: 2)
        #expect(mail.fields["form.field"]?.value == "jan.kowalski@uml.lodz.pl")
        _ = reduce(&mail, .field(.type(" x")), now: 2)
        #expect(mail.fields["form.field"]?.error == .notAllowed(.email))
    }

    @Test func theFieldShowsItsCounterAndErrorInTheResidentsLanguage() {
        var s = stateWithField(.text, maxLength: 10)
        s.language = .uk
        _ = reduce(&s, .field(.type("123456789012")), now: 2)
        let v = Screens(s: s, t: Theme(), size: Size(width: 1080, height: 1920))
        let engine = LayoutEngine(measurer: FixedWidthMeasurer())
        let frame = engine.layout(Node.column([v.textField("form.field")]), size: Size(width: 1080, height: 1920), screen: .search, scroll: [:])
        #expect(frame.containsText("10/10"))
        #expect(frame.containsText("вміщує щонайбільше 10 символів"))
        #expect(frame.target(id: "form.field")?.action == .field(.focus("form.field")))
    }
}

@Suite struct Keyboards {
    @Test func theLayoutFollowsTheLanguageAndTheFieldsKind() {
        #expect(KeyboardLayout.forField(.text, language: .pl, latin: false) == .polish)
        #expect(KeyboardLayout.forField(.text, language: .en, latin: false) == .polish)
        #expect(KeyboardLayout.forField(.text, language: .uk, latin: false) == .ukrainian)
        #expect(KeyboardLayout.forField(.text, language: .uk, latin: true) == .polish)
        #expect(KeyboardLayout.forField(.email, language: .uk, latin: false) == .email)
        #expect(KeyboardLayout.forField(.phone, language: .pl, latin: false) == .phone)
        #expect(KeyboardLayout.forField(.number, language: .pl, latin: false) == .numeric)
        let uk = KeyboardLayout.ukrainian.rows.joined()
        for letter in ["і", "ї", "є", "ґ", "й", "щ"] { #expect(uk.contains(letter)) }
        #expect(KeyboardLayout.email.rows.joined().contains("@"))
        #expect(KeyboardLayout.phone.rows.joined().contains("+"))
    }

    @Test func shiftTypesOneCapital() {
        var s = stateWithField(.text)
        _ = reduce(&s, .keyboard(.toggleShift), now: 2)
        _ = reduce(&s, .keyboard(.key("ł")), now: 2)
        _ = reduce(&s, .keyboard(.key("ó")), now: 2)
        #expect(s.fields["form.field"]?.value == "Łó")
    }

    @Test func aUkrainianResidentSwitchesToLatinAndBack() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .setLanguage(.uk), now: 0)
        _ = reduce(&s, .openTile(.search), now: 1)
        let v = { Screens(s: s, t: Theme(), size: Size(width: 1080, height: 1920)) }
        #expect(v().keyboardLayout == .ukrainian)
        _ = reduce(&s, .keyboard(.toggleLatin), now: 2)
        #expect(v().keyboardLayout == .polish)
        _ = reduce(&s, .keyboard(.key("d")), now: 3)
        _ = reduce(&s, .keyboard(.toggleLatin), now: 4)
        _ = reduce(&s, .keyboard(.key("д")), now: 5)
        #expect(s.searchQuery == "dд")
        _ = reduce(&s, .setLanguage(.pl), now: 6)
        #expect(s.keyboard.latin == false)
    }
}

@Suite struct Flows {
    @Test func backInsideAFlowIsTheStepBefore() {
        var s = AppState(idle: policy)
        startFlow(&s, FlowState(id: "report", steps: [.categories, .articles, .article]), fields: [])
        nextStep(&s); nextStep(&s)
        #expect(s.screen == .article && s.flow?.step == 2)
        _ = reduce(&s, .back, now: 1)
        #expect(s.screen == .articles && s.flow?.step == 1)
        _ = reduce(&s, .back, now: 2)
        _ = reduce(&s, .back, now: 3) // nothing typed: leaves at once
        #expect(s.flow == nil && s.screen == .home)
    }

    @Test func leavingWithTypedDataAsksFirst() {
        var s = stateWithField(.text, maxLength: 100)
        _ = reduce(&s, .field(.type("Dziura na Piotrkowskiej")), now: 2)
        _ = reduce(&s, .home, now: 3)
        #expect(s.confirmLeave == .home && s.flow != nil)
        _ = reduce(&s, .leaveFlow(confirmed: false), now: 4)
        #expect(s.confirmLeave == nil && s.flow != nil && s.fields["form.field"]?.value == "Dziura na Piotrkowskiej")
        _ = reduce(&s, .back, now: 5)
        #expect(s.confirmLeave == .back)
        _ = reduce(&s, .leaveFlow(confirmed: true), now: 6)
        #expect(s.flow == nil && s.fields["form.field"] == nil && s.focus == nil && s.screen == .home)
    }

    @Test func theLeaveQuestionIsADialogWithBothAnswers() {
        var s = stateWithField(.text)
        _ = reduce(&s, .field(.type("x")), now: 2)
        _ = reduce(&s, .home, now: 3)
        let engine = LayoutEngine(measurer: FixedWidthMeasurer())
        let size = Size(width: 1080, height: 1920)
        let f = engine.layout(view(s, ViewContext(size: size, theme: Theme())), size: size, screen: s.screen, scroll: [:])
        #expect(f.target(id: "leave.confirm")?.action == .leaveFlow(confirmed: true))
        #expect(f.target(id: "leave.stay")?.action == .leaveFlow(confirmed: false))
    }
}

@Suite struct IdleResetWaitsForWork {
    @Test func theResetWaitsForAServiceStillWorkingForTheResident() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .openTile(.kb), now: 0)
        _ = reduce(&s, .residentWork(1), now: 1) // saving a submission, say
        run(&s, until: 125)
        #expect(s.screen == .categories) // warned, due, but not cleared: the answer is not in
        #expect(s.resetWaiting)
        _ = reduce(&s, .residentWork(-1), now: 201)
        #expect(s.screen == .home && s.isPristine && !s.resetWaiting)
    }

    @Test func aServiceThatNeverAnswersHoldsTheResetOnlyOneMorePeriod() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .openTile(.kb), now: 0)
        _ = reduce(&s, .residentWork(1), now: 1)
        run(&s, until: 110.5) // warned at 90, due at 110: waits
        #expect(s.screen == .categories && s.resetWaiting)
        run(&s, until: 131)
        #expect(s.screen == .home && s.isPristine)
    }

    @Test func aNewResidentIsNotClearedByTheLastOnesLateAnswer() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .openTile(.kb), now: 0)
        _ = reduce(&s, .residentWork(1), now: 1)
        run(&s, until: 115)
        #expect(s.resetWaiting)
        _ = reduce(&s, .openTile(.search), now: 116) // someone new touches the screen
        _ = reduce(&s, .residentWork(-1), now: 117)
        #expect(s.screen == .search)
    }

    @Test func aQueryLeftBehindTheHomeScreenIsClearedWithoutAWarning() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .openTile(.search), now: 0)
        _ = reduce(&s, .field(.type("rozwód alimenty")), now: 1)
        _ = reduce(&s, .home, now: 2)
        #expect(!s.isPristine && s.nextDeadline() == 92)
        run(&s, until: 93)
        #expect(s.resetAt == nil) // no "more time?" over the home screen
        #expect(s.isPristine && s.searchQuery.isEmpty)
    }

    @Test func withNothingInFlightTheResetIsOnTime() {
        var s = AppState(idle: policy)
        _ = reduce(&s, .openTile(.kb), now: 0)
        run(&s, until: 110)
        #expect(s.screen == .home)
    }
}

