// `kiosk services`: the report catalogue (Open311 services and their definitions) from the command line.
import ArgumentParser
import Foundation
import KioskCore
import KioskStore

struct ServicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Import and list the catalogue of problems residents can report.",
        subcommands: [Import.self, List.self])

    @ParentCommand var root: KioskCommand

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the service catalogue with a lckm-services/1 JSON file, in one transaction.",
            discussion: "Bad input is refused whole with the file, service code and field named; the catalogue already there stays.")

        @ParentCommand var parent: ServicesCommand

        @Argument(help: "The JSON file (format lckm-services/1, see README).")
        var file: String

        func run() throws {
            let catalog = try ServiceCatalogFile.read(path: file)
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            try importServiceCatalog(catalog, source: file, into: store, config: config)
            let questions = catalog.services.reduce(0) { $0 + $1.attributes.count }
            print("\(file): imported \(catalog.services.count) services in \(catalog.groups.count) topics for \(catalog.units.count) units, \(questions) questions")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the services residents can report, in the order the report screen shows them.")

        @ParentCommand var parent: ServicesCommand

        @Flag(help: "JSON output in Open311 GeoReport v2 shape: {\"services\": [{service_code, service_name, description, metadata, type, keywords, group, unit, dangerous, attributes: [{code, datatype, required, order, variable, description, values}]}]}, texts in Polish with \"translations\".")
        var json = false

        func run() throws {
            let config = try parent.root.loadConfig()
            let store = try KioskStore(path: parent.root.dbPath(config))
            try fillServicesIfNew(store, config: config)
            let catalog = try store.serviceCatalog()
            guard json else {
                for s in catalog.services {
                    let unit = catalog.unit(s.unit)?.name.pl ?? s.unit
                    print("\(s.code)\t\(s.name.pl)\t\(unit)\(s.dangerous ? "\tthreat question" : "")\t\(s.attributes.count) questions")
                }
                return
            }
            func texts(_ l: Localized) -> [String: String] {
                var d = ["pl": l.pl]
                if let en = l.en { d["en"] = en }
                if let uk = l.uk { d["uk"] = uk }
                return d
            }
            let services: [[String: Any]] = catalog.services.map { s in
                [
                    "service_code": s.code, "service_name": s.name.pl, "description": s.description.pl,
                    "metadata": s.hasQuestions, "type": "realtime", "keywords": s.keywords.joined(separator: ","),
                    "group": s.group, "unit": s.unit, "unit_name": catalog.unit(s.unit)?.name.pl ?? s.unit, "dangerous": s.dangerous,
                    "translations": ["service_name": texts(s.name), "description": texts(s.description)],
                    "attributes": s.attributes.map { a -> [String: Any] in
                        [
                            "code": a.code, "datatype": a.datatype.rawValue, "required": a.required, "order": a.order,
                            "variable": true, "description": a.description.pl, "translations": ["description": texts(a.description)],
                            "values": a.values.map { ["key": $0.key, "name": $0.name.pl] },
                        ]
                    },
                ]
            }
            let data = try JSONSerialization.data(withJSONObject: ["services": services], options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
