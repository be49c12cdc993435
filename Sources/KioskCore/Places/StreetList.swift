// The city's street list for "street and house number": reading the technician's file and autocomplete over it.
import Foundation

/// A street list that cannot be used: which file, which line if any, what is wrong and what to do.
public struct StreetListError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var problem: String

    public init(file: String, line: Int? = nil, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        line.map { "\(file): line \($0): \(problem)" } ?? "\(file): \(problem)"
    }
}

/// One street as a resident sees it ("al. Tadeusza Kościuszki") and as autocomplete matches it.
public struct Street: Sendable, Hashable {
    /// As written in the file, in NFC with whitespace collapsed: what the screen and the ticket show.
    public let name: String
    /// Folded words of the whole name ("al tadeusza kosciuszki"): what typed text is compared with.
    public let searchKey: String
    /// Line of the file it came from, for a technician looking for it.
    public let line: Int
    /// Folded type word ("ul", "al", "pl", "rondo"…) or nil when the name has none ("Stary Rynek").
    let type: String?
    /// Folded words after the type, titles included ("gen", "jozefa", "bema").
    let words: [String]
    /// Which of `words` is the main name a resident types first: the surname in "Tadeusza Kościuszki".
    let mainWord: Int
    /// Polish alphabetical order: the main name first, then the rest of the name.
    let sortKey: [UInt32]
}

public struct StreetList: Sendable, Equatable {
    public static let maxFileBytes = 2 << 20
    public static let maxNameLength = 120
    public static let maxStreets = 20_000

    public let file: String
    /// In file order.
    public let streets: [Street]
    private let byKey: [String: Int]
    /// Names without their type ("tadeusza kosciuszki"), kept only when one street has them.
    private let byBareKey: [String: Int]

    public static func read(path: String) throws -> StreetList {
        let text: String
        do {
            text = try TextLines.read(path: path, maxBytes: maxFileBytes)
        } catch let e as TextFileError {
            throw StreetListError(file: e.file, line: e.line, problem: e.problem + "; the street list must be a UTF-8 text file of at most \(maxFileBytes) bytes")
        }
        return try parse(text, file: path)
    }

