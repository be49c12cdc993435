// Shared by the kiosk-central tests: a fresh database per test, the one app builder, form bodies, the binary.
import Foundation
import Hummingbird
import HummingbirdTesting
import KioskCentral
import KioskProtocol
import Testing

/// A fresh database in a temporary folder, filled with the demo catalogue and Knowledge Base like `serve`'s.
func freshStore() throws -> (SQLiteCentralStore, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-central-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = dir + "/c.sqlite"
    return (try openCentralStore(path: path), path)
}

/// A store with one kiosk key, and the app built the way `serve` builds it.
struct Fixture {
    let store: SQLiteCentralStore
    let path: String
    let key: String
    let kiosk = "lodz-demo-01"
    var config = CentralConfig()

    init(tokens: Bool = false) throws {
        (store, path) = try freshStore()
        key = CentralKeys.newKey()
        try store.addKey(kioskID: kiosk, keyHash: CentralKeys.hash(key), now: Date())
        config.port = 0
        config.tokens = tokens
    }

    func app() throws -> some ApplicationProtocol { try buildCentral(store: store, config: config) }
}

/// A valid POST for the demo's "overflowing bin" service.
func binForm(key: String?, idempotency: String? = nil, description: String = "Kosz przepełniony od tygodnia",
             extra: [(String, String)] = []) -> String {
    var f: [(String, String)] = []
    if let key { f.append(("api_key", key)) }
    f += [("service_code", "zgo-przepelnione"), ("lat", "51.7592"), ("long", "19.4560"),
          ("address_string", "Piotrkowska 104, Łódź"), ("description", description), ("email", "jan@example.com"),
          ("phone", "+48 600 000 000"), ("device_id", "lodz-demo-01"), ("attribute[rodzaj]", "uliczny"),
          ("attribute[kiosk_ticket]", "K01-250501-0001-X")]
    if let idempotency { f.append(("attribute[kiosk_idempotency_key]", idempotency)) }
    return FormURLEncoding.encode(f + extra)
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

extension TestResponse {
    var text: String { String(buffer: body) }
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8)) }
    var list: [[String: Any]] { json as? [[String: Any]] ?? [] }
    /// The first error's code and description, when the body is the spec's error list.
    var firstError: (Int, String)? {
        guard let e = list.first, let c = e["code"] as? Int, let d = e["description"] as? String else { return nil }
        return (c, d)
    }
}

/// The built `kiosk-central` beside the test bundle (.build/debug/kiosk-central).
func centralBinary() -> String? {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("kiosk-central").path
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
           FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return nil
}

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

func runCentral(_ args: [String], env: [String: String] = [:]) throws -> Run {
    let binary = try #require(centralBinary(), "no kiosk-central executable beside the test bundle; run `swift build --build-tests`")
    return try runProcess(binary, args, env: env)
}

/// Runs a program to its end; stderr goes to a file so a chatty child never blocks on a full pipe.
func runProcess(_ path: String, _ args: [String], env: [String: String] = [:]) throws -> Run {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var e = ProcessInfo.processInfo.environment
    for (k, v) in env { e[k] = v }
    p.environment = e
    let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("kc-err-\(UUID().uuidString)").path
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let out = Pipe()
    p.standardOutput = out
    p.standardError = errHandle
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    try? errHandle.close()
    let err = FileManager.default.contents(atPath: errPath) ?? Data()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

/// The repository root, from this file's place in Tests/KioskCentralTests.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
