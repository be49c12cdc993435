import Foundation
import Testing
import KioskCore
import KioskProtocol
import KioskStore
@testable import KioskApp

/// The demo Knowledge Base's raw objects, as kiosk-central sends them in a feed.
private func demoObjects() throws -> (categories: [Any], articles: [[String: Any]]) {
    let data = try Data(contentsOf: URL(fileURLWithPath: try BundledAssets.demoKnowledgeBase()))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let articles = try #require(root["articles"] as? [[String: Any]]).filter { $0["internal"] as? Bool != true }
    return (try #require(root["categories"] as? [Any]), articles)
}

private func payload(_ kind: FeedPayload.Kind, version: Int, since: Int? = nil, articles: [[String: Any]], deleted: [String] = [],
                     categories: [Any], services: Data? = nil, lexicons: [Data] = []) throws -> FeedPayload {
    FeedPayload(kind: kind, version: version, since: since, issued: fixedDay, expires: fixedDay.addingTimeInterval(7 * 86_400),
                categories: try JSONSerialization.data(withJSONObject: categories),
                articles: try JSONSerialization.data(withJSONObject: articles), deletedArticles: deleted, services: services,
                lexicons: lexicons)
}

/// The tables kiosk-central makes at import for the demo Knowledge Base and catalogue, from the real dictionary.
private func demoLexicons(categories: [Any], articles: [[String: Any]], services: Data) throws -> [Data] {
    let dictionary = try AffixDictionary(base: KioskConfig().dictionary)
    let kb = try KnowledgeBaseFile.parse(categories: categories, articles: articles, file: "demo")
    let kbTable = SearchIndexBuilder.lexiconTable(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories,
                                                  lexicon: dictionary)
    let catalogTable = SearchIndexBuilder.lexiconTable(services: try ServiceCatalogFile.parse(services, file: "demo"), lexicon: dictionary)
    return [try kbTable.encoded(), try catalogTable.encoded()]
}

@Suite struct FeedApply {
    @Test func aSnapshotThenADeltaChangeWhatResidentsSee() throws {
        let (kiosk, _) = try testKiosk()
        let sync = StoreSync(store: kiosk.store, config: kiosk.config)
        let (cats, arts) = try demoObjects()
        let day = kiosk.today
        let visible = try kiosk.store.publicArticles(on: day).count
        try sync.applyFeed(try payload(.snapshot, version: 100, articles: arts, categories: cats), etag: "\"v100\"")
        #expect(try kiosk.store.publicArticles(on: day).count == visible)

        var changed = arts[0]
        let id = try #require(changed["id"] as? String)
        changed["title"] = ["pl": "Nowy tytuł artykułu", "en": "A new article title"]
        let gone = try #require(arts[1]["id"] as? String)
        try #require(try kiosk.store.article(id: gone, on: day) != nil)
        try sync.applyFeed(try payload(.delta, version: 101, since: 100, articles: [changed], deleted: [gone], categories: cats), etag: "\"v101\"")
        #expect(try kiosk.store.article(id: id, on: day)?.title.pl == "Nowy tytuł artykułu")
        #expect(try kiosk.store.article(id: gone, on: day) == nil)
        #expect(try kiosk.store.publicArticles(on: day).count == visible - 1)
        #expect(try kiosk.store.search("nowy tytuł", on: day).hits.first?.id == id)
        #expect(try kiosk.store.feedState()?.version == 101)
    }

    @Test func aBrokenArticleLeavesTheGoodKnowledgeBaseInPlace() throws {
        let (kiosk, _) = try testKiosk()
        let sync = StoreSync(store: kiosk.store, config: kiosk.config)
        let (cats, arts) = try demoObjects()
        try sync.applyFeed(try payload(.snapshot, version: 5, articles: arts, categories: cats), etag: nil)
        let before = try kiosk.store.publicArticles(on: kiosk.today)

        var wrongType = arts[0]
        wrongType["title"] = 42
        var unknownCategory = arts[0]
        unknownCategory["categories"] = ["no-such-category"]
        var noID = arts[0]
        noID["id"] = nil
        for bad in [wrongType, unknownCategory, noID] {
            #expect(throws: (any Error).self) {
                try sync.applyFeed(try payload(.delta, version: 6, since: 5, articles: [bad], categories: cats), etag: nil)
            }
        }
        // Deleting everything would leave residents with nothing: a server fault, refused.
        let all = arts.compactMap { $0["id"] as? String }
        #expect(throws: (any Error).self) {
            try sync.applyFeed(try payload(.delta, version: 6, since: 5, articles: [], deleted: all, categories: cats), etag: nil)
        }
        #expect(try kiosk.store.publicArticles(on: kiosk.today) == before)
        #expect(try kiosk.store.feedState()?.version == 5)
    }

    @Test func markupInArticleTextStaysText() throws {
        let (kiosk, _) = try testKiosk()
        let sync = StoreSync(store: kiosk.store, config: kiosk.config)
        let (cats, arts) = try demoObjects()
        var hostile = arts[0]
        hostile["howTo"] = "<script>alert('x')</script> <b>Złóż</b> wniosek &amp; czekaj."
        try sync.applyFeed(try payload(.snapshot, version: 7, articles: [hostile] + arts.dropFirst(), categories: cats), etag: nil)
        let id = try #require(hostile["id"] as? String)
        #expect(try kiosk.store.article(id: id, on: kiosk.today)?.howTo == "<script>alert('x')</script> <b>Złóż</b> wniosek &amp; czekaj.")
    }

    /// A kiosk without a dictionary finds words in forms no article has ("meldunkami", "koszami") once a
    /// snapshot brings the server's tables, and a table it cannot read costs nothing but those forms.
    @Test func theServersWordFormsTablesStandInForTheKiosksDictionary() throws {
        var config = KioskConfig()
        config.dictionary = "/nonexistent/pl_PL"
        let (kiosk, _) = try testKiosk(config: config)
        let sync = StoreSync(store: kiosk.store, config: kiosk.config)
        let (cats, arts) = try demoObjects()
        let services = try Data(contentsOf: URL(fileURLWithPath: try BundledAssets.demoServices()))
        let day = kiosk.today
        let meldunek = try #require(try kiosk.store.search("meldunek", on: day).hits.first?.id)
        let bins = "zgo-przepelnione" // overflowing bins: "kosze" in its keywords
        #expect(try kiosk.store.searchServices("kosze").contains { $0.code == bins })
        func found() throws -> (Bool, Bool) {
            (try kiosk.store.search("meldunkami", on: day).hits.contains { $0.id == meldunek },
             try kiosk.store.searchServices("koszami").contains { $0.code == bins })
        }

        try sync.applyFeed(try payload(.snapshot, version: 10, articles: arts, categories: cats, services: services), etag: nil)
        #expect(try found() == (false, false), "without a dictionary or a table, words match only as written")

        let tables = try demoLexicons(categories: cats, articles: arts, services: services)
        try sync.applyFeed(try payload(.snapshot, version: 11, articles: arts, categories: cats, services: services, lexicons: tables),
                           etag: nil)
        let withTables = try found()
        #expect(withTables == (true, true), "\(withTables)")

        // A broken table is left out (and logged): the feed still applies, with what the other table gives.
        try sync.applyFeed(try payload(.snapshot, version: 12, articles: arts, categories: cats, services: services,
                                       lexicons: [Data(#"{"format":"lckm-lexicon/1","lemmas":{"a":"b"},"forms":{}}"#.utf8), tables[1]]),
                           etag: nil)
        #expect(try kiosk.store.feedState()?.version == 12)
        let withOne = try found()
        #expect(withOne == (false, true), "\(withOne)")
    }

    @Test func internalArticlesInAFeedNeverReachTheScreen() throws {
        let (kiosk, _) = try testKiosk()
        let sync = StoreSync(store: kiosk.store, config: kiosk.config)
        let (cats, arts) = try demoObjects()
        var secret = arts[0]
        secret["id"] = "secret-1"
        secret["internal"] = true
        try sync.applyFeed(try payload(.snapshot, version: 8, articles: arts + [secret], categories: cats), etag: nil)
        #expect(try kiosk.store.article(id: "secret-1", on: kiosk.today) == nil)
    }
}
