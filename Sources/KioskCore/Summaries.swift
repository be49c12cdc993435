// Short forms of Knowledge Base records for lists on screen.

/// A category with the number of articles a resident can see in it today.
public struct CategorySummary: Sendable, Equatable {
    public var category: Category
    public var articleCount: Int
    public init(category: Category, articleCount: Int) { self.category = category; self.articleCount = articleCount }
}

/// What a list shows of an article: title and summary in both languages.
public struct ArticleSummary: Sendable, Equatable {
    public var id: String
    public var title: Localized
    public var summary: Localized
    public init(id: String, title: Localized, summary: Localized) { self.id = id; self.title = title; self.summary = summary }
}

