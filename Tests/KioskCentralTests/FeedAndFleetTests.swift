// The signed feed (snapshot, delta, 304, no internal articles or consultant notes), heartbeats and the fleet view.
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KioskCentral
import KioskCore
import KioskProtocol
import Testing

@Suite struct FeedAndFleetTests {
    func publicKey(_ f: Fixture) throws -> Curve25519.Signing.PublicKey {
        try SignedFeed.publicKey(base64: CentralKeys.feedPublicKeyBase64(f.store))
    }

    func demoKB() throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: repoRoot + "/assets/kb/demo-kb.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theFeedNeedsAKioskKey() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/kiosk/v1/feed", method: .get) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/kiosk/v1/feed", method: .get, headers: [.authorization: "Bearer nope"]) { r in
                #expect(r.status == .forbidden)
                #expect(r.firstError?.0 == 403)
            }
        }
    }

    @Test func aSnapshotVerifiesAndCarriesNoInternalArticleOrConsultantNote() async throws {
        let f = try Fixture()
        let key = try publicKey(f)
        let auth: HTTPFields = [.authorization: "Bearer \(f.key)"]
        try await f.app().test(.router) { client in
            let etag = try await client.execute(uri: "/kiosk/v1/feed", method: .get, headers: auth) { r -> String in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == SignedFeed.contentType)
                let p = try SignedFeed.verify(Data(buffer: r.body), keys: [key], have: nil, now: Date())
                #expect(p.kind == .snapshot)
                let articles = try #require(try JSONSerialization.jsonObject(with: p.articles) as? [[String: Any]])
                #expect(articles.count == 42) // the demo's 44 less its two internal ones
                #expect(!articles.contains { $0["internal"] as? Bool == true })
                #expect(!articles.contains { $0["consultantInfo"] != nil })
                #expect(p.services != nil)
                #expect(p.version >= Int(Date().timeIntervalSince1970) - 600)
                #expect(p.expires > Date().addingTimeInterval(6 * 86_400))
                return try #require(r.headers[.eTag])
            }
            try await client.execute(uri: "/kiosk/v1/feed?since=\(try f.store.feedVersion())", method: .get,
                                     headers: auth + [.ifNoneMatch: etag]) { r in
                #expect(r.status == .notModified)
                #expect(r.body.readableBytes == 0)
            }
            // Without the ETag, a kiosk that has the version gets an empty delta with a fresh signature.
            let v = try f.store.feedVersion()
            try await client.execute(uri: "/kiosk/v1/feed?since=\(v)", method: .get, headers: auth) { r in
                let p = try SignedFeed.verify(Data(buffer: r.body), keys: [key], have: v, now: Date())
                #expect(p.kind == .delta && p.since == v && p.version == v)
                #expect(try JSONSerialization.jsonObject(with: p.articles) as? [Any] == nil || (try JSONSerialization.jsonObject(with: p.articles) as? [Any])?.isEmpty == true)
                #expect(p.services == nil)
            }
            try await client.execute(uri: "/kiosk/v1/feed?since=abc", method: .get, headers: auth) { r in
                #expect(r.status == .badRequest)
            }
            // A version this database never made gets a snapshot.
            try await client.execute(uri: "/kiosk/v1/feed?since=17", method: .get, headers: auth) { r in
                let p = try SignedFeed.verify(Data(buffer: r.body), keys: [key], have: 17, now: Date())
                #expect(p.kind == .snapshot)
            }
        }
    }

    @Test func anImportThatAddsChangesAndDeletesIsServedAsADelta() async throws {
        let f = try Fixture()
        let key = try publicKey(f)
        let before = try f.store.feedVersion()
        var kb = try demoKB()
        var articles = try #require(kb["articles"] as? [[String: Any]])
        let removed = try #require(articles.first { $0["internal"] as? Bool == false }?["id"] as? String)
        articles.removeAll { $0["id"] as? String == removed }
        articles[1]["fees"] = "Opłata skarbowa: 17 zł (zmiana)"
        let changedID = try #require(articles[1]["id"] as? String)
        var added = articles[0]
        added["id"] = "kb-new-1"
        added["consultantInfo"] = "TYLKO DLA KONSULTANTA"
        articles.append(added)
        kb["articles"] = articles
        let data = try JSONSerialization.data(withJSONObject: kb)
        let change = try CentralImport.knowledgeBase(data, file: "changed.json", into: f.store)
        #expect(change.articlesAdded == 1 && change.articlesChanged == 1 && change.articlesDeleted == 1)
        let after = try f.store.feedVersion()
        #expect(after > before)
        // The same file again changes nothing and makes no version.
        #expect(try CentralImport.knowledgeBase(data, file: "changed.json", into: f.store).changedAnything == false)
        #expect(try f.store.feedVersion() == after)
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/kiosk/v1/feed?since=\(before)", method: .get, headers: [.authorization: "Bearer \(f.key)"]) { r in
                #expect(r.headers[.eTag]?.contains("\(after)") == true)
                let p = try SignedFeed.verify(Data(buffer: r.body), keys: [key], have: before, now: Date())
                #expect(p.kind == .delta && p.since == before && p.version == after)
                let list = try #require(try JSONSerialization.jsonObject(with: p.articles) as? [[String: Any]])
                #expect(Set(list.compactMap { $0["id"] as? String }) == [changedID, "kb-new-1"])
                #expect(!String(decoding: p.articles, as: UTF8.self).contains("TYLKO DLA KONSULTANTA"))
                #expect(p.deletedArticles == [removed])
                #expect(p.services == nil)
            }
        }
    }

    /// The dictionary's answers for the kiosks' words are made at import and sent with snapshots; a delta
    /// carries the catalogue's table only when it carries the catalogue.
    @Test func snapshotsCarryTheWordFormsTablesMadeAtImport() async throws {
        let f = try Fixture()
        let key = try publicKey(f)
        let auth: HTTPFields = [.authorization: "Bearer \(f.key)"]
        let source = LexiconSource(dictionary: LexiconSource.defaultDictionary)
        let kbData = try JSONSerialization.data(withJSONObject: try demoKB())
        let servicesPath = repoRoot + "/assets/services/demo-services.json"
        let servicesData = try #require(FileManager.default.contents(atPath: servicesPath))
        let v0 = try f.store.feedVersion()
        let kbChange = try CentralImport.knowledgeBase(kbData, file: "demo", into: f.store, lexicon: source)
        let servicesChange = try CentralImport.services(servicesData, file: servicesPath, into: f.store, lexicon: source)
        // The same content with a table is no new version: kiosks build the same index either way.
        #expect(kbChange.version == nil && servicesChange.version == nil && (kbChange.lexiconWords ?? 0) > 1_000)
        #expect(try f.store.feedVersion() == v0)

        func fetch(since: Int?, have: Int?) async throws -> FeedPayload {
            try await f.app().test(.router) { client in
                try await client.execute(uri: "/kiosk/v1/feed" + (since.map { "?since=\($0)" } ?? ""), method: .get, headers: auth) { r in
                    try SignedFeed.verify(Data(buffer: r.body), keys: [key], have: have, now: Date())
                }
            }
        }
        let snapshot = try await fetch(since: nil, have: nil)
        #expect(snapshot.lexicons.count == 2)
        var merged = LexiconTable()
        for t in snapshot.lexicons { merged.merge(try LexiconTable.parse(t, source: "test")) }
        let stems = merged.lemmas["meldunek"] ?? []
        #expect(!stems.isEmpty && stems.contains { merged.forms[$0]?.contains("meldunkami") == true })
        #expect(!(merged.lemmas["kosze"] ?? []).isEmpty, "the catalogue's words are in the tables too")

        var kb = try demoKB()
        var articles = try #require(kb["articles"] as? [[String: Any]])
        articles[1]["fees"] = "Opłata skarbowa: 17 zł (zmiana)"
        kb["articles"] = articles
        _ = try CentralImport.knowledgeBase(try JSONSerialization.data(withJSONObject: kb), file: "changed", into: f.store, lexicon: source)
        let v1 = try f.store.feedVersion()
        #expect(try await fetch(since: v0, have: v0).lexicons.isEmpty)

        var catalogue = try #require(try JSONSerialization.jsonObject(with: servicesData) as? [String: Any])
        var list = try #require(catalogue["services"] as? [[String: Any]])
        list[0]["keywords"] = ["latarnie", "lampy uliczne"]
        catalogue["services"] = list
        _ = try CentralImport.services(try JSONSerialization.data(withJSONObject: catalogue), file: "changed", into: f.store, lexicon: source)
        let delta = try await fetch(since: v1, have: v1)
        #expect(delta.services != nil && delta.lexicons.count == 1)
        #expect(!(try LexiconTable.parse(try #require(delta.lexicons.first), source: "test").lemmas["lampy"] ?? []).isEmpty)

        // Imported without a dictionary, the server sends no table: kiosks look words up themselves.
        _ = try CentralImport.knowledgeBase(kbData, file: "demo", into: f.store,
                                            lexicon: LexiconSource(dictionary: "/nonexistent/pl_PL", required: false))
        #expect(try await fetch(since: nil, have: nil).lexicons.count == 1)
    }

    /// After an import the whole fleet asks for the snapshot at once: one build and one signature are shared,
    /// reused while fresh, and a new version is built anew.
    @Test func kiosksAskingAtOnceShareOneSignedSnapshot() async throws {
        let f = try Fixture()
        let key = try publicKey(f)
        let auth: HTTPFields = [.authorization: "Bearer \(f.key)"]
        try await f.app().test(.router) { client in
            let bodies = try await withThrowingTaskGroup(of: Data.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await client.execute(uri: "/kiosk/v1/feed", method: .get, headers: auth) { Data(buffer: $0.body) } }
                }
                return try await group.reduce(into: [Data]()) { $0.append($1) }
            }
            #expect(Set(bodies).count == 1)
            try await Task.sleep(for: .milliseconds(1_100)) // a fresh signature would carry a later issue time
            let again = try await client.execute(uri: "/kiosk/v1/feed?since=0", method: .get, headers: auth) { Data(buffer: $0.body) }
            #expect(again == bodies.first)
            var kb = try demoKB()
            var articles = try #require(kb["articles"] as? [[String: Any]])
            articles[2]["fees"] = "Opłata: 21 zł (nowa)"
            kb["articles"] = articles
            _ = try CentralImport.knowledgeBase(try JSONSerialization.data(withJSONObject: kb), file: "new.json", into: f.store)
            let next = try await client.execute(uri: "/kiosk/v1/feed", method: .get, headers: auth) { Data(buffer: $0.body) }
            let p = try SignedFeed.verify(next, keys: [key], have: nil, now: Date())
            #expect(p.version == (try f.store.feedVersion()) && p.kind == .snapshot)
            #expect(String(decoding: p.articles, as: UTF8.self).contains("21 zł (nowa)"))
        }
    }

    @Test func versionsOnlyGrowEvenWhenTheDatabaseIsMadeAgain() throws {
        let (a, _) = try freshStore()
        let (b, _) = try freshStore()
        #expect(try b.feedVersion() >= a.feedVersion())
        #expect(try a.feedVersion() >= Int(Date().timeIntervalSince1970) - 600)
    }

    @Test func heartbeatsFeedTheFleetViewAndMustComeFromTheKeysKiosk() async throws {
        let f = try Fixture()
        let auth: HTTPFields = [.authorization: "Bearer \(f.key)", .contentType: "application/json"]
        @Sendable func beat(_ id: String) throws -> ByteBuffer {
            let hb = Heartbeat(kioskID: id, softwareVersion: "1.2.3", sentAt: Date(), outboxDepth: 3, oldestQueuedSeconds: 120,
                               refused: 1, printerState: "fault", printerReasons: ["media-empty<script>"],
                               lastSuccessfulSync: Date(), knowledgeBaseVersion: 42, freeDiskBytes: 1 << 30)
            return ByteBuffer(bytes: try hb.encoded())
        }
        let staffKey = CentralKeys.newKey()
        try f.store.addKey(kioskID: "jan.kowalski", keyHash: CentralKeys.hash(staffKey), role: .staff, now: Date())
        let staff: HTTPFields = [.authorization: "Bearer \(staffKey)"]
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/fleet", method: .get, headers: staff) { r in
                let k = try #require(r.list.first)
                #expect(k["kiosk_id"] as? String == f.kiosk)
                #expect(k["online"] as? Bool == false)
            }
            try await client.execute(uri: Heartbeat.path, method: .post, headers: auth, body: try beat("someone-else")) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: Heartbeat.path, method: .post, headers: auth, body: ByteBuffer(string: "{\"kiosk_id\": 5}")) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: Heartbeat.path, method: .post, headers: [.contentType: "application/json"], body: try beat(f.kiosk)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: Heartbeat.path, method: .post, headers: auth, body: try beat(f.kiosk)) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/fleet", method: .get, headers: staff) { r in
                let k = try #require(r.list.first)
                #expect(k["online"] as? Bool == true)
                #expect(k["outbox_depth"] as? Int == 3)
                #expect(k["last_seen"] is String)
            }
            // A browser sends the staff key as the Basic password (the user name is not checked).
            let basic = "Basic " + Data("jan:\(staffKey)".utf8).base64EncodedString()
            for (uri, headers) in [("/fleet", [.authorization: "Bearer \(staffKey)", .accept: "text/html"] as HTTPFields), ("/fleet.html", [.authorization: basic])] {
                try await client.execute(uri: uri, method: .get, headers: headers) { r in
                    #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
                    #expect(r.text.contains("lodz-demo-01"))
                    #expect(r.text.contains("media-empty&lt;script&gt;"))
                    #expect(!r.text.contains("<script>"))
                }
            }
        }
    }

    /// The fleet view shows every kiosk's state: only a staff key opens it, and a browser is asked for one.
    @Test func theFleetViewNeedsAStaffKey() async throws {
        let f = try Fixture()
        let staffKey = CentralKeys.newKey()
        try f.store.addKey(kioskID: "anna", keyHash: CentralKeys.hash(staffKey), role: .staff, now: Date())
        let basic: @Sendable (String) -> String = { "Basic " + Data($0.utf8).base64EncodedString() }
        let refused: [HTTPFields] = [
            [:], [.authorization: "Bearer \(f.key)"], [.authorization: basic("x:\(f.key)")], [.authorization: "Bearer nope"],
            [.authorization: "Basic %%%"], [.authorization: basic("no colon")], [.authorization: "Digest abc"],
            [.authorization: "Bearer " + String(repeating: "k", count: 5_000)],
        ]
        try await f.app().test(.router) { client in
            for headers in refused {
                for uri in ["/fleet", "/fleet.html"] {
                    try await client.execute(uri: uri, method: .get, headers: headers) { r in
                        #expect(r.status == .unauthorized, "\(uri) \(headers)")
                        #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Basic realm=") == true)
                        #expect(r.firstError?.0 == 401)
                        #expect(!r.text.contains(f.kiosk))
                    }
                }
            }
            // A staff key opens nothing a kiosk key does.
            try await client.execute(uri: "/kiosk/v1/feed", method: .get, headers: [.authorization: "Bearer \(staffKey)"]) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/fleet", method: .get, headers: [.authorization: basic(":\(staffKey)")]) { r in
                #expect(r.status == .ok)
            }
        }
        #expect(try f.store.revokeKeys(matching: "anna", now: Date()) == 1)
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/fleet", method: .get, headers: [.authorization: "Bearer \(staffKey)"]) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func aServicesImportChangesOpen311AndTheFeedAtOnce() async throws {
        let f = try Fixture()
        let before = try f.store.feedVersion()
        let data = try #require(FileManager.default.contents(atPath: repoRoot + "/assets/services/demo-services.json"))
        var doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var services = try #require(doc["services"] as? [[String: Any]])
        services.removeLast()
        doc["services"] = services
        let newDoc = try JSONSerialization.data(withJSONObject: doc)
        let app = try f.app()
        try await app.test(.router) { client in
            let n0 = try await client.execute(uri: "/open311/v2/services.json", method: .get) { $0.list.count }
            try CentralImport.services(newDoc, file: "s.json", into: f.store)
            try await client.execute(uri: "/open311/v2/services.json", method: .get) { r in #expect(r.list.count == n0 - 1) }
            try await client.execute(uri: "/kiosk/v1/feed?since=\(before)", method: .get, headers: [.authorization: "Bearer \(f.key)"]) { r in
                let p = try SignedFeed.verify(Data(buffer: r.body), keys: [try publicKey(f)], have: before, now: Date())
                #expect(p.services != nil)
                #expect(p.kind == .delta)
            }
        }
    }
}
