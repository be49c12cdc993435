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
    /// (folded form, folded base form): lets a query word in any form find the base form indexed. Sorted by
    /// their UTF-8 bytes.
    public var forms: [(String, String)] = []
    /// (folded word, word as written, occurrences): typo suggestions, shown with Polish letters.
    public var vocabulary: [(String, String, Int)] = []
}

public enum SearchIndexBuilder {
    /// Builds the index of the public articles; `lexicon` may be nil (no dictionary installed), then
    /// words match only in the form they were written, without diacritics.
    public static func build(articles: [PublicArticle], categories: [Category], lexicon: (any WordForms)?,
                             extraWords: Set<String> = [], width: Int = Parallel.width) -> SearchIndexData {
        var (documents, t) = tokenize(articles: articles, categories: categories, lexicon: lexicon, extraWords: extraWords, width: width)
        var data = SearchIndexData()
        data.documents = documents
        t.finish(into: &data, width: width)
        return data
    }

    /// What `lexicon` answers for these articles' words (and `extraWords`): a build given this table instead of
    /// the dictionary makes the same index. A central server makes it once per import and sends it to kiosks.
    public static func lexiconTable(articles: [PublicArticle], categories: [Category], lexicon: any WordForms,
                                    extraWords: Set<String> = [], width: Int = Parallel.width) -> LexiconTable {
        tokenize(articles: articles, categories: categories, lexicon: lexicon, extraWords: extraWords, width: width)
            .tokenizer.lexiconTable(lexicon, width: width)
    }

