import Foundation
import Testing
import KioskCore
import KioskProtocol
import KioskUI
@testable import KioskApp

/// A feed that adds, changes and deletes articles and services arrives while a resident reads an article:
/// the article on screen stays as it was; the lists show the new Knowledge Base when the resident moves on.
@Suite struct FeedWhileReading {
    func texts(_ k: Kiosk) -> String {
        k.engine.drainInbox()
        var out: [String] = []
        for case let .text(s, _, _, _, _) in k.engine.frame().commands { out.append(s) }
        // Wrapped lines are separate runs: joined with spaces, a title is found whole.
        return out.joined(separator: " ")
    }

    @Test func theArticleBeingReadStaysAndTheListsChangeWhenTheResidentMovesOn() throws {
        let (kiosk, _) = try testKiosk()
        let data = try Data(contentsOf: URL(fileURLWithPath: try BundledAssets.demoKnowledgeBase()))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cats = try #require(root["categories"] as? [Any])
        let arts = try #require(root["articles"] as? [[String: Any]]).filter { $0["internal"] as? Bool != true && ($0["validTo"] == nil || $0["validTo"] is NSNull) }
        let sink = kiosk.engine.router.sink
        let sync = StoreSync(store: kiosk.store, config: kiosk.config, onApplied: { _ in sink.post(.knowledgeBaseUpdated) })
        func payload(_ kind: FeedPayload.Kind, _ version: Int, since: Int? = nil, _ list: [[String: Any]], deleted: [String] = [],
                     services: Data? = nil) throws -> FeedPayload {
            FeedPayload(kind: kind, version: version, since: since, issued: fixedDay, expires: fixedDay.addingTimeInterval(86_400),
                        categories: try JSONSerialization.data(withJSONObject: cats), articles: try JSONSerialization.data(withJSONObject: list),
                        deletedArticles: deleted, services: services)
        }
        try sync.applyFeed(try payload(.snapshot, 1, arts), etag: nil)

        let reading = arts[0], sibling = arts[1]
        let readingID = try #require(reading["id"] as? String), siblingID = try #require(sibling["id"] as? String)
        let category = try #require((reading["categories"] as? [String])?.first)
        kiosk.engine.send(.openTile(.kb))
        kiosk.engine.send(.browse(.openCategory(category)))
        kiosk.engine.send(.browse(.openArticle(readingID)))
        let oldTitle = try #require((reading["title"] as? [String: String])?["pl"])
        #expect(texts(kiosk).contains(oldTitle))

        // The feed changes the article being read, deletes another of its category, adds one there, and
        // renames a service.
        var changed = reading
        changed["title"] = ["pl": "Zmieniony tytuł w czasie czytania", "en": "Changed while reading"]
        var added = reading
        added["id"] = "nowy-artykul"
        added["title"] = ["pl": "Całkiem nowy artykuł", "en": "A brand new article"]
        let servicesData = try Data(contentsOf: URL(fileURLWithPath: try BundledAssets.demoServices()))
        var services = try #require(try JSONSerialization.jsonObject(with: servicesData) as? [String: Any])
        var list = try #require(services["services"] as? [[String: Any]])
        list[0]["service_name"] = ["pl": "Drzewo grozi upadkiem (nowa nazwa)", "en": "Tree about to fall (new name)"]
        services["services"] = list
        try sync.applyFeed(try payload(.delta, 2, since: 1, [changed, added], deleted: [siblingID],
                                       services: try JSONSerialization.data(withJSONObject: services)), etag: nil)

        let onScreen = texts(kiosk)
        #expect(onScreen.contains(oldTitle), "the article being read changed under the resident")
        #expect(!onScreen.contains("Zmieniony tytuł"))

        kiosk.engine.send(.back)
        let listed = texts(kiosk)
        #expect(listed.contains("Zmieniony tytuł w czasie czytania"))
        #expect(listed.contains("Całkiem nowy artykuł"))
        let siblingTitle = try #require((sibling["title"] as? [String: String])?["pl"])
        if (sibling["categories"] as? [String])?.contains(category) == true { #expect(!listed.contains(siblingTitle)) }

        kiosk.engine.send(.home)
        kiosk.engine.send(.openTile(.report))
        #expect(texts(kiosk).contains("Drzewo grozi upadkiem (nowa nazwa)"))
    }
}
