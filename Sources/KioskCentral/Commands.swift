// The kiosk-central command line: serve, imports, keys, staff status updates, the feed key. Errors are one line
// on stderr and exit status 1.
import ArgumentParser
import Foundation
import KioskCore
import KioskProtocol

public struct KioskCentralCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kiosk-central",
        abstract: "The reference central server of the Łódź kiosks: Open311 GeoReport v2, the signed Knowledge Base feed, heartbeats.",
        subcommands: [Serve.self, KB.self, Services.self, Keys.self, Requests.self, FeedKey.self])
    public init() {}

    /// The entry point of main.swift: ArgumentParser's own async `main()` is not picked from top-level code.
    public static func runMain() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

struct DatabaseOption: ParsableArguments {
    @Option(help: "The server's SQLite database (created with the demo catalogue and Knowledge Base when new). Default: $KIOSK_CENTRAL_DB or kiosk-central.sqlite.")
    var db: String = ProcessInfo.processInfo.environment["KIOSK_CENTRAL_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "kiosk-central.sqlite"

    func open(lexicon: LexiconSource = .system) throws -> SQLiteCentralStore { try openCentralStore(path: db, lexicon: lexicon) }
}

/// Runs a command body, turning any error into one readable line and exit status 1.
func reporting<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ExitCode { throw e } catch let e as ValidationError { throw e } catch {
        FileHandle.standardError.write(Data("kiosk-central: \(error)\n".utf8))
        throw ExitCode.failure
    }
}

func say(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve Open311, the feed, heartbeats and the fleet view until SIGTERM or SIGINT.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Port to listen on.") var port: Int = 8311
    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host: String = "127.0.0.1"
    @Option(help: "Days a signed feed stays valid; a kiosk refuses an older one.") var feedValidDays: Int = 7
    @Option(help: "Days an idempotency key is kept: at least as long as a kiosk may stay offline.") var idempotencyDays: Int = 30
    @Flag(help: "Answer POST requests with a token to resolve via tokens/{token} instead of an id.") var tokens = false
    @Flag(help: "No line per request on stderr.") var quiet = false

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1–65535") }
        guard (1...365).contains(feedValidDays) else { throw ValidationError("--feed-valid-days must be 1–365") }
        guard (1...3650).contains(idempotencyDays) else { throw ValidationError("--idempotency-days must be 1–3650") }
    }

    func run() async throws {
        var config = CentralConfig()
        config.host = host; config.port = port; config.feedValidDays = feedValidDays
        config.idempotencyDays = idempotencyDays; config.tokens = tokens; config.logRequests = !quiet
        let store = try reporting { try database.open() }
        let app = try reporting { try buildCentral(store: store, config: config) }
        let keepDays = idempotencyDays
        // Idempotency keys older than the longest offline spell are dropped hourly.
        let purge = Task.detached {
            while !Task.isCancelled {
                if let n = try? store.purgeIdempotencyKeys(olderThan: Date().addingTimeInterval(-Double(keepDays) * 86_400)), n > 0 {
                    say("kiosk-central: dropped \(n) idempotency keys older than \(keepDays) days")
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        say("kiosk-central: serving http://\(host):\(port)\(Open311.basePath)/ from \(database.db) (feed version \((try? store.feedVersion()) ?? 0), \((try? store.requestCount()) ?? 0) requests)")
        defer { purge.cancel() }
        try await app.runService()
        say("kiosk-central: stopped")
    }
}

struct LexiconOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The hunspell dictionary (base path without .aff/.dic) kiosks' word forms tables are made with. Default: \(LexiconSource.defaultDictionary), and without it kiosks use their own.", valueName: "path"))
    var dictionary: String?
    @Option(help: ArgumentHelp("The synonym list whose words the table covers. Default: the bundled kiosk-config/synonyms.txt.", valueName: "file"))
    var synonyms: String?
    @Flag(help: "Make no word forms table: kiosks look every word up in their own dictionary.") var noLexicon = false

    var source: LexiconSource {
        if noLexicon { return .none }
        return LexiconSource(dictionary: dictionary ?? LexiconSource.defaultDictionary, synonyms: synonyms, required: dictionary != nil)
    }
}

struct KB: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kb", abstract: "The Knowledge Base the feed serves.", subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a lckm-kb/1 file (the kiosk's format); the feed serves the change.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The Knowledge Base file.") var file: String
        @Flag(help: "Accept a file with no public articles (empties every kiosk).") var allowEmpty = false
        @OptionGroup var lexicon: LexiconOptions

        func run() throws {
            let change = try reporting { () -> FeedChange in
                // The kiosk's limits and messages for a file (its size is checked before it is read whole).
                let data = try KnowledgeBaseFile.readBytes(path: file)
                return try CentralImport.knowledgeBase(data, file: file, into: try database.open(lexicon: lexicon.source), allowEmpty: allowEmpty,
                                                       lexicon: lexicon.source)
            }
            print(describe(change, what: "Knowledge Base"))
        }
    }
}

