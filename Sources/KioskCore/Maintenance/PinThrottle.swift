// How often a maintenance PIN may be tried: a stranger at the screen must not find a 6-digit PIN by patience.
import Foundation

public enum PinThrottle {
    /// Failed tries allowed in any hour (the bound); the delays keep a person far below it.
    public static let maxFailuresPerHour = 100
    /// Tries that may follow each other at once: a technician's slip of the finger costs nothing.
    public static let freeFailures = 3
    public static let longestDelay: TimeInterval = 300

    /// Seconds to wait after `failures` wrong tries in a row: 0, 0, 0, then 1, 2, 4 … up to 5 minutes.
    public static func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures >= freeFailures else { return 0 }
        return min(longestDelay, pow(2, Double(min(failures - freeFailures, 20))))
    }

    /// When the next try may be checked, or nil for now. Times ahead of `now` (a clock set back) count as
    /// `now`, so a clock error cannot lock staff out for longer than the rule says.
    public static func nextTry(failuresInARow: Int, lastFailure: Date?, failuresInLastHour: Int, oldestInLastHour: Date?,
                               now: Date) -> Date? {
        var next: Date?
        if failuresInLastHour >= maxFailuresPerHour, let oldest = oldestInLastHour {
            next = min(oldest, now).addingTimeInterval(3600)
        }
        if let last = lastFailure {
            let t = min(last, now).addingTimeInterval(delay(afterFailures: failuresInARow))
            next = max(next ?? t, t)
        }
        guard let next, next > now else { return nil }
        return next
    }
}
