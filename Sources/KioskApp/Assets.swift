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
        var tried: [String] = []
        if let file = config.file { tried.append(URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("streets.txt").path) }
        for dir in candidates() {
            tried.append(URL(fileURLWithPath: dir).deletingLastPathComponent().appendingPathComponent("kiosk-config/streets.txt").path)
        }
        tried.append("/etc/kiosk/streets.txt")
        return tried.first { FileManager.default.isReadableFile(atPath: $0) }
    }

    /// The synonym list: the config's `search.synonyms`, else synonyms.txt beside the config file, else
    /// kiosk-config/synonyms.txt of the checkout or the installed kiosk.
    public static func synonymList(config: KioskConfig) -> String? {
        if let explicit = config.synonyms { return explicit }
        var tried: [String] = []
        if let file = config.file { tried.append(URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("synonyms.txt").path) }
        for dir in candidates() {
            tried.append(URL(fileURLWithPath: dir).deletingLastPathComponent().appendingPathComponent("kiosk-config/synonyms.txt").path)
        }
        tried.append("/etc/kiosk/synonyms.txt")
        return tried.first { FileManager.default.isReadableFile(atPath: $0) }
    }
}
