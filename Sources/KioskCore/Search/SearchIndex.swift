// What goes into the search index for a set of public articles: folded words and their base forms
// per field, the table of word forms, and the vocabulary for typo suggestions.

/// One article's searchable text, already folded; each word is followed by its base forms.
public struct SearchDocument: Sendable, Equatable {
    public var id: String
    public var title: String
    public var keywords: String
    public var categories: String
    public var body: String
}

public struct SearchIndexData: Sendable {
    public var documents: [SearchDocument] = []
    /// (folded form, folded base form): lets a query word in any form find the base form indexed.
    public var forms: [(String, String)] = []
    /// (folded word, word as written, occurrences): typo suggestions, shown with Polish letters.
    public var vocabulary: [(String, String, Int)] = []
}

public enum SearchIndexBuilder {
    /// Builds the index of the public articles; `lexicon` may be nil (no dictionary installed), then
    /// words match only in the form they were written, without diacritics.
    public static func build(articles: [PublicArticle], categories: [Category], lexicon: AffixDictionary?,
                             extraWords: Set<String> = []) -> SearchIndexData {
        var t = Tokenizer(lexicon: lexicon)
        let names = Dictionary(categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var data = SearchIndexData()
        for a in articles {
            // Every language's title and summary: a resident who reads Ukrainian or English types in it.
            let cats = a.categories.compactMap { names[$0] }.map(Self.allLanguages).joined(separator: " ")
            let body = [a.summary.pl, a.summary.en ?? "", a.summary.uk ?? "", a.howTo, a.documents, a.fees, a.processingTime, a.place,
                        a.additionalInfo, a.appeal, a.legalBasis, a.department, a.unit].joined(separator: "\n")
            data.documents.append(SearchDocument(
                id: a.id, title: t.tokens(Self.allLanguages(a.title)), keywords: t.tokens(a.keywords.joined(separator: " ")),
                categories: t.tokens(cats), body: t.tokens(body)))
        }
        for w in extraWords { _ = t.lemmas(w) }
        t.finish(into: &data)
        return data
    }

    /// The report catalogue indexed the way articles are, so the same pipeline finds "dziura w drodze":
    /// names in every language as the title, keywords, the topic as the category, the description as the body.
    public static func build(services catalog: ServiceCatalog, lexicon: AffixDictionary?) -> SearchIndexData {
        var t = Tokenizer(lexicon: lexicon)
        let groups = Dictionary(catalog.groups.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var data = SearchIndexData()
        for s in catalog.services {
            data.documents.append(SearchDocument(
                id: s.code, title: t.tokens(Self.allLanguages(s.name)), keywords: t.tokens(s.keywords.joined(separator: " ")),
                categories: t.tokens(groups[s.group].map(Self.allLanguages) ?? ""), body: t.tokens(Self.allLanguages(s.description))))
        }
        t.finish(into: &data)
        return data
    }

    static func allLanguages(_ l: Localized) -> String { "\(l.pl) \(l.en ?? "") \(l.uk ?? "")" }

    /// Folds words and adds their base forms after each, counting words for typo suggestions; each distinct
    /// word is folded and looked up once (Unicode decomposition is the slow part).
    struct Tokenizer {
        let lexicon: AffixDictionary?
        var lemmaCache: [String: Set<String>] = [:]
        var counts: [String: (String, Int)] = [:]
        var lemmasSeen = Set<String>()
        var foldCache: [String: String] = [:]

        init(lexicon: AffixDictionary?) { self.lexicon = lexicon }

        mutating func fold(_ w: String) -> String {
            if let f = foldCache[w] { return f }
            let f = TextFolding.fold(w)
            foldCache[w] = f
            return f
        }

        mutating func lemmas(_ w: String) -> Set<String> {
            if let hit = lemmaCache[w] { return hit }
            let l = lexicon?.lemmas(of: w) ?? []
            lemmaCache[w] = l
            lemmasSeen.formUnion(l)
            return l
        }

        mutating func tokens(_ text: String) -> String {
            var out: [String] = []
            for w in TextFolding.words(text) {
                let f = fold(w)
                guard !f.isEmpty else { continue }
                out.append(f)
                let c = counts[f]
                counts[f] = (c?.0 ?? w, (c?.1 ?? 0) + 1)
                for l in lemmas(w) {
                    let lf = fold(l)
                    if lf != f { out.append(lf) }
                }
            }
            return out.joined(separator: " ")
        }

        /// The table of forms (every form of every base form seen) and the vocabulary.
        mutating func finish(into data: inout SearchIndexData) {
            var pairs = Set<Pair>()
            if let lexicon {
                for lemma in lemmasSeen {
                    let lf = fold(lemma)
                    for form in lexicon.forms(of: lemma) { pairs.insert(Pair(form: fold(form), lemma: lf)) }
                }
            }
            for (w, ls) in lemmaCache {
                for l in ls { pairs.insert(Pair(form: fold(w), lemma: fold(l))) }
            }
            data.forms = pairs.map { ($0.form, $0.lemma) }
            data.vocabulary = counts.map { ($0.key, $0.value.0, $0.value.1) }
        }
    }

    struct Pair: Hashable { let form: String; let lemma: String }
}

/// A resident's query made safe: cut to a length, split into folded words; FTS5 syntax never survives.
public struct SearchQuery: Sendable, Equatable {
    public static let maxCharacters = 120
    public static let maxWords = 10

    public var words: [String]
    /// The last word is still being typed: match it as a prefix too.
    public var lastIsPartial: Bool
    /// The input was longer than the limit and was cut (the screen says so).
    public var wasCut: Bool

    public init(_ raw: String, partial: Bool = false) {
        var text = raw
        wasCut = false
        if text.count > Self.maxCharacters {
            text = String(text.prefix(Self.maxCharacters))
            wasCut = true
        }
        var w = TextFolding.foldedWords(text)
        if w.count > Self.maxWords {
            w = Array(w.prefix(Self.maxWords))
            wasCut = true
        }
        let content = w.filter { !Self.stopWords.contains($0) }
        words = content.isEmpty ? w : content
        let endsInWord = text.last.map { $0.isLetter || $0.isNumber } ?? false
        lastIsPartial = partial && endsInWord && !wasCut
    }

    /// Function words that carry no topic ("jak wyrobić dowód w Łodzi"): left out unless nothing else is typed.
    public static let stopWords: Set<String> = [
        "a", "aby", "albo", "ale", "bo", "by", "chce", "chcialbym", "chcialabym", "co", "czy", "dla", "do", "gdzie",
        "i", "ile", "jak", "jaki", "jaka", "jakie", "jest", "kiedy", "ktory", "ktora", "ktore", "lub", "mi", "moge",
        "mam", "mnie", "musze", "na", "nie", "o", "od", "po", "pod", "przez", "przy", "sie", "sa", "ta", "tak", "te",
        "ten", "to", "trzeba", "u", "w", "we", "z", "za", "ze", "mozna", "gdy", "jesli", "moj", "moja", "moje",
        // Verbs of "getting it done" name no procedure: "jak wyrobić dowód" is about the ID card.
        "wyrobic", "wyrobienie", "zalatwic", "zalatwienie", "zrobic", "dostac", "uzyskac", "potrzebuje", "prosze",
        "the", "to", "of", "for", "in", "on", "my", "how", "can", "i", "do", "is", "what", "where", "an", "get",
    ]
}
