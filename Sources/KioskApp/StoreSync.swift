// The kiosk database as the sync sees it (KioskSync.SyncStore over KioskStore), and the one place a verified
// feed is turned into a Knowledge Base: through the same parsers, limits and search index as a file import.
import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import KioskSync

final class StoreSync: SyncStore, @unchecked Sendable {
    let store: KioskStore
    let config: KioskConfig
    /// Called after a feed changed what residents see (the screen reloads its lists when they move on).
    let onApplied: @Sendable (Int) -> Void
    // Guards `applying`: one feed at a time (the loop and `sync now` may both pull).
    private let lock = NSLock()

    init(store: KioskStore, config: KioskConfig, onApplied: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.store = store; self.config = config; self.onApplied = onApplied
    }

    func pendingSubmissions(limit: Int) throws -> [PendingSubmission] { try store.pendingSubmissions(limit: limit) }
    func markSent(ticket: String, serviceRequestID: String?, token: String?, at: Date) throws {
        try store.markSent(ticket: ticket, serviceRequestID: serviceRequestID, token: token, at: at)
    }
    func markRefused(ticket: String, status: Int, message: String, at: Date) throws {
        try store.markRefused(ticket: ticket, status: status, message: message, at: at)
    }
    func recordFailedAttempt(ticket: String, error: String, next: Date) throws {
        try store.recordFailedAttempt(ticket: ticket, error: error, next: next)
    }
    func unresolvedTokens() throws -> [(ticket: String, token: String)] { try store.unresolvedTokens() }
    func resolveToken(ticket: String, serviceRequestID: String) throws { try store.resolveToken(ticket: ticket, serviceRequestID: serviceRequestID) }
    func localTicket(_ ticket: String) throws -> LocalTicket? { try store.localTicket(ticket) }
    func outboxFigures() throws -> OutboxFigures { try store.outboxFigures() }
    func feedState() throws -> FeedState? { try store.feedState() }
    func refreshFeed(expires: Date, etag: String?) throws { try store.refreshFeed(expires: expires, etag: etag) }
    func recordSyncRound(_ round: SyncRoundRecord) throws { try store.recordSyncRound(round) }
    func lastSyncRounds() throws -> (last: SyncRoundRecord?, lastSuccess: SyncRoundRecord?) { try store.lastSyncRounds() }

    func applyFeed(_ payload: FeedPayload, etag: String?) throws {
        try lock.withLock {
            let update = try FeedAssembly.update(from: payload, etag: etag, base: payload.kind == .snapshot ? [:] : try store.feedArticles(),
                                                 config: config)
            try store.applyFeed(update)
        }
        onApplied(payload.version)
    }
}

/// Builds the Knowledge Base a feed describes: the kiosk's last feed articles with the delta applied, checked
/// by `KnowledgeBaseFile` as one document, so a feed is held to every rule a file is. Each article's bytes are
/// kept as the server sent them (the base of the next delta) and each is parsed once, in parallel.
enum FeedAssembly {
    struct Problem: Error, CustomStringConvertible { var description: String }

    static func update(from p: FeedPayload, etag: String?, base: [String: Data], config: KioskConfig) throws -> FeedUpdate {
        let name = "feed v\(p.version)"
        let own = LazyLexicon(config)
        // The server's tables of word forms are read beside the articles; without them the kiosk's own dictionary is.
        let sent = Pending { SentLexicon.merged(p.lexicons, source: name) }
        if p.lexicons.isEmpty { own.preload() }
        let slices: [Data]
        do { slices = try JSONSlices.elements(p.articles) } catch {
            throw Problem(description: "\(name): articles: \(error)")
        }
        let incoming = try Parallel.mapChunks(Array(slices.enumerated())) { part throws(Problem) in
            try part.map { (i, raw) throws(Problem) in
                guard let obj = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any],
                      let id = obj["id"] as? String, !id.isEmpty, id.count <= 200 else {
                    throw Problem(description: "\(name): articles[\(i)]: expected an object with an \"id\"")
                }
                return (id: id, raw: raw, object: obj as Any)
            }
        }
        // The kiosk's own copy of the last feed is parsed again only for a delta (it was checked when it came).
        let kept = try Parallel.mapChunks(Array(base)) { part throws(Problem) in
            try part.map { (id, raw) throws(Problem) in
                guard let obj = try? JSONSerialization.jsonObject(with: raw) else {
                    throw Problem(description: "\(name): the kiosk's stored article \"\(id)\" is not valid JSON; a full snapshot is needed")
                }
                return (id: id, raw: raw, object: obj)
            }
        }
        var articles = Dictionary(kept.map { ($0.id, (raw: $0.raw, object: $0.object)) }, uniquingKeysWith: { _, later in later })
        for a in incoming { articles[a.id] = (raw: a.raw, object: a.object) }
        for id in p.deletedArticles { articles[id] = nil }
        let ids = articles.keys.sorted() // a stable order, as a file would have
        guard let categories = try? JSONSerialization.jsonObject(with: p.categories) else {
            throw Problem(description: "\(name): categories: not valid JSON")
        }
        let kb = try KnowledgeBaseFile.parse(categories: categories, articles: ids.compactMap { articles[$0]?.object }, file: name)
        // A feed that would leave residents with nothing is a server fault, not an update.
        try kb.requirePublicArticles(file: name)
        let catalog = try p.services.map { try ServiceCatalogFile.parse($0, file: "\(name) services") }
        let synonyms = (try? loadSynonyms(config)) ?? SynonymGroups()
        // A word the tables lack (a delta's, or one of this kiosk's own synonyms) is asked of the dictionary,
        // which is then loaded: the index is the same either way.
        let forms: (any WordForms)? = (try? sent.value())?.map { t -> any WordForms in
            var t = t
            t.fallback = { own.dictionary }
            return t
        } ?? own.dictionary
        let kbIndex = SearchIndexBuilder.build(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories,
                                               lexicon: forms, extraWords: synonyms.wordsWithLetters)
        let catalogIndex = catalog.map { SearchIndexBuilder.build(services: $0, lexicon: forms) }
        let changed = p.kind == .snapshot ? ids.compactMap { id in articles[id].map { (id, $0.raw) } }
                                          : incoming.map { ($0.id, $0.raw) }
        return FeedUpdate(version: p.version, etag: etag, expires: p.expires, source: name, knowledgeBase: kb,
                          knowledgeBaseIndex: kbIndex, catalog: catalog, catalogIndex: catalogIndex, categories: p.categories,
                          articles: changed, deletedArticles: p.deletedArticles, replacesAllArticles: p.kind == .snapshot)
    }
}

/// The feed's word forms tables (parsed on another thread while the articles are): a table that does not parse
/// is logged and left out, and the kiosk's dictionary answers instead (slower, nothing lost).
enum SentLexicon {
    static func merged(_ tables: [Data], source: String) -> LexiconTable? {
        var merged: LexiconTable?
        for (i, data) in tables.enumerated() {
            do {
                let t = try LexiconTable.parse(data, source: "\(source) lexicons[\(i)]")
                if merged == nil { merged = t } else { merged?.merge(t) }
            } catch {
                Log.error("\(error)")
            }
        }
        return merged
    }
}
