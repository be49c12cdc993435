// The search room: the query is a text field; every change asks the store, and only the answer to the
// query on screen is kept.
import KioskCore

public struct SearchState: Sendable, Equatable {
    /// The answer for the query in the field; answers for older queries are dropped.
    public var outcome: SearchOutcome?
    /// A feed changed the Knowledge Base since the outcome was found: searched again when the screen shows.
    public var stale = false
    public init() {}

    /// The query field: free text up to the search's limit; its name is the tile's ("Szukaj"), so the
    /// limit's message reads "Pole „Szukaj” mieści najwyżej 120 znaków".
    static let field = TextFieldState(id: ElementID.searchQuery, kind: .text, maxLength: SearchQuery.maxCharacters,
                                      label: .tileSearch, placeholder: .searchPlaceholder)
}

public enum SearchAction: Sendable, Equatable {
    case applySuggestion
    case results(SearchOutcome)

    var isResidentInput: Bool {
        if case .applySuggestion = self { return true }
        return false
    }
}

extension AppState {
    public var searchQuery: String { fields[ElementID.searchQuery]?.value ?? "" }
}

func reduceSearch(_ s: inout AppState, _ a: SearchAction) -> [Effect] {
    switch a {
    case .applySuggestion:
        guard let suggestion = s.search.outcome?.suggestion else { return [] }
        s.fields[ElementID.searchQuery]?.value = ""
        s.focus = ElementID.searchQuery
        _ = reduceField(&s, .type(suggestion + " "))
        return searchQueryChanged(&s)
    case let .results(outcome):
        guard outcome.query == s.searchQuery else { return [] } // an answer to an older query
        s.search.outcome = outcome
        s.search.stale = false
        s.scroll[ElementID.searchResults] = 0
        return []
    }
}

/// The field changed: ask the store, unless nothing searchable is left.
func searchQueryChanged(_ s: inout AppState) -> [Effect] {
    let q = s.searchQuery
    guard q != s.search.outcome?.query else { return [] }
    if TextFolding.foldedWords(q).isEmpty {
        s.search.outcome = nil
        return []
    }
    return [.store(.search(q))]
}

/// Opening the search screen focuses its field, so typing on a hardware keyboard goes there at once.
func openSearch(_ s: inout AppState) -> [Effect] {
    s.focus = ElementID.searchQuery
    return push(&s, .search)
}
