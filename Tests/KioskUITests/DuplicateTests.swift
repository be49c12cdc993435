import Foundation
import KioskCore
import KioskTesting
import Testing
@testable import KioskUI

let nearbyA = ServerRequestStatus(serviceRequestID: "101", ticket: ticketNumber(7), serviceCode: "hole", serviceName: "Dziura w jezdni",
                                  status: "open", address: "ul. Piotrkowska 112", description: "Duża dziura przy przejściu",
                                  requested: noonInLodz.addingTimeInterval(-86_400))
let nearbyB = ServerRequestStatus(serviceRequestID: "102", serviceCode: "hole", status: "open", address: "ul. Piotrkowska 98",
                                  description: String(repeating: "zapadnięta kostka ", count: 50))

/// Through the form to the contact step; returns what leaving the place step asked.
func toContact(_ s: inout AppState) -> [Effect] {
    _ = send(&s, .openTile(.report), at: 1)
    _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
    _ = send(&s, .report(.chooseService("hole")), at: 2)
    let asked = send(&s, .report(.next), at: 3)
    type(&s, ElementID.reportDescription, "Dziura", at: 4)
    type(&s, ElementID.reportAttribute("size"), "30", at: 4)
    _ = send(&s, .report(.choose(attribute: "where", value: "a")), at: 4)
    _ = send(&s, .report(.next), at: 5)
    return asked
}

func nearbyToken(_ s: AppState) -> Instant { s.report.nearby?.token ?? -1 }

@Suite struct Duplicates {
    @Test func leavingThePlaceStepAsksForRequestsOfTheServiceNearThePlace() {
        var s = reportState()
        let asked = toContact(&s)
        let here = ReportLocation.kiosk(address: s.site.address, latitude: s.site.latitude, longitude: s.site.longitude)
        #expect(asked == [.sync(.findNearby(NearbyQuery(serviceCode: "hole", location: here), token: 3))])
        #expect(s.screen == .reportContact)
        #expect(s.awaitsService)
    }

