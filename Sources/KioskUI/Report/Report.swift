// The report room: a resident files a non-emergency problem step by step (service, threat question where
// flagged, place, description and the service's questions, optional contact, review) and leaves with a
// ticket. The submission is saved through the store; the ticket shows only after the commit.
import Foundation
import KioskCore

public struct ReportState: Sendable, Equatable {
    /// The catalogue, read when the report tile is opened.
    public var catalog: ServiceCatalog?
    /// A service asked for before the catalogue arrived (from "Report a problem: …" in search).
    public var pendingService: String?
    public var serviceCode: String?
    /// Services found for the query in the service search field; answers to older queries are dropped.
    public var matches: ServiceMatches?
    /// A feed changed the catalogue since the matches were found: searched again when the service step shows.
    public var matchesStale = false
    public var location: LocationChoice = .here
    /// Answers to list questions, by attribute code: the keys chosen, in the order the service lists them.
    public var choices: [String: [String]] = [:]
    /// What is wrong with an answer, by the element ID of its control; shown beside it.
    public var problems: [String: AnswerProblem] = [:]
    /// Contact fields: the resident agreed to the data-protection notice.
    public var consented = false
    public var contactProblem: StringKey?
    /// The save is under way: a second tap of "send" does nothing, and the idle reset waits for it.
    public var saving = false
    /// Which save the screen waits for (the instant "send" was tapped): a late answer to another one is ignored.
    public var saveToken: Instant?
    public var saveFailed = false
    /// The ticket of the report just filed, shown on the ticket screen.
    public var ticket: IssuedTicket?
    /// Open requests of the service near the place, asked when the place step is left.
    public var nearby: NearbyCheck?
    /// "Next" on the contact step waits for the nearby answer until this instant (the buttons show busy).
    public var awaitingNearby: Instant?
    /// The nearby request the resident touched on the duplicate step.
    public var duplicateChoice: Int?
    /// The existing request the resident joined ("this is my problem too"): the ticket screen shows it, and
    /// nothing new was filed.
    public var joined: ServerRequestStatus?
    /// A feed changed the catalogue since it was read: it is read again when the service step next shows.
    public var catalogStale = false

    public init() {}

    public var service: CityService? {
        guard let code = serviceCode else { return nil }
        return catalog?.services.first { $0.code == code }
    }
}

public struct ServiceMatches: Sendable, Equatable {
    public var query: String
    public var hits: [ServiceHit]
    public init(query: String, hits: [ServiceHit]) { self.query = query; self.hits = hits }
}

public enum LocationChoice: String, Sendable, Equatable { case here, street, landmark }

/// What the ticket screen and the receipt show: no personal data.
public struct IssuedTicket: Sendable, Equatable {
    public var number: String
    public var serviceName: Localized
    public var unitName: Localized
    public var place: String
    public var created: Date
    public var print: ReceiptPrint
    public init(number: String, serviceName: Localized, unitName: Localized, place: String, created: Date, print: ReceiptPrint) {
        self.number = number; self.serviceName = serviceName; self.unitName = unitName; self.place = place
        self.created = created; self.print = print
    }
}

/// Where the receipt of a ticket is; the ticket stays on screen whatever happens to it.
public enum ReceiptPrint: Sendable, Equatable {
    case noPrinter, printing, printed, failed
}

public enum ReportAction: Sendable, Equatable {
    /// From the home tile (no service) or from search's "Report a problem: …" (straight at the service).
    case start(service: String?)
    case catalogLoaded(ServiceCatalog)
    case serviceResults(ServiceMatches)
    case chooseService(String)
    case threat(dangerous: Bool)
    case location(LocationChoice)
    case pickStreet(String)
    /// A list answer: chooses the value (single) or turns it on and off (multi).
    case choose(attribute: String, value: String)
    /// Fills a "when" question with the present moment.
    case now(attribute: String)
    case consent
    case skipContact
    case next
    case submit
    /// The store committed the submission: its ticket number and time.
    case saved(token: Instant, ticket: String, created: Date)
    case saveFailed(token: Instant)
    case printAgain
    /// What became of a ticket's receipt.
    case printed(ticket: String, ReceiptPrint)
    case done
    /// From the call-112 screen: nothing was filed; everything typed goes.
    case leaveAfterEmergency
    /// The sync service's answer to `SyncRequest.findNearby`.
    case nearbyFound(token: Instant, [ServerRequestStatus])
    /// Touches a nearby request on the duplicate step.
    case chooseDuplicate(Int)
    /// "This is my problem too": files nothing, shows the chosen request's ticket.
    case sameProblem
    /// "Another problem": on to the review.
    case newProblem

