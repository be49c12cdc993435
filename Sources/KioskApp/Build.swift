// buildKiosk: the one place that wires store, services and UI. `kiosk run`, `render`, `bench` and the
// tests all build through it, so what is tested is what ships.
import Foundation
import KioskCore
import KioskStore
import KioskUI

public final class Kiosk {
    public let config: KioskConfig
    public let store: KioskStore
    public let engine: KioskEngine
    public let clock: KioskClock
    let synonymList: LazySynonyms
    /// The link to the central server; nil when none is configured.
    let sync: KioskSyncLink?
    /// Ends the main loop for a restart (maintenance's action); systemd's Restart=always starts the kiosk again.
    /// Nil where nothing can restart it (a script, a test).
    public var onRestartRequest: (@Sendable () -> Void)? {
        get { restart.handler }
        set { restart.handler = newValue }
    }
    let restart: RestartHook
    /// The synonym list search uses, read on first use (see `LazySynonyms`).
    public var synonyms: SynonymGroups { synonymList.groups }

    /// Speech output; headless it only records what it was asked to say.
    let speech: SpeechService

    init(config: KioskConfig, store: KioskStore, engine: KioskEngine, clock: KioskClock, synonyms: LazySynonyms, sync: KioskSyncLink?,
         restart: RestartHook, speech: SpeechService) {
        self.config = config; self.store = store; self.engine = engine; self.clock = clock; self.synonymList = synonyms
        self.sync = sync; self.restart = restart; self.speech = speech
    }

    /// Stops the sync (a round in flight finishes) and closes its connections.
    public func shutdown() { sync?.shutdown() }

    /// Today in Łódź by the kiosk's clock: the day validity rules are judged on.
    public var today: LocalDate { WarsawTime.localDate(at: clock.date) }
}

public struct KioskEnvironment {
    public var dbPath: String
    public var size: Size
    public var clock: KioskClock
    public var measurer: TextMeasurer
    public var effects: EffectMode
    /// Fill a new database from the bundled Knowledge Base and catalogue (not for the out-of-service notice of
    /// a kiosk that could not start: it shows no article and must be up at once).
    public var fillsNewStore = true
    /// Speech mode plays through the sound card (a kiosk on a display); otherwise its requests are only recorded.
    public var playsSpeech = false

    public init(dbPath: String, size: Size, clock: KioskClock, measurer: TextMeasurer, effects: EffectMode) {
        self.dbPath = dbPath; self.size = size; self.clock = clock; self.measurer = measurer; self.effects = effects
    }
}

public func buildKiosk(config: KioskConfig, environment env: KioskEnvironment) throws -> Kiosk {
    let store = try env.dbPath == ":memory:" ? KioskStore(inMemory: UUID().uuidString) : KioskStore(path: env.dbPath)
    // A new kiosk fills both from the same dictionary, read once (it takes seconds, and most starts need none).
    let lexicon = LazyLexicon(config)
    if env.fillsNewStore {
        try fillIfEmpty(store, config: config, lexicon: lexicon)
        try fillServicesIfNew(store, config: config, lexicon: lexicon)
    }
    // Read on the first search, not before the first frame: rendering never needs it.
    let synonyms = LazySynonyms { try loadSynonyms(config) }
    let router = EffectRouter(mode: env.effects)
    var link: KioskSyncLink?
    if let settings = try config.syncSettings() {
        let sink = router.sink
        link = try KioskSyncLink(settings: settings, store: store, config: config, onApplied: { _ in sink.post(.knowledgeBaseUpdated) })
    }
    let syncEngine = link?.engine
    router.register(StoreService(store: store, clock: env.clock, synonyms: synonyms, site: config.site,
                                 onSaved: { syncEngine?.nudge() }), clock: env.clock)
    if let link { router.register(SyncService(link: link, runsRounds: env.effects == .background), clock: env.clock) }
    if let printer = config.printerSettings {
        // Its own fonts, opened on first print on the printer's queue: a FontBook serves one thread.
        router.register(PrinterService(settings: printer, policy: config.printPolicy, store: store, clock: env.clock,
                                       fonts: { try openFonts(config) }), clock: env.clock)
    }
    let speech = SpeechService(plays: env.playsSpeech)
    router.register(speech, clock: env.clock)
    let restart = RestartHook()
    router.register(MaintenanceService(store: store, config: config, sync: link, startedAt: env.clock.date, restart: restart), clock: env.clock)
    let engine = KioskEngine(size: env.size, measurer: env.measurer, clock: env.clock, router: router, idle: config.idle,
                             diagonalInches: config.diagonalInches, site: config.site, streets: try loadStreets(config),
                             languages: config.languages)
    engine.holdDuration = config.maintenance.holdSeconds
    engine.entryGesture = KioskEngine.EntryGesture(rawValue: config.maintenance.entry) ?? .hold
    engine.entryTaps = config.maintenance.taps
    return Kiosk(config: config, store: store, engine: engine, clock: env.clock, synonyms: synonyms, sync: link, restart: restart,
                 speech: speech)
}

