// Search over the public Knowledge Base: FTS5 with BM25, base forms, synonyms, typo suggestions.
// The same code serves the search screen and `kiosk kb search`.
import Foundation
import GRDB
import KioskCore

/// Vocabulary kept in memory after the first typo, dropped when the Knowledge Base changes.
final class SearchCache: @unchecked Sendable {
    private let lock = NSLock()
    private var vocabulary: [(word: [UInt8], text: String, display: String, freq: Int)]?
    func invalidate() { lock.withLock { vocabulary = nil } }
    func vocab(load: () throws -> [(String, String, Int)]) rethrows -> [(word: [UInt8], text: String, display: String, freq: Int)] {
        if let v = lock.withLock({ vocabulary }) { return v }
        let loaded = try load().map { (word: Array($0.0.utf8), text: $0.0, display: $0.1, freq: $0.2) }
        lock.withLock { vocabulary = loaded }
        return loaded
    }
}

extension KioskStore {
    static func writeIndex(_ index: SearchIndexData, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM kb_search; DELETE FROM search_form; DELETE FROM search_vocab;")
        let doc = try db.makeStatement(sql: "INSERT INTO kb_search (article_id, title, keywords, categories, body) VALUES (?, ?, ?, ?, ?)")
        for d in index.documents { try doc.execute(arguments: [d.id, d.title, d.keywords, d.categories, d.body]) }
        let form = try db.makeStatement(sql: "INSERT OR IGNORE INTO search_form (form, lemma) VALUES (?, ?)")
        for (f, l) in index.forms { try form.execute(arguments: [f, l]) }
        let vocab = try db.makeStatement(sql: "INSERT OR REPLACE INTO search_vocab (word, display, freq) VALUES (?, ?, ?)")
        for (w, d, n) in index.vocabulary { try vocab.execute(arguments: [w, d, n]) }
    }

    /// Weights of (article_id, title, keywords, categories, body) for bm25(): title and keywords first.
    static let bm25 = "bm25(kb_search, 0.0, 10.0, 6.0, 3.0, 1.0)"

    /// Searches the articles a resident may see on `day`. Never throws for what a resident types:
    /// any text is searched as plain words.
    public func search(_ text: String, on day: LocalDate, limit: Int = 20, partial: Bool = false,
                       synonyms: SynonymGroups = SynonymGroups()) throws -> SearchOutcome {
        let q = SearchQuery(text, partial: partial)
        guard !q.words.isEmpty, limit > 0 else {
            return SearchOutcome(query: text, hits: [], suggestion: nil, wasCut: q.wasCut, relaxed: false)
        }
        return try read { db in
            var groups: [[String]] = []        // per query word: alternatives already quoted for FTS5
            var corrected: [String] = []
            var suggestionNeeded = false
            for (i, w) in q.words.enumerated() {
                let isPartial = q.lastIsPartial && i == q.words.count - 1
                var word = w
                var lemmas = try Self.lemmas(db, word)
                let known = try !lemmas.isEmpty || Self.inVocabulary(db, word, prefix: isPartial)
                if !known, let fix = try correction(db, word) {
                    word = fix.text
                    lemmas = try Self.lemmas(db, word)
                    corrected.append(fix.display)
                    suggestionNeeded = true
                } else {
                    corrected.append(try Self.display(db, w) ?? w)
                }
                var alts = Set([word]).union(lemmas).map { "\"\($0)\"" }
                if isPartial, word == w, word.count >= 2 { alts.append("\"\(word)\"*") }
                groups.append(alts.sorted())
            }
            let expanded = try expandSynonyms(db, q.words, groups, synonyms)
            // Tiers, best first: every word in the title, in title or keywords, anywhere; then any word.
            // BM25 orders each tier. On a small Knowledge Base common words get almost no IDF, and the
            // tiers keep "dowód osobisty" from ranking an article that only mentions it in passing.
            func match(_ columns: String?, _ joiner: String) -> String {
                expanded.map { alts in
                    let or = "(" + alts.joined(separator: " OR ") + ")"
                    return columns.map { "{\($0)} : \(or)" } ?? or
                }.joined(separator: joiner)
            }
            var hits: [SearchHit] = []
            var seen = Set<String>()
            for (columns, joiner) in [("title", " AND "), ("title keywords", " AND "), (nil, " AND ")] as [(String?, String)] {
                guard hits.count < limit else { break }
                for h in try Self.run(db, match: match(columns, joiner), day: day, limit: limit) where seen.insert(h.id).inserted {
                    hits.append(h)
                }
            }
            var relaxed = false
            if hits.count < limit, expanded.count > 1 {
                let more = try Self.run(db, match: match(nil, " OR "), day: day, limit: limit).filter { !seen.contains($0.id) }
                relaxed = hits.isEmpty && !more.isEmpty
                hits += more.prefix(limit - hits.count)
            }
            hits = Array(hits.prefix(limit))
            return SearchOutcome(query: text, hits: hits,
                                 suggestion: suggestionNeeded ? corrected.joined(separator: " ") : nil,
                                 wasCut: q.wasCut, relaxed: relaxed)
        }
    }

