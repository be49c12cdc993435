// The technician's config file (kiosk-config/kiosk.json): read, checked, and explained when wrong.
import Foundation
import KioskCore
import KioskUI

public struct KioskConfig: Sendable, Equatable {
    public var kioskID = "lodz-demo-01"
    /// The languages residents may choose, the first one a fresh screen starts in.
    public var languages: [Language] = Language.allCases
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
    /// Where the kiosk stands, its ticket code and the ticket status page (config `report`).
    public var site = KioskSite.demo
    /// The street list for the place step; nil: streets.txt beside the config file or in the checkout.
    public var streets: String?
    /// The receipt printer (config `printer`); no queue means no printer.
    public var printer = PrinterConfig()
    /// The central server (config `server`); no URL means the kiosk works alone and keeps its outbox.
    public var server = ServerConfig()
    /// Staff maintenance (config `maintenance`).
    public var maintenance = MaintenanceConfig()
    /// Where this file was read from, for messages; nil for built-in defaults.
    public var file: String?

    public init() {}
}

public struct MaintenanceConfig: Sendable, Equatable {
    /// The PIN's hash (`kiosk maintenance set-pin` writes it); nil: `maintenance-pin` beside the config file.
    public var pinFile: String?
    /// How long the hidden corner of home must be held.
    public var holdSeconds = 5.0
    /// "hold" (the corner held `holdSeconds`) or "taps" (tapped `taps` times within 3 s).
    public var entry = "hold"
    public var taps = 5
    public init() {}
}

public struct PrinterConfig: Sendable, Equatable {
    /// The CUPS queue; nil: the kiosk has no printer and says so on the ticket screen.
    public var queue: String?
    /// `escpos80`, `escpos58` (raw thermal queues) or `image` (an ordinary CUPS printer).
    public var kind = "escpos80"
    /// host:port of the CUPS server; nil: the system's (CUPS_SERVER or the local socket).
    public var server: String?
    /// A job not finished by then is cancelled and the fault recorded.
    public var jobTimeout = 20.0
    public init() {}
}

public struct ServerConfig: Sendable, Equatable {
    /// e.g. https://kiosk-central.lodz.example; Open311 is under /open311/v2, our additions under /kiosk/v1.
    public var url: String?
    /// A file holding the kiosk's API key (`kiosk-central keys add` prints it); $KIOSK_API_KEY wins.
    public var apiKeyFile: String?
    /// The feed's Ed25519 public keys, base64 of 32 bytes (`kiosk-central feed-key`); two during a key change.
    public var feedPublicKeys: [String] = []
    /// PEM files: the CA bundle the server's certificate is checked against (nil: the system's), and the
    /// kiosk's own certificate and key when the server asks for one.
    public var caBundle: String?
    public var clientCertificate: String?
    public var clientKey: String?
    /// Seconds between rounds when nothing happens (a new submission starts one at once).
    public var interval = 60.0
    public var connectTimeout = 5.0
    public var readTimeout = 15.0
    public init() {}
}

public struct ConfigError: Error, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var problem: String
    public var description: String { key.map { "\(file): key \"\($0)\": \(problem)" } ?? "\(file): \(problem)" }
}

