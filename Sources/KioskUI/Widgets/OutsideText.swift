// Text that comes from outside the kiosk (a unit's note, another resident's description) made fit to draw:
// always plain text, never interpreted, with a cap on what one screen shows.
import Foundation

enum OutsideText {
    /// What a screen shows of `raw`: control, format and private-use characters and emoji left out (as a
    /// text field does), at most one blank line in a row, and at most `limit` characters, the cut marked "…".
    /// Nil when nothing readable is left.
    static func shown(_ raw: String?, limit: Int) -> String? {
        guard let raw else { return nil }
        // The cap comes first so a hostile megabyte is never cleaned in full on the UI thread.
        let (clean, _) = TextInput.sanitize(String(raw.prefix(limit * 2)), multiline: true)
        var lines: [Substring] = []
        var blank = 0
        for line in clean.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { blank += 1 } else { blank = 0 }
            if blank <= 1 { lines.append(line) }
        }
        let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        guard text.count > limit else { return text }
        return String(text.prefix(limit)).trimmingCharacters(in: .whitespacesAndNewlines) + "…"
    }

    /// What a unit's note may fill on the screen: a long note wraps and scrolls, a huge one is cut.
    static let noteLimit = 2_000
    /// A description excerpt in the list of nearby reports.
    static let excerptLimit = 200
}
