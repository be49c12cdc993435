// `kiosk kb`: the Knowledge Base from the command line.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore
import KioskUI

struct KB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Import and list the Knowledge Base.",
        subcommands: [Import.self, List.self, Search.self])

    @ParentCommand var root: KioskCommand

    /// Opens the store without filling it from the demo (import replaces it anyway).
    func openStore(fill: Bool) throws -> (KioskStore, KioskConfig) {
        let config = try root.loadConfig()
        let store = try KioskStore(path: root.dbPath(config))
        if fill { try fillIfEmpty(store, config: config) }
        return (store, config)
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the Knowledge Base with a lckm-kb/1 JSON file, in one transaction.",
            discussion: "Bad input is refused with the file, article id and field named; the data already there stays. A file with no public article is refused unless --allow-empty is given.")

        @ParentCommand var kb: KB

        @Argument(help: "The JSON file (format lckm-kb/1, see README).")
        var file: String

        @Flag(help: "Accept a file with no public article, leaving residents an empty kiosk on purpose.")
        var allowEmpty = false

        func run() throws {
            let parsed = try KnowledgeBaseFile.read(path: file)
            let (store, config) = try kb.openStore(fill: false)
            let summary = try importKnowledgeBase(parsed, source: file, into: store, config: config, allowEmpty: allowEmpty)
            print("\(file): imported \(summary.articles) public articles in \(summary.categories) categories; \(summary.skippedInternal) internal articles are not stored on a public kiosk")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the articles a resident can see today (public and inside their validity window).")

        @ParentCommand var kb: KB

        @Flag(help: "JSON output: {\"articles\": [{id, title, titleEn, titleUk, url, categories, validFrom, validTo}]}.")
        var json = false

        @Option(name: .customLong("on"), help: "Judge validity on this day (YYYY-MM-DD) instead of today in Łódź.")
        var day: String?

        func validate() throws { _ = try validDay(day) }

        func run() throws {
            let (store, _) = try kb.openStore(fill: true)
            let today = try validDay(day)
            let articles = try store.publicArticles(on: today)
            if json {
                let rows: [[String: Any]] = articles.map { a in
                    var row: [String: Any] = [
                        "id": a.id, "title": a.title.pl, "categories": a.categories,
                        "validFrom": a.validFrom.description, "validTo": a.validTo?.description ?? NSNull(),
                    ]
                    if let en = a.title.en { row["titleEn"] = en }
                    if let uk = a.title.uk { row["titleUk"] = uk }
                    if let url = a.url { row["url"] = url }
                    return row
                }
                try printJSON(["date": today.description, "articles": rows])
            } else {
                for a in articles { print("\(a.id)\t\(a.title.pl)") }
                print("\(articles.count) articles shown to residents on \(today)")
            }
        }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the articles a resident can see today, ranked as on the search screen.",
            discussion: "Any text is searched as plain words; over-long queries are cut (and say so).")

        @ParentCommand var kb: KB

        @Argument(help: "What a resident would type, e.g. \"zlobek\" or \"prawko\".")
        var query: String

        @Flag(help: "JSON output: {\"query\", \"results\": [{id, title, score}], \"suggestion\", \"cut\", \"relaxed\"}.")
        var json = false

        @Option(help: "At most this many results (1–100).")
        var limit = 10

        @Option(name: .customLong("on"), help: "Judge validity on this day (YYYY-MM-DD) instead of today in Łódź.")
        var day: String?

        func validate() throws {
            guard (1...100).contains(limit) else { throw ValidationError("--limit must be from 1 to 100") }
            _ = try validDay(day)
        }

        func run() throws {
            let (store, config) = try kb.openStore(fill: true)
            let outcome = try store.search(query, on: try validDay(day), limit: limit,
                                           synonyms: try loadSynonyms(config))
            if json {
                let rows: [[String: Any]] = outcome.hits.map {
                    ["id": $0.id, "title": $0.title.pl, "score": ($0.score * 1000).rounded() / 1000]
                }
                let object: [String: Any] = ["query": query, "results": rows, "suggestion": outcome.suggestion ?? NSNull(),
                                             "cut": outcome.wasCut, "relaxed": outcome.relaxed]
                try printJSON(object)
            } else {
                if outcome.wasCut { print("(the query was cut to \(SearchQuery.maxCharacters) characters)") }
                if let s = outcome.suggestion { print("Czy chodziło Ci o: \(s)?") }
                for h in outcome.hits { print(String(format: "%8.3f  ", h.score) + "\(h.id)\t\(h.title.pl)") }
                if outcome.hits.isEmpty { print("nothing found; call \(CityFacts.lodz.helpline.replacingOccurrences(of: "\u{00A0}", with: " "))") }
            }
        }
    }
}

/// The day validity is judged on: `--on` when given (what residents will see then), else today in Łódź.
func validDay(_ text: String?) throws -> LocalDate {
    guard let text else { return WarsawTime.localDate(at: Date()) }
    guard let d = LocalDate(iso: text) else { throw ValidationError("--on \(text): expected a date YYYY-MM-DD, e.g. 2027-01-01") }
    return d
}

/// Stable, readable JSON for scripts: sorted keys, slashes left alone.
func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    print(String(decoding: data, as: UTF8.self))
}
