// The kiosk's whole UI state as a value: the hallway (language, navigation, overlays, idle) and one
// room per feature (browse, search, and later the report form), each with its own state.
import Foundation
import KioskCore

/// Stable screen IDs (a public contract: scripts use them with `expect-screen`).
public enum ScreenID: String, Sendable, Equatable, CaseIterable {
    case home, categories, articles, article, search
    // Reporting a problem, step by step, and the ticket at the end.
    case reportService = "report.service", reportThreat = "report.threat", reportEmergency = "report.emergency"
    case reportLocation = "report.location", reportDetails = "report.details", reportContact = "report.contact"
    /// Open requests near the place, shown before the review when the server knows some.
    case reportDuplicate = "report.duplicate"
    case reportReview = "report.review", ticket
    /// "Check a ticket": the number typed, the answer on the same screen.
    case ticketLookup = "ticket-lookup"
    /// Staff only: the PIN pad behind the hidden entry, and the dashboard behind it.
    case maintenancePin = "maintenance.pin", maintenance
    /// What the kiosk offers people who cannot see the screen or use it by touch, and how (EAA statement).
    case accessibility
}

public struct IdlePolicy: Sendable, Equatable {
    /// Quiet time before the "more time?" warning.
    public var warnAfter: Double
    /// Time the warning stays before everything is cleared.
    public var resetAfter: Double
    public init(warnAfter: Double = 90, resetAfter: Double = 20) { self.warnAfter = warnAfter; self.resetAfter = resetAfter }
}

/// A fling in progress: velocity in px/s decays until it stops.
public struct Fling: Sendable, Equatable {
    public var scrollID: String
    public var velocity: Double
    public var lastTime: Instant
}

/// A multi-step flow (the report form of the next issue): its screens in order and where the resident is.
/// Back goes one step back; leaving it with typed data asks first.
public struct FlowState: Sendable, Equatable {
    public var id: String
    public var steps: [ScreenID]
    public var step: Int
    /// Text fields that belong to the flow; typed data in any of them makes leaving ask first.
    public var fieldIDs: [String]

    public init(id: String, steps: [ScreenID], step: Int = 0, fieldIDs: [String] = []) {
        self.id = id; self.steps = steps; self.step = step; self.fieldIDs = fieldIDs
    }
}

/// Where a resident who asked to leave a flow wanted to go, kept while the kiosk asks "leave?".
public enum LeaveTarget: Sendable, Equatable { case back, home }

public struct AppState: Sendable, Equatable {
    public var language: Language = .pl
    /// Text ×1.5 for residents who read large print; kept until the idle reset.
    public var largeText = false
    /// The high-contrast theme (a11y.contrast); kept until the idle reset, combinable with large text.
    public var highContrast = false
    /// Speech output (a11y.speech, or the keypad's Help key); kept until the idle reset.
    public var speech = SpeechSettings()
    public var path: [ScreenID] = [.home]
    public var flow: FlowState?
    public var browse = BrowseState()
    public var search = SearchState()
    public var report = ReportState()
    public var lookup = LookupState()
    public var maintenance = MaintenanceState()
    /// Staff took the kiosk out of service: residents see the helpline notice (kept across resets and,
    /// through the store, restarts).
    public var outOfService = false
    /// The languages this kiosk offers (config `languages`), the first one a fresh screen starts in.
    public var languages: [Language] = Language.allCases
    /// The kiosk could not start on its config (under systemd): residents see the notice, staff the reason.
    public var startProblem: String?
    /// Where this kiosk stands and how it names tickets (config); kept across resets.
    public var site: KioskSite = .demo
    /// Wall time (the engine sets it before each action): a report's "when" is checked against it.
    public var date = Date(timeIntervalSince1970: 0)
    /// The city's street list for the location step's suggestions (config); nil: a street cannot be checked.
    public var streets: StreetList?
    /// Every text field on the kiosk, by element ID.
    public var fields: [String: TextFieldState] = [:]
    /// The field the keyboard types into.
    public var focus: String?
    /// The element a keypad's arrows are on (drawn with a focus ring); nil until an arrow is pressed, and
    /// again on every new screen.
    public var keyFocus: String?
    public var keyboard = KeyboardState()
    public var scroll: [String: Double] = [:]
    public var scrollLimits: [String: Double] = [:]
    public var fling: Fling?
    /// A "coming soon" (or other) message over the current screen.
    public var notice: StringKey?
    /// "Leave and lose what you typed?" over a flow.
    public var confirmLeave: LeaveTarget?
    public var pressed: String?
    public var idle: IdlePolicy
    public var lastActivity: Instant = 0
    /// When set, the "more time?" warning is on screen and everything resets at this instant.
    public var resetAt: Instant?
    /// Work a service is still doing for this resident (saving a submission): the idle reset waits for it.
    public var residentWork = 0
    /// The reset came due while work was in flight: it happens when the last answer arrives, or at this
    /// instant at the latest, so a service that never answers cannot keep one resident's screen up.
    public var resetWaitUntil: Instant?
    public var resetWaiting: Bool { resetWaitUntil != nil }
    public var now: Instant = 0

    public init(idle: IdlePolicy = IdlePolicy(), now: Instant = 0) {
        self.idle = idle
        self.now = now
        self.lastActivity = now
        self.fields[ElementID.searchQuery] = SearchState.field
    }

    public var screen: ScreenID { path.last ?? .home }

    /// The idle times in force: with speech on, a resident who cannot see gets twice as long, and the
    /// warning never gives less than 20 s to answer (EN 301 549 5.2, WCAG 2.2.1).
    public var idleInForce: IdlePolicy {
        guard speech.on else { return idle }
        return IdlePolicy(warnAfter: idle.warnAfter * 2, resetAfter: max(Self.minimumWarning, idle.resetAfter * 2))
    }
    public static let minimumWarning: Double = 20

    /// A question to a service is out whose answer the screen will show (a ticket lookup, the nearby check).
    public var awaitsService: Bool {
        lookup.pending != nil || maintenance.checking != nil || (flow != nil && report.nearby != nil && report.nearby?.found == nil)
    }

    /// Nothing a resident did remains: the idle timer has nothing to clear (not a query typed before going
    /// home, not a list loaded under yesterday's validity rules).
    public var isPristine: Bool {
        showsOnlyHome && resetAt == nil && fields.values.allSatisfy { $0.value.isEmpty } && search.outcome == nil
            && browse == BrowseState() && report == ReportState() && lookup == LookupState() && maintenance == MaintenanceState()
    }

    /// The untouched home screen is what shows: when the idle time passes, clearing needs no warning.
    public var showsOnlyHome: Bool {
        path == [.home] && language == .pl && !largeText && !highContrast && !speech.on && notice == nil && confirmLeave == nil && flow == nil
    }

    /// A fresh state for the next resident, keeping only the clock and the policy.
    public func afterReset(at now: Instant) -> AppState {
        var next = AppState(idle: idle, now: now)
        next.site = site
        next.date = date
        next.streets = streets
        next.outOfService = outOfService
        next.languages = languages
        next.language = languages.first ?? .pl
        next.startProblem = startProblem
        return next
    }
}

public enum Tile: String, Sendable { case kb, search, report, ticket }