struct Services: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "services", abstract: "The service catalogue.", subcommands: [Import.self])

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a lckm-services/1 file (the kiosk's format); Open311 and the feed serve it.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The service catalogue file.") var file: String
        @OptionGroup var lexicon: LexiconOptions

        func run() throws {
            let change = try reporting { () -> FeedChange in
                _ = try ServiceCatalogFile.read(path: file)
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ServiceCatalogError(file: file, problem: "cannot read the file (missing or no permission)")
                }
                return try CentralImport.services(data, file: file, into: try database.open(lexicon: lexicon.source), lexicon: lexicon.source)
            }
            print(describe(change, what: "service catalogue"))
        }
    }
}

func describe(_ c: FeedChange, what: String) -> String {
    let table = c.lexiconWords.map { "; word forms table of \($0) words" } ?? ""
    guard let v = c.version else { return "\(what): no change\(table)" }
    var parts: [String] = []
    if c.articlesAdded + c.articlesChanged + c.articlesDeleted > 0 {
        parts.append("articles +\(c.articlesAdded) ~\(c.articlesChanged) -\(c.articlesDeleted)")
    }
    if c.categoriesChanged { parts.append("categories changed") }
    if c.servicesChanged { parts.append("catalogue changed") }
    return "\(what): feed version \(v) (\(parts.joined(separator: ", ")))\(table)"
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "API keys, one or more per kiosk.",
                                                    subcommands: [Add.self, List.self, Revoke.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a key for a kiosk (or, with --staff, for a person reading the fleet view) and print it (alone, on stdout); only its hash is kept.")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The kiosk's id (its config's kiosk.id, e.g. lodz-demo-01), or with --staff the person's name (e.g. jan.kowalski).") var kioskID: String
        @Flag(help: "A staff key: it opens /fleet and /fleet.html (a browser asks for it as the password), nothing a kiosk does.") var staff = false

        func validate() throws {
            guard CentralKeys.isValidKioskID(kioskID) else { throw ValidationError("\(staff ? "NAME" : "KIOSK_ID"): 1–64 letters, digits, '-', '_' or '.'") }
        }

        func run() throws {
            let key = CentralKeys.newKey()
            try reporting { try database.open().addKey(kioskID: kioskID, keyHash: CentralKeys.hash(key), role: staff ? .staff : .kiosk, now: Date()) }
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys (hash prefix, kiosk or staff name, role, created, revoked).")
        @OptionGroup var database: DatabaseOption
        func run() throws {
            for k in try reporting({ try database.open().keys() }) {
                print("\(k.hashPrefix)\t\(k.kioskID)\t\(k.role.rawValue)\t\(Open311Date.format(k.created))\t\(k.revoked.map { "revoked " + Open311Date.format($0) } ?? "active")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke every key of a kiosk, or one key by its hash prefix (from keys list).")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "A kiosk id or a key's hash prefix (at least 8 characters).") var kioskOrHash: String
        func run() throws {
            let n = try reporting { try database.open().revokeKeys(matching: kioskOrHash, now: Date()) }
            guard n > 0 else { say("kiosk-central: no active key matches \(kioskOrHash)"); throw ExitCode.failure }
            print("revoked \(n) key(s)")
        }
    }
}

struct Requests: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requests", abstract: "Requests residents filed.",
                                                    subcommands: [SetStatus.self, List.self])

    struct SetStatus: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a request's status and the note residents see (kiosk ticket lookup, Open311 status_notes).")
        @OptionGroup var database: DatabaseOption
        @Argument(help: "The service_request_id (or the kiosk ticket number).") var id: String
        @Argument(help: "open or closed.") var status: String
        @Option(help: "The note to the resident.") var note: String?

        func validate() throws {
            guard status == "open" || status == "closed" else { throw ValidationError("STATUS must be open or closed") }
            if let note { _ = try RequestValidation.clean("--note", note, max: 4_000, multiline: true) }
        }

        func run() throws {
            let updated = try reporting { try database.open().setStatus(idOrTicket: id, status: status, note: note, now: Date()) }
            guard let r = updated else { say("kiosk-central: no request with id or ticket \(id)"); throw ExitCode.failure }
            print("\(r.serviceRequestID)\t\(r.status)\t\(r.ticket ?? "-")\t\(r.statusNotes ?? "")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the latest requests (id, status, service, ticket, kiosk, filed).")
        @OptionGroup var database: DatabaseOption
        @Option(help: "How many.") var limit: Int = 50
        func run() throws {
            for r in try reporting({ try database.open().requests(RequestFilter(limit: max(1, min(limit, 100_000)))) }) {
                print("\(r.serviceRequestID)\t\(r.status)\t\(r.serviceCode)\t\(r.ticket ?? "-")\t\(r.kioskID)\t\(Open311Date.format(r.requested))")
            }
        }
    }
}

struct FeedKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "feed-key",
        abstract: "Print the feed's public key (base64 of its 32 bytes) for the kiosk config's server.feedPublicKeys.")
    @OptionGroup var database: DatabaseOption
    func run() throws { print(try reporting { try CentralKeys.feedPublicKeyBase64(try database.open()) }) }
}
