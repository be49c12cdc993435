// Staff maintenance: the hidden entry, the PIN pad and the dashboard. The PIN is checked by a service (a slow
// salted hash and a throttle counter on disk); the reducer only holds the digits typed until they are sent,
// and the dashboard's figures as the service read them.
import Foundation
import KioskCore

public enum MaintenancePolicy {
    /// Maintenance closes by itself after this long without a touch: a technician called away must not leave
    /// the dashboard open to the next person in the hall.
    public static let leaveAfter: Double = 120
    /// Digits a PIN may have; shorter ones are refused by `set-pin`.
    public static let pinLengths = 4...12
}

public struct MaintenanceState: Sendable, Equatable {
    /// Digits typed on the pad, never drawn (dots only) and dropped as soon as they are sent.
    public var digits = ""
    /// The check under way: its token, so a late answer to an earlier try is known.
    public var checking: Instant?
    public var verdict: PinVerdict?
    /// Opened by the right PIN: only then does the dashboard show.
    public var granted = false
    public var dashboard: MaintenanceDashboard?
    /// A staff action under way (its button says so), and the last one's outcome.
    public var running: MaintenanceCommand?
    public var outcome: MaintenanceOutcome?
    /// A refused item's ticket staff asked to discard: nothing is deleted until they confirm.
    public var confirmingDiscard: String?
    public init() {}
}

/// The service's answer to a PIN.
public enum PinVerdict: Sendable, Equatable {
    case granted
    /// Wrong: `failures` in a row; the next try is possible from `nextTry` (nil: at once).
    case wrong(failures: Int, nextTry: Date?)
    /// Too many tries: nothing is checked before `until`.
    case throttled(until: Date)
    /// The kiosk has no PIN: maintenance cannot be opened until a technician sets one.
    case notSet
    /// The check could not be made (the PIN file unreadable, the database failing).
    case unavailable
}

/// What a staff action reached, shown on the dashboard.
public struct MaintenanceOutcome: Sendable, Equatable {
    public var command: MaintenanceCommand
    public var ok: Bool
    /// The service's words (plain text: a server's or the printer's message), nil for the catalogue's.
    public var detail: String?
    public init(command: MaintenanceCommand, ok: Bool, detail: String?) { self.command = command; self.ok = ok; self.detail = detail }
}

public enum MaintenanceCommand: String, Sendable, Equatable, CaseIterable {
    case syncNow = "sync-now"
    /// A test receipt through the kiosk's own layout, raster and CUPS path.
    case testPrint = "test-print"
    case refresh
    /// Checks the config file again; a valid one is taken by restarting on it, a broken one is named and the
    /// kiosk goes on with the config it has.
    case reloadConfig = "reload-config"
    /// Residents see a notice with the helpline instead of the screens (on), or the screens again (off).
    case outOfService = "out-of-service"
    /// Ends the kiosk gracefully; systemd starts it again (Restart=always).
    case restart
    /// A refused item sent again or discarded (the ticket is in the action; these name the outcome).
    case retryRefused = "retry"
    case discardRefused = "discard"
}

/// The dashboard's figures as read by the maintenance service at one moment.
public struct MaintenanceDashboard: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: StringKey
        public var value: Value
        /// A figure staff should act on (refused items, printer fault, low disk, no server).
        public var warning: Bool
        public init(_ label: StringKey, _ value: Value, warning: Bool = false) { self.label = label; self.value = value; self.warning = warning }
    }

    public enum Value: Sendable, Equatable {
        /// Data shown as it is: ids, versions, counts, dates, a server's or a printer's own message.
        case data(String)
        /// A word from the catalogue ("none", "not configured"), in the screen's language.
        case word(StringKey)
        /// A word followed by data: "unreachable: connection refused".
        case wordAndData(StringKey, String)
        /// A counted word ("42 artykuły", with the language's plural) followed by data.
        case counted(StringKey, Int, String)
    }
    public var rows: [Row]
    /// Whether a printer is configured (the test print is offered only then).
    public var canPrint = false
    /// Refused items with the server's reasons: (ticket, message).
    public var refused: [(ticket: String, message: String)]
    /// The last errors from the log, newest first.
    public var errors: [String]
    public var readAt: Date

    public init(rows: [Row], canPrint: Bool = false, refused: [(ticket: String, message: String)] = [], errors: [String] = [], readAt: Date) {
        self.rows = rows; self.canPrint = canPrint; self.refused = refused; self.errors = errors; self.readAt = readAt
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.rows == b.rows && a.canPrint == b.canPrint && a.errors == b.errors && a.readAt == b.readAt
            && a.refused.map(\.ticket) == b.refused.map(\.ticket) && a.refused.map(\.message) == b.refused.map(\.message)
    }
}

public enum MaintenanceAction: Sendable, Equatable {
    /// The hidden entry was held long enough.
    case entryHeld
    case pinDigit(Int)
    case pinDelete
    case pinSubmit
    case pinChecked(token: Instant, PinVerdict)
    case dashboardRead(MaintenanceDashboard)
    case run(MaintenanceCommand)
    case finished(MaintenanceOutcome)
    /// Staff chose to send a refused item again (at once) or to discard it (asked to confirm first).
    case retryRefused(ticket: String)
    case discardRefused(ticket: String)
    case confirmDiscard
    case cancelDiscard
    /// The service says whether the kiosk is out of service (at start and after the switch).
    case outOfServiceChanged(Bool)
    /// `kiosk run` could not start on its config: the notice stays until the kiosk is restarted.
    case startFailed(String)
    case leave

    var isResidentInput: Bool {
        switch self {
        case .pinChecked, .dashboardRead, .finished, .outOfServiceChanged, .startFailed: return false
        default: return true
        }
    }
}

