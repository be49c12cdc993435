// sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET (READY, STATUS, WATCHDOG).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class SystemdNotifier {
    private let path: String?
    private let watchdogInterval: Double?
    private var lastPing = 0.0

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // Ping at half the watchdog period so one slow frame never trips it.
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Double.init).map { $0 / 2_000_000 }
    }

    func watchdog() {
        guard let interval = watchdogInterval else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastPing >= interval else { return }
        lastPing = now
        send("WATCHDOG=1")
    }

    func send(_ message: String) {
        #if canImport(Glibc)
        guard var path else { return }
        if path.hasPrefix("@") { path = "\0" + path.dropFirst() } // abstract socket
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let len = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
        _ = message.withCString { msg in
            withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(fd, msg, strlen(msg), 0, sa, len)
                }
            }
        }
        #endif
    }
}
