import Foundation
import KioskCore
import KioskTesting
import KioskUI
@testable import KioskApp

/// Noon in Łódź on a fixed day, so validity windows and snapshots do not drift with the calendar.
let fixedDay = Date(timeIntervalSince1970: 1_795_431_600) // 2026-11-23T11:00:00Z

let portrait = Size(width: 1080, height: 1920)
let landscape = Size(width: 1920, height: 1080)

/// The real wiring (buildKiosk) on an in-memory database with the demo Knowledge Base, a test clock and
/// the fixed-width measurer.
func testKiosk(size: Size = portrait, config: KioskConfig = KioskConfig()) throws -> (Kiosk, ManualClock) {
    let clock = ManualClock(start: fixedDay)
    let kiosk = try buildKiosk(config: config, environment: KioskEnvironment(
        dbPath: ":memory:", size: size, clock: clock, measurer: FixedWidthMeasurer(), effects: .synchronous))
    return (kiosk, clock)
}

func tempDir() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-app-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Runs the `kiosk` command line in-process, as the executable would.
func kiosk(_ args: [String]) throws {
    var command = try KioskCommand.parseAsRoot(args)
    try command.run()
}
