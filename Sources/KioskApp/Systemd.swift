// sd_notify without libsystemd: READY once, STATUS on change, WATCHDOG pings, as datagrams to $NOTIFY_SOCKET.
import Foundation
import KioskUI
#if canImport(Glibc)
import Glibc
#endif

/// Talks to systemd for the main loop. Not thread-safe on purpose: only the main loop calls it, so a stuck
/// loop sends no ping and systemd restarts the kiosk.
final class SystemdNotifier {
    private let path: String?
    /// Seconds between watchdog pings: half of `WATCHDOG_USEC`, so one late wake-up never trips it.
    let watchdogInterval: Double?
    private var fd: Int32 = -1
    private(set) var readySent = false
    private var lastStatus: String?

    init(environment: [String: String] = ProcessInfo.processInfo.environment, pid: Int32 = getpid()) {
        path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        watchdogInterval = Self.watchdogInterval(environment: environment, pid: pid)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Started by systemd as a service (it sets `INVOCATION_ID` for every unit it runs, and `NOTIFY_SOCKET`
    /// for Type=notify): a failed start there means a restart loop, not a technician reading the terminal.
    static func isUnderSystemd(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        [environment["NOTIFY_SOCKET"], environment["INVOCATION_ID"]].contains { !($0 ?? "").isEmpty }
    }

    /// sd_watchdog_enabled's rules: a positive whole number of microseconds, meant for this process
    /// (`WATCHDOG_PID`, when set, must be ours: a child such as `kiosk bench`'s must not ping for its parent).
    static func watchdogInterval(environment: [String: String], pid: Int32) -> Double? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, Int32(owner) != pid { return nil }
        // Never spin: below 20 ms a period is a misconfiguration, not a request to wake 100 times a second.
        return max(0.01, Double(usec) / 2_000_000)
    }

    /// `READY=1` with the first status; later calls do nothing (systemd wants it once).
    func ready(status: String) {
        guard !readySent else { return }
        readySent = true
        lastStatus = status
        send("READY=1\nSTATUS=\(status)")
    }

    /// Sends `STATUS=` only when it differs from the last one.
    func status(_ status: String) {
        guard status != lastStatus else { return }
        lastStatus = status
        send("STATUS=\(status)")
    }

    func ping() { send("WATCHDOG=1") }
    /// Said once the main loop has ended: systemd shows "deactivating" while the kiosk finishes its work.
    func stopping() { send("STOPPING=1") }

    func send(_ message: String) {
        #if canImport(Glibc)
        guard var path else { return }
        if path.hasPrefix("@") { path = "\0" + path.dropFirst() } // abstract socket
        if fd < 0 {
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { return }
        }
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
                    sendto(fd, msg, strlen(msg), Int32(MSG_NOSIGNAL), sa, len)
                }
            }
        }
        #endif
    }
}

/// What `systemctl status kiosk` shows: the screen and language, never what a resident typed.
func kioskStatus(_ state: AppState) -> String {
    if let problem = state.startProblem { return "out of service: cannot start: \(problem.prefix(200))" }
    if state.outOfService, !state.inMaintenance { return "out of service (set in maintenance)" }
    var s = "showing \(state.screen.rawValue)"
    if state.screen == .article, let id = state.browse.articleID { s += " \(id)" }
    if state.screen == .articles, let id = state.browse.selectedCategory?.category.id { s += " of \(id)" }
    s += " in \(state.language.rawValue)"
    if state.resetAt != nil { s += ", idle warning up" }
    return s
}
