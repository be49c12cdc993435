// The technician's config file (kiosk-config/kiosk.json): read, checked, and explained when wrong.
import Foundation
import KioskUI

public struct KioskConfig: Sendable, Equatable {
    public var kioskID = "lodz-demo-01"
    /// "demo" for the bundled Knowledge Base, or a path to a lckm-kb/1 file used to fill a new database.
    public var knowledgeBaseSource = "demo"
    /// "demo" for the bundled service catalogue, or a path to a lckm-services/1 file used to fill a new database.
    public var servicesSource = "demo"
    public var database: String?
    public var fontPattern = "sans-serif:lang=pl"
    public var idle = IdlePolicy()
    public var screenSize: Size?
    public var fullscreen = true
    public var renderer = "software"
    /// The panel's diagonal in inches: with its pixels it sets the physical size of targets and text.
    public var diagonalInches = 21.5
    /// hunspell dictionary (without .aff/.dic) used when the Knowledge Base is imported.
    public var dictionary = "/usr/share/hunspell/pl_PL"
    /// The synonym list; nil: kiosk-config/synonyms.txt beside the config file or in the checkout.
    public var synonyms: String?
    /// Where this file was read from, for messages; nil for built-in defaults.
    public var file: String?

    public init() {}
}

public struct ConfigError: Error, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var problem: String
    public var description: String { key.map { "\(file): key \"\($0)\": \(problem)" } ?? "\(file): \(problem)" }
}

extension KioskConfig {
    static let knownKeys: Set<String> = ["kioskId", "knowledgeBase", "services", "database", "font", "idle", "display", "search", "$comment"]

    /// Reads and checks a config file; unknown keys are refused so a typo does not pass silently.
    public static func load(path: String) throws -> KioskConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, problem: "cannot read the file (missing or no permission)")
        }
        guard data.count <= 1 << 20 else { throw ConfigError(file: path, problem: "larger than 1 MiB; this is not a kiosk config") }
        let any: Any
        do {
            any = try JSONSerialization.jsonObject(with: data)
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw ConfigError(file: path, problem: "not valid JSON (\(detail))")
        }
        guard let root = any as? [String: Any] else { throw ConfigError(file: path, problem: "the top level must be an object") }
        var c = KioskConfig()
        c.file = path
        func fail(_ key: String, _ problem: String) -> ConfigError { ConfigError(file: path, key: key, problem: problem) }
        for k in root.keys where !knownKeys.contains(k) {
            throw fail(k, "unknown key; known keys: \(knownKeys.filter { $0 != "$comment" }.sorted().joined(separator: ", "))")
        }
        func string(_ obj: [String: Any], _ key: String, _ full: String) throws -> String? {
            guard let v = obj[key], !(v is NSNull) else { return nil }
            guard let s = v as? String, !s.isEmpty else { throw fail(full, "expected non-empty text") }
            return s
        }
        func number(_ obj: [String: Any], _ key: String, _ full: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let v = obj[key], !(v is NSNull) else { return nil }
            guard let n = v as? NSNumber, String(cString: n.objCType) != "c", range.contains(n.doubleValue) else {
                throw fail(full, "expected a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
            }
            return n.doubleValue
        }
        func section(_ key: String, _ allowed: Set<String>) throws -> [String: Any] {
            guard let v = root[key] else { return [:] }
            guard let obj = v as? [String: Any] else { throw fail(key, "expected an object") }
            for k in obj.keys where !allowed.contains(k) {
                throw fail("\(key).\(k)", "unknown key; known keys: \(allowed.sorted().joined(separator: ", "))")
            }
            return obj
        }
        if let id = try string(root, "kioskId", "kioskId") {
            guard id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw fail("kioskId", "use 1–64 ASCII letters, digits, '-' or '_'")
            }
            c.kioskID = id
        }
        c.database = try string(root, "database", "database")
        let kb = try section("knowledgeBase", ["source"])
        if let src = try string(kb, "source", "knowledgeBase.source") { c.knowledgeBaseSource = src }
        let services = try section("services", ["source"])
        if let src = try string(services, "source", "services.source") { c.servicesSource = src }
        let font = try section("font", ["pattern"])
        if let p = try string(font, "pattern", "font.pattern") { c.fontPattern = p }
        let idle = try section("idle", ["warnAfterSeconds", "resetAfterSeconds"])
        if let w = try number(idle, "warnAfterSeconds", "idle.warnAfterSeconds", 10...3600) { c.idle.warnAfter = w }
        if let r = try number(idle, "resetAfterSeconds", "idle.resetAfterSeconds", 5...600) { c.idle.resetAfter = r }
        let search = try section("search", ["dictionary", "synonyms"])
        if let d = try string(search, "dictionary", "search.dictionary") { c.dictionary = d }
        c.synonyms = try string(search, "synonyms", "search.synonyms")
        let display = try section("display", ["size", "fullscreen", "renderer", "diagonalInches"])
        if let d = try number(display, "diagonalInches", "display.diagonalInches", 7...100) { c.diagonalInches = d }
        if let s = try string(display, "size", "display.size") {
            guard let size = Size(parsing: s) else { throw fail("display.size", "expected WIDTHxHEIGHT such as 1080x1920, got \"\(s)\"") }
            c.screenSize = size
        }
        if let f = display["fullscreen"] {
            guard let n = f as? NSNumber, String(cString: n.objCType) == "c" else { throw fail("display.fullscreen", "expected true or false") }
            c.fullscreen = n.boolValue
        }
        if let r = try string(display, "renderer", "display.renderer") {
            guard ["software", "auto"].contains(r) else { throw fail("display.renderer", "expected \"software\" or \"auto\", got \"\(r)\"") }
            c.renderer = r
        }
        return c
    }
}
