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
        subcommands: [Run.self, Render.self, KB.self, Bench.self]
    )

    @Option(name: .long, help: ArgumentHelp("The kiosk's SQLite file (created and filled from the demo Knowledge Base if new).", valueName: "FILE"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Config file (default: $KIOSK_CONFIG, then /etc/kiosk/kiosk.json if present).", valueName: "FILE"))
    var config: String?

    public init() {}

    func loadConfig() throws -> KioskConfig {
        if let path = config ?? ProcessInfo.processInfo.environment["KIOSK_CONFIG"] {
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

