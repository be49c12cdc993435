import Foundation
import KioskCore
import Testing
@testable import KioskStore

func tempStorePath() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-outbox-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir + "/k.sqlite"
}

let dec1 = LocalDate(year: 2026, month: 12, day: 1)!
let pothole = Submission(serviceCode: "zdit-dziura", location: .street(name: "Piotrkowska", number: "110"),
                         description: "Głęboka dziura przy przejściu dla pieszych.", answers: ["srednica": .number(40), "kiedy": .choice("dzis")],
                         contact: ContactDetails(email: "jan@example.pl", phone: nil, wantsFeedback: true), language: .pl)

@Suite struct DurableOutbox {
    @Test func aSubmissionGetsTheNextTicketOfTheDayAndItsOwnKey() throws {
        let store = try KioskStore(path: tempStorePath())
        let a = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1)
        let b = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1)
        let c = try store.enqueueSubmission(pothole, kioskCode: "PT1", day: LocalDate(year: 2026, month: 12, day: 2)!)
        #expect(a.ticket.sequence == 1 && b.ticket.sequence == 2 && c.ticket.sequence == 1)
        #expect(a.idempotencyKey != b.idempotencyKey && UUID(uuidString: a.idempotencyKey) != nil)
        #expect(try store.submission(ticket: a.ticket.description) == pothole)
        let items = try store.outboxItems()
        #expect(items.map(\.ticket) == [a, b, c].map(\.ticket.description))
        #expect(items.allSatisfy { $0.state == .queued && $0.attempts == 0 })
    }

    @Test func twoWritersNeverShareATicketNumber() async throws {
        let path = try tempStorePath()
        _ = try KioskStore(path: path)
        let stores = try [KioskStore(path: path), KioskStore(path: path)]
        let tickets = try await withThrowingTaskGroup(of: [String].self) { group in
            for store in stores {
                group.addTask {
                    try (0..<50).map { _ in try store.enqueueSubmission(pothole, kioskCode: "PT1", day: dec1).ticket.description }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(tickets.count == 100 && Set(tickets).count == 100)
        #expect(try stores[0].outboxItems().count == 100)
    }

    @Test func aDescriptionOverTheOpen311LimitIsRefusedAndNothingIsSaved() throws {
        let store = try KioskStore(path: tempStorePath())
        var long = pothole
        long.description = String(repeating: "x", count: Submission.maxDescriptionCharacters + 1)
        #expect(throws: StoreError.self) { _ = try store.enqueueSubmission(long, kioskCode: "PT1", day: dec1) }
        #expect(try store.outboxItems().isEmpty)
    }
}
