import Foundation
import Testing
@testable import KioskCore

/// What a resident can type into a question's field, including what an attacker would.
@Suite struct AnswerRulesChecks {
    /// 1 December 2026, 12:00 in Łódź (11:00 UTC).
    let noon = Date(timeIntervalSince1970: 1_796_122_800)

    @Test(arguments: ["", " ", "1e309", "NaN", "inf", "1.2.3", ".5", "5.", "-3", "0x10", "١٢", "１２", "3 4", "12,5,1"])
    func notANumber(_ raw: String) {
        #expect(AnswerRules.number(raw) == .failure(.notANumber), "\(raw)")
    }

    @Test func numbersAsPolesWriteThem() {
        #expect(AnswerRules.number("12") == .success(12))
        #expect(AnswerRules.number(" 2,5 ") == .success(2.5))
        #expect(AnswerRules.number("0.75") == .success(0.75))
        #expect(AnswerRules.number("1000001") == .failure(.numberTooLarge(max: AnswerRules.maxNumber)))
        #expect(AnswerRules.number(String(repeating: "9", count: 400)) == .failure(.numberTooLarge(max: AnswerRules.maxNumber)))
    }

    @Test func datesMustBeRealPastMomentsInLodzTime() throws {
        #expect(try AnswerRules.datetime(digits: "011220261200", now: noon).get() == noon)
        #expect(AnswerRules.datetime(digits: "011220261205", now: noon).map { _ in true } == .success(true), "a few minutes of clock skew")
        #expect(AnswerRules.datetime(digits: "011220261300", now: noon) == .failure(.dateInFuture))
        #expect(AnswerRules.datetime(digits: "310420261200", now: noon) == .failure(.noSuchDate))
        #expect(AnswerRules.datetime(digits: "290220251200", now: noon) == .failure(.noSuchDate), "2025 is not a leap year")
        #expect(AnswerRules.datetime(digits: "011220262460", now: noon) == .failure(.noSuchDate))
        #expect(AnswerRules.datetime(digits: "290320260230", now: noon) == .failure(.noSuchDate), "the hour skipped in spring")
        #expect(AnswerRules.datetime(digits: "011220201200", now: noon) == .failure(.dateTooOld(years: AnswerRules.maxYearsBack)))
        #expect(AnswerRules.datetime(digits: "0112202612", now: noon) == .failure(.incompleteDate))
        #expect(AnswerRules.datetime(digits: "01.12.2026 12:00", now: noon) == .failure(.incompleteDate), "digits only")
        #expect(AnswerRules.datetime(digits: "٠١١٢٢٠٢٦١٢٠٠", now: noon) == .failure(.incompleteDate), "other scripts' digits")
        // Summer time: 15 July 12:00 in Łódź is 10:00 UTC.
        let july = try AnswerRules.datetime(digits: "150720261200", now: noon).get()
        #expect(july == Date(timeIntervalSince1970: 1_784_109_600))
        #expect(AnswerRules.digits(of: noon) == "011220261200")
    }

    @Test func theMaskShowsWhatIsTypedAndWhatIsLeft() {
        #expect(AnswerRules.masked("0112", placeholder: "DD.MM.RRRR GG:MM") == "01.12.RRRR GG:MM")
        #expect(AnswerRules.masked("011220261200", placeholder: "ДД.ММ.РРРР ГГ:ХХ") == "01.12.2026 12:00")
        #expect(AnswerRules.masked("", placeholder: "DD.MM.YYYY HH:MM") == "DD.MM.YYYY HH:MM")
    }
}
