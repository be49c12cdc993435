import Foundation
import KioskCore
import Testing
@testable import KioskStore

private func onDay(_ s: String) -> LocalDate { LocalDate(iso: s) ?? LocalDate(year: 1900, month: 1, day: 1)! }
private func instant(_ s: String) -> Date { (try? Date(s, strategy: .iso8601)) ?? .distantPast }

@Suite("The retention rule: six full calendar months after the month of registration")
struct RetentionRuleDates {
    @Test("the month of registration is not a full month, whatever its day")
    func removalDays() {
        #expect(RetentionRule.removalDay(registered: onDay("2026-03-01")) == onDay("2026-10-01"))
        #expect(RetentionRule.removalDay(registered: onDay("2026-03-31")) == onDay("2026-10-01"))
        #expect(RetentionRule.removalDay(registered: onDay("2026-06-15")) == onDay("2027-01-01"))
        #expect(RetentionRule.removalDay(registered: onDay("2026-12-31")) == onDay("2027-07-01"))
        #expect(RetentionRule.removalDay(registered: onDay("2024-02-29")) == onDay("2024-09-01"))
    }

    @Test("the cutoff on a day removes exactly what is due on it, over three years of days")
    func cutoffIsTheInverse() throws {
        var d = onDay("2025-01-01")
        var checked = 0
        while d < onDay("2028-01-01") {
            let removal = RetentionRule.removalDay(registered: d)
            // Due on its removal day, not on the day before.
            #expect(d < RetentionRule.cutoff(today: removal))
            let eve = try #require(previousDay(removal))
            #expect(!(d < RetentionRule.cutoff(today: eve)), "\(d) due already on \(eve)")
            d = try #require(nextDay(d))
            checked += 1
        }
        #expect(checked == 1095)
        #expect(RetentionRule.cutoff(today: onDay("2027-02-10")) == onDay("2026-08-01"))
    }

    @Test("a day begins at Łódź midnight: 23:00 UTC in winter, 22:00 UTC in summer")
    func localMidnight() {
        #expect(RetentionRule.start(of: onDay("2026-01-01")) == instant("2025-12-31T23:00:00Z"))
        #expect(RetentionRule.start(of: onDay("2026-04-01")) == instant("2026-03-31T22:00:00Z"))
        #expect(RetentionRule.start(of: onDay("2026-11-01")) == instant("2026-10-31T23:00:00Z"))
    }

    @Test("contact data stays until delivery, and after it only when the resident asked for feedback")
    func contactRule() {
        #expect(RetentionRule.keepsContact(state: .queued, wantsFeedback: false))
        #expect(RetentionRule.keepsContact(state: .refused, wantsFeedback: false))
        #expect(!RetentionRule.keepsContact(state: .sent, wantsFeedback: false))
        #expect(RetentionRule.keepsContact(state: .sent, wantsFeedback: true))
    }

    func nextDay(_ d: LocalDate) -> LocalDate? {
        LocalDate(year: d.year, month: d.month, day: d.day + 1) ?? LocalDate(year: d.year, month: d.month + 1, day: 1)
            ?? LocalDate(year: d.year + 1, month: 1, day: 1)
    }

    func previousDay(_ d: LocalDate) -> LocalDate? {
        if d.day > 1 { return LocalDate(year: d.year, month: d.month, day: d.day - 1) }
        let (y, m) = d.month == 1 ? (d.year - 1, 12) : (d.year, d.month - 1)
        return (28...31).reversed().lazy.compactMap { LocalDate(year: y, month: m, day: $0) }.first
    }
}

@Suite("The retention purge on a real database file")
struct RetentionPurge {
    func submission(_ text: String, email: String? = nil, feedback: Bool = false) -> Submission {
        Submission(serviceCode: "zdit-dziura", location: .street(name: "Piotrkowska", number: "1"), description: text,
                   contact: email.map { ContactDetails(email: $0, phone: nil, wantsFeedback: feedback) })
    }

    @Test("due on 1 October: registered at 23:59 Łódź time on 31 March, not at 00:00 on 1 April")
    func boundary() throws {
        let store = try KioskStore(path: tempStorePath())
        let march = try store.enqueueSubmission(submission("marzec"), kioskCode: "PT1", day: onDay("2026-03-31"), at: instant("2026-03-31T21:59:59Z"))
        let april = try store.enqueueSubmission(submission("kwiecień"), kioskCode: "PT1", day: onDay("2026-04-01"), at: instant("2026-03-31T22:00:00Z"))
        let eve = try store.purgeExpired(today: onDay("2026-09-30"), dryRun: false)
        #expect(eve.totalSubmissions == 0)
        let dry = try store.purgeExpired(today: onDay("2026-10-01"), dryRun: true)
        #expect(dry.submissionsRemoved == ["queued": 1] && dry.dryRun)
        #expect(try store.outboxItems().count == 2, "a dry run changes nothing")
        let report = try store.purgeExpired(today: onDay("2026-10-01"), dryRun: false)
        #expect(report.submissionsRemoved == ["queued": 1], "a queued item goes too: the rule does not wait for the network")
        #expect(report.walTruncated)
        #expect(try store.submission(ticket: march.ticket.description) == nil)
        #expect(try store.submission(ticket: april.ticket.description) != nil)
        #expect(try store.journalEntries().first?.event == "retention")
        #expect(try store.purgeExpired(today: onDay("2026-11-01"), dryRun: false).totalSubmissions == 1)
        #expect(try store.outboxItems().isEmpty)
    }

