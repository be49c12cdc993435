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
        subcommands: [Import.self, List.self])

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
            discussion: "Bad input is refused with the file, article id and field named; the data already there stays.")

        @ParentCommand var kb: KB

        @Argument(help: "The JSON file (format lckm-kb/1, see README).")
        var file: String

        func run() throws {
            let parsed = try KnowledgeBaseFile.read(path: file)
            let (store, _) = try kb.openStore(fill: false)
            let summary = try store.importKnowledgeBase(parsed, source: file)
            print("\(file): imported \(summary.articles) public articles in \(summary.categories) categories; \(summary.skippedInternal) internal articles are not stored on a public kiosk")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the articles a resident can see today (public and inside their validity window).")

        @ParentCommand var kb: KB

        @Flag(help: "JSON output: {\"articles\": [{id, title, titleEn, categories, validFrom, validTo}]}.")
        var json = false

        func run() throws {
            let (store, _) = try kb.openStore(fill: true)
            let today = WarsawTime.localDate(at: Date())
            let articles = try store.publicArticles(on: today)
            if json {
                let rows: [[String: Any]] = articles.map { a in
                    var row: [String: Any] = [
                        "id": a.id, "title": a.title.pl, "categories": a.categories,
                        "validFrom": a.validFrom.description, "validTo": a.validTo?.description ?? NSNull(),
                    ]
                    if let en = a.title.en { row["titleEn"] = en }
                    return row
                }
                let data = try JSONSerialization.data(withJSONObject: ["date": today.description, "articles": rows],
                                                      options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                for a in articles { print("\(a.id)\t\(a.title.pl)") }
                print("\(articles.count) articles shown to residents on \(today)")
            }
        }
    }
}
