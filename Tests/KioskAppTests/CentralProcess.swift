import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `kiosk-central` binary beside this test bundle.
func centralBinary() throws -> String {
    let kiosk = try #require(kioskBinary(), "no kiosk executable beside the test bundle; run `swift build --build-tests`")
    let path = URL(fileURLWithPath: kiosk).deletingLastPathComponent().appendingPathComponent("kiosk-central").path
    try #require(FileManager.default.isExecutableFile(atPath: path), "no kiosk-central beside \(kiosk)")
    return path
}

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a binary to its end with an environment of its own (no KIOSK_CONFIG from the caller).
func runBinary(_ path: String, _ args: [String], env extra: [String: String] = [:]) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["KIOSK_CONFIG"] = nil
    env["KIOSK_API_KEY"] = nil
    env["SDL_VIDEODRIVER"] = "dummy"
    for (k, v) in extra { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read both pipes at once: a chatty process can fill one while we wait on the other.
    let group = DispatchGroup()
    let box = PipeBox()
    group.enter()
    DispatchQueue.global().async { box.err = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    p.waitUntilExit()
    return CommandResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: box.err, as: UTF8.self))
}

private final class PipeBox: @unchecked Sendable { var err = Data() }

/// A port nobody listens on now (the kernel's pick, released at once).
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// `kiosk-central serve` on loopback, started by a test and stopped with it.
final class RunningCentral: @unchecked Sendable {
    let process: Process
    let port: Int
    let db: String
    let log: String
    var url: String { "http://127.0.0.1:\(port)" }

    init(db: String, port: Int = freePort(), extra: [String] = []) throws {
        self.db = db; self.port = port
        log = db + ".log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: try centralBinary())
        process.arguments = ["serve", "--db", db, "--port", String(port)] + extra
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // Up when services.json answers (a new database is filled from the demo files first).
        for _ in 0..<300 {
            if (try? httpGet("\(url)/open311/v2/services.json").status) == 200 { return }
            guard process.isRunning else { break }
            usleep(100_000)
        }
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        stop()
        throw CentralDidNotStart(log: text)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

struct CentralDidNotStart: Error, CustomStringConvertible {
    var log: String
    var description: String { "kiosk-central did not answer: \(log.suffix(600))" }
}

/// A plain GET through URLSession, waited for (tests only).
func httpGet(_ url: String, headers: [String: String] = [:]) throws -> (status: Int, body: Data) {
    var request = URLRequest(url: try #require(URL(string: url)))
    request.timeoutInterval = 5
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    let done = DispatchSemaphore(value: 0)
    let box = ResponseBox()
    URLSession.shared.dataTask(with: request) { data, response, error in
        box.status = (response as? HTTPURLResponse)?.statusCode ?? -1
        box.body = data ?? Data()
        box.error = error.map { "\($0)" }
        done.signal()
    }.resume()
    done.wait()
    if let e = box.error { throw HTTPFailure(description: e) }
    return (box.status, box.body)
}

private final class ResponseBox: @unchecked Sendable {
    var status = -1
    var body = Data()
    var error: String?
}

struct HTTPFailure: Error, CustomStringConvertible { var description: String }
