// What a search returns: ranked hits, a "did you mean", and whether the query was cut or relaxed.

public struct SearchHit: Sendable, Equatable {
    public var id: String
    public var title: Localized
    public var summary: Localized
    /// BM25 with column weights; higher is better.
    public var score: Double

    public init(id: String, title: Localized, summary: Localized, score: Double) {
        self.id = id; self.title = title; self.summary = summary; self.score = score
    }
}

/// A service of the report catalogue that a query found.
public struct ServiceHit: Sendable, Equatable {
    public var code: String
    public var name: Localized
    /// Every word of the query is in the service's name or keywords (not only its description).
    public var strong: Bool
    public init(code: String, name: Localized, strong: Bool) { self.code = code; self.name = name; self.strong = strong }
}

public struct SearchOutcome: Sendable, Equatable {
    public var query: String
    public var hits: [SearchHit]
    /// "Did you mean": the query with unknown words replaced, in their written form.
    public var suggestion: String?
    /// The query was too long and was cut before searching.
    public var wasCut: Bool
    /// No article matched every word; these match some of them.
    public var relaxed: Bool
    /// Problems a resident could report that match every word ("dziura w chodniku"): offered before the
    /// articles, straight into the report form.
    public var services: [ServiceHit] = []

    public init(query: String, hits: [SearchHit], suggestion: String?, wasCut: Bool, relaxed: Bool) {
        self.query = query; self.hits = hits; self.suggestion = suggestion; self.wasCut = wasCut; self.relaxed = relaxed
    }

    public static func empty(_ q: String) -> SearchOutcome {
        SearchOutcome(query: q, hits: [], suggestion: nil, wasCut: false, relaxed: false)
    }
}

