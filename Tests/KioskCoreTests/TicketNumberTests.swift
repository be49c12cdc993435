import Testing
@testable import KioskCore

@Suite struct TicketNumbers {
    let day = LocalDate(year: 2026, month: 12, day: 1)!

    @Test func aTicketReadsAsKioskDateSequenceAndCheck() throws {
        let t = try TicketNumber(kioskCode: "PT1", day: day, sequence: 42)
        #expect(t.description == "PT1-261201-0042-R") // worked by hand: Luhn mod 32 over PT12612010042
        #expect(t.description.count == 17) // short enough to read out on the phone
        #expect(TicketNumber.parse(t.description) == t)
        #expect(try TicketNumber(kioskCode: "PT1", day: day, sequence: 12_345).description.hasPrefix("PT1-261201-12345-"))
    }

    @Test func everySingleWrongCharacterAndEverySwapOfNeighboursIsCaught() throws {
        for seq in [1, 42, 999, 5_000] {
            let t = try TicketNumber(kioskCode: "YD4", day: day, sequence: seq)
            let s = Array(t.description)
            for i in s.indices where s[i] != "-" {
                for c in TicketNumber.alphabet where c != s[i] {
                    var m = s; m[i] = c
                    #expect(TicketNumber.parse(String(m)) == nil, "\(String(m)) passed for \(t)")
                }
                let j = s.index(after: i)
                if j < s.endIndex, s[j] != "-", s[j] != s[i] {
                    var m = s; m.swapAt(i, j)
                    #expect(TicketNumber.parse(String(m)) == nil, "\(String(m)) passed for \(t)")
                }
            }
        }
    }

    @Test func whatAResidentTypesIsForgiven() throws {
        let t = try TicketNumber(kioskCode: "PT1", day: day, sequence: 10)
        let typed = t.description.lowercased().replacingOccurrences(of: "0", with: "o").replacingOccurrences(of: "-", with: " - ")
        #expect(TicketNumber.parse(typed) == t)
        // The letters no number has, read off a receipt for the digits they look like: I for 1, Z for 2.
        let lookalikes = t.description.replacingOccurrences(of: "1", with: "I").replacingOccurrences(of: "2", with: "Z")
        #expect(lookalikes != t.description && TicketNumber.parse(lookalikes) == t)
    }

    @Test func hostileOrWrongNumbersAreRefused() {
        for s in ["", "-", "PT1-261301-0001-0", "PT1-261232-0001-0", "PTŻ-261201-0001-0", "PT1-２６1201-0001-0", "PT1-261201-00001234-0",
                  "PT1-261201--0001-0", String(repeating: "A", count: 10_000), "PT1-261201-0000-0"] {
            #expect(TicketNumber.parse(s) == nil, "\(s.prefix(30))")
        }
        #expect(throws: TicketNumberError.self) { try TicketNumber(kioskCode: "P", day: day, sequence: 1) }
        #expect(throws: TicketNumberError.self) { try TicketNumber(kioskCode: "PTO", day: day, sequence: 1) }
        #expect(throws: TicketNumberError.self) { try TicketNumber(kioskCode: "PT1", day: day, sequence: 0) }
    }
}
