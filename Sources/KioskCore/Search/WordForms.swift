// Base forms and forms of words for the search index: from the hunspell dictionary, or from a table of what the
// dictionary answered for one Knowledge Base's words. A central server that builds the table once per import can
// send it with its snapshot, and a kiosk then builds its index without loading (and searching) a dictionary:
// a quarter of a full sync's CPU for 10,000 articles.
import Foundation

public protocol WordForms: Sendable {
    /// Dictionary stems of a word as written; empty when the word is unknown.
    func lemmas(of word: String) -> Set<String>
    /// Every form of a stem, the stem included.
    func forms(of lemma: String) -> Set<String>
}

extension AffixDictionary: WordForms {}

/// The dictionary's answers for the words of one Knowledge Base (`lckm-lexicon/1`). A word or stem the table
/// does not hold is asked of `fallback` (a kiosk's own synonyms may name words no article has).
public struct LexiconTable: WordForms {
    public static let format = "lckm-lexicon/1"
    public static let maxBytes = 32 << 20
    public static let maxEntries = 1_000_000
    public static let maxWordBytes = 100
    public static let maxLemmasPerWord = 32
    public static let maxFormsPerLemma = 5_000

    /// Word as written → its stems (empty: asked, and the dictionary does not know it).
    public var lemmas: [String: Set<String>]
    /// Stem → its forms, folded.
    public var forms: [String: Set<String>]
    public var fallback: (@Sendable () -> (any WordForms)?)?

    public init(lemmas: [String: Set<String>] = [:], forms: [String: Set<String>] = [:],
                fallback: (@Sendable () -> (any WordForms)?)? = nil) {
        self.lemmas = lemmas; self.forms = forms; self.fallback = fallback
    }

    public func lemmas(of word: String) -> Set<String> {
        if let l = lemmas[word] { return l }
        return fallback?()?.lemmas(of: word) ?? []
    }

    public func forms(of lemma: String) -> Set<String> {
        if let f = forms[lemma] { return f }
        return fallback?()?.forms(of: lemma) ?? [lemma]
    }

    /// Both tables' answers; where both know a word, their stems are joined (a word of the Knowledge Base that
    /// is also in the catalogue has the same answer in both, from the same dictionary).
    public mutating func merge(_ other: LexiconTable) {
        lemmas.merge(other.lemmas) { $0.union($1) }
        forms.merge(other.forms) { $0.union($1) }
    }

    /// JSON with sorted keys and lists: the same table is the same bytes (a snapshot's signature is stable).
    public func encoded() throws -> Data {
        let object: [String: Any] = [
            "format": Self.format,
            "lemmas": lemmas.mapValues { $0.sorted() },
            "forms": forms.mapValues { $0.sorted() },
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Reads a table sent by a server. Everything is bounded; a problem names the key, and the caller builds
    /// from its own dictionary instead (nothing is lost but time).
    public static func parse(_ data: Data, source: String) throws(Problem) -> LexiconTable {
        func bad(_ what: String) -> Problem { Problem(description: "\(source): lexicon: \(what); the kiosk uses its own dictionary") }
        guard data.count <= maxBytes else { throw bad("larger than \(maxBytes) bytes") }
        guard let top = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { throw bad("not a JSON object") }
        guard top["format"] as? String == format else { throw bad("format is not \"\(format)\"") }
        func table(_ key: String, limit: Int) throws(Problem) -> [String: Set<String>] {
            guard let raw = top[key] as? [String: Any] else { throw bad("\"\(key)\" must be an object of word lists") }
            guard raw.count <= maxEntries else { throw bad("\"\(key)\" has more than \(maxEntries) entries") }
            var out: [String: Set<String>] = [:]
            out.reserveCapacity(raw.count)
            for (word, value) in raw {
                let shown = String(word.prefix(40))
                guard !word.isEmpty, word.utf8.count <= maxWordBytes else { throw bad("\(key): \"\(shown)\": a word of 1 to \(maxWordBytes) bytes expected") }
                guard let list = value as? [String] else { throw bad("\(key)[\"\(shown)\"] must be a list of words") }
                guard list.count <= limit else { throw bad("\(key)[\"\(shown)\"] has more than \(limit) words") }
                for w in list where w.isEmpty || w.utf8.count > maxWordBytes {
                    throw bad("\(key)[\"\(shown)\"]: \"\(w.prefix(40))\" is not a word of 1 to \(maxWordBytes) bytes")
                }
                out[word] = Set(list)
            }
            return out
        }
        return LexiconTable(lemmas: try table("lemmas", limit: maxLemmasPerWord), forms: try table("forms", limit: maxFormsPerLemma))
    }
}
