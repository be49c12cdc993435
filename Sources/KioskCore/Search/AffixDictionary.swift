// Polish word forms from a hunspell dictionary (Debian's hunspell-pl), read by our own small affix
// engine: stems of a word ("psa" → "pies", "żłobka" → "żłobek") and every form of a stem.
// libhunspell stems but cannot list a stem's forms, which is what lets a kiosk match "psa" typed
// without the dictionary in memory: forms are expanded at import and kept in SQLite.
import Foundation

public struct DictionaryError: Error, CustomStringConvertible {
    public var description: String
}

public final class AffixDictionary: @unchecked Sendable {
    struct Rule {
        let flag: Character
        let strip: String
        let add: String
        let condition: [CharClass]
    }

    enum CharClass {
        case any
        case set(Set<Character>, negated: Bool)
        func matches(_ c: Character) -> Bool {
            switch self {
            case .any: return true
            case let .set(s, neg): return s.contains(c) != neg
            }
        }
    }

    private var rulesByFlag: [Character: [Rule]] = [:]
    /// Rules of a flag whose condition ends in one known letter, by that letter; the rest under nil.
    private var rulesByFlagAndLast: [Character: [Character?: [Rule]]] = [:]
    private var rulesByAdd: [String: [Rule]] = [:]
    /// The same rules by what they add, then by what they strip: every rule of a group makes the same candidate
    /// stem, so a word's candidates are built and looked up once per group rather than once per rule (Polish has
    /// thousands of rules, hundreds of them adding the same ending).
    private var groupsByAdd: [String: [(strip: [Character], rules: [Rule])]] = [:]
    private var maxAdd = 0
    /// Lowercased stem → the flags of its entries; homonyms' flag sets are joined with "|".
    private var stems: [String: String] = [:]

    public var stemCount: Int { stems.count }

    /// Reads `base.aff` and `base.dic`, e.g. `/usr/share/hunspell/pl_PL`.
    public init(base: String) throws {
        let aff = try Self.readLatin(base + ".aff")
        let dic = try Self.readLatin(base + ".dic")
        parseAffixes(aff)
        parseStems(dic)
        for (add, rules) in rulesByAdd {
            var byStrip: [String: [Rule]] = [:]
            var order: [String] = []
            for r in rules {
                if byStrip[r.strip] == nil { order.append(r.strip) }
                byStrip[r.strip, default: []].append(r)
            }
            groupsByAdd[add] = order.map { (strip: Array($0), rules: byStrip[$0] ?? []) }
        }
        guard !stems.isEmpty, !rulesByFlag.isEmpty else {
            throw DictionaryError(description: "\(base).aff/.dic: no stems or no suffix rules found; is this a hunspell dictionary?")
        }
    }

