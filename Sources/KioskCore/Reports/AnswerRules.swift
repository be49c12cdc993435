// What a resident's answers to a service's questions must be: numbers that are numbers, a "when" that is a
// real past moment, required answers given. The report form checks them before going on.
import Foundation

/// Why an answer cannot be taken; the form says it in the resident's language beside the question.
public enum AnswerProblem: Error, Sendable, Equatable {
    case required
    case notANumber
    case numberTooLarge(max: Int)
    /// Fewer digits than DD.MM.RRRR GG:MM.
    case incompleteDate
    /// 31.04, 25:00, or the hour skipped when summer time begins.
    case noSuchDate
    /// The question asks when something happened: a moment after now makes no sense.
    case dateInFuture
    case dateTooOld(years: Int)
    /// A street typed that is not on the city's list: pick a suggestion or describe the place instead.
    case unknownStreet
}

public enum AnswerRules {
    /// A count or a size; more than this is a typo.
    public static let maxNumber = 1_000_000
    /// Digits of DD.MM.RRRR GG:MM.
    public static let datetimeDigits = 12
    /// Clocks of kiosk and resident may differ by a few minutes.
    public static let futureTolerance: TimeInterval = 10 * 60
    public static let maxYearsBack = 2

    /// "12", "12,5" or "12.5".
    public static func number(_ raw: String) -> Result<Double, AnswerProblem> {
        let t = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        guard !t.isEmpty, t.filter({ $0 == "." }).count <= 1, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              t.first != ".", t.last != ".", let v = Double(t) else { return .failure(.notANumber) }
        // Only digits and one separator get here: an infinite value is a very long number.
        guard v.isFinite, v <= Double(maxNumber) else { return .failure(.numberTooLarge(max: maxNumber)) }
        return .success(v)
    }

    /// Twelve digits typed as DDMMRRRRGGMM, read as Łódź time and checked against `now`.
    public static func datetime(digits: String, now: Date) -> Result<Date, AnswerProblem> {
        let d = digits.filter { $0.isASCII && $0.isNumber }
        guard d.count == datetimeDigits, d.count == digits.count else { return .failure(.incompleteDate) }
        let n = d.compactMap { $0.wholeNumberValue }
        func num(_ r: Range<Int>) -> Int { n[r].reduce(0) { $0 * 10 + $1 } }
        let t = LocalDateTime(year: num(4..<8), month: num(2..<4), day: num(0..<2), hour: num(8..<10), minute: num(10..<12))
        guard let date = WarsawTime.date(t) else { return .failure(.noSuchDate) }
        guard date.timeIntervalSince(now) <= futureTolerance else { return .failure(.dateInFuture) }
        guard now.timeIntervalSince(date) <= Double(maxYearsBack) * 366 * 86_400 else { return .failure(.dateTooOld(years: maxYearsBack)) }
        return .success(date)
    }

    /// The digits a resident would type for `date` (the "now" button fills them in).
    public static func digits(of date: Date) -> String {
        let t = WarsawTime.localDateTime(at: date)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return two(t.day) + two(t.month) + String(t.year) + two(t.hour) + two(t.minute)
    }

    /// Typed digits in the DD.MM.RRRR GG:MM mask, the rest as placeholders: "0112" → "01.12.RRRR GG:MM".
    public static func masked(_ digits: String, placeholder: String) -> String {
        var out = ""
        var typed = digits.makeIterator()
        var hint = placeholder.makeIterator()
        // The placeholder holds the mask's separators and letters ("DD.MM.RRRR GG:MM", "ДД.ММ.РРРР ГГ:ХХ").
        while let h = hint.next() {
            if h.isLetter {
                if let c = typed.next() { out.append(c) } else { out.append(h) }
            } else {
                out.append(h)
            }
        }
        return out
    }
}
