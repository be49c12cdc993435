// Finding the bundled assets (demo Knowledge Base and catalogue) in a source checkout or an installed kiosk;
// the kiosk and kiosk-central fill a new database from the same files.
import Foundation

public enum BundledAssets {
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

    /// A bundled list (`streets.txt`, `synonyms.txt`): kiosk-config/NAME of the checkout or the installed
    /// kiosk, else /etc/kiosk/NAME; nil when none is readable.
    public static func configList(_ name: String) -> String? {
        var tried = candidates().map { URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent("kiosk-config/\(name)").path }
        tried.append("/etc/kiosk/\(name)")
        return tried.first { FileManager.default.isReadableFile(atPath: $0) }
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

}

public struct AssetError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}
