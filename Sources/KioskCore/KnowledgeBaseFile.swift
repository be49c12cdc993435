// Reading a Knowledge Base file (format "lckm-kb/1") from outside: limits, and errors that name the file,
// the article and the field so a technician can fix the source.
import Foundation

public struct KnowledgeBase: Sendable, Equatable {
    public var categories: [Category]
    public var articles: [Article]

    public init(categories: [Category], articles: [Article]) {
        self.categories = categories
        self.articles = articles
    }
}

extension Result {
    var failure: Failure? { if case let .failure(e) = self { return e } else { return nil } }
}

extension KnowledgeBase {
    /// Articles a public kiosk would store: all but the internal ones.
    public var publicArticleCount: Int { articles.count(where: { !$0.isInternal }) }

    /// Rule: an import that would leave residents no article at all is a broken export far more often
    /// than a wish, so it is refused unless asked for by name (`kiosk kb import --allow-empty`).
    public func requirePublicArticles(file: String) throws {
        guard publicArticleCount == 0 else { return }
        let internalCount = articles.count - publicArticleCount
        let what = articles.isEmpty ? "has no articles" : "has only internal articles (\(internalCount)), which a public kiosk never stores"
        throw KnowledgeBaseError(file: file, field: "articles", problem: "\(what): importing it would leave residents an empty kiosk; check the export, or import with --allow-empty to empty the kiosk on purpose")
    }
}

public struct KnowledgeBaseError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var articleID: String?
    public var field: String?
    public var problem: String

    public init(file: String, articleID: String? = nil, field: String? = nil, problem: String) {
        self.file = file
        self.articleID = articleID
        self.field = field
        self.problem = problem
    }

    public var description: String {
        var where_ = file
        if let articleID { where_ += ": article \"\(articleID)\"" }
        if let field { where_ += (articleID == nil ? ": " : ", ") + "field \"\(field)\"" }
        return "\(where_): \(problem)"
    }
}

public enum KnowledgeBaseFile {
    public static let format = "lckm-kb/1"
    /// Longer addresses make QR codes too dense to scan from a kiosk screen, and no city page needs them.
    /// What the article's QR code can hold (QRCode.maxBytes; a test keeps the two equal): a longer link
    /// would import and then show no code at all.
    public static let maxURLCharacters = 512

    public struct Limits: Sendable {
        public var maxFileBytes = 64 << 20
        public var maxArticles = 50_000
        public var maxCategories = 500
        public var maxTextBytes = 64 << 10
        public var maxListItems = 100
        public var maxHandlers = 50 // the template allows at most fifty handlers
        public init() {}
    }

    public static func read(path: String, limits: Limits = Limits()) throws -> KnowledgeBase {
        try parse(try readBytes(path: path, limits: limits), file: path, limits: limits)
    }