    var isResidentInput: Bool {
        switch self {
        case .catalogLoaded, .serviceResults, .saved, .saveFailed, .printed, .nearbyFound: return false
        default: return true
        }
    }
}

/// The saving of a submission asked of the store, with what the receipt needs.
public struct ReceiptRequest: Sendable, Equatable {
    public var ticket: IssuedTicket
    public var statusLink: String
    /// The resident's language: the receipt is printed in it.
    public var language: Language
    public init(ticket: IssuedTicket, statusLink: String, language: Language) {
        self.ticket = ticket; self.statusLink = statusLink; self.language = language
    }
}

enum ReportField {
    static let query = TextFieldState(id: ElementID.reportServiceQuery, maxLength: SearchQuery.maxCharacters,
                                      label: .reportServiceSearch, placeholder: .reportServicePlaceholder)
    static let street = TextFieldState(id: ElementID.reportStreet, maxLength: 120, label: .reportStreetLabel,
                                       placeholder: .reportStreetPlaceholder)
    static let number = TextFieldState(id: ElementID.reportNumber, maxLength: 12, label: .reportNumberLabel,
                                       placeholder: .reportNumberPlaceholder)
    static let landmark = TextFieldState(id: ElementID.reportLandmark, multiline: true, maxLength: 300,
                                         label: .reportLandmarkLabel, placeholder: .reportLandmarkPlaceholder)
    static let description = TextFieldState(id: ElementID.reportDescription, multiline: true,
                                            maxLength: Submission.maxDescriptionCharacters,
                                            label: .reportDescriptionLabel, placeholder: .reportDescriptionPlaceholder)
    static let email = TextFieldState(id: ElementID.reportEmail, kind: .email, maxLength: 254, label: .emailLabel,
                                      placeholder: .emailPlaceholder)
    static let phone = TextFieldState(id: ElementID.reportPhone, kind: .phone, maxLength: 20, label: .phoneLabel,
                                      placeholder: .phonePlaceholder)
    static let fixed = [query, street, number, landmark, description, email, phone]

    /// A text control for a question; list questions have none.
    static func attribute(_ a: ServiceAttribute) -> TextFieldState? {
        var f = control(a)
        f?.name = a.description
        return f
    }

    private static func control(_ a: ServiceAttribute) -> TextFieldState? {
        let id = ElementID.reportAttribute(a.code)
        switch a.datatype {
        case .string: return TextFieldState(id: id, maxLength: 200, label: .reportDetailsTitle, placeholder: .reportOptional)
        case .text: return TextFieldState(id: id, multiline: true, maxLength: 1_000, label: .reportDetailsTitle, placeholder: .reportOptional)
        case .number: return TextFieldState(id: id, kind: .number, maxLength: 12, label: .reportDetailsTitle, placeholder: .reportOptional)
        case .datetime: return TextFieldState(id: id, kind: .datetime, maxLength: AnswerRules.datetimeDigits, label: .reportDetailsTitle,
                                              placeholder: .datetimeMask)
        case .singlevaluelist, .multivaluelist: return nil
        }
    }
}

extension AppState {
    var reportQuery: String { fields[ElementID.reportServiceQuery]?.value ?? "" }
    func fieldValue(_ id: String) -> String { fields[id]?.value ?? "" }
}

