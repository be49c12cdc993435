// `kiosk`: the command tree and the options every subcommand shares.
import ArgumentParser
import Foundation
import KioskCore
import KioskSDL
import KioskUI

public struct KioskCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kiosk",
        abstract: "Self-service kiosk for the Łódź Contact Centre (ŁCKM).",
        subcommands: [Run.self, Render.self, Speak.self, KB.self, ServicesCommand.self, OutboxCommand.self, SyncCommand.self, PrinterCommand.self,
                      ConfigCommand.self, MaintenanceCLI.self, StatusCommand.self, RetentionCommand.self, Bench.self]
    )

    @Option(name: .long, help: ArgumentHelp("The kiosk's SQLite file (created and filled from the demo Knowledge Base if new).", valueName: "FILE"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Config file (default: $KIOSK_CONFIG, then /etc/kiosk/kiosk.json if present).", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("The central server's address, instead of the config's server.url.", valueName: "URL"))
    var server: String?

    public init() {}

    public func validate() throws {
        if let server, let problem = ServerConfig.urlProblem(server) { throw ValidationError("--server: \(problem)") }
    }

    /// ArgumentParser's `main`, except that a `OneLineFailure` is printed as exactly its line (no "Error:",
    /// no usage) with exit status 1: the form the README promises for scripts.
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as OneLineFailure {
            FileHandle.standardError.write(Data((failure.description + "\n").utf8))
            exit(withError: ExitCode.failure)
        } catch {
            exit(withError: error)
        }
    }

    func loadConfig() throws -> KioskConfig {
        var c = try loadConfigFile()
        if let server { c.server.url = server }
        Log.setKioskID(c.kioskID)
        return c
    }

    private func loadConfigFile() throws -> KioskConfig {
        // An empty $KIOSK_CONFIG (`Environment=KIOSK_CONFIG=` in a unit) means none, not a file named "".
        if let path = config ?? ProcessInfo.processInfo.environment["KIOSK_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try KioskConfig.load(path: path)
        }
        if FileManager.default.fileExists(atPath: "/etc/kiosk/kiosk.json") {
            return try KioskConfig.load(path: "/etc/kiosk/kiosk.json")
        }
        return KioskConfig()
    }

    func dbPath(_ c: KioskConfig) -> String {
        db ?? c.database ?? "kiosk.sqlite"
    }
}

/// A failure reported as one line on stderr and exit status 1, e.g. `FILE: line N: STEP: reason`.
struct OneLineFailure: Error, CustomStringConvertible {
    let description: String
    /// Line breaks inside would split the one line a caller greps for; they become spaces.
    init(_ text: String) {
        description = String(text.map { $0.isNewline ? " " : $0 })
    }
}

/// Parses --size WxH for subcommands.
struct ScreenSize: ExpressibleByArgument {
    var size: Size
    init(_ size: Size) { self.size = size }
    static let portrait = ScreenSize(Size(width: 1080, height: 1920))
    init?(argument: String) {
        guard let s = Size(parsing: argument) else { return nil }
        size = s
    }
    static var defaultValueDescription: String { "1080x1920" }
}

extension Language: ExpressibleByArgument {}

/// Opens the fonts, failing with the fix in the message.
func openFonts(_ config: KioskConfig) throws -> FontBook {
    try FontBook(files: FontLocator.locate(pattern: config.fontPattern))
}