    /// The file's bytes, its size checked before it is read whole.
    public static func readBytes(path: String, limits: Limits = Limits()) throws -> Data {
        let name = path
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int else {
            throw KnowledgeBaseError(file: name, problem: "cannot read the file (missing or no permission)")
        }
        guard size <= limits.maxFileBytes else {
            throw KnowledgeBaseError(file: name, problem: "file is \(size) bytes, more than the limit of \(limits.maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KnowledgeBaseError(file: name, problem: "cannot read the file")
        }
        return data
    }

    public static func parse(_ data: Data, file: String, limits: Limits = Limits()) throws -> KnowledgeBase {
        guard data.count <= limits.maxFileBytes else {
            throw KnowledgeBaseError(file: file, problem: "file is \(data.count) bytes, more than the limit of \(limits.maxFileBytes)")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw KnowledgeBaseError(file: file, problem: "not valid JSON (\(jsonErrorDetail(error)))")
        }
        return try parse(object: root, file: file, limits: limits)
    }

    /// A document already read as JSON (`JSONSerialization` objects).
    public static func parse(object root: Any, file: String, limits: Limits = Limits()) throws -> KnowledgeBase {
        guard let object = root as? [String: Any] else {
            throw KnowledgeBaseError(file: file, problem: "the top level must be an object with \"format\", \"categories\" and \"articles\"")
        }
        guard let format = object["format"] as? String else {
            throw KnowledgeBaseError(file: file, field: "format", problem: "missing; expected \"\(Self.format)\"")
        }
        guard format == Self.format else {
            throw KnowledgeBaseError(file: file, field: "format", problem: "\"\(format)\" is not supported; expected \"\(Self.format)\"")
        }
        return try parse(categories: object["categories"], articles: object["articles"], file: file, limits: limits)
    }

    /// The categories and articles of a document, as JSON objects: what a file holds and what a feed carries.
    /// Articles are checked in parallel; the first problem in document order is the one reported.
    public static func parse(categories: Any?, articles: Any?, file: String, limits: Limits = Limits()) throws -> KnowledgeBase {
        guard let rawCategories = categories as? [Any], !rawCategories.isEmpty else {
            throw KnowledgeBaseError(file: file, field: "categories", problem: "missing or empty; expected a list of {\"id\", \"name\": {\"pl\", \"en\"}}")
        }
        guard rawCategories.count <= limits.maxCategories else {
            throw KnowledgeBaseError(file: file, field: "categories", problem: "\(rawCategories.count) categories, more than the limit of \(limits.maxCategories)")
        }
        guard let rawArticles = articles as? [Any] else {
            throw KnowledgeBaseError(file: file, field: "articles", problem: "missing; expected a list of articles")
        }
        guard rawArticles.count <= limits.maxArticles else {
            throw KnowledgeBaseError(file: file, field: "articles", problem: "\(rawArticles.count) articles, more than the limit of \(limits.maxArticles)")
        }

        var categories: [Category] = []
        var categoryIDs = Set<String>()
        for (index, raw) in rawCategories.enumerated() {
            let reader = FieldReader(file: file, articleID: nil, object: raw as? [String: Any], what: "categories[\(index)]", limits: limits)
            let id = try reader.identifier("id")
            let cat = Category(id: id, name: try reader.localized("name", required: true))
            guard categoryIDs.insert(id).inserted else {
                throw KnowledgeBaseError(file: file, field: "categories[\(index)].id", problem: "duplicate category id \"\(id)\"")
            }
            categories.append(cat)
        }

        // Each article on its own (in parallel), then what depends on the others: ids used twice.
        let checked = Parallel.mapChunks(Array(rawArticles.enumerated())) { part in
            var out: [(id: String?, result: Result<Article, KnowledgeBaseError>)] = []
            out.reserveCapacity(part.count)
            for (index, raw) in part {
                let c = checkArticle(raw, index: index, file: file, categories: categories, categoryIDs: categoryIDs, limits: limits)
                out.append(c)
                if case .failure = c.result { break } // a sequential read stops here too
            }
            return out
        }
        var articles: [Article] = []
        articles.reserveCapacity(rawArticles.count)
        var articleIDs = Set<String>()
        for c in checked {
            // In the order a sequential read meets them: the id itself, the id used twice, the other fields.
            guard let id = c.id else { throw c.result.failure ?? KnowledgeBaseError(file: file, problem: "an article has no id") }
            guard articleIDs.insert(id).inserted else {
                throw KnowledgeBaseError(file: file, articleID: id, field: "id", problem: "duplicate article id (already used by an earlier article)")
            }
            articles.append(try c.result.get())
        }
        return KnowledgeBase(categories: categories, articles: articles)
    }

    /// One article's fields; `id` is set once the id itself is valid.
    static func checkArticle(_ raw: Any, index: Int, file: String, categories: [Category], categoryIDs: Set<String>,
                             limits: Limits) -> (id: String?, result: Result<Article, KnowledgeBaseError>) {
        guard let dict = raw as? [String: Any] else {
            return (nil, .failure(KnowledgeBaseError(file: file, field: "articles[\(index)]", problem: "expected an object")))
        }
        let provisionalID = (dict["id"] as? String).map { String($0.prefix(64)) }
        let r = FieldReader(file: file, articleID: provisionalID ?? "#\(index)", object: dict, what: "article", limits: limits)
        let id: String
        do { id = try r.identifier("id") } catch {
            return (nil, .failure(error as? KnowledgeBaseError ?? KnowledgeBaseError(file: file, field: "articles[\(index)]", problem: "\(error)")))
        }
        do {
            return (id, .success(try article(r, id: id, categories: categories, categoryIDs: categoryIDs, limits: limits)))
        } catch {
            return (id, .failure(error as? KnowledgeBaseError ?? KnowledgeBaseError(file: file, articleID: id, problem: "\(error)")))
        }
    }

    private static func article(_ r: FieldReader, id: String, categories: [Category], categoryIDs: Set<String>,
                                limits: Limits) throws -> Article {
        let file = r.file
        let cats = try r.stringList("categories", required: true)
        for c in cats where !categoryIDs.contains(c) {
            throw KnowledgeBaseError(file: file, articleID: id, field: "categories", problem: "unknown category \"\(c)\"; known: \(categories.map(\.id).joined(separator: ", "))")
        }
        let validFrom = try r.date("validFrom", required: true)
        let validTo = try r.date("validTo", required: false)
        if let validFrom, let validTo, validTo < validFrom {
            throw KnowledgeBaseError(file: file, articleID: id, field: "validTo", problem: "\(validTo) is before validFrom \(validFrom)")
        }
        let handlers = try r.stringList("handlers", required: false)
        guard handlers.count <= limits.maxHandlers else {
            throw KnowledgeBaseError(file: file, articleID: id, field: "handlers", problem: "\(handlers.count) handlers; the template allows at most \(limits.maxHandlers)")
        }
        // Required values are non-nil once r.date(required: true) has returned.
        guard let from = validFrom, let written = try r.date("writtenOn", required: true) else {
            throw KnowledgeBaseError(file: file, articleID: id, field: "validFrom", problem: "missing (required); expected a date YYYY-MM-DD")
        }
        return Article(
            id: id,
            title: try r.localized("title", required: true),
            summary: try r.localized("summary", required: false),
            isInternal: try r.bool("internal", required: true),
            related: try r.stringList("related", required: false),
            validFrom: from, validTo: validTo, writtenOn: written,
            keywords: try r.stringList("keywords", required: true),
            categories: cats,
            howTo: try r.text("howTo", required: true),
            additionalInfo: try r.text("additionalInfo"),
            processingTime: try r.text("processingTime", required: true),
            place: try r.text("place", required: true),
            fees: try r.text("fees", required: true),
            documents: try r.text("documents", required: true),
            consultantInfo: try r.text("consultantInfo"),
            legalBasis: try r.text("legalBasis"),
            appeal: try r.text("appeal"),
            reuseConditions: try r.text("reuseConditions"),
            owner: try r.text("owner"), author: try r.text("author"), coordinator: try r.text("coordinator"),
            handlers: handlers,
            unit: try r.text("unit", required: true),
            department: try r.text("department"),
            integration: try r.text("integration"),
            handledInEZD: try r.bool("ezd", required: false),
            url: try r.url("url")
        )
    }

    static func jsonErrorDetail(_ error: Error) -> String {
        let ns = error as NSError
        if let detail = ns.userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        return ns.localizedDescription
    }
}

/// Typed reads of one JSON object with the error context filled in.
private struct FieldReader {
    let file: String
    let articleID: String?
    let object: [String: Any]?
    let what: String
    let limits: KnowledgeBaseFile.Limits

