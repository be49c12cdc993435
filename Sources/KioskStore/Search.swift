// Search over the public Knowledge Base: FTS5 with BM25, base forms, synonyms, typo suggestions.
// The same code serves the search screen and `kiosk kb search`.
import Foundation
import GRDB
import KioskCore

/// Vocabulary kept in memory after the first typo, dropped when the Knowledge Base changes.
final class SearchCache: @unchecked Sendable {
    private let lock = NSLock()
    private var vocabulary: [(word: [UInt8], text: String, display: String, freq: Int)]?
    /// Per synonym group, per term, per word: the forms that count as that word.
    private var synonymKeys: (SynonymGroups, [[[Set<String>]]])?
    func invalidate() { lock.withLock { vocabulary = nil; synonymKeys = nil } }

    func keys(for synonyms: SynonymGroups, load: () throws -> [[[Set<String>]]]) rethrows -> [[[Set<String>]]] {
        if let (g, k) = lock.withLock({ synonymKeys }), g == synonyms { return k }
        let k = try load()
        lock.withLock { synonymKeys = (synonyms, k) }
        return k
    }
    func vocab(load: () throws -> [(String, String, Int)]) rethrows -> [(word: [UInt8], text: String, display: String, freq: Int)] {
        if let v = lock.withLock({ vocabulary }) { return v }
        let loaded = try load().map { (word: Array($0.0.utf8), text: $0.0, display: $0.1, freq: $0.2) }
        lock.withLock { vocabulary = loaded }
        return loaded
    }
}

extension KioskStore {
    /// The index of the articles just written: each document under its article's position.
    static func writeIndex(_ index: SearchIndexData, positions: [String: Int], _ db: Database) throws {
        // Contentless tables are emptied with 'delete-all'; DELETE needs the text they do not keep.
        try db.execute(sql: """
            INSERT INTO kb_search (kb_search) VALUES ('delete-all'); INSERT INTO kb_search_head (kb_search_head) VALUES ('delete-all');
            DELETE FROM search_form; DELETE FROM search_vocab;
            """)
        let doc = try db.makeStatement(sql: "INSERT INTO kb_search (rowid, title, keywords, categories, body) VALUES (?, ?, ?, ?, ?)")
        let head = try db.makeStatement(sql: "INSERT INTO kb_search_head (rowid, title, keywords) VALUES (?, ?, ?)")
        for d in index.documents {
            guard let position = positions[d.id] else { continue } // an internal article: not stored, not indexed
            try doc.execute(arguments: [position, d.title, d.keywords, d.categories, d.body])
            try head.execute(arguments: [position, d.title, d.keywords])
        }
        let form = try db.makeStatement(sql: "INSERT OR IGNORE INTO search_form (form, lemma) VALUES (?, ?)")
        // Already in key order (SearchIndexData.forms): appended to the B-tree.
        try form.execute(textPairs: index.forms)
        let vocab = try db.makeStatement(sql: "INSERT OR REPLACE INTO search_vocab (word, display, freq) VALUES (?, ?, ?)")
        for (w, d, n) in index.vocabulary.sorted(by: { $0.0 < $1.0 }) { try vocab.execute(arguments: [w, d, n]) }
    }

    /// Weights of (id, title, keywords, categories, body) for bm25(): title and keywords first. The service
    /// index has these columns; the article index had them until v11.
    static let bm25Arguments = "bm25(0.0, 10.0, 6.0, 3.0, 1.0)"
    /// The article index's weights since v11, which dropped the id column: (title, keywords, categories, body).
    static let bm25ArticleArguments = "bm25(10.0, 6.0, 3.0, 1.0)"

