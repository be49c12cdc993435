// Ticket numbers: unique across the fleet without asking the server, short enough to read out on the
// phone, with a check character so a misheard or mistyped one is caught before a lookup.

/// `KKK-YYMMDD-NNNN-C`: the kiosk's code, the Łódź date, the kiosk's sequence of that day, a check character
/// (Luhn mod 32 over the unambiguous alphabet). For example `PT1-261201-0042-R`.
public struct TicketNumber: Sendable, Hashable, CustomStringConvertible {
    /// Digits and capitals without I, O, Q (read like 1 and 0) and Z (like 2): 32 characters, an even count, which
    /// Luhn mod N needs for its doubling to stay a permutation.
    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPRSTUVWXY")
    /// The sequence has four digits; a kiosk files far fewer than 9,999 reports a day, more widen it.
    public static let sequenceDigits = 4

    public let kioskCode: String
    public let day: LocalDate
    public let sequence: Int

    public init(kioskCode: String, day: LocalDate, sequence: Int) throws {
        guard Self.isValidKioskCode(kioskCode) else { throw TicketNumberError.badKioskCode(kioskCode) }
        guard sequence >= 1, sequence <= 999_999 else { throw TicketNumberError.badSequence(sequence) }
        self.kioskCode = kioskCode; self.day = day; self.sequence = sequence
    }

    /// Two to four characters of the alphabet, unique in the fleet (config `ticketCode`).
    public static func isValidKioskCode(_ s: String) -> Bool {
        (2...4).contains(s.count) && s.allSatisfy { alphabet.contains($0) }
    }

    var body: String {
        let yy = String(format2(day.year % 100)), mm = format2(day.month), dd = format2(day.day)
        let seq = String(sequence)
        let padded = String(repeating: "0", count: max(0, Self.sequenceDigits - seq.count)) + seq
        return "\(kioskCode)-\(yy)\(mm)\(dd)-\(padded)"
    }

    public var check: Character { Self.checkCharacter(for: body.filter { $0 != "-" }) }
    public var description: String { "\(body)-\(check)" }

    /// Luhn mod N: catches every single wrong character and every swap of two neighbours.
    static func checkCharacter(for payload: String) -> Character {
        let n = alphabet.count
        var sum = 0
        var double = true
        for c in payload.reversed() {
            guard let v = alphabet.firstIndex(of: c) else { continue }
            var addend = double ? v * 2 : v
            addend = addend / n + addend % n
            sum += addend
            double.toggle()
        }
        return alphabet[(n - sum % n) % n]
    }

    /// Reads what a resident typed or said: lower case, spaces, and O/I/Q/Z for 0/1/0/2 are forgiven; a wrong check
    /// character is refused (the number was misheard), so a lookup never shows someone else's case.
    public static func parse(_ text: String) -> TicketNumber? {
        let cleaned = text.uppercased().filter { !$0.isWhitespace }
            .map { c -> Character in c == "O" || c == "Q" ? "0" : c == "I" ? "1" : c == "Z" ? "2" : c }
        let parts = String(cleaned).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[1].count == 6, parts[2].count >= sequenceDigits, parts[2].count <= 6, parts[3].count == 1,
              parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), parts[2].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isNumber),
              let yy = Int(parts[1].prefix(2)), let mm = Int(parts[1].dropFirst(2).prefix(2)), let dd = Int(parts[1].suffix(2)),
              let seq = Int(parts[2]), let day = LocalDate(year: 2000 + yy, month: mm, day: dd),
              let t = try? TicketNumber(kioskCode: parts[0], day: day, sequence: seq),
              t.check == parts[3].first else { return nil }
        return t
    }
}

public enum TicketNumberError: Error, Equatable, CustomStringConvertible {
    case badKioskCode(String)
    case badSequence(Int)

    public var description: String {
        switch self {
        case let .badKioskCode(c): return "ticket code \"\(c)\": expected 2–4 of \(String(TicketNumber.alphabet)) (no I, O, Q or Z)"
        case let .badSequence(n): return "ticket sequence \(n): expected 1 to 999999"
        }
    }
}

private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
