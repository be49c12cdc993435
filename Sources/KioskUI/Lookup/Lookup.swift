// The ticket-lookup room: a resident types the number from their receipt and sees what the city says about
// it, or honestly what this kiosk knows when the city cannot be asked. A mistyped number is caught by its
// check character here, before anyone is asked.
import Foundation
import KioskCore

public struct LookupState: Sendable, Equatable {
    /// The question waiting for its answer: its token (from the instant "Check" was tapped). Nil when none.
    public var pending: Instant?
    /// When the kiosk stops waiting and says the city cannot be asked now (a service that never answers).
    public var waitUntil: Instant?
    /// The canonical number asked about last.
    public var asked: String?
    public var result: TicketLookupResult?
    /// The typed number has the wrong shape or check character: said under the field, nobody asked.
    public var invalid = false
    /// The last token given out, so two questions never share one even within one instant.
    public var lastToken: Instant?
    public init() {}

    /// Longest wait for an answer; the sync service answers well within it (its own timeouts are shorter).
    public static let answerWait: Double = 15
}

public enum LookupAction: Sendable, Equatable {
    /// "Check" (`ticket-lookup.submit`).
    case submit
    /// The sync service's answer to `SyncRequest.lookupTicket`.
    case answered(token: Instant, TicketLookupResult)

    var isResidentInput: Bool {
        if case .submit = self { return true }
        return false
    }
}

enum LookupField {
    /// Room for the longest number: a 4-character kiosk code and a 6-digit sequence make 20.
    static let number = TextFieldState(id: ElementID.lookupNumber, kind: .ticket, maxLength: 24, label: .ticketNumberLabel,
                                       placeholder: .lookupPlaceholder)
}

/// A token later than `last` even when the clock has not moved (two taps in one test instant).
func freshToken(_ now: Instant, after last: Instant?) -> Instant {
    guard let last, now <= last else { return now }
    return last.nextUp
}

/// The home tile: an empty field with the focus, so a hardware keyboard types into it at once.
func openLookup(_ s: inout AppState) -> [Effect] {
    s.lookup = LookupState()
    s.fields[ElementID.lookupNumber] = LookupField.number
    s.focus = ElementID.lookupNumber
    s.scroll[ElementID.lookupBody] = 0
    return push(&s, .ticketLookup)
}

/// Leaving the screen (back, home, another tile) forgets the number and its answer: the next resident
/// must not find someone's ticket on screen.
func closeLookup(_ s: inout AppState) {
    s.lookup = LookupState()
    s.fields[ElementID.lookupNumber] = nil
    if s.focus == ElementID.lookupNumber { s.focus = nil }
}

func reduceLookup(_ s: inout AppState, _ a: LookupAction) -> [Effect] {
    switch a {
    case .submit:
        guard s.screen == .ticketLookup else { return [] }
        guard let number = TicketNumber.parse(s.fieldValue(ElementID.lookupNumber)) else {
            s.lookup.invalid = true
            s.lookup.result = nil
            s.lookup.pending = nil
            s.lookup.waitUntil = nil
            s.lookup.asked = nil
            return []
        }
        let canonical = number.description
        // A second tap while the same number is being checked does nothing; another number asks again and
        // the answer to the first is dropped when it comes.
        if s.lookup.pending != nil, s.lookup.asked == canonical { return [] }
        let token = freshToken(s.now, after: s.lookup.lastToken)
        // The field shows what is asked: capitals, O read as 0.
        s.fields[ElementID.lookupNumber]?.value = canonical
        s.fields[ElementID.lookupNumber]?.error = nil
        s.lookup.invalid = false
        s.lookup.asked = canonical
        s.lookup.result = nil
        s.lookup.pending = token
        s.lookup.lastToken = token
        s.lookup.waitUntil = s.now + LookupState.answerWait
        // The keyboard goes, so the answer has the screen.
        s.focus = nil
        s.scroll[ElementID.lookupBody] = 0
        return [.sync(.lookupTicket(canonical, token: token))]

    case let .answered(token, result):
        // Only the answer to the question on screen, and only its first: a late or repeated one is dropped.
        guard s.screen == .ticketLookup, let pending = s.lookup.pending, token == pending else { return [] }
        s.lookup.pending = nil
        s.lookup.waitUntil = nil
        s.lookup.result = result
        return []
    }
}

/// The lookup field changed: the "not a valid number" line goes as the resident corrects it.
func lookupFieldChanged(_ s: inout AppState) {
    s.lookup.invalid = false
}

/// A service that never answers: after the wait the resident is told the city cannot be asked now.
func expireLookup(_ s: inout AppState, _ now: Instant) {
    guard let until = s.lookup.waitUntil, now >= until, s.lookup.pending != nil, let asked = s.lookup.asked else { return }
    s.lookup.pending = nil
    s.lookup.waitUntil = nil
    s.lookup.result = .unreachable(ticket: asked)
}