    /// Searches the articles a resident may see on `day`. Never throws for what a resident types:
    /// any text is searched as plain words.
    public func search(_ text: String, on day: LocalDate, limit: Int = 20, partial: Bool = false,
                       synonyms: SynonymGroups = SynonymGroups()) throws -> SearchOutcome {
        let q = SearchQuery(text, partial: partial)
        // A single letter matches nearly everything and means nothing yet.
        guard !q.words.isEmpty, limit > 0, q.words.contains(where: { $0.count > 1 }) else {
            return SearchOutcome(query: text, hits: [], suggestion: nil, wasCut: q.wasCut, relaxed: false)
        }
        return try read { db in
            var groups: [Set<Alternative>] = []
            var fixes: [String: String] = [:]   // folded word typed → the word meant, as written
            for (i, w) in q.words.enumerated() {
                let isPartial = q.lastIsPartial && i == q.words.count - 1
                var word = w
                var lemmas = try Self.lemmas(db, word)
                let known = try !lemmas.isEmpty || synonyms.foldedWords.contains(word) || Self.inVocabulary(db, word, prefix: isPartial)
                if !known, let fix = try correction(db, word) {
                    word = fix.text
                    lemmas = try Self.lemmas(db, word)
                    fixes[w] = fix.display
                }
                // The index holds every word's base forms, so base forms alone find any form of it;
                // a word the dictionary does not know is looked up as written.
                var alts = Set((lemmas.isEmpty ? [word] : lemmas).map(Alternative.token))
                if isPartial, word == w, word.count >= 2 { alts.insert(.prefix(word)) }
                groups.append(alts)
            }
            let expanded = try expandSynonyms(db, q.words, groups, synonyms)
            // Tiers, best first: every word in the title, in title or keywords, anywhere. BM25 orders each
            // tier. On a small Knowledge Base common words get almost no IDF, and the tiers keep "dowód
            // osobisty" from ranking an article that only mentions it in passing. A tier that fills the page
            // spares the wider (slower) ones.
            var hits: [SearchHit] = []
            var seen = Set<String>()
            for (table, columns) in [("kb_search_head", "title"), ("kb_search_head", nil), ("kb_search", nil)] as [(String, String?)] {
                guard hits.count < limit else { break }
                for h in try Self.run(db, table: table, groups: expanded, columns: columns, all: true, day: day, limit: limit)
                where seen.insert(h.id).inserted {
                    hits.append(h)
                }
            }
            // Only when no article has every word: then those with most of them (BM25 favours more matches).
            var relaxed = false
            if hits.isEmpty, expanded.count > 1 {
                hits = try Self.run(db, table: "kb_search", groups: expanded, columns: nil, all: false, day: day, limit: limit)
                relaxed = !hits.isEmpty
            }
            // The suggestion is what was typed with only the unknown words replaced.
            let suggestion = fixes.isEmpty ? nil : TextFolding.words(String(text.prefix(SearchQuery.maxCharacters)))
                .map { fixes[TextFolding.fold($0)] ?? $0 }.joined(separator: " ")
            return SearchOutcome(query: text, hits: hits, suggestion: suggestion,
                                 wasCut: q.wasCut, relaxed: relaxed)
        }
    }

    /// One way a query word can be present in an article.
    enum Alternative: Hashable, Comparable {
        case token(String)
        case prefix(String)
        /// A synonym of several words: each present in one of its forms.
        case all([Set<String>])

        var fts: String {
            switch self {
            case let .token(t): return "\"\(t)\""
            case let .prefix(p): return "\"\(p)\"*"
            case let .all(parts):
                let each = parts.map { "(" + $0.sorted().map { "\"\($0)\"" }.joined(separator: " OR ") + ")" }
                return each.count == 1 ? each[0] : "(" + each.joined(separator: " AND ") + ")"
            }
        }

        static func < (a: Alternative, b: Alternative) -> Bool { a.fts < b.fts }
    }