    @Test func requestsNearbyComeBeforeTheReviewAndJoiningOneFilesNothing() {
        var s = reportState()
        _ = toContact(&s)
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [nearbyA, nearbyB])), at: 5.5)
        #expect(s.screen == .reportContact, "an answer never moves the resident")
        _ = send(&s, .report(.skipContact), at: 6)
        #expect(s.screen == .reportDuplicate)
        #expect(s.flow?.steps.suffix(2) == [.reportDuplicate, .reportReview])
        #expect(s.report.duplicateChoice == nil, "with two, the resident chooses")
        #expect(send(&s, .report(.sameProblem), at: 7).isEmpty)
        #expect(s.screen == .reportDuplicate, "nothing chosen: nothing happens")
        let f = screenText(s)
        #expect(f.target(id: ElementID.reportDuplicateItem(0)) != nil && f.target(id: ElementID.reportDuplicateItem(1)) != nil)
        #expect(f.target(id: ElementID.reportDuplicateSame)?.action == nil)
        #expect(f.containsText("ul. Piotrkowska 112") && f.containsText("Duża dziura przy przejściu") && f.containsText("W realizacji"))
        #expect(!f.containsText(String(repeating: "zapadnięta kostka ", count: 20)), "a long description shows as an excerpt")
        _ = send(&s, .report(.chooseDuplicate(0)), at: 8)
        #expect(screenText(s).target(id: ElementID.reportDuplicateSame)?.action == .report(.sameProblem))
        let effects = send(&s, .report(.sameProblem), at: 9)
        #expect(effects.isEmpty, "no submission")
        #expect(s.path == [.home, .ticket])
        #expect(s.flow == nil)
        #expect(s.report.joined == nearbyA)
        #expect(s.fields[ElementID.reportDescription] == nil, "what was typed goes")
        let t = screenText(s)
        #expect(t.containsText(nearbyA.numberForResident))
        #expect(t.containsText(Strings.text(.joinedNothingFiled, .pl)))
        #expect(t.target(id: ElementID.ticketPrint) == nil, "the receipt would say 'accepted'")
        #expect(t.target(id: ElementID.ticketNumber) != nil)
        _ = send(&s, .report(.done), at: 10)
        #expect(s.path == [.home] && s.report.joined == nil)
    }

    @Test func oneRequestIsChosenAlreadyAndAnotherProblemGoesOnToTheReview() {
        var s = reportState()
        _ = toContact(&s)
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [nearbyB])), at: 5.5)
        _ = send(&s, .report(.skipContact), at: 6)
        #expect(s.report.duplicateChoice == 0)
        _ = send(&s, .report(.newProblem), at: 7)
        #expect(s.screen == .reportReview)
        _ = send(&s, .back, at: 8)
        #expect(s.screen == .reportDuplicate)
        _ = send(&s, .report(.newProblem), at: 9)
        guard case .store(.submit)? = send(&s, .report(.submit), at: 10).first else { Issue.record("not submitted"); return }
    }

    @Test func noneNearbyGoesStraightToTheReview() {
        var s = reportState()
        _ = toContact(&s)
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [])), at: 5.5)
        _ = send(&s, .report(.skipContact), at: 6)
        #expect(s.screen == .reportReview)
        #expect(s.flow?.steps.contains(.reportDuplicate) == false)
    }

    @Test func whileTheAnswerIsOutNextIsBusyASecondTapDoesNothingAndTheAnswerGoesOn() {
        var s = reportState()
        _ = toContact(&s)
        _ = send(&s, .report(.skipContact), at: 6)
        #expect(s.screen == .reportContact)
        #expect(s.report.awaitingNearby != nil)
        #expect(screenText(s).containsText(Strings.text(.reportCheckingNearby, .pl)))
        #expect(send(&s, .report(.skipContact), at: 6.2).isEmpty)
        #expect(send(&s, .report(.next), at: 6.3).isEmpty)
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [nearbyA])), at: 7)
        #expect(s.screen == .reportDuplicate)
    }

    @Test func anAnswerThatNeverComesHoldsNobodyUp() {
        var s = reportState()
        _ = toContact(&s)
        _ = send(&s, .report(.skipContact), at: 6)
        run(&s, until: 6 + 4.1)
        #expect(s.screen == .reportReview)
        // Arriving late, it does not interrupt the review.
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [nearbyA])), at: 11)
        #expect(s.screen == .reportReview)
    }

    @Test func anAnswerForAnEarlierPlaceIsDropped() {
        var s = reportState()
        _ = toContact(&s)
        let first = nearbyToken(s)
        _ = send(&s, .back, at: 6)
        _ = send(&s, .back, at: 6)
        #expect(s.screen == .reportLocation)
        _ = send(&s, .report(.pickStreet("ul. Piotrkowska")), at: 7)
        let asked = send(&s, .report(.next), at: 8)
        #expect(asked.count == 1)
        #expect(nearbyToken(s) != first)
        _ = send(&s, .report(.nearbyFound(token: first, [nearbyA])), at: 9)
        #expect(s.report.nearby?.found == nil)
        _ = send(&s, .report(.next), at: 10)
        _ = send(&s, .report(.nearbyFound(token: nearbyToken(s), [])), at: 10)
        _ = send(&s, .report(.skipContact), at: 11)
        #expect(s.screen == .reportReview)
    }

    @Test func withoutASyncServiceTheFormGoesOnAsBefore() {
        // The real engine: the router answers the question no service takes with "none nearby".
        let clock = ManualClock()
        let engine = KioskEngine(size: Size(width: 1080, height: 1920), measurer: FixedWidthMeasurer(), clock: clock, router: EffectRouter(mode: .synchronous))
        engine.send(.openTile(.report))
        engine.send(.report(.catalogLoaded(reportCatalog)))
        engine.send(.report(.chooseService("hole")))
        engine.send(.report(.next))
        #expect(engine.state.report.nearby?.found == [])
        engine.send(.field(.focus(ElementID.reportDescription)))
        engine.send(.field(.type("Dziura")))
        engine.send(.field(.focus(ElementID.reportAttribute("size"))))
        engine.send(.field(.type("30")))
        engine.send(.report(.choose(attribute: "where", value: "a")))
        engine.send(.report(.next))
        engine.send(.report(.skipContact))
        #expect(engine.state.screen == .reportReview)
    }
}

