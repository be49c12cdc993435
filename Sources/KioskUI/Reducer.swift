// The pure reducer: (state, action, now) -> state and effects. No I/O, no clock reads, no SDL.
import KioskCore

public enum Physics {
    /// Fling decay per second (velocity multiplier); about 0.35 s to lose two thirds of the speed.
    public static let flingDecayPerSecond = 0.05
    public static let flingStopSpeed = 40.0
    public static let frameInterval = 1.0 / 60.0
}

public func reduce(_ s: inout AppState, _ action: Action, now: Instant) -> [Effect] {
    s.now = now
    if action.isResidentInput {
        s.lastActivity = now
        if s.resetAt != nil, action != .moreTime {
            // Any touch while the warning shows means the resident is still there.
            s.resetAt = nil
        }
    }
    switch action {
    case let .openTile(tile):
        s.fling = nil
        switch tile {
        case .kb:
            return push(&s, .categories)
        case .search:
            return push(&s, .search)
        case .report, .ticket:
            s.notice = .comingSoonDetail
            return []
        }

    case let .setLanguage(lang):
        s.language = lang
        return []

    case let .openCategory(id):
        guard let cat = s.categories?.first(where: { $0.category.id == id }) else { return [] }
        s.selectedCategory = cat
        s.articles = nil
        s.scroll["articles.list"] = 0
        var effects = push(&s, .articles)
        effects.append(.loadArticles(categoryID: id))
        return effects

    case let .openArticle(id):
        s.articleID = id
        s.article = nil
        s.articleMissing = false
        s.scroll["article.body"] = 0
        var effects = push(&s, .article)
        effects.append(.loadArticle(id: id))
        return effects

    case .back:
        s.fling = nil
        s.notice = nil
        if s.path.count > 1 { s.path.removeLast() }
        return s.screen == .categories && s.categories == nil ? [.loadCategories] : []

    case .home:
        s.fling = nil
        s.notice = nil
        s.path = [.home]
        return []

    case let .scrollBy(id, dy):
        s.fling = nil
        s.scroll[id] = clampScroll(s, id, (s.scroll[id] ?? 0) + dy)
        return []

    case let .fling(id, v):
        s.fling = abs(v) > Physics.flingStopSpeed ? Fling(scrollID: id, velocity: v, lastTime: now) : nil
        return []

    case let .press(id):
        s.pressed = id
        return []

    case .dismissNotice:
        s.notice = nil
        return []

    case let .typeText(text):
        guard s.screen == .search else { return [] }
        return setQuery(&s, s.search.query + text)

    case .backspace:
        guard s.screen == .search, !s.search.query.isEmpty else { return [] }
        return setQuery(&s, String(s.search.query.dropLast()))

    case .clearQuery:
        return setQuery(&s, "")

    case .applySuggestion:
        guard let suggestion = s.search.outcome?.suggestion else { return [] }
        return setQuery(&s, suggestion + " ")

    case .browseCategories:
        s.path = [.home]
        return push(&s, .categories)

    case let .searchResults(outcome):
        guard outcome.query == s.search.query else { return [] } // an answer to an older query
        s.search.outcome = outcome
        s.scroll["search.results"] = 0
        return []

    case .moreTime:
        s.resetAt = nil
        s.lastActivity = now
        return []

    case let .categoriesLoaded(list):
        s.categories = list
        return []

    case let .articlesLoaded(categoryID, list):
        guard s.selectedCategory?.category.id == categoryID else { return [] }
        s.articles = list
        return []

    case let .articleLoaded(id, article):
        guard s.articleID == id else { return [] }
        s.article = article
        s.articleMissing = article == nil
        return []

    case let .scrollLimits(limits):
        s.scrollLimits = limits
        for (id, _) in limits { s.scroll[id] = clampScroll(s, id, s.scroll[id] ?? 0) }
        return []

    case .tick:
        return advanceTime(&s, now)
    }
}

private func push(_ s: inout AppState, _ screen: ScreenID) -> [Effect] {
    if s.screen != screen { s.path.append(screen) }
    if screen == .categories {
        s.scroll["categories.list"] = 0
        if s.categories == nil { return [.loadCategories] }
    }
    return []
}

/// Sets the search text: characters a screen cannot draw are dropped, and text beyond the limit is cut
/// with a note rather than refused.
private func setQuery(_ s: inout AppState, _ text: String) -> [Effect] {
    let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
    var clean = String(String.UnicodeScalarView(flat.unicodeScalars.filter(isTypeable)))
    s.search.inputCut = clean.count > SearchQuery.maxCharacters
    if s.search.inputCut { clean = String(clean.prefix(SearchQuery.maxCharacters)) }
    guard clean != s.search.query || s.search.outcome == nil else { return [] }
    s.search.query = clean
    if TextFolding.foldedWords(clean).isEmpty {
        s.search.outcome = nil
        return []
    }
    return [.search(clean)]
}

private func isTypeable(_ u: Unicode.Scalar) -> Bool {
    switch u.properties.generalCategory {
    case .control, .format, .otherSymbol, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
        return false
    default:
        return true
    }
}

private func clampScroll(_ s: AppState, _ id: String, _ v: Double) -> Double {
    let limit = s.scrollLimits[id] ?? .infinity
    return min(max(0, v), limit)
}

/// Time-driven changes: fling animation and the idle warning and reset.
private func advanceTime(_ s: inout AppState, _ now: Instant) -> [Effect] {
    if var f = s.fling {
        let dt = max(0, now - f.lastTime)
        if dt > 0 {
            let decay = pow(Physics.flingDecayPerSecond, dt)
            // Distance is the integral of v·decay^t over dt.
            let k = log(Physics.flingDecayPerSecond)
            let distance = f.velocity * (decay - 1) / k
            let before = s.scroll[f.scrollID] ?? 0
            let after = clampScroll(s, f.scrollID, before + distance)
            s.scroll[f.scrollID] = after
            f.velocity *= decay
            f.lastTime = now
            let hitEdge = after == before && distance != 0
            s.fling = (abs(f.velocity) < Physics.flingStopSpeed || hitEdge) ? nil : f
        }
    }
    if let resetAt = s.resetAt, now >= resetAt {
        // Everything goes, loaded lists too: they are re-read on the next visit, so a new day's
        // validity rules apply to the next resident.
        s = AppState(idle: s.idle, now: now)
        return []
    }
    if s.resetAt == nil, !s.isPristine, now >= s.lastActivity + s.idle.warnAfter {
        s.resetAt = s.lastActivity + s.idle.warnAfter + s.idle.resetAfter
        s.notice = nil
        s.pressed = nil
    }
    return []
}

extension AppState {
    /// The next instant the reducer wants a `.tick`, or nil when nothing is pending (an idle kiosk sleeps).
    public func nextDeadline() -> Instant? {
        var next: Instant?
        func consider(_ t: Instant) { next = min(next ?? t, t) }
        if let f = fling { consider(f.lastTime + Physics.frameInterval) }
        if let resetAt {
            // Once a second for the countdown on the warning, then the reset itself.
            let remaining = resetAt - now
            let step = remaining - (remaining.rounded(.up) - 1)
            consider(min(resetAt, now + max(0.001, step)))
        } else if !isPristine {
            consider(lastActivity + idle.warnAfter)
        }
        return next
    }

    /// Whole seconds left on the idle warning, for the countdown.
    public var secondsUntilReset: Int? {
        resetAt.map { max(0, Int(($0 - now).rounded(.up))) }
    }
}

import Foundation