extension KioskConfig {
    static let knownKeys: Set<String> = ["kioskId", "languages", "knowledgeBase", "services", "database", "font", "idle", "display", "search", "report", "printer", "server", "maintenance", "$comment"]

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
        if let v = root["languages"] {
            let codes = Language.allCases.map(\.rawValue).joined(separator: "\", \"")
            guard let list = v as? [String], !list.isEmpty, list.count == Set(list).count,
                  let langs = Optional(list.compactMap(Language.init(rawValue:))), langs.count == list.count else {
                throw fail("languages", "expected a list of the languages offered, the first one a fresh screen starts in, each once, from \"\(codes)\"; e.g. [\"pl\", \"en\", \"uk\"]")
            }
            c.languages = langs
        }
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
        let report = try section("report", ["ticketCode", "address", "latitude", "longitude", "statusPage", "streets", "$comment"])
        if let code = try string(report, "ticketCode", "report.ticketCode") {
            guard TicketNumber.isValidKioskCode(code) else {
                throw fail("report.ticketCode", "use 2–4 of \(String(TicketNumber.alphabet)) (no I, O, Q, Z), unique in the fleet; got \"\(code)\"")
            }
            c.site.ticketCode = code
        }
        if let v = try string(report, "address", "report.address") {
            guard v.count <= 200 else { throw fail("report.address", "at most 200 characters") }
            c.site.address = v
        }
        if let v = try number(report, "latitude", "report.latitude", -90...90) { c.site.latitude = v }
        if let v = try number(report, "longitude", "report.longitude", -180...180) { c.site.longitude = v }
        if let v = try string(report, "statusPage", "report.statusPage") {
            guard v.hasPrefix("https://") || v.hasPrefix("http://"), v.contains("{ticket}"), v.count <= 300 else {
                throw fail("report.statusPage", "expected an http(s) address with {ticket} where the number goes, e.g. https://uml.lodz.pl/zgloszenia/{ticket}")
            }
            c.site.statusPage = v
        }
        c.streets = try string(report, "streets", "report.streets")
        let maintenance = try section("maintenance", ["pinFile", "holdSeconds", "entry", "taps", "$comment"])
        c.maintenance.pinFile = try string(maintenance, "pinFile", "maintenance.pinFile")
        if let h = try number(maintenance, "holdSeconds", "maintenance.holdSeconds", 2...30) { c.maintenance.holdSeconds = h }
        if let e = try string(maintenance, "entry", "maintenance.entry") {
            guard ["hold", "taps"].contains(e) else {
                throw fail("maintenance.entry", "expected \"hold\" (the hidden corner held) or \"taps\" (tapped several times quickly), got \"\(e.prefix(40))\"")
            }
            c.maintenance.entry = e
        }
        if let n = try number(maintenance, "taps", "maintenance.taps", 3...10) {
            guard n == n.rounded() else { throw fail("maintenance.taps", "expected a whole number from 3 to 10") }
            c.maintenance.taps = Int(n)
        }
        let printer = try section("printer", ["queue", "kind", "server", "jobTimeoutSeconds", "$comment"])
        if let q = try string(printer, "queue", "printer.queue") {
            guard q.count <= 127, q.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw fail("printer.queue", "a CUPS queue name: ASCII letters, digits, '-' and '_' (see `lpstat -p`)")
            }
            c.printer.queue = q
        }
        if let k = try string(printer, "kind", "printer.kind") {
            guard ["escpos80", "escpos58", "image"].contains(k) else {
                throw fail("printer.kind", "expected \"escpos80\" or \"escpos58\" (a thermal printer on a raw queue) or \"image\" (an ordinary printer), got \"\(k)\"")
            }
            c.printer.kind = k
        }
        c.printer.server = try string(printer, "server", "printer.server")
        if let t = try number(printer, "jobTimeoutSeconds", "printer.jobTimeoutSeconds", 2...600) { c.printer.jobTimeout = t }
        c.site.hasPrinter = c.printer.queue != nil
        let server = try section("server", ["url", "apiKeyFile", "feedPublicKeys", "caBundle", "clientCertificate", "clientKey",
                                            "intervalSeconds", "connectTimeoutSeconds", "readTimeoutSeconds", "$comment"])
        if let u = try string(server, "url", "server.url") {
            if let problem = ServerConfig.urlProblem(u) { throw fail("server.url", problem) }
            c.server.url = u
        }
        return try finish(c, server, fail)
    }

    /// The rest of the `server` section, after its URL.
    private static func finish(_ config: KioskConfig, _ server: [String: Any], _ fail: (String, String) -> ConfigError) throws -> KioskConfig {
        var c = config
        func path(_ key: String) throws -> String? {
            guard let v = server[key], !(v is NSNull) else { return nil }
            guard let s = v as? String, !s.isEmpty, s.count <= 4096 else { throw fail("server.\(key)", "expected a file path") }
            return s
        }
        c.server.apiKeyFile = try path("apiKeyFile")
        c.server.caBundle = try path("caBundle")
        c.server.clientCertificate = try path("clientCertificate")
        c.server.clientKey = try path("clientKey")
        if (c.server.clientCertificate == nil) != (c.server.clientKey == nil) {
            throw fail(c.server.clientKey == nil ? "server.clientKey" : "server.clientCertificate",
                       "a client certificate needs both clientCertificate and clientKey (PEM files)")
        }
        if let keys = server["feedPublicKeys"] {
            guard let list = keys as? [String], list.count <= 4 else {
                throw fail("server.feedPublicKeys", "expected a list of up to 4 keys, each the base64 of 32 bytes (`kiosk-central feed-key` prints it)")
            }
            for k in list where Data(base64Encoded: k)?.count != 32 {
                throw fail("server.feedPublicKeys", "\"\(k.prefix(60))\" is not the base64 of 32 bytes; copy the line `kiosk-central feed-key` prints")
            }
            c.server.feedPublicKeys = list
        }
        func seconds(_ key: String, _ range: ClosedRange<Double>) throws -> Double? {
            guard let v = server[key], !(v is NSNull) else { return nil }
            guard let n = v as? NSNumber, String(cString: n.objCType) != "c", range.contains(n.doubleValue) else {
                throw fail("server.\(key)", "expected a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
            }
            return n.doubleValue
        }
        if let v = try seconds("intervalSeconds", 5...86_400) { c.server.interval = v }
        if let v = try seconds("connectTimeoutSeconds", 1...120) { c.server.connectTimeout = v }
        if let v = try seconds("readTimeoutSeconds", 1...600) { c.server.readTimeout = v }
        return c
    }
}

extension ServerConfig {
    /// Why a server address cannot be used, or nil: http(s), a host, no credentials or fragment in it.
    public static func urlProblem(_ u: String) -> String? {
        guard u.count <= 512, let url = URL(string: u), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            return "expected an http(s) address such as https://kiosk-central.lodz.example, got \"\(u.prefix(80))\""
        }
        if url.user != nil || url.password != nil { return "put no user or password in the address; the kiosk's key goes in server.apiKeyFile" }
        if url.query != nil || url.fragment != nil { return "expected the server's base address without ? or #" }
        return nil
    }
}
