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
    if screen.hasPrefix("report.") || screen == "ticket" {
        return try navigateReport(k, to: screen, query: query, service: service)
    }
    switch screen {
    case "home": return
    case "coming-soon": e.send(.openTile(.ticket)); return
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

let screenNames = ["home", "categories", "articles", "article", "search", "coming-soon", "idle-warning", "report.service",
                   "report.threat", "report.emergency", "report.location", "report.details", "report.contact", "report.review", "ticket"]

/// Through the report form to one of its steps with the first service (or `service`); `query` is typed into
/// the step's field (the service search, the street, the description, the e-mail).
func navigateReport(_ k: Kiosk, to screen: String, query: String?, service: String?) throws {
    let e = k.engine
    func type(_ field: String, _ text: String?) {
        guard let text else { return }
        e.send(.field(.focus(field)))
        e.send(.field(.type(text)))
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
    if screen == "report.review" { return }
    e.send(.report(.submit))
    guard e.state.screen == .ticket else { throw ValidationError("the report was not saved (see the log)") }
}
