import Foundation
import KioskCore
import Testing
@testable import KioskUI

/// A small catalogue with one dangerous service and one with a question of each datatype.
let reportCatalog: ServiceCatalog = {
    func l(_ s: String) -> Localized { Localized(pl: s, en: s, uk: s) }
    let values = [AttributeValue(key: "a", name: l("A")), AttributeValue(key: "b", name: l("B"))]
    return ServiceCatalog(
        units: [CityUnit(id: "zdit", name: l("Zarząd Dróg i Transportu")), CityUnit(id: "zzm", name: l("Zarząd Zieleni Miejskiej"))],
        groups: [ServiceGroup(id: "g", name: l("Drogi"))],
        services: [
            CityService(code: "tree", name: l("Drzewo"), description: l("Przewrócone drzewo"), group: "g", unit: "zzm",
                        keywords: ["drzewo"], dangerous: true, attributes: []),
            CityService(code: "hole", name: l("Dziura"), description: l("Dziura w jezdni"), group: "g", unit: "zdit",
                        keywords: ["dziura"], dangerous: false, attributes: [
                            ServiceAttribute(code: "size", datatype: .number, required: true, order: 1, description: l("Średnica")),
                            ServiceAttribute(code: "when", datatype: .datetime, required: false, order: 2, description: l("Kiedy")),
                            ServiceAttribute(code: "where", datatype: .singlevaluelist, required: true, order: 3, description: l("Gdzie"), values: values),
                            ServiceAttribute(code: "what", datatype: .multivaluelist, required: false, order: 4, description: l("Co"), values: values),
                            ServiceAttribute(code: "note", datatype: .string, required: false, order: 5, description: l("Uwagi")),
                            ServiceAttribute(code: "more", datatype: .text, required: false, order: 6, description: l("Więcej")),
                        ]),
        ])
}()

/// 1 December 2026, 12:00 in Łódź.
let noonInLodz = Date(timeIntervalSince1970: 1_796_122_800)

func reportState() -> AppState {
    var s = AppState(idle: policy)
    s.date = noonInLodz
    s.streets = try? StreetList.parse("ul. Piotrkowska\nal. Tadeusza Kościuszki\n", file: "test")
    return s
}

/// The sync's answer to the nearby question the place step asked.
func answerNearby(_ s: inout AppState, _ found: [ServerRequestStatus] = [], at t: Instant) {
    guard let token = s.report.nearby?.token else { return }
    _ = send(&s, .report(.nearbyFound(token: token, found)), at: t)
}

func type(_ s: inout AppState, _ field: String, _ text: String, at t: Instant) {
    _ = send(&s, .field(.focus(field)), at: t)
    _ = send(&s, .field(.type(text)), at: t)
}

@Suite struct ReportFlow {
    @Test func theDangerousPathFilesNothingAndSendsTo112() {
        var s = reportState()
        #expect(send(&s, .openTile(.report), at: 1) == [.store(.loadServices)])
        #expect(s.screen == .reportService)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("tree")), at: 2)
        #expect(s.screen == .reportThreat)
        #expect(s.flow?.steps == [.reportService, .reportThreat, .reportLocation, .reportDetails, .reportContact, .reportReview])
        #expect(send(&s, .report(.threat(dangerous: true)), at: 3).isEmpty)
        #expect(s.screen == .reportEmergency)
        _ = send(&s, .back, at: 4) // back from the 112 screen is the question again
        #expect(s.screen == .reportThreat)
        _ = send(&s, .report(.threat(dangerous: true)), at: 5)
        #expect(send(&s, .report(.leaveAfterEmergency), at: 6).isEmpty)
        #expect(s.path == [.home])
        #expect(s.flow == nil)
        #expect(s.report == ReportState())
    }

