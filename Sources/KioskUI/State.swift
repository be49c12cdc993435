// The kiosk's whole UI state as a value, the actions that change it and the effects it asks for.
import KioskCore

/// Stable screen IDs (a public contract: scripts use them with `expect-screen`).
public enum ScreenID: String, Sendable, Equatable, CaseIterable {
    case home, categories, articles, article, search
}

/// The search screen: what is typed and the answer to it.
public struct SearchState: Sendable, Equatable {
    public var query = ""
    /// The answer for `query`; answers for older queries are dropped.
    public var outcome: SearchOutcome?
    /// Typing went past SearchQuery.maxCharacters and was cut (the screen says so).
    public var inputCut = false
    public init() {}
}

/// Seconds on the kiosk's monotonic clock (the test clock in tests and scripts).
public typealias Instant = Double

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

public struct AppState: Sendable, Equatable {
    public var language: Language = .pl
    public var path: [ScreenID] = [.home]
    public var categories: [CategorySummary]?
    public var selectedCategory: CategorySummary?
    public var articles: [ArticleSummary]?
    public var articleID: String?
    public var article: PublicArticle?
    public var articleMissing = false
    public var scroll: [String: Double] = [:]
    public var scrollLimits: [String: Double] = [:]
    public var fling: Fling?
    /// A "coming soon" (or other) message over the current screen.
    public var notice: StringKey?
    public var pressed: String?
    public var search = SearchState()
    public var idle: IdlePolicy
    public var lastActivity: Instant = 0
    /// When set, the "more time?" warning is on screen and everything resets at this instant.
    public var resetAt: Instant?
    public var now: Instant = 0

    public init(idle: IdlePolicy = IdlePolicy(), now: Instant = 0) {
        self.idle = idle
        self.now = now
        self.lastActivity = now
    }

    public var screen: ScreenID { path.last ?? .home }

    /// Nothing a resident did remains: the idle timer has nothing to clear.
    public var isPristine: Bool {
        path == [.home] && language == .pl && notice == nil && resetAt == nil
    }
}

public enum Tile: String, Sendable { case kb, search, report, ticket }

public enum Action: Sendable, Equatable {
    // From the resident.
    case openTile(Tile)
    case setLanguage(Language)
    case openCategory(String)
    case openArticle(String)
    case back
    case home
    case scrollBy(String, Double)
    case fling(String, velocity: Double)
    case press(String?)
    case dismissNotice
    case moreTime
    case typeText(String)
    case backspace
    case clearQuery
    case applySuggestion
    case browseCategories
    // From services and the clock.
    case categoriesLoaded([CategorySummary])
    case articlesLoaded(categoryID: String, [ArticleSummary])
    case articleLoaded(id: String, PublicArticle?)
    case searchResults(SearchOutcome)
    case scrollLimits([String: Double])
    case tick

    /// Whether a person caused it; only those count as activity for the idle timer.
    public var isResidentInput: Bool {
        switch self {
        case .categoriesLoaded, .articlesLoaded, .articleLoaded, .searchResults, .scrollLimits, .tick: return false
        case .press(nil): return false
        default: return true
        }
    }
}

/// Work outside the reducer; a service answers each with an Action.
public enum Effect: Sendable, Equatable {
    case loadCategories
    case loadArticles(categoryID: String)
    case loadArticle(id: String)
    /// Search as typed: the last word may be unfinished and is matched as a prefix too.
    case search(String)
}
