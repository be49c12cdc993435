// The city's retention rule (domain.md, "Interventions"): a submission is kept for six full calendar months
// after the month it was registered in, then removed; a resident's contact data goes as soon as the case no
// longer needs it on the kiosk. Stated here once, as dates, so the store, the CLI and the tests agree.
import Foundation

public enum RetentionRule {
    /// Full calendar months a submission is kept after the month of its registration.
    public static let fullMonths = 6

    /// The first day on which a submission registered on `registered` (a Łódź calendar day) is removed:
    /// registered on 15 March, it is kept through April–September, the six full months, and removed
    /// from 1 October. The month of registration is not a full month, whatever its day.
    public static func removalDay(registered: LocalDate) -> LocalDate {
        firstOfMonth(year: registered.year, month: registered.month + fullMonths + 1)
    }

    /// Submissions registered before this day are due for removal on `today`. The inverse of
    /// `removalDay`: the first day of the month `fullMonths` before today's.
    public static func cutoff(today: LocalDate) -> LocalDate {
        firstOfMonth(year: today.year, month: today.month - fullMonths)
    }

    /// The instant at which `day` begins in Łódź: registrations are stored as UTC instants.
    /// A month's first midnight is never near a summer-time switch (those fall on a Sunday at the end
    /// of March and October, at 01:00 UTC), so the offset at UTC midnight is the offset at local midnight.
    public static func start(of day: LocalDate) -> Date {
        let utcMidnight = Date(timeIntervalSince1970: WarsawTime.utcInstant(year: day.year, month: day.month, day: day.day, hour: 0))
        return utcMidnight.addingTimeInterval(-Double(WarsawTime.offsetSeconds(at: utcMidnight)))
    }

    /// Whether a resident's contact data is still needed on the kiosk. Before delivery the server has not
    /// got it yet (and a refused item may be sent again); after delivery it stays only if the resident
    /// asked for feedback on the case.
    public static func keepsContact(state: OutboxState, wantsFeedback: Bool) -> Bool {
        state != .sent || wantsFeedback
    }

    static func firstOfMonth(year: Int, month: Int) -> LocalDate {
        // month may run past 12 or below 1; fold it into the year.
        let zeroBased = month - 1
        let y = year + Int((Double(zeroBased) / 12).rounded(.down))
        let m = ((zeroBased % 12) + 12) % 12 + 1
        return LocalDate(computedYear: y, month: m, day: 1)
    }
}

/// What a purge removed or would remove; never which resident or what they wrote.
public struct RetentionReport: Sendable, Equatable, Codable {
    /// Submissions registered before this day were due.
    public var cutoff: LocalDate
    public var dryRun: Bool
    /// Submissions removed, by the state their outbox item was in (a queued or refused one still goes:
    /// the rule does not wait for the network).
    public var submissionsRemoved: [String: Int]
    /// Delivered submissions whose contact data was removed.
    public var contactsRemoved: Int
    /// Log rows (printer log, journal, sync rounds, PIN tries, ticket counters) older than the cutoff.
    public var logRowsRemoved: Int
    /// Whether the WAL was checkpointed and truncated, so old page images of removed rows are gone.
    public var walTruncated: Bool
    /// Whether the file was rebuilt (VACUUM) to give back free pages.
    public var vacuumed: Bool

    public init(cutoff: LocalDate, dryRun: Bool, submissionsRemoved: [String: Int] = [:], contactsRemoved: Int = 0,
                logRowsRemoved: Int = 0, walTruncated: Bool = false, vacuumed: Bool = false) {
        self.cutoff = cutoff; self.dryRun = dryRun; self.submissionsRemoved = submissionsRemoved
        self.contactsRemoved = contactsRemoved; self.logRowsRemoved = logRowsRemoved
        self.walTruncated = walTruncated; self.vacuumed = vacuumed
    }

    public var totalSubmissions: Int { submissionsRemoved.values.reduce(0, +) }

    /// One line for the log and the CLI.
    public var summary: String { line(withFile: true) }

    /// What the journal keeps: written in the purge's transaction, before the file is cleaned.
    public var journalLine: String { line(withFile: false) }

    func line(withFile: Bool) -> String {
        let states = OutboxState.allCases.map { "\($0.rawValue) \(submissionsRemoved[$0.rawValue] ?? 0)" }.joined(separator: ", ")
        let verb = dryRun ? "would remove" : "removed"
        var s = "retention (registered before \(cutoff)): \(verb) \(totalSubmissions) submissions (\(states)), "
            + "contact data of \(contactsRemoved) delivered ones, \(logRowsRemoved) old log rows"
        guard withFile else { return s }
        if !dryRun { s += walTruncated ? "; WAL truncated" : "; WAL busy, truncated at the next run" }
        if vacuumed { s += "; file rebuilt" }
        return s
    }
}

/// What staff may do with an item the server refused for good (dashboard and `kiosk outbox`).
public enum RefusedItemAction: String, Sendable, CaseIterable {
    /// Back in the queue: the cause was fixed on the server (a service code added, a limit raised).
    case retry
    /// Deleted with its personal data: it can never be delivered. The journal keeps the ticket and who asked.
    case discard
}