    init(file: String, articleID: String?, object: [String: Any]?, what: String, limits: KnowledgeBaseFile.Limits) {
        self.file = file
        self.articleID = articleID
        self.object = object
        self.what = what
        self.limits = limits
    }

    func fail(_ field: String, _ problem: String) -> KnowledgeBaseError {
        let name = articleID == nil ? "\(what).\(field)" : field
        return KnowledgeBaseError(file: file, articleID: articleID, field: name, problem: problem)
    }

    func value(_ key: String) throws -> Any? {
        guard let object else { throw fail(key, "\(what) must be an object") }
        let v = object[key]
        return v is NSNull ? nil : v
    }

    func checkedText(_ key: String, _ s: String) throws -> String {
        guard s.utf8.count <= limits.maxTextBytes else {
            throw fail(key, "\(s.utf8.count) bytes, more than the limit of \(limits.maxTextBytes)")
        }
        // Control characters other than line breaks and tabs would draw as boxes on the screen.
        // In UTF-8 these are single bytes below 0x20 that no other character's bytes use: a byte scan finds them.
        if s.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) {
            throw fail(key, "contains control characters")
        }
        return s
    }

    func text(_ key: String, required: Bool = false) throws -> String {
        guard let v = try value(key) else {
            if required { throw fail(key, "missing (required)") }
            return ""
        }
        guard let s = v as? String else { throw fail(key, "expected text") }
        if required, s.trimmingWhitespace.isEmpty { throw fail(key, "empty (required); write \"brak\" where nothing applies") }
        if required { try requireVisible(key, s) }
        return try checkedText(key, s)
    }