    @Test func aStreetMustComeFromTheListAndALandmarkMustSaySomething() {
        var s = reportState()
        _ = send(&s, .openTile(.report), at: 1)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("hole")), at: 2)
        #expect(s.screen == .reportLocation)
        #expect(s.report.location == .here)
        type(&s, ElementID.reportStreet, "Piotrowska", at: 3) // misspelt
        #expect(s.report.location == .street)
        _ = send(&s, .report(.next), at: 4)
        #expect(s.screen == .reportLocation)
        #expect(s.report.problems[ElementID.reportStreet] == .unknownStreet)
        #expect(s.fields[ElementID.reportStreet]?.value == "Piotrowska", "nothing typed is lost")
        _ = send(&s, .report(.pickStreet("ul. Piotrkowska")), at: 5)
        #expect(s.focus == ElementID.reportNumber)
        _ = send(&s, .field(.type("12A")), at: 5)
        _ = send(&s, .report(.location(.landmark)), at: 6)
        _ = send(&s, .report(.next), at: 6)
        #expect(s.report.problems[ElementID.reportLandmark] == .required)
        _ = send(&s, .report(.location(.street)), at: 7)
        _ = send(&s, .report(.next), at: 7)
        #expect(s.screen == .reportDetails)
    }

    @Test func eachDatatypeIsCheckedAndSaysWhatIsWrong() {
        var s = reportState()
        _ = send(&s, .openTile(.report), at: 1)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("hole")), at: 2)
        _ = send(&s, .report(.next), at: 3)
        #expect(s.screen == .reportDetails)
        _ = send(&s, .report(.next), at: 4)
        #expect(s.screen == .reportDetails)
        #expect(s.report.problems == [ElementID.reportDescription: .required, ElementID.reportAttribute("size"): .required,
                                      ElementID.reportAttribute("where"): .required])
        // Letters in a number field are refused as they are typed, and the field says so.
        type(&s, ElementID.reportAttribute("size"), "około 30", at: 5)
        #expect(s.fields[ElementID.reportAttribute("size")]?.value == "30")
        #expect(s.fields[ElementID.reportAttribute("size")]?.error == .notAllowed(.number))
        // A moment after now makes no sense for "when did it happen"; 31 April does not exist.
        type(&s, ElementID.reportAttribute("when"), "011220261900", at: 6)
        type(&s, ElementID.reportDescription, "Głęboka dziura\r\nprzy przejściu", at: 6)
        _ = send(&s, .report(.choose(attribute: "where", value: "b")), at: 7)
        _ = send(&s, .report(.next), at: 7)
        #expect(s.report.problems == [ElementID.reportAttribute("when"): .dateInFuture])
        _ = send(&s, .field(.clear(ElementID.reportAttribute("when"))), at: 8)
        _ = send(&s, .field(.type("310420261200")), at: 8)
        _ = send(&s, .report(.next), at: 8)
        #expect(s.report.problems == [ElementID.reportAttribute("when"): .noSuchDate])
        _ = send(&s, .report(.now(attribute: "when")), at: 9)
        _ = send(&s, .report(.choose(attribute: "what", value: "b")), at: 9)
        _ = send(&s, .report(.choose(attribute: "what", value: "a")), at: 9)
        _ = send(&s, .report(.next), at: 10)
        #expect(s.screen == .reportContact)
        let submission = KioskUI.ReportFlow.submission(s)
        #expect(submission?.answers["size"] == .number(30))
        #expect(submission?.answers["where"] == .choice("b"))
        #expect(submission?.answers["what"] == .choices(["a", "b"]), "in the service's order")
        #expect(submission?.answers["when"] == .datetime(noonInLodz))
        #expect(submission?.answers["note"] == nil, "an optional answer left empty is not sent")
        #expect(submission?.description == "Głęboka dziura\nprzy przejściu")
    }

    @Test func contactOnlyAfterConsentAndCheckedBeforeReview() {
        var s = reportState()
        fillToContact(&s)
        _ = send(&s, .report(.consent), at: 20)
        #expect(s.focus == ElementID.reportEmail)
        _ = send(&s, .report(.next), at: 21)
        #expect(s.report.contactProblem == .contactNeedOne)
        _ = send(&s, .field(.type("jan@poczta")), at: 22)
        _ = send(&s, .report(.next), at: 22)
        #expect(s.report.contactProblem == .emailInvalid)
        _ = send(&s, .field(.type(".pl")), at: 23)
        type(&s, ElementID.reportPhone, "600 100 20", at: 23)
        _ = send(&s, .report(.next), at: 23)
        #expect(s.report.contactProblem == .phoneInvalid)
        _ = send(&s, .field(.type("0")), at: 24)
        _ = send(&s, .report(.next), at: 24)
        #expect(s.screen == .reportReview)
        #expect(KioskUI.ReportFlow.submission(s)?.contact == ContactDetails(email: "jan@poczta.pl", phone: "600 100 200", wantsFeedback: true))
    }

    @Test func theTicketShowsOnlyAfterTheCommitAndASecondTapSendsNothing() throws {
        var s = reportState()
        fillToContact(&s)
        _ = send(&s, .report(.skipContact), at: 20)
        #expect(s.screen == .reportReview)
        let effects = send(&s, .report(.submit), at: 21)
        let submission = try #require(KioskUI.ReportFlow.submission(s))
        #expect(effects == [.store(.submit(submission, token: 21))])
        #expect(effects.allSatisfy { $0.holdsIdleReset })
        #expect(submission.contact == nil, "anonymous by default")
        #expect(send(&s, .report(.submit), at: 21.1).isEmpty, "a second tap while saving sends nothing")
        _ = send(&s, .back, at: 21.2)
        _ = send(&s, .home, at: 21.2)
        #expect(s.screen == .reportReview, "back and home wait for the save")
        _ = send(&s, .report(.saveFailed(token: 20)), at: 22)
        #expect(s.report.saving, "an answer to another save changes nothing")
        _ = send(&s, .report(.saveFailed(token: 21)), at: 22)
        #expect(s.report.saveFailed && !s.report.saving)
        #expect(s.fieldValue(ElementID.reportDescription) == "Dziura", "what was typed stays for another try")
        _ = send(&s, .report(.submit), at: 23)
        _ = send(&s, .report(.saved(token: 21, ticket: "PT1-261201-0009-X", created: noonInLodz)), at: 23.5)
        #expect(s.screen == .reportReview, "a late answer to the failed save is not this save's ticket")
        _ = send(&s, .report(.saved(token: 23, ticket: "PT1-261201-0001-X", created: noonInLodz)), at: 24)
        #expect(s.path == [.home, .ticket])
        #expect(s.flow == nil)
        #expect(s.fields[ElementID.reportDescription] == nil, "typed data leaves with the flow")
        #expect(s.report.ticket?.number == "PT1-261201-0001-X")
        #expect(s.report.ticket?.unitName.pl == "Zarząd Dróg i Transportu")
        #expect(s.report.ticket?.print == .noPrinter)
        _ = send(&s, .report(.done), at: 25)
        #expect(s.path == [.home])
        #expect(s.report.ticket == nil)
    }

    @Test func withAPrinterTheReceiptIsAskedForAfterTheCommitAndCanBePrintedAgain() {
        var s = reportState()
        s.site.hasPrinter = true
        fillToContact(&s)
        _ = send(&s, .report(.skipContact), at: 20)
        _ = send(&s, .report(.submit), at: 21)
        let effects = send(&s, .report(.saved(token: 21, ticket: "PT1-261201-0001-X", created: noonInLodz)), at: 22)
        guard case let .printer(.receipt(r))? = effects.first else { Issue.record("no receipt asked for: \(effects)"); return }
        #expect(r.statusLink.hasSuffix("PT1-261201-0001-X"))
        #expect(s.report.ticket?.print == .printing)
        #expect(send(&s, .report(.printAgain), at: 22.5).isEmpty, "not twice at once")
        _ = send(&s, .report(.printed(ticket: "PT1-261201-0000-A", .printed)), at: 22.8)
        #expect(s.report.ticket?.print == .printing, "an earlier resident's receipt does not land on this ticket")
        _ = send(&s, .report(.printed(ticket: "PT1-261201-0001-X", .failed)), at: 23)
        #expect(s.report.ticket?.print == .failed)
        #expect(s.screen == .ticket, "a printer fault never takes the ticket off the screen")
        #expect(send(&s, .report(.printAgain), at: 24).count == 1)
    }

    @Test func theIdleResetWaitsForTheSaveAndThenClearsEverything() {
        var s = reportState()
        fillToContact(&s)
        _ = send(&s, .report(.skipContact), at: 20)
        _ = send(&s, .report(.submit), at: 21)
        _ = send(&s, .residentWork(1), at: 21)
        run(&s, until: 21 + policy.warnAfter + policy.resetAfter + 1)
        #expect(s.screen == .reportReview, "the save is still running: nothing is dropped")
        _ = send(&s, .report(.saved(token: 21, ticket: "PT1-261201-0001-X", created: noonInLodz)), at: 200)
        _ = send(&s, .residentWork(-1), at: 200)
        #expect(s.path == [.home], "the resident has gone: the reset happens when the answer is in")
        #expect(s.report.ticket == nil)
    }

    @Test func aLandmarkIsNotCopiedOntoTheTicketOrTheReceipt() throws {
        var s = reportState()
        _ = send(&s, .openTile(.report), at: 1)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("hole")), at: 2)
        type(&s, ElementID.reportLandmark, "za domem Jana Kowalskiego, tel. 600 100 200", at: 3)
        _ = send(&s, .report(.next), at: 4)
        answerNearby(&s, at: 4.5)
        type(&s, ElementID.reportDescription, "Dziura", at: 5)
        type(&s, ElementID.reportAttribute("size"), "30", at: 5)
        _ = send(&s, .report(.choose(attribute: "where", value: "a")), at: 6)
        _ = send(&s, .report(.next), at: 7)
        _ = send(&s, .report(.skipContact), at: 8)
        #expect(KioskUI.ReportFlow.submission(s)?.location == .landmark("za domem Jana Kowalskiego, tel. 600 100 200"), "the city gets it")
        _ = send(&s, .report(.submit), at: 9)
        _ = send(&s, .report(.saved(token: 9, ticket: "PT1-261201-0001-X", created: noonInLodz)), at: 10)
        let place = try #require(s.report.ticket?.place)
        #expect(!place.contains("Kowalsk") && !place.contains("600"), "the ticket and the receipt say only that the report describes it")
    }

    func fillToContact(_ s: inout AppState) {
        _ = send(&s, .openTile(.report), at: 1)
        _ = send(&s, .report(.catalogLoaded(reportCatalog)), at: 1)
        _ = send(&s, .report(.chooseService("hole")), at: 2)
        _ = send(&s, .report(.next), at: 3)
        answerNearby(&s, at: 3.5) // none nearby, as a kiosk without a server is told at once
        type(&s, ElementID.reportDescription, "Dziura", at: 4)
        type(&s, ElementID.reportAttribute("size"), "30", at: 5)
        _ = send(&s, .report(.choose(attribute: "where", value: "a")), at: 6)
        _ = send(&s, .report(.next), at: 7)
    }
}

@Suite struct ContactChecks {
    @Test(arguments: ["jan@poczta.pl", "a.b-c_d@uml.lodz.pl", "zofia@żółw.pl"])
    func emailsThatLookComplete(_ e: String) { #expect(ContactRules.isEmail(e), "\(e)") }

    @Test(arguments: ["jan", "jan@", "@poczta.pl", "jan@poczta", "jan@@poczta.pl", "jan@poczta.", "jan@.pl", "jan@poczta.p",
                      String(repeating: "a", count: 65) + "@poczta.pl", "a@" + String(repeating: "b", count: 250) + ".pl"])
    func emailsThatDoNot(_ e: String) { #expect(!ContactRules.isEmail(e), "\(e)") }

    @Test func phones() {
        for p in ["600 100 200", "600-100-200", "+48 600 100 200", "+380 44 123 4567"] { #expect(ContactRules.isPhone(p), "\(p)") }
        for p in ["600 100 20", "+", "600+100200", "++48600100200", "+48 600 100 200 300 400", "6001002001"] {
            #expect(!ContactRules.isPhone(p), "\(p)")
        }
    }
}