    /// One FTS5 query ranked by BM25 (column weights in the table's rank), limited to `columns` if given.
    static func run(_ db: Database, table: String, groups: [Set<Alternative>], columns: String?, all: Bool, day: LocalDate,
                    limit: Int) throws -> [SearchHit] {
        let match = groups.map { alts in
            let or = "(" + alts.sorted().map(\.fts).joined(separator: " OR ") + ")"
            return columns.map { "{\($0)} : \(or)" } ?? or
        }.joined(separator: all ? " AND " : " OR ")
        // FTS5 sorts by its configured rank inside the virtual table; only the best rows are joined with
        // the articles. Articles outside their validity window are rare, so a margin almost always suffices.
        var window = limit * 3 + 10
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, a.title_pl, a.title_en, a.title_uk, a.summary_pl, a.summary_en, a.summary_uk,
                       a.valid_from, a.valid_to, -m.rank AS score
                FROM (SELECT rowid AS position, rank FROM \(table) WHERE \(table) MATCH :match ORDER BY rank LIMIT :window) m
                JOIN kb_article a ON a.position = m.position
                ORDER BY m.rank, a.position
                """, arguments: ["match": match, "window": window])
            let valid = rows.filter { r in Self.isVisible(validFrom: r["valid_from"], validTo: r["valid_to"], on: day) }
            if valid.count >= limit || rows.count < window {
                return valid.prefix(limit).map { r in
                    SearchHit(id: r["id"], title: Localized(pl: r["title_pl"], en: r["title_en"], uk: r["title_uk"]),
                              summary: Localized(pl: r["summary_pl"], en: r["summary_en"], uk: r["summary_uk"]), score: r["score"])
                }
            }
            window *= 4
        }
    }

    static func lemmas(_ db: Database, _ word: String, table: String = "search_form") throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT lemma FROM \(table) WHERE form = ?", arguments: [word]))
    }

    static func inVocabulary(_ db: Database, _ word: String, prefix: Bool) throws -> Bool {
        if prefix {
            // BINARY collation compares UTF-8 bytes: every word starting with `word` sorts below
            // `word` followed by the highest code point, so this range scan is an exact prefix test.
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_vocab WHERE word >= ? AND word < ?)",
                                     arguments: [word, word + "\u{10FFFF}"]) ?? false
        }
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_vocab WHERE word = ?)", arguments: [word]) ?? false
    }

    /// The closest indexed word by edit distance (with swaps), the more frequent on a tie.
    func correction(_ db: Database, _ word: String) throws -> (text: String, display: String)? {
        let limit = word.count >= 7 ? 2 : word.count >= 4 ? 1 : 0
        guard limit > 0 else { return nil }
        let vocab = try searchCache.vocab {
            try Row.fetchAll(db, sql: "SELECT word, display, freq FROM search_vocab").map { ($0["word"], $0["display"], $0["freq"]) }
        }
        let target = Array(word.utf8)
        var best: (d: Int, freq: Int, text: String, display: String)?
        for v in vocab where abs(v.word.count - target.count) <= limit {
            let d = editDistance(target, v.word, limit: limit)
            guard d <= limit else { continue }
            if let b = best, d > b.d || (d == b.d && v.freq <= b.freq) { continue }
            best = (d, v.freq, v.text, v.display)
        }
        return best.map { ($0.text, $0.display) }
    }

    /// Replaces runs of query words that match a synonym term with the whole group: each term an AND of
    /// its words' forms. "prawko" becomes ("prawko" OR ("prawo" AND "jazda")).
    func expandSynonyms(_ db: Database, _ words: [String], _ groups: [Set<Alternative>], _ synonyms: SynonymGroups) throws -> [Set<Alternative>] {
        guard !synonyms.groups.isEmpty else { return groups }
        let termKeys = try searchCache.keys(for: synonyms) {
            try synonyms.groups.map { group in try group.map { term in try term.map { try Self.lemmas(db, $0).union([$0]) } } }
        }
        var keys: [Set<String>] = []
        for w in words { keys.append(try Self.lemmas(db, w).union([w])) }
        var out: [Set<Alternative>] = []
        var i = 0
        while i < words.count {
            var matched: (length: Int, group: Int)?
            for (g, terms) in termKeys.enumerated() {
                for term in terms where term.count <= words.count - i && term.count > (matched?.length ?? 0) {
                    if term.enumerated().allSatisfy({ !keys[i + $0.offset].isDisjoint(with: $0.element) }) {
                        matched = (term.count, g)
                    }
                }
            }
            guard let m = matched else {
                out.append(groups[i])
                i += 1
                continue
            }
            var alts: Set<Alternative> = m.length == 1 ? groups[i] : []
            for term in termKeys[m.group] {
                if term.count == 1, let forms = term.first {
                    alts.formUnion(forms.map(Alternative.token))
                } else {
                    alts.insert(.all(term))
                }
            }
            out.append(alts)
            i += m.length
        }
        return out
    }
}
