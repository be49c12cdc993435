// Reports already filed nearby: asked of the server as soon as the service and the place are known, shown as
// a step before the review when there are some, so a resident can join an open case instead of filing it twice.
//
// Why this shape: the question goes out when the resident leaves the place step, so the answer has the
// description and contact steps (seconds) to arrive and is almost always in before it is needed. Going on to
// the review then never waits; only an answer still out at that moment makes "next" busy, for at most
// `nearbyWait`, after which the review comes as if there were none. A kiosk without a sync service gets its
// empty answer at once from the effect router (`Effect.unanswered`), so the form never hangs, and a late
// answer never interrupts the review: it is used only if the resident comes back through the contact step.
import Foundation
import KioskCore

/// The nearby question and its answer.
public struct NearbyCheck: Sendable, Equatable {
    public var query: NearbyQuery
    public var token: Instant
    /// Nil while the answer is out.
    public var found: [ServerRequestStatus]?
    public init(query: NearbyQuery, token: Instant, found: [ServerRequestStatus]? = nil) {
        self.query = query; self.token = token; self.found = found
    }
}

extension ReportFlow {
    /// The longest "next" waits for the nearby answer; the sync service itself answers [] within 3 s.
    static let nearbyWait: Double = 4
    /// A list a resident can still read; a server answering with hundreds is cut.
    static let maxDuplicates = 10

    static func nearbyQuery(_ s: AppState) -> NearbyQuery? {
        s.report.serviceCode.map { NearbyQuery(serviceCode: $0, location: place(s)) }
    }

    /// Asks for open requests of the service near the place, unless this very question is already asked.
    static func askNearby(_ s: inout AppState) -> [Effect] {
        guard let query = nearbyQuery(s) else { return [] }
        if s.report.nearby?.query == query { return [] }
        let token = freshToken(s.now, after: s.report.nearby?.token)
        s.report.nearby = NearbyCheck(query: query, token: token)
        s.report.duplicateChoice = nil
        return [.sync(.findNearby(query, token: token))]
    }

    /// From the contact step to the review, through the duplicate step when the answer listed some.
    static func toReview(_ s: inout AppState) -> [Effect] {
        guard s.report.awaitingNearby == nil else { return [] } // a second tap while waiting does nothing
        let effects = askNearby(&s) // the place changed without passing the place step (it cannot today)
        if let found = s.report.nearby?.found {
            proceed(&s, found)
        } else if s.report.nearby != nil {
            s.report.awaitingNearby = s.now + nearbyWait
        } else {
            proceed(&s, [])
        }
        return effects
    }

    static func proceed(_ s: inout AppState, _ found: [ServerRequestStatus]) {
        s.report.awaitingNearby = nil
        guard var flow = s.flow, flow.id == id else { return }
        flow.steps.removeAll { $0 == .reportDuplicate }
        if !found.isEmpty, let review = flow.steps.firstIndex(of: .reportReview) { flow.steps.insert(.reportDuplicate, at: review) }
        s.flow = flow
        s.report.duplicateChoice = found.count == 1 ? 0 : s.report.duplicateChoice.flatMap { found.indices.contains($0) ? $0 : nil }
        s.scroll[ElementID.reportBody] = 0
        nextStep(&s)
    }
}

func reduceNearbyFound(_ s: inout AppState, token: Instant, _ list: [ServerRequestStatus]) -> [Effect] {
    // The first answer to the question on screen counts; one for an older place, or a repeat, is dropped.
    guard var check = s.report.nearby, check.token == token, check.found == nil else { return [] }
    check.found = Array(list.prefix(ReportFlow.maxDuplicates))
    s.report.nearby = check
    if s.report.awaitingNearby != nil, s.screen == .reportContact {
        ReportFlow.proceed(&s, check.found ?? [])
    }
    return []
}

/// "Next" waited as long as it may: the review comes, as if nothing were filed nearby.
func expireNearbyWait(_ s: inout AppState, _ now: Instant) {
    guard let until = s.report.awaitingNearby, now >= until else { return }
    if s.screen == .reportContact { ReportFlow.proceed(&s, []) } else { s.report.awaitingNearby = nil }
}

func reduceDuplicate(_ s: inout AppState, _ a: ReportAction) -> [Effect] {
    let found = s.report.nearby?.found ?? []
    switch a {
    case let .chooseDuplicate(i):
        guard s.screen == .reportDuplicate, found.indices.contains(i) else { return [] }
        s.report.duplicateChoice = i
        return []
    case .newProblem:
        guard s.screen == .reportDuplicate else { return [] }
        nextStep(&s)
        return []
    case .sameProblem:
        guard s.screen == .reportDuplicate, let i = s.report.duplicateChoice, found.indices.contains(i) else { return [] }
        // Nothing is filed: what was typed goes with the flow, and the ticket screen shows the existing case.
        let joined = found[i]
        let catalog = s.report.catalog
        endFlow(&s)
        s.report.catalog = catalog
        s.report.joined = joined
        s.path = [.home, .ticket]
        return []
    default:
        return []
    }
}
