// What can happen (actions, from residents, services and the clock) and what the reducer asks the
// outside world to do (effects, routed to services by kind).
import KioskCore

public enum Action: Sendable, Equatable {
    // The hallway, from the resident.
    case openTile(Tile)
    case setLanguage(Language)
    case toggleLargeText
    case toggleContrast
    case toggleSpeech
    /// Speech's volume, rate and pause, from the keypad or the accessibility page.
    case speech(SpeechSettings.Control)
    /// The accessibility statement, from home.
    case openAccessibility
    case back
    case home
    case scrollBy(String, Double)
    case fling(String, velocity: Double)
    case press(String?)
    case dismissNotice
    case moreTime
    case leaveFlow(confirmed: Bool)
    /// The keypad's focus moved to an element (the engine finds it in the frame's reading order).
    case keyFocus(String?)
    // The rooms and the widgets.
    case browse(BrowseAction)
    case search(SearchAction)
    case report(ReportAction)
    /// Checking a ticket by its number.
    case lookup(LookupAction)
    /// Staff: the hidden entry, the PIN pad and the dashboard.
    case maintenance(MaintenanceAction)
    case field(FieldAction)
    case keyboard(KeyboardAction)
    // From the engine, services and the clock.
    case scrollLimits([String: Double])
    /// The sync applied a Knowledge Base or catalogue feed: lists already loaded are re-read when the resident
    /// next comes to them; the article being read stays as it is.
    case knowledgeBaseUpdated
    /// A service began (+1) or finished (−1) work the idle reset must wait for.
    case residentWork(Int)
    case tick

    /// Whether a person caused it; only those count as activity for the idle timer.
    public var isResidentInput: Bool {
        switch self {
        case .scrollLimits, .tick, .residentWork, .knowledgeBaseUpdated: return false
        case .press(nil): return false
        case let .browse(a): return a.isResidentInput
        case let .search(a): return a.isResidentInput
        case let .report(a): return a.isResidentInput
        case let .lookup(a): return a.isResidentInput
        case let .maintenance(a): return a.isResidentInput
        default: return true
        }
    }
}

/// Work outside the reducer. Each kind goes to its own service (store, printer, sync), which answers with
/// actions, now or later, from its own queue.
public enum Effect: Sendable, Equatable {
    case store(StoreRequest)
    case printer(PrinterRequest)
    /// Questions for the central server (or what the kiosk knows when it cannot be asked).
    case sync(SyncRequest)
    /// The PIN check, the dashboard's figures and staff actions.
    case maintenance(MaintenanceRequest)
    /// Speech output: what to say, stopping and pausing (answers nothing).
    case speech(SpeechRequest)

    public enum Kind: String, Sendable, CaseIterable { case store, printer, sync, maintenance, speech }

    public var kind: Kind {
        switch self {
        case .store: return .store
        case .printer: return .printer
        case .sync: return .sync
        case .maintenance: return .maintenance
        case .speech: return .speech
        }
    }

    /// The answer the screen gets when no service answers: none is registered for the kind, or the service let
    /// the reply go unsent. A resident waiting on a question is then told honestly instead of waiting forever.
    public var unanswered: Action? {
        switch self {
        case let .sync(.lookupTicket(number, token)): return .lookup(.answered(token: token, .unreachable(ticket: number)))
        case let .sync(.findNearby(_, token)): return .report(.nearbyFound(token: token, []))
        case let .maintenance(.checkPin(_, token)): return .maintenance(.pinChecked(token: token, .unavailable))
        case let .maintenance(.run(command)): return .maintenance(.finished(MaintenanceOutcome(command: command, ok: false, detail: nil)))
        case let .maintenance(.refused(_, action)):
            return .maintenance(.finished(MaintenanceOutcome(command: action == .retry ? .retryRefused : .discardRefused, ok: false, detail: nil)))
        case .maintenance(.setOutOfService): return .maintenance(.finished(MaintenanceOutcome(command: .outOfService, ok: false, detail: nil)))
        case .printer(.test): return .maintenance(.finished(MaintenanceOutcome(command: .testPrint, ok: false, detail: nil)))
        case .store, .printer, .maintenance(.readDashboard), .speech: return nil
        }
    }

    /// Work done for the resident at the screen that the idle reset must not drop (a submission being
    /// saved); reads for the screen may be dropped.
    public var holdsIdleReset: Bool {
        switch self {
        case .store(.submit): return true
        case .store, .printer, .sync, .maintenance, .speech: return false
        }
    }
}

/// What the screens ask of the sync service. Each answer carries its `token` back, so an answer to an earlier
/// question (the resident typed another number meanwhile) is known and dropped.
public enum SyncRequest: Sendable, Equatable {
    /// "Check a ticket": answers `.lookup(.answered(token:, TicketLookupResult))`. The number is canonical
    /// (`TicketNumber.description`), already checked by its check character.
    case lookupTicket(String, token: Instant)
    /// Open requests of the service near the place, before the review step: answers
    /// `.report(.nearbyFound(token:, [ServerRequestStatus]))`, an empty list when none or on any failure.
    case findNearby(NearbyQuery, token: Instant)
}

/// What the screen asks speech output to do. The engine builds the words from the frame (`Narration`).
public enum SpeechRequest: Sendable, Equatable {
    /// Stops whatever is being said and says these pieces in order, in `language`'s voice.
    case say([String], language: Language, settings: SpeechSettings)
    case stop
    /// Pauses (true) or goes on from where it paused.
    case pause(Bool)
}

public enum StoreRequest: Sendable, Equatable {
    case loadCategories
    case loadArticles(categoryID: String)
    case loadArticle(id: String)
    /// Search as typed: the last word may be unfinished and is matched as a prefix too.
    case search(String)
    /// The report catalogue, for the report form.
    case loadServices
    /// Services by the words typed in the report form's search field.
    case searchServices(String)
    /// Saves a submission and its outbox row durably; answers with the ticket only after the commit.
    /// `token` comes back with the answer, so a late one for another save is known.
    case submit(Submission, token: Instant)
}

public enum PrinterRequest: Sendable, Equatable {
    /// The receipt of a ticket just filed, or printed again.
    case receipt(ReceiptRequest)
    /// An article's checklist, from the article screen.
    case checklist(ChecklistRequest)
    /// A test receipt from the maintenance dashboard; answers `.maintenance(.finished(…))`.
    case test(ReceiptRequest)
}

public struct ChecklistRequest: Sendable, Equatable {
    public var article: PublicArticle
    public var language: Language
    public init(article: PublicArticle, language: Language) { self.article = article; self.language = language }
}
