import Foundation
import Testing

/// The shipped units as systemd itself reads them: `systemd-analyze verify` on copies that start the binaries
/// just built (verify checks the command exists), and the sandbox score of each.
@Suite struct SystemdUnits {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../systemd").standardized.path

    func analyze(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        p.arguments = args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func exposure(_ unit: String) throws -> Double {
        let (_, text) = try analyze(["security", "--offline=true", "\(Self.folder)/\(unit)"])
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(text)")
        let figure = line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }
        return try #require(figure, "\(line)")
    }

    @Test func bothUnitsVerifyWithTheBuiltBinaries() throws {
        let kiosk = try #require(kioskBinary())
        let central = try centralBinary()
        let dir = try tempDir()
        for (unit, from, to) in [("kiosk.service", "/usr/local/bin/kiosk ", kiosk + " "), ("kiosk-central.service", "/usr/local/bin/kiosk-central", central)] {
            let text = try String(contentsOfFile: "\(Self.folder)/\(unit)", encoding: .utf8)
            #expect(text.contains(from), "\(unit) no longer starts \(from)")
            try text.replacingOccurrences(of: from, with: to).write(toFile: "\(dir)/\(unit)", atomically: true, encoding: .utf8)
        }
        let (status, output) = try analyze(["verify", "--man=no", "\(dir)/kiosk.service", "\(dir)/kiosk-central.service"])
        #expect(status == 0 && output.isEmpty, "\(output)")
    }

    @Test func kioskCentralIsStrictlySandboxedAndTheKioskAsFarAsItsDevicesAllow() throws {
        #expect(try exposure("kiosk-central.service") <= 2.0)
        // The kiosk needs the display, touch input and the network; 1.6 when its hardening was written.
        #expect(try exposure("kiosk.service") <= 2.0)
    }
}
