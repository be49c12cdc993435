// The printer.* keys of kiosk-config, checked once at start.
import Foundation

public struct PrinterSettings: Sendable, Equatable {
    /// nil: the kiosk has no printer; tickets are only shown.
    public var queue: String?
    public var kind: PrinterKind
    /// `host:port` or a socket path; nil: CUPS_SERVER, then libcups's default (the local cupsd).
    public var server: String?

    public init(queue: String?, kind: PrinterKind, server: String? = nil) {
        self.queue = queue
        self.kind = kind
        self.server = server
    }

    /// From the raw config values. An empty `printer.queue` means no printer.
    public init(queue rawQueue: String, kind rawKind: String, server rawServer: String? = nil) throws(PrinterConfigError) {
        let q = rawQueue.trimmingCharacters(in: .whitespaces)
        if q.isEmpty {
            queue = nil
        } else {
            guard Self.isValidQueueName(q) else { throw .badQueueName(q) }
            queue = q
        }
        kind = try PrinterKind(configValue: rawKind.isEmpty ? PrinterKind.escpos80.rawValue : rawKind)
        let s = rawServer?.trimmingCharacters(in: .whitespaces) ?? ""
        server = s.isEmpty ? nil : s
    }

    /// CUPS allows more, but a name a technician can type in `lpadmin -p` and read in a log is enough,
    /// and it keeps '/', '#', spaces and quotes out of the IPP URI the kiosk builds.
    public static func isValidQueueName(_ name: String) -> Bool {
        guard (1...127).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F || c == 0x2E
        }
    }
}