    static func run(_ db: Database, match: String, day: LocalDate, limit: Int) throws -> [SearchHit] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.id, a.title_pl, a.title_en, a.summary_pl, a.summary_en, -\(bm25) AS score
            FROM kb_search JOIN kb_article a ON a.id = kb_search.article_id
            WHERE kb_search MATCH :match AND \(validOn)
            ORDER BY score DESC, a.position LIMIT :limit
            """, arguments: ["match": match, "day": day.description, "limit": limit])
        return rows.map { r in
            SearchHit(id: r["id"], title: Localized(pl: r["title_pl"], en: r["title_en"]),
                      summary: Localized(pl: r["summary_pl"], en: r["summary_en"]), score: r["score"])
        }
    }

    static func lemmas(_ db: Database, _ word: String) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT lemma FROM search_form WHERE form = ?", arguments: [word]))
    }

    static func inVocabulary(_ db: Database, _ word: String, prefix: Bool) throws -> Bool {
        if prefix {
            // Words are ASCII after folding, so a range scan is an exact prefix test.
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_vocab WHERE word >= ? AND word < ?)",
                                     arguments: [word, word + "\u{7F}"]) ?? false
        }
        return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM search_vocab WHERE word = ?)", arguments: [word]) ?? false
    }

    static func display(_ db: Database, _ word: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT display FROM search_vocab WHERE word = ?", arguments: [word])
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
    func expandSynonyms(_ db: Database, _ words: [String], _ groups: [[String]], _ synonyms: SynonymGroups) throws -> [[String]] {
        guard !synonyms.groups.isEmpty else { return groups }
        var keys: [Set<String>] = []
        for w in words { keys.append(try Self.lemmas(db, w).union([w])) }
        var out: [[String]] = []
        var i = 0
        while i < words.count {
            var matched: (length: Int, group: [[String]])?
            for group in synonyms.groups {
                for term in group where term.count <= words.count - i && term.count > (matched?.length ?? 0) {
                    var ok = true
                    for (k, tw) in term.enumerated() where keys[i + k].isDisjoint(with: try Self.lemmas(db, tw).union([tw])) {
                        ok = false
                        break
                    }
                    if ok { matched = (term.count, group) }
                }
            }
            if let m = matched {
                var alts = Set(groups[i..<(i + m.length)].count == 1 ? groups[i] : [])
                for term in m.group {
                    let parts = try term.map { tw in
                        "(" + (try Self.lemmas(db, tw).union([tw])).sorted().map { "\"\($0)\"" }.joined(separator: " OR ") + ")"
                    }
                    alts.insert(parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " AND ") + ")")
                }
                out.append(alts.sorted())
                i += m.length
            } else {
                out.append(groups[i])
                i += 1
            }
        }
        return out
    }
}
