// Test helpers that never touch SDL: a fixed-width measurer and snapshot files.
import Foundation
import KioskUI

/// Every character is half the font size wide; lines are 1.2× the size. Deterministic on any machine.
public final class FixedWidthMeasurer: TextMeasurer {
    public init() {}
    public func width(of text: Substring, font: FontSpec) -> Double {
        Double(text.count * font.size) / 2
    }
    public func lineHeight(font: FontSpec) -> Double {
        (Double(font.size) * 1.2).rounded()
    }
}

/// Text snapshots: compare with the committed file; record it when missing or when KIOSK_RECORD=1.
public enum TextSnapshot {
    public enum Outcome: Equatable { case matched, recorded(String), mismatch(String) }

    public static func check(_ text: String, named name: String, in folder: String) -> Outcome {
        let path = folder + "/" + name + ".txt"
        let record = ProcessInfo.processInfo.environment["KIOSK_RECORD"] == "1"
        if !record, let old = try? String(contentsOfFile: path, encoding: .utf8) {
            if old == text { return .matched }
            let a = old.split(separator: "\n", omittingEmptySubsequences: false)
            let b = text.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            let was = first < a.count ? String(a[first]) : "(end)"
            let now = first < b.count ? String(b[first]) : "(end)"
            try? text.write(toFile: path + ".new", atomically: true, encoding: .utf8)
            return .mismatch("\(path) differs at line \(first + 1):\n  was: \(was)\n  now: \(now)\n(new version in \(path).new; KIOSK_RECORD=1 re-records)")
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return .recorded(path)
    }
}
