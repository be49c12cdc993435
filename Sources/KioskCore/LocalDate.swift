// Calendar dates as the city writes them (YYYY-MM-DD) and "today" in Łódź.
import Foundation

/// A calendar day without time or zone, ordered chronologically.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1900...9999).contains(year), (1...12).contains(month),
              (1...LocalDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`; anything else (times, slashes, 2024-2-1) is refused.
    public init?(iso text: String) {
        let u = Array(text.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard u[i] >= 48, u[i] <= 57 else { return nil }
                value = value * 10 + Int(u[i] - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// For fields already known to form a real day (computed, not read from outside).
    init(computedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// A validity window, both ends inclusive; no end means open-ended (`ValidityRule.visible`).
    public static func window(from: LocalDate, to: LocalDate?, contains day: LocalDate) -> Bool {
        ValidityRule.visible.holds(validFrom: from, validTo: to, day: day)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = LocalDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date YYYY-MM-DD: \(text)"))
        }
        self = date
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// The validity rule, stated once as data so that every path judges it alike: Swift evaluates it on dates
/// here, and the store renders the same condition as SQL over its ISO date columns (ISO text sorts as the
/// dates do, years being four digits). There is deliberately no negation: with only "and", "or" and
/// comparisons, SQL's unknown (a NULL end) and Swift's false give the same answer.
public enum ValidityRule {
    public enum Operand: Sendable { case validFrom, validTo, day }

    public indirect enum Condition: Sendable {
        /// The first is on or before the second; false when either is absent.
        case notAfter(Operand, Operand)
        /// The operand is absent (an open end).
        case absent(Operand)
        case all([Condition])
        case any([Condition])

        public func holds(validFrom: LocalDate, validTo: LocalDate?, day: LocalDate) -> Bool {
            func value(_ o: Operand) -> LocalDate? {
                switch o {
                case .validFrom: return validFrom
                case .validTo: return validTo
                case .day: return day
                }
            }
            switch self {
            case let .notAfter(a, b):
                guard let x = value(a), let y = value(b) else { return false }
                return x <= y
            case let .absent(o): return value(o) == nil
            case let .all(cs): return cs.allSatisfy { $0.holds(validFrom: validFrom, validTo: validTo, day: day) }
            case let .any(cs): return cs.contains { $0.holds(validFrom: validFrom, validTo: validTo, day: day) }
            }
        }
    }

    /// Rule: an article is shown from its first day to its last day, both inclusive; no last day means
    /// it stays shown.
    public static let visible: Condition = .all([.notAfter(.validFrom, .day), .any([.absent(.validTo), .notAfter(.day, .validTo)])])
}

/// Łódź local time. Poland follows the EU summer-time rule (since 1996): CEST from 01:00 UTC on the
/// last Sunday of March to 01:00 UTC on the last Sunday of October, CET otherwise. Computing it here
/// keeps validity dates right on a kiosk image without tzdata.
public enum WarsawTime {
    public static func offsetSeconds(at date: Date) -> Int {
        let (y, _, _, _) = utcFields(date)
        let start = utcInstant(year: y, month: 3, day: lastSunday(year: y, month: 3), hour: 1)
        let end = utcInstant(year: y, month: 10, day: lastSunday(year: y, month: 10), hour: 1)
        let t = date.timeIntervalSince1970
        return (t >= start && t < end) ? 7200 : 3600
    }

    /// The calendar day in Łódź at `date`.
    public static func localDate(at date: Date) -> LocalDate {
        let shifted = Date(timeIntervalSince1970: date.timeIntervalSince1970 + Double(offsetSeconds(at: date)))
        let (y, m, d, _) = utcFields(shifted)
        return LocalDate(computedYear: y, month: m, day: d)
    }

    /// Łódź wall-clock fields at `date`: what a resident reads on a clock (for "when did it happen").
    public static func localDateTime(at date: Date) -> LocalDateTime {
        let t = date.timeIntervalSince1970 + Double(offsetSeconds(at: date))
        let shifted = Date(timeIntervalSince1970: t)
        let (y, m, d, h) = utcFields(shifted)
        let secs = Int(t.rounded(.down))
        let minute = ((secs % 3600) + 3600) % 3600 / 60
        return LocalDateTime(year: y, month: m, day: d, hour: h, minute: minute)
    }

    /// The instant of a Łódź wall-clock time, or nil for a time that does not exist (31 April, 25:00, or the
    /// hour skipped when summer time begins). An hour that happens twice in October is taken in summer time.
    public static func date(_ t: LocalDateTime) -> Date? {
        guard (1...12).contains(t.month), (1...LocalDate.daysIn(month: t.month, year: t.year)).contains(t.day),
              (0...23).contains(t.hour), (0...59).contains(t.minute) else { return nil }
        let wall = utcInstant(year: t.year, month: t.month, day: t.day, hour: t.hour) + Double(t.minute * 60)
        for offset in [7200.0, 3600.0] {
            let d = Date(timeIntervalSince1970: wall - offset)
            if Double(offsetSeconds(at: d)) == offset { return d }
        }
        return nil
    }

    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func utcFields(_ date: Date) -> (Int, Int, Int, Int) {
        let secs = Int(date.timeIntervalSince1970.rounded(.down))
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, (secs - days * 86400) / 3600)
    }

    static func lastSunday(year: Int, month: Int) -> Int {
        let last = LocalDate.daysIn(month: month, year: year)
        let days = daysFromCivil(year, month, last)
        let weekday = ((days % 7) + 11) % 7 // 0 = Sunday; 1970-01-01 was a Thursday
        return last - weekday
    }

    static func utcInstant(year: Int, month: Int, day: Int, hour: Int) -> Double {
        Double(daysFromCivil(year, month, day) * 86400 + hour * 3600)
    }
}

/// A Łódź wall-clock time to the minute.
public struct LocalDateTime: Sendable, Hashable, CustomStringConvertible {
    public var year, month, day, hour, minute: Int
    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year; self.month = month; self.day = day; self.hour = hour; self.minute = minute
    }

    /// "01.12.2026 14:05", as Polish forms write it.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(day)).\(two(month)).\(year) \(two(hour)):\(two(minute))"
    }
}