/// The street list of the place step. A configured list that cannot be read stops the start with its
/// message (StartChecks names it); without any list, streets are taken as typed.
func loadStreets(_ config: KioskConfig) throws -> StreetList? {
    guard let path = Assets.streetList(config: config) else {
        Log.info("no street list: a street in a report is taken as typed")
        return nil
    }
    return try StreetList.read(path: path)
}

func loadSynonyms(_ config: KioskConfig) throws -> SynonymGroups {
    guard let path = Assets.synonymList(config: config) else { return SynonymGroups() }
    return try SynonymGroups.read(path: path)
}

/// The synonym list, read once when search first needs it. A list that cannot be read is said in the log
/// once and search goes on without synonyms; `load()` gives the error to callers that must not hide it.
final class LazySynonyms: @unchecked Sendable {
    // Guarded by `lock`: the store service asks from its own queue, tests and bench from the main thread.
    private let lock = NSLock()
    private var loaded: Result<SynonymGroups, Error>?
    private let read: () throws -> SynonymGroups

    init(_ read: @escaping () throws -> SynonymGroups) { self.read = read }

    func load() throws -> SynonymGroups {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return try loaded.get() }
        let result = Result { try read() }
        loaded = result
        if case let .failure(error) = result { Log.error("search without synonyms: \(error)") }
        return try result.get()
    }

    var groups: SynonymGroups { (try? load()) ?? SynonymGroups() }

    /// Whether the file has been read, for the test that rendering does not read it.
    var isLoaded: Bool { lock.withLock { loaded != nil } }
}

/// Imports a Knowledge Base with its search index: base forms come from the hunspell dictionary, which is
/// loaded here and released afterwards, never kept in a running kiosk's memory.
@discardableResult
func importKnowledgeBase(_ kb: KnowledgeBase, source: String, into store: KioskStore, config: KioskConfig,
                         allowEmpty: Bool = false, lexicon shared: LazyLexicon? = nil) throws -> ImportSummary {
    if !allowEmpty { try kb.requirePublicArticles(file: source) } // before the dictionary is loaded
    let synonyms = try loadSynonyms(config)
    let lexicon = (shared ?? LazyLexicon(config)).dictionary
    let index = SearchIndexBuilder.build(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories,
                                         lexicon: lexicon, extraWords: synonyms.wordsWithLetters)
    return try store.importKnowledgeBase(kb, source: source, index: index, allowEmpty: allowEmpty)
}

/// The Polish dictionary for base forms, read on first use and released with the last import that needs
/// it; nil when it cannot be read (search then matches words as written).
final class LazyLexicon: @unchecked Sendable {
    private let config: KioskConfig
    // Guards `loaded` and `loading`.
    private let lock = NSLock()
    private var loaded: AffixDictionary??
    private var loading: DispatchGroup?
    // Held while a caller loads the dictionary itself (no preload started).
    private let loadLock = NSLock()
    init(_ config: KioskConfig) { self.config = config }

    /// Starts reading the dictionary on another thread (about half a second) while the caller parses the
    /// text it will be used on.
    func preload() {
        lock.withLock {
            guard loaded == nil, loading == nil else { return }
            let group = DispatchGroup()
            loading = group
            group.enter()
            DispatchQueue.global(qos: .utility).async {
                let d = self.load()
                self.lock.withLock { self.loaded = .some(d) }
                group.leave()
            }
        }
    }

    /// Loaded once even when several threads ask at once (a feed's tables leave words to it while articles
    /// are tokenized in parallel): the first loads it on its own thread, the others wait for it.
    var dictionary: AffixDictionary? {
        if let group = lock.withLock({ loading }) { group.wait() }
        return loadLock.withLock {
            if let loaded = lock.withLock({ loaded }) { return loaded }
            let d = load()
            lock.withLock { loaded = .some(d) }
            return d
        }
    }

    private func load() -> AffixDictionary? {
        do {
            return try AffixDictionary(base: config.dictionary)
        } catch {
            Log.info("search without Polish word forms: \(error)")
            return nil
        }
    }
}

/// Imports the report catalogue with its search index (the same pipeline as the Knowledge Base's).
func importServiceCatalog(_ catalog: ServiceCatalog, source: String, into store: KioskStore, config: KioskConfig,
                          lexicon: LazyLexicon? = nil) throws {
    let index = SearchIndexBuilder.build(services: catalog, lexicon: (lexicon ?? LazyLexicon(config)).dictionary)
    try store.importServices(catalog, source: source, index: index)
}