func reduceReport(_ s: inout AppState, _ a: ReportAction) -> [Effect] {
    switch a {
    case let .start(code):
        return startReport(&s, service: code)

    case let .catalogLoaded(catalog):
        if let old = s.report.service, catalog.services.first(where: { $0.code == old.code }) != old {
            // Read again after a feed changed the chosen service (or removed it): its questions may differ, so
            // it is chosen again; the place and description stay.
            for a in old.attributes { s.fields[ElementID.reportAttribute(a.code)] = nil }
            s.report.choices = [:]
            s.report.problems = [:]
            s.report.serviceCode = nil
        }
        s.report.catalog = catalog
        s.report.catalogStale = false
        if let code = s.report.pendingService, s.flow?.id == ReportFlow.id {
            s.report.pendingService = nil
            if catalog.services.contains(where: { $0.code == code }) { return reduceReport(&s, .chooseService(code)) }
        }
        return []

    case let .serviceResults(m):
        guard m.query == s.reportQuery else { return [] }
        s.report.matchesStale = false
        s.report.matches = m
        s.scroll[ElementID.reportServiceList] = 0
        return []

    case let .chooseService(code):
        guard s.flow?.id == ReportFlow.id, s.screen == .reportService, let service = s.report.catalog?.services.first(where: { $0.code == code }) else { return [] }
        if s.report.serviceCode != code {
            // Another service: its own questions replace the last one's; the place and description stay.
            if let old = s.report.service {
                for a in old.attributes { s.fields[ElementID.reportAttribute(a.code)] = nil }
            }
            s.report.choices = [:]
            s.report.problems = [:]
            s.report.serviceCode = code
            for a in service.attributes { if let f = ReportField.attribute(a) { s.fields[f.id] = f } }
        }
        s.focus = nil
        ReportFlow.setSteps(&s, for: service)
        nextStep(&s)
        return []

    case let .threat(dangerous):
        guard s.screen == .reportThreat else { return [] }
        if dangerous {
            // Nothing is filed: the resident is sent to 112 (and the city guard for order problems).
            s.path.append(.reportEmergency)
        } else {
            nextStep(&s)
        }
        return []

    case let .location(choice):
        s.report.location = choice
        s.report.problems[ElementID.reportStreet] = nil
        s.report.problems[ElementID.reportLandmark] = nil
        switch choice {
        case .here: s.focus = nil
        case .street: s.focus = ElementID.reportStreet
        case .landmark: s.focus = ElementID.reportLandmark
        }
        return []

    case let .pickStreet(name):
        s.fields[ElementID.reportStreet]?.value = name
        s.fields[ElementID.reportStreet]?.error = nil
        s.report.problems[ElementID.reportStreet] = nil
        s.report.location = .street
        s.focus = ElementID.reportNumber
        return []

    case let .choose(code, value):
        guard let attr = s.report.service?.attributes.first(where: { $0.code == code }),
              attr.values.contains(where: { $0.key == value }) else { return [] }
        var chosen = s.report.choices[code] ?? []
        if attr.datatype == .multivaluelist {
            if chosen.contains(value) { chosen.removeAll { $0 == value } } else { chosen.append(value) }
            let order = attr.values.map(\.key)
            chosen.sort { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
        } else {
            chosen = chosen == [value] && !attr.required ? [] : [value] // a second tap takes an optional answer back
        }
        s.report.choices[code] = chosen.isEmpty ? nil : chosen
        s.report.problems[ElementID.reportAttribute(code)] = nil
        s.focus = nil
        return []

    case let .now(code):
        let id = ElementID.reportAttribute(code)
        guard s.fields[id] != nil else { return [] }
        s.fields[id]?.value = AnswerRules.digits(of: s.date)
        s.fields[id]?.error = nil
        s.report.problems[id] = nil
        return []

    case .consent:
        s.report.consented = true
        s.report.contactProblem = nil
        s.focus = ElementID.reportEmail
        return []

    case .skipContact:
        guard s.screen == .reportContact, s.report.awaitingNearby == nil else { return [] }
        // Anonymous is the default: anything typed before changing one's mind is not sent.
        s.report.consented = false
        s.report.contactProblem = nil
        s.fields[ElementID.reportEmail]?.value = ""
        s.fields[ElementID.reportPhone]?.value = ""
        s.focus = nil
        return ReportFlow.toReview(&s)

    case .next:
        guard s.report.awaitingNearby == nil, ReportFlow.check(&s) else { return [] }
        s.focus = nil
        if s.screen == .reportContact { return ReportFlow.toReview(&s) }
        let leavingPlace = s.screen == .reportLocation
        nextStep(&s)
        // The service and the place are known: ask now, so the answer is in before the review.
        return leavingPlace ? ReportFlow.askNearby(&s) : []

    case .submit:
        guard s.screen == .reportReview, !s.report.saving, let submission = ReportFlow.submission(s) else { return [] }
        s.report.saving = true
        s.report.saveFailed = false
        s.report.saveToken = s.now
        return [.store(.submit(submission, token: s.now))]

    case let .saved(token, number, created):
        guard s.report.saving, token == s.report.saveToken else { return [] }
        let ticket = ReportFlow.ticket(s, number: number, created: created)
        // The flow ends: what was typed goes with it; the ticket screen keeps only what it shows.
        let catalog = s.report.catalog
        endFlow(&s)
        s.report.catalog = catalog
        s.report.ticket = ticket
        s.path = [.home, .ticket]
        guard ticket.print == .printing else { return [] }
        return [.printer(.receipt(ReceiptRequest(ticket: ticket, statusLink: s.site.statusLink(number), language: s.language)))]

    case let .saveFailed(token):
        guard s.report.saving, token == s.report.saveToken else { return [] }
        s.report.saving = false
        s.report.saveFailed = true
        return []

    case .printAgain:
        guard var ticket = s.report.ticket, ticket.print != .printing, ticket.print != .noPrinter else { return [] }
        ticket.print = .printing
        s.report.ticket = ticket
        return [.printer(.receipt(ReceiptRequest(ticket: ticket, statusLink: s.site.statusLink(ticket.number), language: s.language)))]

    case let .printed(number, outcome):
        // The answer for a receipt of an earlier resident does not land on this one's ticket.
        guard s.report.ticket?.number == number else { return [] }
        s.report.ticket?.print = outcome
        return []

    case .done:
        s.report.ticket = nil
        s.report.joined = nil
        s.path = [.home]
        return []

    case .leaveAfterEmergency:
        endFlow(&s)
        s.path = [.home]
        return []

    case let .nearbyFound(token, list):
        return reduceNearbyFound(&s, token: token, list)

    case .chooseDuplicate, .sameProblem, .newProblem:
        return reduceDuplicate(&s, a)
    }
}

func startReport(_ s: inout AppState, service: String?) -> [Effect] {
    guard s.flow == nil else { return [] }
    s.report = ReportState()
    s.fling = nil
    startFlow(&s, FlowState(id: ReportFlow.id, steps: [.reportService], fieldIDs: ReportField.fixed.map(\.id)), fields: ReportField.fixed)
    s.focus = nil
    s.report.pendingService = service
    return [.store(.loadServices)]
}

/// A report field changed: its problem is cleared as the resident corrects it, typing in a place field
/// chooses that place, and the service search asks the store.
func reportFieldChanged(_ s: inout AppState, _ id: String) -> [Effect] {
    s.report.problems[id] = nil
    if id == ElementID.reportStreet || id == ElementID.reportNumber { s.report.location = .street }
    if id == ElementID.reportLandmark { s.report.location = .landmark }
    if id == ElementID.reportEmail || id == ElementID.reportPhone { s.report.contactProblem = nil }
    if id == ElementID.reportServiceQuery { return reportQueryChanged(&s) }
    return []
}

/// Search's text field for services changed: ask the store, as the Knowledge Base search does.
func reportQueryChanged(_ s: inout AppState) -> [Effect] {
    let q = s.reportQuery
    guard q != s.report.matches?.query else { return [] }
    if TextFolding.foldedWords(q).isEmpty {
        s.report.matches = nil
        return []
    }
    return [.store(.searchServices(q))]
}

/// The steps of the form and the checks of each.
enum ReportFlow {
    static let id = "report"

    static func setSteps(_ s: inout AppState, for service: CityService) {
        guard var flow = s.flow, flow.id == id else { return }
        var steps: [ScreenID] = [.reportService]
        if service.dangerous { steps.append(.reportThreat) }
        steps += [.reportLocation, .reportDetails, .reportContact, .reportReview]
        flow.steps = steps
        var fields = ReportField.fixed.map(\.id)
        fields += service.attributes.compactMap { ReportField.attribute($0)?.id }
        flow.fieldIDs = fields
        s.flow = flow
    }

    /// Checks the step on screen and marks what is wrong; true when the resident may go on.
    static func check(_ s: inout AppState) -> Bool {
        switch s.screen {
        case .reportService: return s.report.serviceCode != nil
        case .reportLocation: return checkLocation(&s)
        case .reportDetails: return checkDetails(&s)
        case .reportContact: return checkContact(&s)
        default: return false
        }
    }

    static func checkLocation(_ s: inout AppState) -> Bool {
        s.report.problems[ElementID.reportStreet] = nil
        s.report.problems[ElementID.reportLandmark] = nil
        switch s.report.location {
        case .here: return true
        case .street:
            let typed = s.fieldValue(ElementID.reportStreet)
            guard !typed.trimmingCharacters(in: .whitespaces).isEmpty else {
                s.report.problems[ElementID.reportStreet] = .required
                return false
            }
            // Only a street of the city's list: a unit cannot drive to a misspelt one. Anything else is
            // described as a landmark.
            if let streets = s.streets {
                guard let street = streets.exact(typed) else {
                    s.report.problems[ElementID.reportStreet] = .unknownStreet
                    return false
                }
                s.fields[ElementID.reportStreet]?.value = street.name
            }
            return true
        case .landmark:
            guard s.fieldValue(ElementID.reportLandmark).filter({ $0.isLetter || $0.isNumber }).count >= 3 else {
                s.report.problems[ElementID.reportLandmark] = .required
                return false
            }
            return true
        }
    }

    static func checkDetails(_ s: inout AppState) -> Bool {
        var problems: [String: AnswerProblem] = [:]
        if s.fieldValue(ElementID.reportDescription).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems[ElementID.reportDescription] = .required
        }
        for a in s.report.service?.attributes ?? [] {
            if case let .failure(p) = answer(s, a) { problems[ElementID.reportAttribute(a.code)] = p }
        }
        s.report.problems = problems
        return problems.isEmpty
    }

    static func checkContact(_ s: inout AppState) -> Bool {
        guard s.report.consented else { return true }
        let email = s.fieldValue(ElementID.reportEmail).trimmingCharacters(in: .whitespaces)
        let phone = s.fieldValue(ElementID.reportPhone).trimmingCharacters(in: .whitespaces)
        s.report.contactProblem = nil
        if email.isEmpty, phone.isEmpty { s.report.contactProblem = .contactNeedOne }
        else if !email.isEmpty, !ContactRules.isEmail(email) { s.report.contactProblem = .emailInvalid }
        else if !phone.isEmpty, !ContactRules.isPhone(phone) { s.report.contactProblem = .phoneInvalid }
        return s.report.contactProblem == nil
    }

    /// A question's answer from its control, or nil when an optional one is left empty.
    static func answer(_ s: AppState, _ a: ServiceAttribute) -> Result<AttributeAnswer?, AnswerProblem> {
        let id = ElementID.reportAttribute(a.code)
        let raw = s.fieldValue(id).trimmingCharacters(in: .whitespacesAndNewlines)
        switch a.datatype {
        case .singlevaluelist, .multivaluelist:
            let chosen = s.report.choices[a.code] ?? []
            if chosen.isEmpty { return a.required ? .failure(.required) : .success(nil) }
            return .success(a.datatype == .singlevaluelist ? .choice(chosen[0]) : .choices(chosen))
        case .string, .text:
            if raw.isEmpty { return a.required ? .failure(.required) : .success(nil) }
            return .success(.text(raw))
        case .number:
            if raw.isEmpty { return a.required ? .failure(.required) : .success(nil) }
            return AnswerRules.number(raw).map { .number($0) }
        case .datetime:
            if raw.isEmpty { return a.required ? .failure(.required) : .success(nil) }
            return AnswerRules.datetime(digits: raw, now: s.date).map { .datetime($0) }
        }
    }

    static func place(_ s: AppState) -> ReportLocation {
        switch s.report.location {
        case .here: return .kiosk(address: s.site.address, latitude: s.site.latitude, longitude: s.site.longitude)
        case .street:
            return .street(name: s.fieldValue(ElementID.reportStreet), number: s.fieldValue(ElementID.reportNumber).trimmingCharacters(in: .whitespaces))
        case .landmark: return .landmark(s.fieldValue(ElementID.reportLandmark).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    static func placeText(_ s: AppState) -> String {
        switch place(s) {
        case let .kiosk(address, _, _): return address
        case let .street(name, number): return number.isEmpty ? name : "\(name) \(number)"
        case let .landmark(text): return text
        }
    }

    /// The place as the ticket and the receipt show it: a free description may hold anything a resident
    /// wrote (a name, a phone number), so paper only says that the report describes it.
    static func ticketPlace(_ s: AppState) -> String {
        if case .landmark = place(s) { return Strings.text(.reportLandmarkOnTicket, s.language) }
        return placeText(s)
    }

    static func submission(_ s: AppState) -> Submission? {
        guard let service = s.report.service else { return nil }
        var answers: [String: AttributeAnswer] = [:]
        for a in service.attributes {
            guard case let .success(v) = answer(s, a) else { return nil }
            if let v { answers[a.code] = v }
        }
        var contact: ContactDetails?
        if s.report.consented {
            let email = s.fieldValue(ElementID.reportEmail).trimmingCharacters(in: .whitespaces)
            let phone = s.fieldValue(ElementID.reportPhone).trimmingCharacters(in: .whitespaces)
            contact = ContactDetails(email: email.isEmpty ? nil : email, phone: phone.isEmpty ? nil : phone, wantsFeedback: true)
        }
        return Submission(serviceCode: service.code, location: place(s),
                          description: s.fieldValue(ElementID.reportDescription).trimmingCharacters(in: .whitespacesAndNewlines),
                          answers: answers, contact: contact, language: s.language)
    }

    static func ticket(_ s: AppState, number: String, created: Date) -> IssuedTicket {
        let service = s.report.service
        let unit = service.flatMap { s.report.catalog?.unit($0.unit) }
        return IssuedTicket(number: number, serviceName: service?.name ?? Localized(pl: service?.code ?? ""),
                            unitName: unit?.name ?? Localized(pl: service?.unit ?? ""), place: ticketPlace(s), created: created,
                            print: s.site.hasPrinter ? .printing : .noPrinter)
    }
}

/// What a contact detail must look like before the kiosk keeps it.
public enum ContactRules {
    /// local@domain.tld with letters on both sides; the e-mail keyboard already refuses spaces.
    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, s.count <= 254 else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domain.count >= 2 && domain.allSatisfy { !$0.isEmpty } && (domain.last?.count ?? 0) >= 2
    }

    /// 9 digits (a Polish number), or 10 to 15 with a country code starting with +.
    public static func isPhone(_ s: String) -> Bool {
        let digits = s.filter(\.isNumber)
        guard s.filter({ $0 == "+" }).count <= 1, !s.dropFirst().contains("+") else { return false }
        return s.hasPrefix("+") ? (10...15).contains(digits.count) : digits.count == 9
    }
}