    /// One street a line; `#` starts a comment line; blank lines are skipped. A byte-order mark and
    /// CRLF or CR line ends are accepted, because a technician may edit the file in Notepad.
    public static func parse(_ text: String, file: String) throws -> StreetList {
        if text.utf8.count > maxFileBytes {
            throw StreetListError(file: file, problem: "\(text.utf8.count) bytes, more than the limit of \(maxFileBytes); split the list or remove what the kiosk does not need")
        }
        var streets: [Street] = []
        var byKey: [String: Int] = [:]
        for (i, raw) in TextLines.lines(of: text).enumerated() {
            let lineNumber = i + 1
            func fail(_ problem: String) -> StreetListError { StreetListError(file: file, line: lineNumber, problem: problem) }
            if let bad = raw.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\t" }) {
                throw fail("a control character (U+\(String(bad.value, radix: 16, uppercase: true).leftPad(4))) in the line; retype the line or save the file again as plain UTF-8 text")
            }
            let name = collapseWhitespace(String(raw)).precomposedStringWithCanonicalMapping
            if name.isEmpty || name.hasPrefix("#") { continue }
            if name.count > maxNameLength {
                throw fail("\(name.count) characters, more than the limit of \(maxNameLength) for one street name; is this line several names run together?")
            }
            guard let street = makeStreet(name, line: lineNumber) else {
                throw fail("\"\(name)\" has no street name, only a type; write the name after it, e.g. \"ul. Piotrkowska\"")
            }
            if let earlier = byKey[street.searchKey] {
                throw fail("\"\(name)\" is already on line \(streets[earlier].line) (\"\(streets[earlier].name)\"); remove one of the two lines")
            }
            if streets.count == maxStreets {
                throw fail("more than \(maxStreets) streets; the kiosk list is for one city, remove what it does not need")
            }
            byKey[street.searchKey] = streets.count
            streets.append(street)
        }
        guard !streets.isEmpty else {
            throw StreetListError(file: file, problem: "no streets in the file; write one street a line, e.g. \"ul. Piotrkowska\" (lines starting with # are comments)")
        }
        var bare: [String: Int] = [:]
        var ambiguous: Set<String> = []
        for (i, s) in streets.enumerated() {
            let key = s.words.joined(separator: " ")
            if bare.updateValue(i, forKey: key) != nil { ambiguous.insert(key) }
        }
        for key in ambiguous { bare[key] = nil }
        return StreetList(file: file, streets: streets, byKey: byKey, byBareKey: bare)
    }

    /// Streets whose words start with what was typed, case and Polish letters ignored ("zlota" finds
    /// "ul. Złota"). Every typed word must start a different word of the name, in any order. A typed
    /// type word ("al", "ul.") may stand for the street's type ("al kosc" finds "al. Tadeusza
    /// Kościuszki"), but a type word alone lists nothing, so "ul." does not offer every street.
    /// Streets whose main name the typing starts come first, then the rest, each in Polish order.
    public func suggestions(for typed: String, limit: Int) -> [Street] {
        let query = TextFolding.foldedWords(typed)
        guard limit > 0, !query.isEmpty else { return [] }
        let onlyTypes = query.allSatisfy { Self.typeWords[$0] != nil }
        var hits: [(rank: Int, index: Int)] = []
        for (i, street) in streets.enumerated() {
            if let rank = Self.rank(street, query: query, typesCount: !onlyTypes) { hits.append((rank, i)) }
        }
        hits.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            let ka = streets[a.index].sortKey, kb = streets[b.index].sortKey
            if ka != kb { return ka.lexicographicallyPrecedes(kb) }
            return a.index < b.index
        }
        return hits.prefix(limit).map { streets[$0.index] }
    }

    /// The street typed text names exactly, with or without its type ("kościuszki" alone is not enough;
    /// "tadeusza kosciuszki" and "AL. TADEUSZA KOŚCIUSZKI" are), or nil when it is not on the list.
    public func exact(_ typed: String) -> Street? {
        let words = TextFolding.foldedWords(typed)
        guard !words.isEmpty else { return nil }
        let key = words.joined(separator: " ")
        if let i = byKey[key] { return streets[i] }
        if let i = byBareKey[key] { return streets[i] }
        if let canonical = Self.typeWords[words[0]], words.count > 1 {
            let normalised = ([canonical] + words.dropFirst()).joined(separator: " ")
            if let i = byKey[normalised] { return streets[i] }
        }
        return nil
    }

    // MARK: - Matching

    /// 0 when a typed word starts the main name, 1 when typed words start only other words, nil when
    /// some typed word starts no word at all.
    static func rank(_ street: Street, query: [String], typesCount: Bool) -> Int? {
        var used = [Bool](repeating: false, count: street.words.count)
        var typeUsed = false
        var bestRank: Int?
        // Each typed word takes a different word of the name; names have a handful of words, so trying
        // the assignments is cheap and finds "jana jan" where a greedy match would not.
        func assign(_ q: Int, mainHit: Bool) {
            if bestRank == 0 { return }
            if q == query.count {
                let r = mainHit ? 0 : 1
                bestRank = min(bestRank ?? r, r)
                return
            }
            let token = query[q]
            if typesCount, !typeUsed, let t = typeWords[token], t == street.type {
                typeUsed = true
                assign(q + 1, mainHit: mainHit)
                typeUsed = false
            }
            for (w, word) in street.words.enumerated() where !used[w] && word.hasPrefix(token) {
                used[w] = true
                assign(q + 1, mainHit: mainHit || w == street.mainWord)
                used[w] = false
            }
        }
        assign(0, mainHit: false)
        return bestRank
    }

    /// Folded type words and the type they stand for.
    static let typeWords: [String: String] = [
        "ul": "ul", "ulica": "ul", "al": "al", "aleja": "al", "aleje": "al", "pl": "pl", "plac": "pl",
        "rondo": "rondo", "skwer": "skwer", "os": "os", "osiedle": "os", "bulwar": "bulwar", "pasaz": "pasaz",
    ]

    static func makeStreet(_ name: String, line: Int) -> Street? {
        var tokens = name.split(separator: " ").map(String.init)
        var type: String?
        if let first = tokens.first, let folded = TextFolding.foldedWords(first).first,
           TextFolding.foldedWords(first).count == 1, let t = typeWords[folded] {
            type = t
            tokens.removeFirst()
        }
        var words: [String] = []
        var mainWord = -1
        var mainToken = ""
        var pastNamePart = false
        for token in tokens {
            let folded = TextFolding.foldedWords(token)
            if token == "im." { pastNamePart = true }
            if !pastNamePart && isNameWord(token) && !folded.isEmpty {
                mainWord = words.count + folded.count - 1
                mainToken = token
            }
            words.append(contentsOf: folded)
        }
        guard !words.isEmpty else { return nil }
        if mainWord < 0 { mainWord = words.count - 1; mainToken = tokens.last ?? "" }
        let rest = tokens.joined(separator: " ")
        let sortKey = polishSortKey(mainToken) + [0] + polishSortKey(rest)
        let searchKey = ((type.map { [$0] } ?? []) + words).joined(separator: " ")
        return Street(name: name, searchKey: searchKey, line: line, type: type, words: words, mainWord: mainWord, sortKey: sortKey)
    }

    /// Whether a word of the name can be its main name: not a title ("gen.", "ks."), not a number or
    /// a Roman numeral ("1905", "II").
    static func isNameWord(_ token: String) -> Bool {
        if token.hasSuffix(".") { return false }
        guard token.contains(where: \.isLetter) else { return false }
        if token.allSatisfy({ "IVXLCDM".contains($0) }) { return false }
        return true
    }

    static func collapseWhitespace(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    // MARK: - Polish order

    /// Primary weights of the Polish alphabet: ą after a, ł after l, ó after o, ż after ź after z.
    /// Letters outside it (a French é, a German ü) sort as their base letter; digits before letters.
    static let polishAlphabet: [Character: UInt32] = {
        let letters = Array("aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż")
        var table: [Character: UInt32] = [:]
        for (i, c) in letters.enumerated() { table[c] = UInt32(1_000 + i * 2) }
        return table
    }()

    static func polishSortKey(_ s: String) -> [UInt32] {
        var key: [UInt32] = []
        for ch in s.lowercased() {
            if let w = polishAlphabet[ch] {
                key.append(w)
            } else if ch.isNumber, let d = ch.wholeNumberValue {
                key.append(100 + UInt32(d))
            } else if ch.isLetter {
                let base = TextFolding.fold(String(ch))
                // Right after the base letter, so "é" stays beside "e" without passing "ę".
                key.append((base.first.flatMap { polishAlphabet[$0] } ?? 5_000) + 1)
            } else if ch == " " {
                key.append(1)
            }
            // Punctuation ("gen.", "Śmigłego-Rydza") does not change the order.
        }
        return key
    }
}

private extension String {
    func leftPad(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
