// The technician's synonym list (kiosk-config/synonyms.txt): groups of words residents and the city
// use for the same thing ("śmieci, odpady", "prawko, prawo jazdy").
import Foundation

public struct SynonymGroups: Sendable, Equatable {
    /// Each group is a list of terms; a term is one or more folded words.
    public let groups: [[[String]]]
    /// The list's words as written, with Polish letters: their forms go into the index vocabulary.
    public let wordsWithLetters: Set<String>
    /// Every folded word of every term: words a resident may type that no article needs to contain.
    /// Kept, not computed, because every search word is checked against it.
    public let foldedWords: Set<String>

    public init(groups: [[[String]]] = [], wordsWithLetters: Set<String> = []) {
        self.groups = groups
        self.wordsWithLetters = wordsWithLetters
        foldedWords = Set(groups.flatMap { $0.flatMap { $0 } })
    }

    public static let maxGroups = 5_000
    public static let maxTermsPerGroup = 30

    /// One group a line (LF, CRLF or CR), terms separated by commas; `#` starts a comment.
    /// Errors name the file and line.
    public static func parse(_ text: String, file: String) throws -> SynonymGroups {
        var groups: [[[String]]] = []
        var written = Set<String>()
        for (i, raw) in TextLines.lines(of: text).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            func fail(_ p: String) -> KnowledgeBaseError { KnowledgeBaseError(file: file, field: "line \(i + 1)", problem: p) }
            guard line.count <= 1000 else { throw fail("longer than 1000 characters") }
            // Function words go from terms as they go from queries, so "opłata za śmieci" matches what is searched.
            let terms = line.split(separator: ",").map { part -> [String] in
                let words = TextFolding.foldedWords(String(part))
                let content = words.filter { !SearchQuery.stopWords.contains($0) }
                return content.isEmpty ? words : content
            }
            guard terms.count >= 2, terms.allSatisfy({ !$0.isEmpty && $0.count <= 5 }) else {
                throw fail("expected two or more comma-separated terms of one to five words, e.g. \"śmieci, odpady\"")
            }
            guard terms.count <= maxTermsPerGroup else { throw fail("more than \(maxTermsPerGroup) terms") }
            groups.append(terms)
            written.formUnion(TextFolding.words(line))
            guard groups.count <= maxGroups else { throw fail("more than \(maxGroups) groups") }
        }
        return SynonymGroups(groups: groups, wordsWithLetters: written)
    }

    public static let maxFileBytes = 4 << 20

    public static func read(path: String) throws -> SynonymGroups {
        try parse(TextLines.read(path: path, maxBytes: maxFileBytes), file: path)
    }
}
