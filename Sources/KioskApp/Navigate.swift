// Drives a kiosk to a named screen, as a resident would: for `render`, the benchmark and the tests.
import ArgumentParser
import Foundation
import KioskCore
import KioskUI

/// Drives a freshly built engine to a screen, the way a resident would get there.
func navigate(_ k: Kiosk, to screen: String, category: String?, article: String?, query: String? = nil) throws {
    let e = k.engine
    func fail(_ s: String) -> ValidationError { ValidationError(s) }
    switch screen {
    case "home": return
    case "coming-soon": e.send(.openTile(.report)); return
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
        throw fail("unknown screen \"\(screen)\"; screens: home, categories, articles, article, search, coming-soon, idle-warning")
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
