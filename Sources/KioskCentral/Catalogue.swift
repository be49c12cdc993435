// The catalogue and Knowledge Base on the server: imports with the kiosk's own parsers (same formats, same
// messages), the demo fill of a new database, and the catalogue as Open311 services and definitions.
import Foundation
import KioskCore
import KioskProtocol

public enum CentralImport {
    /// Imports a `lckm-services/1` file: refused whole on any error, exactly as the kiosk refuses it.
    @discardableResult
    public static func services(_ data: Data, file: String, into store: any CentralStore, now: Date = Date()) throws -> FeedChange {
        _ = try ServiceCatalogFile.parse(data, file: file)
        // Stored re-serialised with sorted keys, so a file saved again with other spacing is no change.
        let object = try JSONSerialization.jsonObject(with: data)
        let canonical = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return try store.importServices(document: canonical, now: now)
    }

    /// Imports a `lckm-kb/1` file. Internal articles and the consultant field never reach the feed, so they are
    /// not stored here at all.
    @discardableResult
    public static func knowledgeBase(_ data: Data, file: String, into store: any CentralStore, allowEmpty: Bool = false,
                                     now: Date = Date()) throws -> FeedChange {
        let kb = try KnowledgeBaseFile.parse(data, file: file)
        if !allowEmpty { try kb.requirePublicArticles(file: file) }
        let internalIDs = Set(kb.articles.filter(\.isInternal).map(\.id))
        guard let top = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let rawCategories = top["categories"], let rawArticles = top["articles"] as? [[String: Any]] else {
            throw KnowledgeBaseError(file: file, problem: "the top level must be an object with \"format\", \"categories\" and \"articles\"")
        }
        let opts: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        var articles: [(id: String, json: Data)] = []
        for raw in rawArticles {
            guard let id = raw["id"] as? String, !internalIDs.contains(id) else { continue }
            var object = raw
            object.removeValue(forKey: "consultantInfo")
            articles.append((id, try JSONSerialization.data(withJSONObject: object, options: opts)))
        }
        let categories = try JSONSerialization.data(withJSONObject: rawCategories, options: opts)
        return try store.importKnowledgeBase(categories: categories, articles: articles, now: now)
    }

    /// A new database gets the bundled demo catalogue and Knowledge Base, as a new kiosk's does.
    public static func fillIfNew(_ store: any CentralStore, now: Date = Date()) throws {
        guard try store.servicesDocument() == nil else { return }
        let servicesPath = try BundledAssets.demoServices()
        let kbPath = try BundledAssets.demoKnowledgeBase()
        guard let services = FileManager.default.contents(atPath: servicesPath) else {
            throw AssetError(description: "\(servicesPath): cannot read the bundled demo catalogue")
        }
        guard let kb = FileManager.default.contents(atPath: kbPath) else {
            throw AssetError(description: "\(kbPath): cannot read the bundled demo Knowledge Base")
        }
        try Self.knowledgeBase(kb, file: kbPath, into: store, now: now)
        try Self.services(services, file: servicesPath, into: store, now: now)
    }
}

/// The parsed catalogue, read again only when its feed version changes (an import while serving shows at once).
final class CatalogueCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (version: Int, catalog: ServiceCatalog)?
    let store: any CentralStore

    init(store: any CentralStore) { self.store = store }

    func catalog() throws -> ServiceCatalog {
        guard let (document, version) = try store.servicesDocument() else {
            throw Open311Error(code: 404, description: "no service catalogue on this server; run kiosk-central services import")
        }
        if let c = lock.withLock({ cached }), c.version == version { return c.catalog }
        let catalog = try ServiceCatalogFile.parse(document, file: "services in the database")
        lock.withLock { cached = (version, catalog) }
        return catalog
    }
}

extension ServiceCatalog {
    func groupName(_ id: String) -> String { groups.first { $0.id == id }?.name.pl ?? id }
    func unitName(_ id: String) -> String { unit(id)?.name.pl ?? id }
    func service(code: String) -> CityService? { services.first { $0.code == code } }

    var open311Services: [Open311Service] {
        services.map { s in
            Open311Service(serviceCode: s.code, serviceName: s.name.pl, description: s.description.pl, metadata: s.hasQuestions,
                           type: "realtime", keywords: s.keywords, group: groupName(s.group))
        }
    }

    func open311Definition(_ s: CityService) -> Open311ServiceDefinition {
        Open311ServiceDefinition(serviceCode: s.code, attributes: s.attributes.map { a in
            Open311Attribute(variable: true, code: a.code, datatype: a.datatype.rawValue, required: a.required,
                             datatypeDescription: a.datatype.residentHint, order: a.order, description: a.description.pl,
                             values: a.values.map { Open311AttributeValue(key: $0.key, name: $0.name.pl) })
        })
    }
}

extension AttributeDatatype {
    /// Open311 `datatype_description`: what a client must send.
    var residentHint: String {
        switch self {
        case .string: return "Krótki tekst"
        case .text: return "Tekst"
        case .number: return "Liczba"
        case .datetime: return "Data i godzina (ISO 8601)"
        case .singlevaluelist: return "Jedna z wartości (key)"
        case .multivaluelist: return "Jedna lub więcej wartości (key)"
        }
    }
}
