// The kiosk's log through swift-log: one line per event on standard error, which systemd sends to journald.
// Each line names the kiosk (`kiosk[lodz-piotrkowska-110-01]: …`), so a fleet's logs collected in one place
// still say which kiosk spoke; under journald a `<N>` prefix gives the line its priority (`journalctl -p err`).
import Foundation
import Logging

enum Log {
    /// Set once the config is read; lines before that say `kiosk:` alone.
    static func setKioskID(_ id: String) { KioskLogHandler.kioskID.set(id) }

    static func error(_ s: String) {
        RecentErrors.record(s)
        logger.error("\(s)")
    }
    static func warning(_ s: String) { logger.warning("\(s)") }
    static func info(_ s: String) { logger.info("\(s)") }

    /// Bootstrapped on first use: swift-log allows one bootstrap per process, and the tests run many commands
    /// in one. A library's own logger (GRDB, AsyncHTTPClient) writes through the same handler.
    static let logger: Logger = {
        LoggingSystem.bootstrap { label in KioskLogHandler(label: label) }
        return Logger(label: "kiosk")
    }()
}

struct KioskLogHandler: LogHandler {
    final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        func set(_ v: String) { lock.withLock { value = v } }
        func get() -> String? { lock.withLock { value } }
    }
    static let kioskID = Box()
    /// journald sets JOURNAL_STREAM for a unit's standard error; only then do `<N>` prefixes mean something.
    static let toJournal = !(ProcessInfo.processInfo.environment["JOURNAL_STREAM"] ?? "").isEmpty
    private static let writeLock = NSLock()

    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata more: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let priority: Int
        let word: String
        switch level {
        case .critical: (priority, word) = (2, "error: ")
        case .error: (priority, word) = (3, "error: ")
        case .warning: (priority, word) = (4, "warning: ")
        case .notice: (priority, word) = (5, "")
        case .info: (priority, word) = (6, "")
        case .debug, .trace: (priority, word) = (7, "")
        }
        let who = Self.kioskID.get().map { "kiosk[\($0)]" } ?? "kiosk"
        let from = label == "kiosk" ? "" : "\(label): "
        var extra = metadata
        if let more { extra.merge(more) { $1 } }
        let tail = extra.isEmpty ? "" : " " + extra.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        // One line: a message with line breaks (a server's answer) would look like several events in journald.
        let text = "\(from)\(message)\(tail)".map { $0.isNewline ? " " : $0 }
        let out = (Self.toJournal ? "<\(priority)>" : "") + "\(who): \(word)" + String(text) + "\n"
        Self.writeLock.withLock { FileHandle.standardError.write(Data(out.utf8)) }
    }
}
