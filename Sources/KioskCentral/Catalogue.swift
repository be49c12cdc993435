// The catalogue and Knowledge Base on the server: imports with the kiosk's own parsers (same formats, same
// messages), the demo fill of a new database, and the catalogue as Open311 services and definitions.
import Foundation
import KioskCore
import KioskProtocol

public enum CentralImport {
    /// Imports a `lckm-services/1` file: refused whole on any error, exactly as the kiosk refuses it.
    @discardableResult
    public static func services(_ data: Data, file: String, into store: any CentralStore, lexicon: LexiconSource = .none,
                                now: Date = Date()) throws -> FeedChange {
        try services(data, file: file, into: store, forms: try lexicon.load(), now: now)
    }

    @discardableResult
    static func services(_ data: Data, file: String, into store: any CentralStore, forms lexicon: LexiconSource.Loaded?,
                         now: Date) throws -> FeedChange {
        let catalog = try ServiceCatalogFile.parse(data, file: file)
        // Stored re-serialised with sorted keys, so a file saved again with other spacing is no change.
        let object = try JSONSerialization.jsonObject(with: data)
        let canonical = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        let table = lexicon.map { SearchIndexBuilder.lexiconTable(services: catalog, lexicon: $0.forms) }
        var change = try store.importServices(document: canonical, lexicon: try LexiconSource.encode(table), now: now)
        change.lexiconWords = table?.lemmas.count
        return change
    }

    /// Imports a `lckm-kb/1` file. Internal articles and the consultant field never reach the feed, so they are
    /// not stored here at all.
    @discardableResult
    public static func knowledgeBase(_ data: Data, file: String, into store: any CentralStore, allowEmpty: Bool = false,
                                     lexicon: LexiconSource = .none, now: Date = Date()) throws -> FeedChange {
        try knowledgeBase(data, file: file, into: store, allowEmpty: allowEmpty, forms: try lexicon.load(), now: now)
    }

    @discardableResult
    static func knowledgeBase(_ data: Data, file: String, into store: any CentralStore, allowEmpty: Bool,
                              forms lexicon: LexiconSource.Loaded?, now: Date) throws -> FeedChange {
        let kb = try KnowledgeBaseFile.parse(data, file: file)
        if !allowEmpty { try kb.requirePublicArticles(file: file) }
        // The words a kiosk indexes: the public articles as the feed sends them, and the synonym list's.
        let table = lexicon.map { source in
            SearchIndexBuilder.lexiconTable(articles: kb.articles.compactMap(\.publicVersion), categories: kb.categories,
                                            lexicon: source.forms, extraWords: source.extraWords)
        }
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
        var change = try store.importKnowledgeBase(categories: categories, articles: articles, lexicon: try LexiconSource.encode(table), now: now)
        change.lexiconWords = table?.lemmas.count
        return change
    }

    /// A new database gets the bundled demo catalogue and Knowledge Base, as a new kiosk's does.
    public static func fillIfNew(_ store: any CentralStore, lexicon: LexiconSource = .none, now: Date = Date()) throws {
        guard try store.servicesDocument() == nil else { return }
        let servicesPath = try BundledAssets.demoServices()
        let kbPath = try BundledAssets.demoKnowledgeBase()
        guard let services = FileManager.default.contents(atPath: servicesPath) else {
            throw AssetError(description: "\(servicesPath): cannot read the bundled demo catalogue")
        }
        guard let kb = FileManager.default.contents(atPath: kbPath) else {
            throw AssetError(description: "\(kbPath): cannot read the bundled demo Knowledge Base")
        }
        let forms = try lexicon.load() // once for both
        try Self.knowledgeBase(kb, file: kbPath, into: store, allowEmpty: false, forms: forms, now: now)
        try Self.services(services, file: servicesPath, into: store, forms: forms, now: now)
    }
}

/// The dictionary and synonym list kiosk-central answers kiosks' word lookups from: at each import it makes a
/// `lckm-lexicon/1` table of what the dictionary says of every word the kiosks will index, and sends it with
/// snapshots, so a kiosk builds its search index without loading and searching a dictionary (a quarter of a
/// full sync's CPU for 10,000 articles). Without a table a kiosk looks words up itself: slower, same index.
public struct LexiconSource: Sendable {
    public static let defaultDictionary = "/usr/share/hunspell/pl_PL"
    /// The hunspell base path (without .aff/.dic); nil makes no table.
    public var dictionary: String?
    /// The synonym list whose words are looked up too; nil: the bundled kiosk-config/synonyms.txt, if any.
    public var synonyms: String?
    /// Whether a dictionary that cannot be read is an error (named by the technician) or a note (the default).
    public var required: Bool

    public init(dictionary: String?, synonyms: String? = nil, required: Bool = true) {
        self.dictionary = dictionary; self.synonyms = synonyms; self.required = required
    }

    /// No table: tests that need no dictionary.
    public static let none = LexiconSource(dictionary: nil)
    /// The system's dictionary when it is installed, else no table.
    public static let system = LexiconSource(dictionary: defaultDictionary, required: false)

    typealias Loaded = (forms: AffixDictionary, extraWords: Set<String>)

    func load() throws -> Loaded? {
        guard let dictionary else { return nil }
        let forms: AffixDictionary
        do { forms = try AffixDictionary(base: dictionary) } catch {
            if required { throw LexiconSourceError(description: "\(error); name another with --dictionary") }
            say("kiosk-central: no word forms table for kiosks (\(error)); kiosks look words up in their own dictionary")
            return nil
        }
        let list = synonyms ?? BundledAssets.configList("synonyms.txt")
        let extra = try list.map { try SynonymGroups.read(path: $0).wordsWithLetters } ?? []
        return (forms, extra)
    }

    /// A table too large for a kiosk to accept is not stored: kiosks look words up themselves.
    static func encode(_ table: LexiconTable?) throws -> Data? {
        guard let data = try table?.encoded() else { return nil }
        guard data.count <= LexiconTable.maxBytes else {
            say("kiosk-central: the word forms table is \(data.count) bytes, above the \(LexiconTable.maxBytes) a kiosk takes; not sent")
            return nil
        }
        return data
    }
}

public struct LexiconSourceError: Error, CustomStringConvertible {
    public var description: String
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
