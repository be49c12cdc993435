// Finding the bundled assets (demo Knowledge Base) in a source checkout or an installed kiosk.
import Foundation

public enum Assets {
    /// Candidate folders, first match wins: $KIOSK_ASSETS, next to the binary, the checkout the binary was
    /// built in (.build/<config>/kiosk), and the packaged location.
    public static func candidates() -> [String] {
        var list: [String] = []
        if let env = ProcessInfo.processInfo.environment["KIOSK_ASSETS"], !env.isEmpty { list.append(env) }
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "kiosk").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            list.append(dir.appendingPathComponent("assets").path)
            dir = dir.deletingLastPathComponent()
        }
        list.append(FileManager.default.currentDirectoryPath + "/assets")
        list.append("/usr/share/kiosk/assets")
        return list
    }

    public static func demoKnowledgeBase() throws -> String {
        let tried = candidates()
        for dir in tried {
            let path = dir + "/kb/demo-kb.json"
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        throw AssetError(description: "the bundled demo Knowledge Base (assets/kb/demo-kb.json) was not found; looked in: \(tried.joined(separator: ", ")); set KIOSK_ASSETS to the assets folder")
    }

    public static func demoServices() throws -> String {
        let tried = candidates()
        for dir in tried {
            let path = dir + "/services/demo-services.json"
            if FileManager.default.isReadableFile(atPath: path) { return path }
        }
        throw AssetError(description: "the bundled demo service catalogue (assets/services/demo-services.json) was not found; looked in: \(tried.joined(separator: ", ")); set KIOSK_ASSETS to the assets folder")
    }

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

public struct AssetError: Error, CustomStringConvertible {
    public var description: String
}