    /// A text that is not empty but draws nothing (U+200B, U+3164, U+2800…) would be a blank button or
    /// heading on the kiosk: refused, with the code points named so the source can be searched for them.
    func requireVisible(_ key: String, _ s: String) throws {
        guard !s.isEmpty, !VisibleText.hasVisibleCharacters(s) else { return }
        throw fail(key, "has no visible characters, only \(VisibleText.codePoints(s)); write the text in letters")
    }

    /// The article's public page on the city's site (shown as a QR code): https only, no spaces or control
    /// characters, at most `maxURLCharacters`, non-ASCII letters percent-encoded so any phone can open it.
    func url(_ key: String) throws -> String? {
        guard let v = try value(key) else { return nil }
        guard let s = v as? String else { throw fail(key, "expected text: an https:// address") }
        if s.isEmpty { return nil } // an export's empty cell: no page
        guard s.count <= KnowledgeBaseFile.maxURLCharacters else {
            throw fail(key, "\(s.count) characters, more than the limit of \(KnowledgeBaseFile.maxURLCharacters)")
        }
        // An ASCII address (nearly all) is checked byte by byte: the Unicode properties below cost a tenth of a
        // second over a 10,000-article feed. Only a space or a control character can be wrong in ASCII.
        let ascii = s.utf8.allSatisfy { $0 < 0x80 }
        if ascii, let bad = s.utf8.first(where: { $0 <= 0x20 || $0 == 0x7F }) {
            throw fail(key, "contains a space or control character (\(VisibleText.codePoints(String(UnicodeScalar(bad))))); percent-encode it (%20)")
        }
        if !ascii, let bad = s.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || VisibleText.isInvisible($0) }) {
            throw fail(key, "contains a space or control character (\(VisibleText.codePoints(String(bad)))); percent-encode it (%20)")
        }
        guard s.unicodeScalars.allSatisfy(\.isASCII) else {
            throw fail(key, "\"\(s.prefix(80))\" has non-ASCII letters; percent-encode them (ł is %C5%82) as the browser's address bar shows when copied")
        }
        guard s.lowercased().hasPrefix("https://") else {
            throw fail(key, "\"\(s.prefix(80))\" is not an https:// address; only https pages of the city may be linked")
        }
        let rest = s.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("@") else {
            throw fail(key, "\"\(s.prefix(80))\" carries a user name or password (before @); link the page without them")
        }
        let host = authority.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let hostOK = host.contains(".") && !host.hasPrefix(".") && !host.hasSuffix(".") && !host.contains("..")
            && host.utf8.allSatisfy { c in (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 46 }
        guard hostOK else {
            throw fail(key, "\"\(s.prefix(80))\" has no valid host name after https:// (e.g. https://uml.lodz.pl/...)")
        }
        return try checkedText(key, s)
    }

    func identifier(_ key: String) throws -> String {
        guard let v = try value(key) else { throw fail(key, "missing (required)") }
        guard let s = v as? String else { throw fail(key, "expected text") }
        let ok = !s.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 45 || c == 95 || c == 46
        }
        guard ok else { throw fail(key, "\"\(s.prefix(80))\" is not an id: use 1–64 letters a–z, digits, '-', '_' or '.'") }
        return s
    }

    func bool(_ key: String, required: Bool) throws -> Bool {
        guard let v = try value(key) else {
            if required { throw fail(key, "missing (required); expected true or false") }
            return false
        }
        // JSONSerialization gives NSNumber for numbers and booleans alike; a boolean's objCType is "c",
        // so 1 or 0 are refused rather than read as TAK/NIE.
        guard let n = v as? NSNumber, String(cString: n.objCType) == "c" else {
            throw fail(key, "expected true or false")
        }
        return n.boolValue
    }

    func date(_ key: String, required: Bool) throws -> LocalDate? {
        guard let v = try value(key) else {
            if required { throw fail(key, "missing (required); expected a date YYYY-MM-DD") }
            return nil
        }
        guard let s = v as? String, let d = LocalDate(iso: s) else {
            throw fail(key, "\(describe(v)) is not a date YYYY-MM-DD")
        }
        return d
    }

    func stringList(_ key: String, required: Bool) throws -> [String] {
        guard let v = try value(key) else {
            if required { throw fail(key, "missing (required); expected a list of texts") }
            return []
        }
        guard let list = v as? [Any] else { throw fail(key, "expected a list of texts") }
        guard list.count <= max(limits.maxListItems, limits.maxHandlers) else {
            throw fail(key, "\(list.count) items, more than the limit of \(limits.maxListItems)")
        }
        let strings = try list.map { item -> String in
            guard let s = item as? String, !s.trimmingWhitespace.isEmpty else { throw fail(key, "every item must be non-empty text") }
            try requireVisible(key, s)
            return try checkedText(key, s)
        }
        if required, strings.isEmpty { throw fail(key, "empty (required)") }
        return strings
    }

    func localized(_ key: String, required: Bool) throws -> Localized {
        guard let v = try value(key) else {
            if required { throw fail(key, "missing (required); expected {\"pl\": \"…\", \"en\": \"…\"}") }
            return Localized(pl: "")
        }
        if let s = v as? String { // a plain string is Polish only
            if required, s.trimmingWhitespace.isEmpty { throw fail(key, "empty (required)") }
            try requireVisible(key, s)
            return Localized(pl: try checkedText(key, s))
        }
        guard let dict = v as? [String: Any] else { throw fail(key, "expected {\"pl\": \"…\", \"en\": \"…\"}") }
        guard let pl = dict["pl"] as? String, !(required && pl.trimmingWhitespace.isEmpty) else {
            throw fail(key + ".pl", "missing or empty; Polish is required")
        }
        // Every language is held to the same rule: a translation that draws nothing would show a blank
        // title to whoever picked that language.
        try requireVisible(key + ".pl", pl)
        func translation(_ lang: String) throws -> String? {
            guard let e = dict[lang], !(e is NSNull) else { return nil }
            guard let es = e as? String else { throw fail(key + "." + lang, "expected text") }
            try requireVisible(key + "." + lang, es)
            return try checkedText(key + "." + lang, es)
        }
        return Localized(pl: try checkedText(key + ".pl", pl), en: try translation("en"), uk: try translation("uk"))
    }

    func describe(_ v: Any) -> String {
        if let s = v as? String { return "\"\(s.prefix(40))\"" }
        return "\(v)".prefix(40).description
    }
}

