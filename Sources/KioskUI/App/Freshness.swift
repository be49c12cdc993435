// When a feed changes the Knowledge Base or the catalogue under a resident: nothing on screen moves (an
// article being read stays, even one the feed deleted); each list already loaded is read again when the
// resident next comes to its screen.
import KioskCore

/// Marks the loaded lists; lists never loaded need nothing (they are read on first visit anyway).
func markListsStale(_ s: inout AppState) {
    if s.browse.categories != nil { s.browse.categoriesStale = true }
    if s.browse.articles != nil { s.browse.articlesStale = true }
    if s.search.outcome != nil { s.search.stale = true }
    if s.report.catalog != nil { s.report.catalogStale = true }
    if s.report.matches != nil { s.report.matchesStale = true }
}

/// The screen just shown reads its list again if a feed changed it; the old list stays until the answer.
func reloadStaleLists(_ s: inout AppState) -> [Effect] {
    switch s.screen {
    case .categories where s.browse.categoriesStale:
        s.browse.categoriesStale = false
        return [.store(.loadCategories)]
    case .articles where s.browse.articlesStale:
        s.browse.articlesStale = false
        guard let id = s.browse.selectedCategory?.category.id else { return [] }
        return [.store(.loadArticles(categoryID: id))]
    case .search where s.search.stale:
        s.search.stale = false
        let q = s.searchQuery
        return TextFolding.foldedWords(q).isEmpty ? [] : [.store(.search(q))]
    case .reportService where s.report.catalogStale || s.report.matchesStale:
        var effects: [Effect] = []
        if s.report.catalogStale { effects.append(.store(.loadServices)) }
        if s.report.matchesStale, !TextFolding.foldedWords(s.reportQuery).isEmpty { effects.append(.store(.searchServices(s.reportQuery))) }
        s.report.catalogStale = false
        s.report.matchesStale = false
        return effects
    default:
        return []
    }
}
