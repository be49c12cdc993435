import Foundation
import Testing
import KioskCore
import KioskStore
import KioskTesting
import KioskUI
@testable import KioskApp

/// Noon in Łódź on a fixed day, so validity windows and snapshots do not drift with the calendar.
let fixedDay = Date(timeIntervalSince1970: 1_795_431_600) // 2026-11-23T11:00:00Z

let portrait = Size(width: 1080, height: 1920)
let landscape = Size(width: 1920, height: 1080)

/// A database filled once from the demo Knowledge Base (with its search index: the slow part of a first
/// start); each test kiosk gets its own copy of the file.
let demoDatabase: Result<String, Error> = Result {
    let path = try tempDir() + "/demo.sqlite"
    let store = try KioskStore(path: path)
    try fillIfEmpty(store, config: KioskConfig())
    try fillServicesIfNew(store, config: KioskConfig())
    return path
}

/// The real wiring (buildKiosk) on a copy of the demo database, a test clock and the fixed-width measurer.
func testKiosk(size: Size = portrait, config: KioskConfig = KioskConfig(), measurer: TextMeasurer = FixedWidthMeasurer()) throws -> (Kiosk, ManualClock) {
    let clock = ManualClock(start: fixedDay)
    let db = try tempDir() + "/kiosk.sqlite"
    try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
    let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
        dbPath: db, size: size, clock: clock, measurer: measurer, effects: .synchronous))
    return (kiosk, clock)
}

/// A folder for one test's files, removed when the test process exits: a full run makes about a thousand
/// kiosks (each with a copy of the demo database), which filled a shared disk when they were kept.
func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-app-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    TestFolders.keep(dir)
    return dir
}

enum TestFolders {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var folders: [String] = []
    nonisolated(unsafe) private static var registered = false

    static func keep(_ dir: String) {
        lock.withLock {
            folders.append(dir)
            if !registered {
                registered = true
                atexit { TestFolders.removeAll() }
            }
        }
    }

    static func removeAll() {
        let all = lock.withLock { folders }
        for d in all { try? FileManager.default.removeItem(atPath: d) }
    }
}

/// Runs the `kiosk` command line in-process, as the executable would.
func kiosk(_ args: [String]) throws {
    var command = try KioskCommand.parseAsRoot(args)
    try command.run()
}

/// Runs the real `kiosk` executable, as a city's scripts do: exit status and standard output.
func runKioskBinary(_ args: [String]) throws -> (status: Int32, stdout: Data) {
    let binary = try #require(kioskBinary(), "no kiosk executable beside the test bundle; run `swift build --build-tests`")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env["KIOSK_CONFIG"] = nil
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, data)
}
