// The config-relative files (street and synonym lists), found beside the config or in the checkout.
import Foundation
import KioskCore

public enum Assets {
    public static func candidates() -> [String] { BundledAssets.candidates() }
    public static func demoKnowledgeBase() throws -> String { try BundledAssets.demoKnowledgeBase() }
    public static func demoServices() throws -> String { try BundledAssets.demoServices() }

    /// The street list: the config's `report.streets`, else streets.txt beside the config file, else
    /// kiosk-config/streets.txt of the checkout or the installed kiosk.
    public static func streetList(config: KioskConfig) -> String? {
        if let explicit = config.streets { return explicit }
        if let file = config.file {
            let beside = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("streets.txt").path
            if FileManager.default.isReadableFile(atPath: beside) { return beside }
        }
        return BundledAssets.configList("streets.txt")
    }

    /// The synonym list: the config's `search.synonyms`, else synonyms.txt beside the config file, else
    /// kiosk-config/synonyms.txt of the checkout or the installed kiosk.
    public static func synonymList(config: KioskConfig) -> String? {
        if let explicit = config.synonyms { return explicit }
        if let file = config.file {
            let beside = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("synonyms.txt").path
            if FileManager.default.isReadableFile(atPath: beside) { return beside }
        }
        return BundledAssets.configList("synonyms.txt")
    }
}