/// What the screens ask of the maintenance service.
public enum MaintenanceRequest: Sendable, Equatable {
    /// Answers `.maintenance(.pinChecked(token:, verdict))`; counts the try on disk before it is checked.
    case checkPin(String, token: Instant)
    /// Answers `.maintenance(.dashboardRead(…))`.
    case readDashboard
    /// Answers `.maintenance(.finished(…))`.
    case run(MaintenanceCommand)
    /// Answers `.maintenance(.finished(…))`; journaled by the service.
    case refused(ticket: String, RefusedItemAction)
    /// Answers `.maintenance(.outOfServiceChanged(on))` and `.maintenance(.finished(…))`; journaled.
    case setOutOfService(Bool)
}

extension AppState {
    public var inMaintenance: Bool { screen == .maintenancePin || screen == .maintenance }
}

func reduceMaintenance(_ s: inout AppState, _ a: MaintenanceAction, now: Instant) -> [Effect] {
    switch a {
    case .entryHeld:
        // From the home screen only: a resident's typing elsewhere is never left behind the pad.
        guard s.screen == .home, s.flow == nil, s.startProblem == nil else { return [] }
        s.maintenance = MaintenanceState()
        s.path = [.home, .maintenancePin]
        return []
    case let .pinDigit(d):
        guard s.screen == .maintenancePin, s.maintenance.checking == nil, (0...9).contains(d),
              s.maintenance.digits.count < MaintenancePolicy.pinLengths.upperBound else { return [] }
        s.maintenance.digits.append(String(d))
        return []
    case .pinDelete:
        guard s.screen == .maintenancePin, s.maintenance.checking == nil else { return [] }
        if !s.maintenance.digits.isEmpty { s.maintenance.digits.removeLast() }
        return []
    case .pinSubmit:
        guard s.screen == .maintenancePin, s.maintenance.checking == nil, !s.maintenance.digits.isEmpty else { return [] }
        let pin = s.maintenance.digits
        s.maintenance.digits = ""
        s.maintenance.checking = now
        return [.maintenance(.checkPin(pin, token: now))]
    case let .pinChecked(token, verdict):
        guard s.maintenance.checking == token, s.screen == .maintenancePin else { return [] }
        s.maintenance.checking = nil
        s.maintenance.verdict = verdict
        guard verdict == .granted else { return [] }
        s.maintenance.granted = true
        s.path = [.maintenance]
        return [.maintenance(.readDashboard)]
    case let .dashboardRead(d):
        guard s.maintenance.granted else { return [] }
        s.maintenance.dashboard = d
        if s.maintenance.running == .refresh { s.maintenance.running = nil }
        return []
    case let .run(command):
        guard s.screen == .maintenance, s.maintenance.granted, s.maintenance.running == nil else { return [] }
        let effect: Effect
        switch command {
        case .refresh: effect = .maintenance(.readDashboard)
        case .outOfService: effect = .maintenance(.setOutOfService(!s.outOfService))
        case .testPrint:
            guard s.maintenance.dashboard?.canPrint == true else { return [] }
            let ticket = IssuedTicket(number: "TEST", serviceName: Localized(pl: "Wydruk próbny drukarki", en: "Printer test", uk: "Тестовий друк"),
                                      unitName: Localized(pl: s.site.ticketCode), place: s.site.address, created: s.date, print: .printing)
            effect = .printer(.test(ReceiptRequest(ticket: ticket, statusLink: s.site.statusLink("TEST"), language: s.language)))
        case .retryRefused, .discardRefused: return [] // these come with a ticket
        case .syncNow, .reloadConfig, .restart: effect = .maintenance(.run(command))
        }
        s.maintenance.running = command
        s.maintenance.outcome = nil
        s.maintenance.confirmingDiscard = nil
        return [effect]
    case let .retryRefused(ticket):
        guard s.screen == .maintenance, s.maintenance.granted, s.maintenance.running == nil,
              s.maintenance.dashboard?.refused.contains(where: { $0.ticket == ticket }) == true else { return [] }
        s.maintenance.running = .retryRefused
        s.maintenance.outcome = nil
        s.maintenance.confirmingDiscard = nil
        return [.maintenance(.refused(ticket: ticket, .retry))]
    case let .discardRefused(ticket):
        guard s.screen == .maintenance, s.maintenance.granted, s.maintenance.running == nil,
              s.maintenance.dashboard?.refused.contains(where: { $0.ticket == ticket }) == true else { return [] }
        s.maintenance.confirmingDiscard = ticket
        return []
    case .confirmDiscard:
        guard s.screen == .maintenance, s.maintenance.granted, s.maintenance.running == nil,
              let ticket = s.maintenance.confirmingDiscard else { return [] }
        s.maintenance.confirmingDiscard = nil
        s.maintenance.running = .discardRefused
        s.maintenance.outcome = nil
        return [.maintenance(.refused(ticket: ticket, .discard))]
    case .cancelDiscard:
        s.maintenance.confirmingDiscard = nil
        return []
    case let .outOfServiceChanged(on):
        s.outOfService = on
        return []
    case let .startFailed(reason):
        s.startProblem = String(reason.prefix(1_000))
        return []
    case let .finished(outcome):
        guard s.maintenance.granted else { return [] }
        s.maintenance.running = nil
        s.maintenance.outcome = outcome
        return [.maintenance(.readDashboard)]
    case .leave:
        guard s.inMaintenance else { return [] }
        // Everything goes, as at an idle reset: the next person starts from a fresh home screen.
        s = s.afterReset(at: now)
        return []
    }
}
