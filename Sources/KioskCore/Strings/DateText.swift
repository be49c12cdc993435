// Dates and numbers written the way residents read them in each language (CLDR long date, grouping).

enum DateText {
    // Day-and-month dates take the genitive in Polish and Ukrainian ("3 grudnia", "3 грудня").
    static let polishMonths = ["stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
                               "września", "października", "listopada", "grudnia"]
    static let ukrainianMonths = ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
                                  "вересня", "жовтня", "листопада", "грудня"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December"]

    /// "3 grudnia 2026", "3 December 2026", "3 грудня 2026" (CLDR's long date, without Ukrainian "р.").
    /// No-break spaces keep the date on one line, as a wrapped "3 / grudnia" reads badly.
    static func long(_ d: LocalDate, _ language: Language) -> String {
        let months: [String]
        switch language {
        case .pl: months = polishMonths
        case .en: months = englishMonths
        case .uk: months = ukrainianMonths
        }
        // LocalDate only holds months 1...12; the guard keeps a bad value visible instead of trapping.
        guard months.indices.contains(d.month - 1) else { return d.description }
        return "\(d.day)\u{00A0}\(months[d.month - 1])\u{00A0}\(d.year)"
    }

}

enum NumberText {
    /// An integer with the language's digit grouping: "1,000" in English; a no-break space in Polish
    /// from five digits ("1000", "10 000": CLDR's minimum grouping digits is 2) and in Ukrainian from four.
    static func grouped(_ n: Int, _ language: Language) -> String {
        let digits = String(n.magnitude)
        let sign = n < 0 ? "-" : ""
        let separator: String, groupFrom: Int
        switch language {
        case .en: separator = ","; groupFrom = 4
        case .pl: separator = "\u{00A0}"; groupFrom = 5
        case .uk: separator = "\u{00A0}"; groupFrom = 4
        }
        guard digits.count >= groupFrom else { return sign + digits }
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
            out.append(ch)
        }
        return sign + out
    }
}