@Suite struct KnowledgeBaseUpdates {
    func onArticle() -> AppState {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.kb), at: 1)
        _ = send(&s, .browse(.categoriesLoaded([roads])), at: 1)
        _ = send(&s, .browse(.openCategory("drogi")), at: 2)
        _ = send(&s, .browse(.articlesLoaded(categoryID: "drogi", [ArticleSummary(id: "a", title: Localized(pl: "A"), summary: Localized(pl: ""))])), at: 2)
        _ = send(&s, .browse(.openArticle("a")), at: 3)
        return s
    }

    @Test func aResidentReadingIsNotDisturbedAndTheListsAreReadAgainOnTheWayBack() {
        var s = onArticle()
        let before = s
        #expect(send(&s, .knowledgeBaseUpdated, at: 4).isEmpty)
        #expect(s.path == before.path && s.browse.articleID == "a" && s.browse.articles == before.browse.articles)
        #expect(s.lastActivity == before.lastActivity, "not a resident's touch")
        #expect(send(&s, .back, at: 5) == [.store(.loadArticles(categoryID: "drogi"))])
        #expect(s.browse.articles != nil, "the old list shows until the new one comes")
        #expect(send(&s, .back, at: 6) == [.store(.loadCategories)])
        _ = send(&s, .browse(.categoriesLoaded([roads])), at: 6)
        _ = send(&s, .browse(.openCategory("drogi")), at: 7)
        #expect(send(&s, .back, at: 8).isEmpty, "read once, not on every visit")
    }

    @Test func anArticleTheFeedDeletedStaysUntilTheResidentLeaves() {
        var s = onArticle()
        _ = send(&s, .knowledgeBaseUpdated, at: 4)
        _ = send(&s, .scrollBy(ElementID.articleBody, 100), at: 5)
        #expect(s.screen == .article && s.browse.articleID == "a")
        #expect(s.browse.articleMissing == false)
    }

    @Test func searchResultsAreSearchedAgainWhenTheResidentComesBack() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.search), at: 1)
        _ = send(&s, .field(.type("dowód")), at: 1)
        _ = send(&s, .search(.results(.empty("dowód"))), at: 1)
        _ = send(&s, .browse(.openArticle("x")), at: 2)
        _ = send(&s, .knowledgeBaseUpdated, at: 3)
        #expect(send(&s, .back, at: 4) == [.store(.search("dowód"))])
    }

    @Test func theReportCatalogueIsReadAgainOnTheServiceStep() {
        var s = reportState()
        _ = send(&s, .openTile(.report), at: 1)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("hole")), at: 2)
        _ = send(&s, .knowledgeBaseUpdated, at: 3)
        #expect(s.screen == .reportLocation)
        #expect(send(&s, .back, at: 4) == [.store(.loadServices)])
        // The feed removed the chosen service: it is chosen again, nothing else typed is lost.
        let smaller = ServiceCatalog(units: reportCatalog.units, groups: reportCatalog.groups, services: reportCatalog.services.filter { $0.code != "hole" })
        _ = send(&s, .report(.catalogLoaded(smaller)), at: 5)
        #expect(s.report.serviceCode == nil)
        #expect(s.fields[ElementID.reportAttribute("size")] == nil)
    }

    @Test func aPristineKioskStaysPristine() {
        var s = AppState(idle: policy)
        #expect(send(&s, .knowledgeBaseUpdated, at: 1).isEmpty)
        #expect(s.isPristine)
    }
}
