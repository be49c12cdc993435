// The Knowledge Base room: categories, a category's articles and one article, each loaded by the store.
import KioskCore

public struct BrowseState: Sendable, Equatable {
    public var categories: [CategorySummary]?
    public var selectedCategory: CategorySummary?
    public var articles: [ArticleSummary]?
    public var articleID: String?
    public var article: PublicArticle?
    public var articleMissing = false
    /// The checklist of the article on screen, on its way to the printer (nil: not asked for).
    public var checklist: ReceiptPrint?
    /// A feed changed the Knowledge Base since these lists were read: read again on the next visit.
    public var categoriesStale = false
    public var articlesStale = false
    public init() {}
}

public enum BrowseAction: Sendable, Equatable {
    case openCategory(String)
    case openArticle(String)
    /// "Browse topics" from an empty search: the categories, as if from home.
    case showTopics
    case categoriesLoaded([CategorySummary])
    case articlesLoaded(categoryID: String, [ArticleSummary])
    case articleLoaded(id: String, PublicArticle?)
    /// The checklist of the article on screen: documents, fees, place, time, and its page as a QR code.
    case printChecklist
    case checklistPrinted(articleID: String, ReceiptPrint)

    var isResidentInput: Bool {
        switch self {
        case .openCategory, .openArticle, .showTopics, .printChecklist: return true
        case .categoriesLoaded, .articlesLoaded, .articleLoaded, .checklistPrinted: return false
        }
    }
}

func reduceBrowse(_ s: inout AppState, _ a: BrowseAction) -> [Effect] {
    switch a {
    case let .openCategory(id):
        guard let cat = s.browse.categories?.first(where: { $0.category.id == id }) else { return [] }
        s.browse.selectedCategory = cat
        s.browse.articles = nil
        s.scroll[ElementID.articlesList] = 0
        return push(&s, .articles) + [.store(.loadArticles(categoryID: id))]

    case let .openArticle(id):
        s.browse.articleID = id
        s.browse.article = nil
        s.browse.articleMissing = false
        s.browse.checklist = nil
        s.scroll[ElementID.articleBody] = 0
        return push(&s, .article) + [.store(.loadArticle(id: id))]

    case .showTopics:
        s.path = [.home]
        return push(&s, .categories)

    case let .categoriesLoaded(list):
        s.browse.categories = list
        s.browse.categoriesStale = false
        return []

    case let .articlesLoaded(categoryID, list):
        guard s.browse.selectedCategory?.category.id == categoryID else { return [] }
        s.browse.articles = list
        s.browse.articlesStale = false
        return []

    case let .articleLoaded(id, article):
        guard s.browse.articleID == id else { return [] } // an answer for an article no longer shown
        s.browse.article = article
        s.browse.articleMissing = article == nil
        return []

    case .printChecklist:
        guard s.site.hasPrinter, s.screen == .article, let article = s.browse.article, s.browse.checklist != .printing else { return [] }
        s.browse.checklist = .printing
        return [.printer(.checklist(ChecklistRequest(article: article, language: s.language)))]

    case let .checklistPrinted(id, outcome):
        guard s.browse.articleID == id else { return [] }
        s.browse.checklist = outcome
        return []
    }
}

/// Opens a screen on top of the path; the categories screen loads its list the first time.
func push(_ s: inout AppState, _ screen: ScreenID) -> [Effect] {
    if s.screen != screen { s.path.append(screen) }
    if screen == .categories {
        s.scroll[ElementID.categoriesList] = 0
        // An empty list may be a store that failed a moment ago: ask again rather than keep "unavailable".
        if s.browse.categories?.isEmpty ?? true {
            s.browse.categoriesStale = false
            return [.store(.loadCategories)]
        }
    }
    return []
}
