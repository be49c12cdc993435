import Foundation
import KioskCore
import Testing
@testable import KioskStore

private let t0 = Date(timeIntervalSince1970: 1_796_000_000)

private func tinyKB(_ ids: [String]) -> KnowledgeBase {
    KnowledgeBase(categories: categories, articles: ids.map { article($0, "Artykuł \($0)") })
}

private func update(version: Int, ids: [String], snapshot: Bool = true, deleted: [String] = []) -> FeedUpdate {
    let kb = tinyKB(ids)
    return FeedUpdate(version: version, etag: "\"v\(version)\"", expires: t0.addingTimeInterval(86_400), source: "feed v\(version)",
                      knowledgeBase: kb, knowledgeBaseIndex: SearchIndexBuilder.build(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories, lexicon: nil),
                      catalog: nil, catalogIndex: nil, categories: Data("[]".utf8),
                      articles: ids.map { ($0, Data("{\"id\":\"\($0)\"}".utf8)) }, deletedArticles: deleted, replacesAllArticles: snapshot)
}

@Suite struct SyncState {
    @Test func itemsMoveFromQueuedToSentOrRefusedInFilingOrder() throws {
        let store = try KioskStore(path: tempStorePath())
        let tickets = try (0..<3).map { _ in try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1, at: t0).ticket.description }
        #expect(try store.pendingSubmissions(limit: 10).map(\.ticket) == tickets)
        #expect(try store.pendingSubmissions(limit: 10).first?.submission == pothole)

        try store.recordFailedAttempt(ticket: tickets[0], error: "503", next: t0.addingTimeInterval(4))
        let first = try #require(try store.pendingSubmissions(limit: 1).first)
        #expect(first.attempts == 1)
        #expect(first.nextAttempt == t0.addingTimeInterval(4))

        try store.markSent(ticket: tickets[0], serviceRequestID: "101", token: nil, at: t0)
        try store.markRefused(ticket: tickets[1], status: 400, message: "service_code unknown", at: t0)
        try store.markSent(ticket: tickets[2], serviceRequestID: nil, token: "tok-3", at: t0)
        #expect(try store.pendingSubmissions(limit: 10).isEmpty)
        #expect(try store.unresolvedTokens().map(\.token) == ["tok-3"])
        try store.resolveToken(ticket: tickets[2], serviceRequestID: "103")
        #expect(try store.unresolvedTokens().isEmpty)

        let figures = try store.outboxFigures()
        #expect(figures == OutboxFigures(queued: 0, oldestQueued: nil, refused: 1, sent: 2))
        #expect(try store.refusedItems().map(\.message) == ["service_code unknown"])
        let sent = try #require(try store.localTicket(tickets[2]))
        #expect(sent.state == .sent && sent.serviceRequestID == "103" && sent.token == "tok-3" && sent.sent == t0)
        #expect(try store.localTicket("PT1-000000-0000-0") == nil)

        try store.requeue(ticket: tickets[1])
        #expect(try store.pendingSubmissions(limit: 10).map(\.ticket) == [tickets[1]])
    }

    @Test func anUnknownTicketIsAnErrorNotASilentNoOp() throws {
        let store = try KioskStore(path: tempStorePath())
        #expect(throws: StoreError.self) { try store.markSent(ticket: "nope", serviceRequestID: "1", token: nil, at: t0) }
    }

    @Test func theOldestQueuedItemIsWhatTheHeartbeatReports() throws {
        let store = try KioskStore(path: tempStorePath())
        _ = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1, at: t0)
        _ = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1, at: t0.addingTimeInterval(60))
        let f = try store.outboxFigures()
        #expect(f.queued == 2 && f.oldestQueued == t0)
    }

    @Test func aFeedReplacesTheKnowledgeBaseAndItsRawArticlesInOneStep() throws {
        let store = try KioskStore(path: tempStorePath())
        try store.applyFeed(update(version: 10, ids: ["a", "b"]), at: t0)
        #expect(try store.feedState() == FeedState(version: 10, etag: "\"v10\"", expires: t0.addingTimeInterval(86_400)))
        #expect(Set(try store.feedArticles().keys) == ["a", "b"])
        #expect(try store.publicArticles(on: dec1).map(\.id) == ["a", "b"])
        #expect(try store.search("artykuł", on: dec1).hits.count == 2)

        // A delta keeps what it does not name and drops what it deletes.
        try store.applyFeed(update(version: 11, ids: ["c"], snapshot: false, deleted: ["a"]), at: t0)
        #expect(Set(try store.feedArticles().keys) == ["b", "c"])

        // Older than what is applied: refused inside the transaction, nothing changes.
        #expect(throws: StoreError.self) { try store.applyFeed(update(version: 9, ids: ["z"]), at: t0) }
        #expect(try store.feedState()?.version == 11)
        #expect(Set(try store.feedArticles().keys) == ["b", "c"])

        try store.refreshFeed(expires: t0.addingTimeInterval(7 * 86_400), etag: "\"v11b\"")
        #expect(try store.feedState() == FeedState(version: 11, etag: "\"v11b\"", expires: t0.addingTimeInterval(7 * 86_400)))
    }

    @Test func roundsAreKeptAndTheLastSuccessIsFound() throws {
        let store = try KioskStore(path: tempStorePath())
        #expect(try store.lastSyncRounds().last == nil)
        let ok = SyncRoundRecord(finished: t0, ok: true, pushed: 2, refused: 0, failed: 0, feed: "v3", problems: [])
        let bad = SyncRoundRecord(finished: t0.addingTimeInterval(60), ok: false, pushed: 0, refused: 0, failed: 1, feed: "-",
                                  problems: ["connection refused"])
        try store.recordSyncRound(ok)
        try store.recordSyncRound(bad)
        let r = try store.lastSyncRounds()
        #expect(r.last == bad && r.lastSuccess == ok)
    }
}
