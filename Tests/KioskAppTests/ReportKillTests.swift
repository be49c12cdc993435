// kill -9 at random moments while the real kiosk files reports through its UI under a script: every ticket the
// screen showed is in the outbox exactly once, no submission is there twice, and the database is sound.
import Foundation
import KioskCore
import KioskStore
import Testing
@testable import KioskApp

/// A script that files the first listed service again and again, as the contract script does once.
func repeatedFilingScript(_ count: Int) -> String {
    let one = """
        expect-screen home
        tap home.report
        tap report.service.item.0
        tap report.threat.no
        tap report.location.here
        tap report.next
        tap report.description
        type "Przewrócone drzewo blokuje chodnik."
        tap report.next
        tap report.contact.skip
        tap report.submit
        expect-screen ticket
        tap ticket.done
        """
    return Array(repeating: one, count: count).joined(separator: "\n")
}

/// Kills the kiosk `kills` times at random moments of a scripted filing run; returns the tickets it said it showed.
func killDuringFilings(binary: String, db: String, script: String, kills: Int, delay: ClosedRange<UInt32>,
                       signal: Int32 = SIGKILL, exits: ((_ status: Int32, _ reason: Process.TerminationReason, _ seconds: Double) -> Void)? = nil) throws -> [String] {
    var shown: [String] = []
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<kills {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--db", db, "run", "--headless", "--script", script]
        var env = ProcessInfo.processInfo.environment
        env["KIOSK_CONFIG"] = nil
        env["SDL_VIDEODRIVER"] = "dummy"
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(UInt32.random(in: delay, using: &rng))
        kill(p.processIdentifier, signal)
        let sent = Date()
        p.waitUntilExit()
        exits?(p.terminationStatus, p.terminationReason, Date().timeIntervalSince(sent))
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        // Only whole lines: one cut by the kill was never fully said.
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let words = line.split(separator: " ")
            if words.count == 3, words[0] == "ticket", words[2] == "shown" { shown.append(String(words[1])) }
        }
    }
    return shown
}

@Suite struct ReportUnderKillNine {
    @Test("kill -9 during scripted filings through the UI: every ticket shown is saved exactly once")
    func everyTicketShownThroughTheUISurvivesExactlyOnce() throws {
        let binary = try #require(kioskBinary(), "no kiosk executable beside the test bundle")
        let dir = try tempDir()
        let db = dir + "/k.sqlite"
        try FileManager.default.copyItem(atPath: demoDatabase.get(), toPath: db)
        let script = dir + "/file.script"
        try repeatedFilingScript(400).write(toFile: script, atomically: true, encoding: .utf8)
        let kills = 200 // scripts/bench-report-kill.sh runs more
        let started = Date()
        let shown = try killDuringFilings(binary: binary, db: db, script: script, kills: kills, delay: 150_000...700_000)
        let store = try KioskStore(path: db)
        let saved = try store.outboxItems().map(\.ticket)
        #expect(Set(shown).count == shown.count, "one ticket shown twice")
        #expect(Set(saved).count == saved.count, "a ticket saved twice")
        #expect(Set(shown).isSubset(of: Set(saved)), "\(Set(shown).subtracting(saved).count) shown tickets lost")
        #expect(shown.count >= kills / 2, "too few filings got through to say anything: \(shown.count)")
        #expect(try store.integrityCheck() == "ok")
        print("report under kill -9 through the UI: \(kills) kills in \(Int(Date().timeIntervalSince(started))) s, \(shown.count) tickets shown, \(saved.count) saved, none lost or doubled")
    }
}