    static func readLatin(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DictionaryError(description: "\(path): cannot read the dictionary; install hunspell-pl (apt-get install hunspell-pl)")
        }
        // hunspell-pl declares SET ISO8859-2; fall back to UTF-8 for dictionaries that say so.
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        if head.contains("SET UTF-8") { return String(decoding: data, as: UTF8.self) }
        guard let s = String(data: data, encoding: .isoLatin2) else {
            throw DictionaryError(description: "\(path): not readable as ISO-8859-2")
        }
        return s
    }

    private func parseAffixes(_ text: String) {
        for line in text.split(separator: "\n") {
            let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // "SFX F c gła lec": kind, flag, strip, add, condition. Header lines have 4 fields (Y/N, count).
            guard f.count >= 5, f[0] == "SFX", let flag = f[1].first else { continue }
            let strip = f[2] == "0" ? "" : String(f[2]).lowercased()
            var add = f[3] == "0" ? "" : String(f[3])
            if let slash = add.firstIndex(of: "/") { add = String(add[..<slash]) } // continuation classes unused
            let rule = Rule(flag: flag, strip: strip, add: add.lowercased(), condition: Self.parseCondition(String(f[4]).lowercased()))
            rulesByFlag[flag, default: []].append(rule)
            var last: Character?
            if case let .set(set, negated: false)? = rule.condition.last, set.count == 1 { last = set.first }
            rulesByFlagAndLast[flag, default: [:]][last, default: []].append(rule)
            rulesByAdd[rule.add, default: []].append(rule)
            maxAdd = max(maxAdd, rule.add.count)
        }
    }

    static func parseCondition(_ s: String) -> [CharClass] {
        if s == "." { return [] }
        var out: [CharClass] = []
        var chars = Array(s)[...]
        while let c = chars.popFirst() {
            if c == "[" {
                var negated = false
                if chars.first == "^" { negated = true; chars.removeFirst() }
                var set = Set<Character>()
                while let d = chars.popFirst(), d != "]" { set.insert(d) }
                out.append(.set(set, negated: negated))
            } else if c == "." {
                out.append(.any)
            } else {
                out.append(.set([c], negated: false))
            }
        }
        return out
    }

    private func parseStems(_ text: String) {
        stems.reserveCapacity(320_000)
        var first = true
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            if first { first = false; if line.allSatisfy({ $0 >= 48 && $0 <= 57 }) { continue } } // the count line
            let entry = line.split(separator: UInt8(ascii: "\t"), maxSplits: 1).first ?? line
            let slash = entry.firstIndex(of: UInt8(ascii: "/"))
            let stemBytes = entry[entry.startIndex..<(slash ?? entry.endIndex)]
            guard !stemBytes.isEmpty else { continue }
            var stem = String(decoding: stemBytes, as: UTF8.self)
            // Most entries are lowercase; only names and acronyms start with a capital, so the first
            // letter decides (checking every letter doubled the load time).
            if let lead = stem.unicodeScalars.first, lead.properties.isUppercase { stem = stem.lowercased() }
            let flags = slash.map { String(decoding: entry[entry.index(after: $0)...], as: UTF8.self) } ?? ""
            if let old = stems[stem] {
                stems[stem] = old + "|" + flags
            } else {
                stems[stem] = flags
            }
        }
    }

    static func matches(_ condition: [CharClass], _ word: [Character]) -> Bool {
        guard condition.count <= word.count else { return false }
        let tail = word.suffix(condition.count)
        return zip(condition, tail).allSatisfy { $0.matches($1) }
    }

    /// Dictionary stems of a lowercased word with its Polish letters; empty when the word is unknown.
    public func lemmas(of word: String) -> Set<String> {
        var out = Set<String>()
        if stems[word] != nil { out.insert(word) }
        let chars = Array(word)
        var candidate: [Character] = []
        candidate.reserveCapacity(chars.count + 8)
        for k in 0...min(maxAdd, chars.count) {
            guard let groups = groupsByAdd[String(chars[(chars.count - k)...])] else { continue }
            let base = chars[..<(chars.count - k)]
            for g in groups {
                candidate.removeAll(keepingCapacity: true)
                candidate.append(contentsOf: base)
                candidate.append(contentsOf: g.strip)
                guard !candidate.isEmpty else { continue }
                let stem = String(candidate)
                guard let flags = stems[stem], !out.contains(stem) else { continue }
                if g.rules.contains(where: { flags.contains($0.flag) && Self.matches($0.condition, candidate) }) { out.insert(stem) }
            }
        }
        return out
    }

    /// Every suffixed form of a stem, the stem included.
    public func forms(of stem: String) -> Set<String> {
        var out: Set<String> = [stem]
        guard let flags = stems[stem] else { return out }
        let chars = Array(stem)
        guard let lastChar = chars.last else { return out }
        var seen = Set<Character>()
        for flag in flags where flag != "|" && seen.insert(flag).inserted {
            guard let buckets = rulesByFlagAndLast[flag] else { continue }
            for bucket in [buckets[lastChar], buckets[nil]] {
                for r in bucket ?? [] where r.strip.count <= chars.count && Self.matches(r.condition, chars) {
                    let keep = chars.count - r.strip.count
                    guard chars[keep...].elementsEqual(r.strip) else { continue }
                    var form = String(chars[..<keep])
                    form += r.add
                    out.insert(form)
                }
            }
        }
        return out
    }
}