    static func tokenize(articles: [PublicArticle], categories: [Category], lexicon: (any WordForms)?,
                         extraWords: Set<String>, width: Int) -> (documents: [SearchDocument], tokenizer: Tokenizer) {
        let names = Dictionary(categories.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        // Articles are tokenized in parallel parts, each with its own caches, joined in document order
        // (a word's display form stays the first one met).
        let parts = Parallel.mapChunks(articles, width: width, minimumChunk: 200) { part -> [(docs: [SearchDocument], tokenizer: Tokenizer)] in
            var t = Tokenizer(lexicon: lexicon)
            var docs: [SearchDocument] = []
            docs.reserveCapacity(part.count)
            for a in part {
                // Every language's title and summary: a resident who reads Ukrainian or English types in it.
                let cats = a.categories.compactMap { names[$0] }.map(Self.allLanguages).joined(separator: " ")
                let body = [a.summary.pl, a.summary.en ?? "", a.summary.uk ?? "", a.howTo, a.documents, a.fees, a.processingTime, a.place,
                            a.additionalInfo, a.appeal, a.legalBasis, a.department, a.unit].joined(separator: "\n")
                docs.append(SearchDocument(
                    id: a.id, title: t.tokens(Self.allLanguages(a.title)), keywords: t.tokens(a.keywords.joined(separator: " ")),
                    categories: t.tokens(cats), body: t.tokens(body)))
            }
            return [(docs: docs, tokenizer: t)]
        }
        var t = Tokenizer(lexicon: lexicon)
        var documents: [SearchDocument] = []
        documents.reserveCapacity(articles.count)
        for p in parts {
            documents.append(contentsOf: p.docs)
            t.absorb(p.tokenizer)
        }
        for w in extraWords { t.lemmas(w) }
        return (documents, t)
    }

    /// The report catalogue indexed the way articles are, so the same pipeline finds "dziura w drodze":
    /// names in every language as the title, keywords, the topic as the category, the description as the body.
    public static func build(services catalog: ServiceCatalog, lexicon: (any WordForms)?) -> SearchIndexData {
        var (documents, t) = tokenize(services: catalog, lexicon: lexicon)
        var data = SearchIndexData()
        data.documents = documents
        t.finish(into: &data)
        return data
    }

    /// What `lexicon` answers for the catalogue's words, as `lexiconTable(articles:…)` does for articles.
    public static func lexiconTable(services catalog: ServiceCatalog, lexicon: any WordForms) -> LexiconTable {
        tokenize(services: catalog, lexicon: lexicon).tokenizer.lexiconTable(lexicon, width: 1)
    }

    static func tokenize(services catalog: ServiceCatalog, lexicon: (any WordForms)?) -> (documents: [SearchDocument], tokenizer: Tokenizer) {
        var t = Tokenizer(lexicon: lexicon)
        let groups = Dictionary(catalog.groups.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let documents = catalog.services.map { s in
            SearchDocument(
                id: s.code, title: t.tokens(Self.allLanguages(s.name)), keywords: t.tokens(s.keywords.joined(separator: " ")),
                categories: t.tokens(groups[s.group].map(Self.allLanguages) ?? ""), body: t.tokens(Self.allLanguages(s.description)))
        }
        return (documents, t)
    }

    static func allLanguages(_ l: Localized) -> String { "\(l.pl) \(l.en ?? "") \(l.uk ?? "")" }

    /// Folds words and adds their base forms after each, counting words for typo suggestions. Each distinct word
    /// is folded and looked up in the dictionary once, and what it adds to the index is kept as bytes: a token
    /// costs one lookup of its bytes and one copy, with no String made for it.
    struct Tokenizer {
        let lexicon: (any WordForms)?
        /// Distinct words in the order first met, so the first spelling of a folded word is the one shown.
        private var table = WordTable()
        private var folded: [String] = []
        private var lemmaSets: [Set<String>] = []
        private var counts: [Int] = []
        /// Per word: the folded word and its folded base forms, space-separated, at `outputs[outputRanges[i]]`.
        private var outputRanges: [Range<Int>] = []
        private var outputs: [UInt8] = []

        init(lexicon: (any WordForms)?) { self.lexicon = lexicon }

        /// The number of a word, made on first sight.
        private mutating func entry(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            let (i, inserted) = table.insert(bytes)
            if inserted { describe(String(decoding: bytes, as: UTF8.self)) }
            return i
        }

        private mutating func describe(_ w: String) {
            let f = TextFolding.fold(w)
            let lemmas = Self.isLookedUp(w, folded: f) ? lexicon?.lemmas(of: w) ?? [] : []
            let start = outputs.count
            if !f.isEmpty {
                outputs.append(contentsOf: f.utf8)
                var added: Set<String> = [f]
                for l in lemmas.sorted() {
                    let lf = TextFolding.fold(l)
                    if added.insert(lf).inserted { outputs.append(0x20); outputs.append(contentsOf: lf.utf8) }
                }
            }
            folded.append(f)
            lemmaSets.append(lemmas)
            counts.append(0)
            outputRanges.append(start..<outputs.count)
        }

        /// Numbers have no base forms; titles are full of them ("(1234)", dates).
        static func isLookedUp(_ w: String, folded: String) -> Bool {
            !folded.isEmpty && !w.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        }

        /// What the dictionary answered for every word looked up, and the forms of every stem it named.
        func lexiconTable(_ lexicon: any WordForms, width: Int) -> LexiconTable {
            var lemmas: [String: Set<String>] = [:]
            var stems = Set<String>()
            for i in 0..<table.count {
                let w = table.key(i)
                guard Self.isLookedUp(w, folded: folded[i]) else { continue }
                lemmas[w] = lemmaSets[i]
                stems.formUnion(lemmaSets[i])
            }
            let forms = Parallel.mapChunks(stems.sorted(), width: width, minimumChunk: 500) { part in
                part.map { ($0, Set(lexicon.forms(of: $0).map(TextFolding.fold))) }
            }
            return LexiconTable(lemmas: lemmas, forms: Dictionary(forms, uniquingKeysWith: { a, _ in a }))
        }

        /// Makes a word's base forms known to the forms table without counting it as text (synonyms).
        @discardableResult
        mutating func lemmas(_ w: String) -> Set<String> {
            var w = w
            let i = w.withUTF8 { entry($0) }
            return lemmaSets[i]
        }

        mutating func tokens(_ text: String) -> String {
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count + text.utf8.count / 2)
            var text = text
            text.withUTF8 { u in
                var at = 0
                var word: [UInt8] = []
                word.reserveCapacity(64)
                while TextFolding.nextWord(u, &at, into: &word) {
                    let i = word.withUnsafeBufferPointer { entry($0) }
                    let r = outputRanges[i]
                    guard !r.isEmpty else { continue }
                    counts[i] += 1
                    if !out.isEmpty { out.append(0x20) }
                    outputs.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[r])) }
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        /// Takes in what a later part of the same build saw; the first-met spellings stay first.
        mutating func absorb(_ other: Tokenizer) {
            for j in 0..<other.table.count {
                let (i, inserted) = other.table.withKey(j) { table.insert($0) }
                if inserted {
                    folded.append(other.folded[j])
                    lemmaSets.append(other.lemmaSets[j])
                    counts.append(0)
                    let r = other.outputRanges[j]
                    let start = outputs.count
                    outputs.append(contentsOf: other.outputs[r])
                    outputRanges.append(start..<outputs.count)
                }
                counts[i] += other.counts[j]
            }
        }

        /// The table of forms (every form of every base form seen) and the vocabulary.
        mutating func finish(into data: inout SearchIndexData, width: Int = Parallel.width) {
            var pairs = Set<Pair>()
            var lemmasSeen = Set<String>()
            for (i, lemmas) in lemmaSets.enumerated() {
                lemmasSeen.formUnion(lemmas)
                for l in lemmas { pairs.insert(Pair(form: folded[i], lemma: TextFolding.fold(l))) }
            }
            if let lexicon {
                // Every form of every base form: the largest part of a build with a large vocabulary, in parallel.
                let expanded = Parallel.mapChunks(lemmasSeen.sorted(), width: width, minimumChunk: 500) { part in
                    part.flatMap { lemma in
                        let lf = TextFolding.fold(lemma)
                        return lexicon.forms(of: lemma).map { Pair(form: TextFolding.fold($0), lemma: lf) }
                    }
                }
                pairs.formUnion(expanded)
            }
            // In byte order, SQLite's own: the store appends them to its B-tree, several times faster than
            // inserting at random places, and the sort is done here, before the write transaction opens.
            data.forms = pairs.map { ($0.form, $0.lemma) }.sorted { a, b in
                a.0 != b.0 ? a.0.utf8.lexicographicallyPrecedes(b.0.utf8) : a.1.utf8.lexicographicallyPrecedes(b.1.utf8)
            }
            var seen: [String: Int] = [:]
            var vocabulary: [(String, String, Int)] = []
            for i in 0..<table.count where counts[i] > 0 && !folded[i].isEmpty {
                if let v = seen[folded[i]] {
                    vocabulary[v].2 += counts[i]
                } else {
                    seen[folded[i]] = vocabulary.count
                    vocabulary.append((folded[i], table.key(i), counts[i]))
                }
            }
            data.vocabulary = vocabulary
        }
    }

    /// Distinct byte strings numbered in the order first inserted: an open-addressing table over one byte arena,
    /// hashed with the standard library's seeded hasher (a hostile text cannot make it degrade).
    struct WordTable {
        private var slots: [Int32] = Array(repeating: -1, count: 1024)
        private var hashes: [Int] = []
        private var ranges: [Range<Int>] = []
        private var arena: [UInt8] = []

        var count: Int { ranges.count }

        func key(_ i: Int) -> String { String(decoding: arena[ranges[i]], as: UTF8.self) }

        func withKey<T>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[ranges[i]])) }
        }

        mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (Int, inserted: Bool) {
            var hasher = Hasher()
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
            let h = hasher.finalize()
            let mask = slots.count - 1
            var s = h & mask
            while true {
                let e = Int(slots[s])
                if e < 0 { break }
                if hashes[e] == h, arena.withUnsafeBufferPointer({ UnsafeBufferPointer(rebasing: $0[ranges[e]]).elementsEqual(bytes) }) {
                    return (e, false)
                }
                s = (s + 1) & mask
            }
            let e = ranges.count
            let start = arena.count
            arena.append(contentsOf: bytes)
            ranges.append(start..<arena.count)
            hashes.append(h)
            slots[s] = Int32(e)
            if ranges.count * 2 > slots.count { grow() }
            return (e, true)
        }

        private mutating func grow() {
            slots = Array(repeating: -1, count: slots.count * 2)
            let mask = slots.count - 1
            for (e, h) in hashes.enumerated() {
                var s = h & mask
                while slots[s] >= 0 { s = (s + 1) & mask }
                slots[s] = Int32(e)
            }
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
