// Drives a kiosk to a named screen, as a resident would: for `render`, the benchmark and the tests.
import ArgumentParser
import Foundation
import KioskCore
import KioskUI

/// Drives a freshly built engine to a screen, the way a resident would get there.
func navigate(_ k: Kiosk, to screen: String, category: String?, article: String?, query: String? = nil,
              service: String? = nil) throws {
    let e = k.engine
    func fail(_ s: String) -> ValidationError { ValidationError(s) }
    if screen.hasPrefix("report.") || screen.hasPrefix("ticket") && !screen.hasPrefix("ticket-lookup") {
        return try navigateReport(k, to: screen, query: query, service: service)
    }
    if screen.hasPrefix("ticket-lookup") { return try navigateLookup(k, to: screen, query: query) }
    if screen.hasPrefix("maintenance") { return try navigateMaintenance(k, to: screen) }
    switch screen {
    case "home": return
    case "accessibility":
        e.send(.openAccessibility)
        return
    case "out-of-service":
        e.send(.maintenance(.outOfServiceChanged(true)))
        return
    case "out-of-service.start-failed":
        e.send(.maintenance(.startFailed(#"/etc/kiosk/kiosk.json: key "printer.kind": expected "escpos80" or "escpos58" (a thermal printer on a raw queue) or "image" (an ordinary printer), got "laser""#)))
        return
    case "search":
        e.send(.openTile(.search))
        if let query { e.send(.field(.type(query))) }
        return
    case "idle-warning":
        e.send(.openTile(.kb))
        if let clock = k.clock as? ManualClock {
            clock.advance(by: k.config.idle.warnAfter + 3)
            e.fireTimers()
            clock.advance(by: 0.001)
            e.fireTimers()
        }
        return
    case "categories", "articles", "article": break
    default:
        throw fail("unknown screen \"\(screen)\"; screens: \(screenNames.joined(separator: ", "))")
    }
    e.send(.openTile(.kb))
    if screen == "categories" { return }
    guard let cats = e.state.browse.categories, !cats.isEmpty else { throw fail("the Knowledge Base has no categories to show") }
    let catID = category ?? cats[0].category.id
    guard cats.contains(where: { $0.category.id == catID }) else {
        throw fail("no category \"\(catID)\"; categories: \(cats.map(\.category.id).joined(separator: ", "))")
    }
    e.send(.browse(.openCategory(catID)))
    if screen == "articles" { return }
    let articleID: String
    if let article {
        articleID = article
    } else {
        guard let first = e.state.browse.articles?.first else { throw fail("category \"\(catID)\" has no articles") }
        articleID = first.id
    }
    e.send(.browse(.openArticle(articleID)))
    if e.state.browse.article == nil { throw fail("article \"\(articleID)\" is not shown to residents today (unknown, internal or outside its validity window)") }
}

let screenNames = ["home", "categories", "articles", "article", "search", "idle-warning", "report.service",
                   "report.threat", "report.emergency", "report.location", "report.details", "report.contact", "report.duplicate",
                   "report.review", "ticket", "ticket.joined", "ticket-lookup", "out-of-service", "out-of-service.start-failed", "accessibility"] + DemoSync.lookupVariants.map { "ticket-lookup.\($0)" }
    + ["maintenance.pin"] + DemoMaintenance.pinVariants.map { "maintenance.pin.\($0)" } + ["maintenance"]
    + DemoMaintenance.dashboardVariants.map { "maintenance.\($0)" }

/// The PIN pad (`maintenance.pin`, with a typed PIN's answer `maintenance.pin.VARIANT`) and the dashboard with
/// this kiosk's true figures (`maintenance`): a stand-in answers the PIN, the real service reads the rest.
func navigateMaintenance(_ k: Kiosk, to screen: String) throws {
    let e = k.engine
    let dashboardVariant = DemoMaintenance.dashboardVariants.first { screen == "maintenance.\($0)" }
    let variant = screen == "maintenance" || dashboardVariant != nil ? "granted" : screen.split(separator: ".").dropFirst(2).first.map(String.init)
    guard screen == "maintenance" || dashboardVariant != nil || screen == "maintenance.pin" || variant.map(DemoMaintenance.pinVariants.contains) == true else {
        throw ValidationError("unknown screen \"\(screen)\"; screens: \(screenNames.joined(separator: ", "))")
    }
    defer {
        if dashboardVariant == "discard" { e.send(.maintenance(.discardRefused(ticket: DemoMaintenance.refusedTicket))) }
    }
    e.send(.maintenance(.entryHeld))
    guard let variant else { return }
    let real = MaintenanceService(store: k.store, config: k.config, sync: k.sync, startedAt: k.clock.date)
    e.router.register(DemoMaintenance(real: real, variant: variant, clock: k.clock, withRefused: dashboardVariant != nil), clock: k.clock)
    for d in [4, 8, 2, 9, 1, 5] { e.send(.maintenance(.pinDigit(d))) }
    e.send(.maintenance(.pinSubmit))
}

/// Answers the PIN as each variant says, without a PIN file; the dashboard's figures come from the real service.
final class DemoMaintenance: KioskService {
    let kind = Effect.Kind.maintenance
    static let pinVariants = ["wrong", "throttled", "not-set"]
    /// The dashboard with a refused item and a printer (`refused`), and asking to confirm its discard (`discard`).
    static let dashboardVariants = ["refused", "discard"]
    static let refusedTicket = "LC1-261203-0007-K"
    let real: MaintenanceService
    let variant: String
    let clock: KioskClock
    let withRefused: Bool

    init(real: MaintenanceService, variant: String, clock: KioskClock, withRefused: Bool = false) {
        self.real = real; self.variant = variant; self.clock = clock; self.withRefused = withRefused
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        if withRefused, case .maintenance(.readDashboard) = effect {
            var d = real.dashboard(now: clock.date)
            d.canPrint = true
            d.refused = [(ticket: Self.refusedTicket, message: "HTTP 400: service_code \"zdit-znak\" is not in the catalogue")]
            d.rows = d.rows.map { $0.label == .maintRefused ? .init(.maintRefused, .data("1"), warning: true) : $0 }
            return reply.send(.maintenance(.dashboardRead(d)))
        }
        guard case let .maintenance(.checkPin(_, token)) = effect else { return real.handle(effect, reply: reply, context: context) }
        let now = clock.date
        let verdict: PinVerdict
        switch variant {
        case "wrong": verdict = .wrong(failures: 4, nextTry: now.addingTimeInterval(2))
        case "throttled": verdict = .throttled(until: now.addingTimeInterval(1_800))
        case "not-set": verdict = .notSet
        default: verdict = .granted
        }
        reply.send(.maintenance(.pinChecked(token: token, verdict)))
    }
}

/// The ticket-lookup screen: the field with the focus; `--query` is typed and, when it is a valid number,
/// checked. `ticket-lookup.VARIANT` shows each answer the sync can give (demo data, as a demo sync answers).
func navigateLookup(_ k: Kiosk, to screen: String, query: String?) throws {
    let e = k.engine
    let variant = screen.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init)
    if let variant {
        guard DemoSync.lookupVariants.contains(variant) else {
            throw ValidationError("unknown screen \"\(screen)\"; screens: \(screenNames.joined(separator: ", "))")
        }
        e.router.register(DemoSync(clock: k.clock, lookupVariant: variant), clock: k.clock)
    }
    e.send(.openTile(.ticket))
    let number = variant == nil ? query : variant == "invalid" ? DemoSync.mistypedNumber : query ?? DemoSync.number
    guard let number else { return }
    e.send(.field(.type(number)))
    if variant != nil || TicketNumber.parse(number) != nil { e.send(.lookup(.submit)) }
}

/// Demo answers of the sync, for `render` and the screen tests: what each screen looks like with a real
/// answer, without a server. Registered only for the demo screens.
final class DemoSync: KioskService {
    let kind = Effect.Kind.sync
    let clock: KioskClock
    let lookupVariant: String?

    static let lookupVariants = ["server", "open", "saved", "sent", "refused", "not-found", "unreachable", "invalid"]
    /// `PT1-261201-0042-R`, as in the README.
    static let number: String = {
        guard let day = LocalDate(year: 2026, month: 12, day: 1), let t = try? TicketNumber(kioskCode: "PT1", day: day, sequence: 42) else { return "PT1-261201-0042-R" }
        return t.description
    }()
    /// The same number with its check character wrong: refused before anyone is asked.
    static let mistypedNumber = String(number.dropLast()) + (number.hasSuffix("A") ? "B" : "A")
    static let note = "Naprawiono, dziękujemy. Ubytek w chodniku uzupełniono nową kostką; prosimy o zgłoszenie, jeśli kostka znowu się zapadnie."

    init(clock: KioskClock, lookupVariant: String? = nil) { self.clock = clock; self.lookupVariant = lookupVariant }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        let now = clock.date
        switch effect {
        case let .sync(.lookupTicket(number, token)):
            reply.send(.lookup(.answered(token: token, answer(number, now))))
        case let .sync(.findNearby(query, token)):
            reply.send(.report(.nearbyFound(token: token, Self.nearby(query.serviceCode, now))))
        case .store, .printer, .maintenance, .speech:
            return
        }
    }

    func answer(_ number: String, _ now: Date) -> TicketLookupResult {
        switch lookupVariant {
        case "open":
            return .server(ServerRequestStatus(serviceRequestID: "1042", ticket: number, serviceName: "Uszkodzony chodnik", status: "open",
                                               statusNotes: "Przekazano do naprawy. Ekipa przyjedzie w ciągu 7 dni.", agency: "Zarząd Dróg i Transportu",
                                               address: "ul. Piotrkowska 104", requested: now.addingTimeInterval(-86_400 * 2),
                                               updated: now.addingTimeInterval(-3_600)))
        case "saved": return .savedNotSent(ticket: number, created: now.addingTimeInterval(-600))
        case "sent": return .sentStatusUnknown(ticket: number, sent: now.addingTimeInterval(-3_600))
        case "refused": return .refused(ticket: number)
        case "not-found": return .notFound(ticket: number)
        case "unreachable": return .unreachable(ticket: number)
        default:
            return .server(ServerRequestStatus(serviceRequestID: "1042", ticket: number, serviceName: "Uszkodzony chodnik", status: "closed",
                                               statusNotes: Self.note, agency: "Zarząd Dróg i Transportu", address: "ul. Piotrkowska 104",
                                               requested: now.addingTimeInterval(-86_400 * 2), updated: now.addingTimeInterval(-3_600)))
        }
    }

    static func nearby(_ code: String, _ now: Date) -> [ServerRequestStatus] {
        [
            ServerRequestStatus(serviceRequestID: "1041", ticket: "PT1-261129-0007-" + checkOf("PT1", 2026, 11, 29, 7), serviceCode: code, status: "open",
                                address: "ul. Piotrkowska 112", description: "Duża dziura przy przejściu dla pieszych, po deszczu stoi w niej woda.",
                                requested: now.addingTimeInterval(-86_400 * 3)),
            ServerRequestStatus(serviceRequestID: "1038", serviceCode: code, status: "open", address: "ul. Piotrkowska 98",
                                description: "Zapadnięta kostka koło ławki.", requested: now.addingTimeInterval(-86_400 * 6)),
        ]
    }

    static func checkOf(_ code: String, _ y: Int, _ m: Int, _ d: Int, _ n: Int) -> String {
        guard let day = LocalDate(year: y, month: m, day: d), let t = try? TicketNumber(kioskCode: code, day: day, sequence: n) else { return "0" }
        return String(t.check)
    }
}

/// Through the report form to one of its steps with the first service (or `service`); `query` is typed into
/// the step's field (the service search, the street, the description, the e-mail).
func navigateReport(_ k: Kiosk, to screen: String, query: String?, service: String?) throws {
    let e = k.engine
    func type(_ field: String, _ text: String?) {
        guard let text else { return }
        e.send(.field(.focus(field)))
        e.send(.field(.type(text)))
    }
    if screen == "report.duplicate" || screen == "ticket.joined" {
        e.router.register(DemoSync(clock: k.clock), clock: k.clock)
    }
    e.send(.openTile(.report))
    if screen == "report.service" { return type(ElementID.reportServiceQuery, query) }
    guard let catalog = e.state.report.catalog, let first = catalog.services.first else { throw ValidationError("the service catalogue is empty") }
    let code = service ?? first.code
    guard let chosen = catalog.services.first(where: { $0.code == code }) else {
        throw ValidationError("no service \"\(code)\"; services: \(catalog.services.map(\.code).joined(separator: ", "))")
    }
    e.send(.report(.chooseService(code)))
    if chosen.dangerous {
        if screen == "report.threat" { return }
        if screen == "report.emergency" { return e.send(.report(.threat(dangerous: true))) }
        e.send(.report(.threat(dangerous: false)))
    } else if screen == "report.threat" || screen == "report.emergency" {
        throw ValidationError("service \"\(code)\" asks no threat question; pick a dangerous one with --service")
    }
    if screen == "report.location" { return type(ElementID.reportStreet, query) }
    e.send(.report(.next))
    if screen == "report.details" { return type(ElementID.reportDescription, query) }
    type(ElementID.reportDescription, "Demo")
    // The service's required questions get their first value or a sample, so the form goes on.
    for a in chosen.attributes where a.required {
        switch a.datatype {
        case .singlevaluelist, .multivaluelist: if let v = a.values.first { e.send(.report(.choose(attribute: a.code, value: v.key))) }
        case .datetime: e.send(.report(.now(attribute: a.code)))
        case .number: type(ElementID.reportAttribute(a.code), "1")
        case .string, .text: type(ElementID.reportAttribute(a.code), "Demo")
        }
    }
    e.send(.report(.next))
    if screen == "report.contact" {
        if query != nil { e.send(.report(.consent)) }
        return type(ElementID.reportEmail, query)
    }
    e.send(.report(.skipContact))
    if screen == "report.duplicate" {
        guard e.state.screen == .reportDuplicate else { throw ValidationError("no requests nearby were shown") }
        return
    }
    if screen == "ticket.joined" {
        e.send(.report(.chooseDuplicate(0)))
        e.send(.report(.sameProblem))
        return
    }
    if e.state.screen == .reportDuplicate { e.send(.report(.newProblem)) } // a real sync knew of requests nearby
    if screen == "report.review" { return }
    e.send(.report(.submit))
    guard e.state.screen == .ticket else { throw ValidationError("the report was not saved (see the log)") }
}