/// A new, empty database is filled from the configured source (the bundled demo by default), so a fresh
/// kiosk shows a Knowledge Base at once.
func fillIfEmpty(_ store: KioskStore, config: KioskConfig, lexicon: LazyLexicon? = nil) throws {
    // Only a database nothing was ever imported into: one a technician emptied on purpose
    // (`kb import --allow-empty`) stays empty after a restart.
    guard try store.isKnowledgeBaseEmpty(), try store.meta("source") == nil else { return }
    let path = config.knowledgeBaseSource == "demo" ? try Assets.demoKnowledgeBase() : config.knowledgeBaseSource
    let kb = try KnowledgeBaseFile.read(path: path)
    // A configured source with no public article still starts the kiosk (empty, with the helpline on
    // screen) instead of a restart loop; `kb import` is where an empty file is refused.
    if kb.articles.allSatisfy({ $0.publicVersion == nil }) { Log.error("\(path): no public article; the kiosk starts empty") }
    try importKnowledgeBase(kb, source: path, into: store, config: config, allowEmpty: true, lexicon: lexicon)
}

/// A database no catalogue was ever imported into is filled from the configured source (the bundled demo by
/// default), so a fresh kiosk can take reports at once.
func fillServicesIfNew(_ store: KioskStore, config: KioskConfig, lexicon: LazyLexicon? = nil) throws {
    if try store.servicesImported() {
        // A kiosk upgraded from a version without the service index: build it from the catalogue it has.
        if try store.serviceIndexIsMissing() {
            let source = try store.serviceCatalogSource() ?? "the stored catalogue"
            try importServiceCatalog(try store.serviceCatalog(), source: source, into: store, config: config, lexicon: lexicon)
            Log.info("built the service search index for \(source)")
        }
        return
    }
    let path = config.servicesSource == "demo" ? try Assets.demoServices() : config.servicesSource
    try importServiceCatalog(try ServiceCatalogFile.read(path: path), source: path, into: store, config: config, lexicon: lexicon)
}

/// Answers the reducer's store effects. A failing store shows as an empty Knowledge Base with the
/// helpline, and the reason goes to the log, never to the screen.
final class StoreService: KioskService {
    let kind = Effect.Kind.store
    let store: KioskStore
    let clock: KioskClock
    let synonyms: LazySynonyms

    let site: KioskSite
    /// Told after each saved submission (the sync sends it at once instead of at its next round).
    let onSaved: @Sendable () -> Void

    init(store: KioskStore, clock: KioskClock, synonyms: LazySynonyms, site: KioskSite, onSaved: @escaping @Sendable () -> Void = {}) {
        self.store = store; self.clock = clock; self.synonyms = synonyms; self.site = site; self.onSaved = onSaved
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        guard case let .store(request) = effect else { return }
        reply.send(perform(request))
    }

    /// Saves a resident's report; the answer (the ticket) is sent only after the commit is on disk.
    func submit(_ submission: Submission, token: Instant) -> Action {
        let now = clock.date
        do {
            let saved = try store.enqueueSubmission(submission, kioskCode: site.ticketCode, day: WarsawTime.localDate(at: now), at: now)
            onSaved()
            return .report(.saved(token: token, ticket: saved.ticket.description, created: now))
        } catch {
            Log.error("saving a report for \(submission.serviceCode): \(error)")
            return .report(.saveFailed(token: token))
        }
    }

    func perform(_ request: StoreRequest) -> Action {
        let today = WarsawTime.localDate(at: clock.date)
        do {
            switch request {
            case .loadCategories:
                return .browse(.categoriesLoaded(try store.categories(on: today)))
            case let .loadArticles(id):
                return .browse(.articlesLoaded(categoryID: id, try store.articles(inCategory: id, on: today)))
            case let .loadArticle(id):
                return .browse(.articleLoaded(id: id, try store.article(id: id, on: today)))
            case let .search(query):
                var outcome = try store.search(query, on: today, limit: 20, partial: true, synonyms: synonyms.groups)
                // Only services with every word in their name or keywords are offered: "dziura w chodniku"
                // proposes the pavement report, "dowód" proposes none. A failing service index never hides articles.
                do {
                    outcome.services = Array(try store.searchServices(query, limit: 3, synonyms: synonyms.groups).filter(\.strong).prefix(2))
                } catch {
                    Log.error("service search: \(error)")
                }
                return .search(.results(outcome))
            case .loadServices:
                return .report(.catalogLoaded(try store.serviceCatalog()))
            case let .searchServices(query):
                return .report(.serviceResults(ServiceMatches(query: query, hits: try store.searchServices(query, limit: 12, synonyms: synonyms.groups))))
            case let .submit(submission, token):
                return submit(submission, token: token)
            }
        } catch {
            Log.error("store: \(error)")
            switch request {
            case .loadCategories: return .browse(.categoriesLoaded([]))
            case let .loadArticles(id): return .browse(.articlesLoaded(categoryID: id, []))
            case let .loadArticle(id): return .browse(.articleLoaded(id: id, nil))
            case let .search(query): return .search(.results(.empty(query)))
            case .loadServices: return .report(.catalogLoaded(ServiceCatalog(units: [], groups: [], services: [])))
            case let .searchServices(query): return .report(.serviceResults(ServiceMatches(query: query, hits: [])))
            case let .submit(_, token): return .report(.saveFailed(token: token))
            }
        }
    }
}

/// One line per event on stderr; journald adds time and unit under systemd.