    @Test("contact data goes after delivery unless feedback was asked for; the rest of the submission stays")
    func contacts() throws {
        let store = try KioskStore(path: tempStorePath())
        let at = instant("2026-11-20T10:00:00Z")
        let today = onDay("2026-11-20")
        let delivered = try store.enqueueSubmission(submission("a", email: "a@example.pl"), kioskCode: "PT1", day: today, at: at)
        let feedback = try store.enqueueSubmission(submission("b", email: "b@example.pl", feedback: true), kioskCode: "PT1", day: today, at: at)
        let waiting = try store.enqueueSubmission(submission("c", email: "c@example.pl"), kioskCode: "PT1", day: today, at: at)
        let refused = try store.enqueueSubmission(submission("d", email: "d@example.pl"), kioskCode: "PT1", day: today, at: at)
        try store.markSent(ticket: delivered.ticket.description, serviceRequestID: "1", token: nil, at: at)
        try store.markSent(ticket: feedback.ticket.description, serviceRequestID: "2", token: nil, at: at)
        try store.markRefused(ticket: refused.ticket.description, status: 400, message: "no", at: at)
        let dry = try store.purgeExpired(today: today, dryRun: true)
        #expect(dry.contactsRemoved == 1 && dry.totalSubmissions == 0)
        #expect(try store.submission(ticket: delivered.ticket.description)?.contact != nil)
        let report = try store.purgeExpired(today: today, dryRun: false)
        #expect(report.contactsRemoved == 1)
        let stripped = try #require(try store.submission(ticket: delivered.ticket.description))
        #expect(stripped.contact == nil && stripped.description == "a" && stripped.serviceCode == "zdit-dziura")
        #expect(try store.submission(ticket: feedback.ticket.description)?.contact?.email == "b@example.pl")
        #expect(try store.submission(ticket: waiting.ticket.description)?.contact?.email == "c@example.pl")
        #expect(try store.submission(ticket: refused.ticket.description)?.contact?.email == "d@example.pl")
        #expect(try store.purgeExpired(today: today, dryRun: false).contactsRemoved == 0, "a second run finds nothing")
    }

    @Test("every connection deletes securely: freed bytes are zeroed, not left in free space")
    func secureDelete() throws {
        let store = try KioskStore(path: tempStorePath())
        #expect(try store.writerSecureDelete() == 1)
    }

    @Test("a canary in a purged submission is gone from the database file and its WAL, without a rebuild")
    func canary() throws {
        let path = try tempStorePath()
        let store = try KioskStore(path: path)
        // Enough recent submissions that the freed pages are a small share: the zeroing, not a VACUUM,
        // must be what removes the canary.
        let filler = String(repeating: "Chodnik zapadnięty przy przystanku. ", count: 40)
        for i in 0..<150 {
            _ = try store.enqueueSubmission(submission("\(i) \(filler)"), kioskCode: "PT1", day: onDay("2026-11-02"), at: instant("2026-11-02T09:00:00Z"))
        }
        let canary = "KANAREK-\(UUID().uuidString)"
        let mail = "kanarek-\(UUID().uuidString.prefix(8))@example.pl"
        let old = try store.enqueueSubmission(submission("Zgłoszenie \(canary)", email: mail), kioskCode: "PT1", day: onDay("2026-03-10"),
                                              at: instant("2026-03-10T09:00:00Z"))
        let recent = try store.enqueueSubmission(submission("Nowe", email: mail), kioskCode: "PT1", day: onDay("2026-11-03"),
                                                 at: instant("2026-11-03T09:00:00Z"))
        try store.markSent(ticket: recent.ticket.description, serviceRequestID: "7", token: nil, at: instant("2026-11-03T09:01:00Z"))
        // Each planted value is on disk before the purge, or the test could not fail.
        func onDisk(_ value: String) -> [String] {
            [path, path + "-wal"].filter { (FileManager.default.contents(atPath: $0) ?? Data()).range(of: Data(value.utf8)) != nil }
        }
        #expect(!onDisk(canary).isEmpty && !onDisk(mail).isEmpty)

        let report = try store.purgeExpired(today: onDay("2026-11-20"), dryRun: false)
        #expect(report.totalSubmissions == 1 && report.contactsRemoved == 1)
        #expect(!report.vacuumed, "the freed share should be small here: \(report.summary)")
        #expect(report.walTruncated)
        #expect(onDisk(canary).isEmpty, "the canary is still in \(onDisk(canary))")
        #expect(onDisk(mail).isEmpty, "the e-mail address is still in \(onDisk(mail))")
        #expect(try store.submission(ticket: old.ticket.description) == nil)
        #expect(try store.outboxItems().count == 151)
        #expect(try store.integrityCheck() == "ok")
    }
}
