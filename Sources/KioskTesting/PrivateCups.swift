// A private cupsd on loopback for tests, and a socket listener that stands in for a port-9100 printer.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Starts `cupsd -f` with every file in one temporary folder, so tests use real CUPS without touching
/// the machine's printers. Settings that matter for what the tests prove:
/// - `ErrorPolicy stop-printer` (CUPS's default): a failing backend stops the queue, as it would on a
///   kiosk, so the tests see the kiosk resume it.
/// - The repository's `cups/cupsd-kiosk.conf`, the settings a kiosk's cupsd is given (`PreserveJobFiles No`,
///   `PreserveJobHistory No`): a finished job vanishes from cupsd at once, and the kiosk reads how it
///   ended from its job-completed subscription. The tests prove the shipped settings, not their own.
/// - `ServerBin` is a private folder of symlinks to /usr/lib/cups (filters, standard backends) plus the
///   project's test backends from `scripts/cups-backends`; cupsd runs only root-owned, not
///   group/world-writable backends when it runs as root, and a copy made here as root is that.
public final class PrivateCups: @unchecked Sendable {
    public let root: String
    public let port: Int
    /// For `CUPS_SERVER` or `CupsPrinter(server:)`.
    public var serverAddress: String { "127.0.0.1:\(port)" }
    public let errorLog: String
    private let lock = NSLock()
    private var pid: pid_t = 0

    /// The repository's cups/cupsd-kiosk.conf.
    public static var shippedSettingsFile: String {
        URL(fileURLWithPath: projectBackends).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("cups/cupsd-kiosk.conf").path
    }

    /// The directives of the shipped file, comments left out.
    public static func shippedSettings() throws -> String {
        try String(contentsOfFile: shippedSettingsFile, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
    }

    /// The repository's scripts/cups-backends, found from this file's place in the checkout.
    public static var projectBackends: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/cups-backends").path
    }

    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: cupsd) && FileManager.default.isExecutableFile(atPath: "/usr/sbin/lpadmin")
    }

    static let cupsd = "/usr/sbin/cupsd"
    static let systemServerBin = "/usr/lib/cups"

    public init(backends: String = PrivateCups.projectBackends, startTimeout: TimeInterval = 15) throws {
        guard Self.isAvailable else { throw PrivateCupsError.notInstalled }
        var template = Array("/tmp/kcups.XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PrivateCupsError.setup("mkdtemp failed: errno \(errno)") }
        root = String(cString: made)
        errorLog = root + "/log/error_log"
        port = try Self.freeLoopbackPort()
        do {
            try layOut(backends: backends)
            try start(timeout: startTimeout)
        } catch {
            stop()
            throw error
        }
    }

    deinit { stop() }

    // MARK: Queues

    /// `lpadmin -p NAME -E -v URI -m raw`: CUPS 2.4 still makes raw queues (with a deprecation warning).
    public func addRawQueue(_ name: String, uri: String, errorPolicy: String? = nil) throws {
        var args = ["-p", name, "-E", "-v", uri, "-m", "raw"]
        if let errorPolicy { args += ["-o", "printer-error-policy=\(errorPolicy)"] }
        try lpadmin(args)
    }

    /// A queue for PNG jobs whose PPD hands image/png to the backend unchanged, so a socket listener
    /// receives exactly the PNG the kiosk sent (an ordinary printer's PPD would convert it).
    public func addImageQueue(_ name: String, uri: String) throws {
        let ppd = root + "/conf/\(name)-passthrough.ppd"
        try Self.passThroughPPD.write(toFile: ppd, atomically: true, encoding: .utf8)
        try lpadmin(["-p", name, "-E", "-v", uri, "-P", ppd])
    }

    public func lpadmin(_ args: [String]) throws {
        try run("/usr/sbin/lpadmin", ["-h", serverAddress] + args)
    }

    /// Runs a CUPS command-line tool against this cupsd (CUPS_SERVER set); throws with its stderr.
    public func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["CUPS_SERVER"] = serverAddress
        p.environment = env
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw PrivateCupsError.command("\(tool) \(args.joined(separator: " ")) exited \(p.terminationStatus): \(text)")
        }
    }

    /// The last lines of cupsd's error_log, for a failing test's message.
    public func logTail(lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? "(no error_log)"
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    public var isRunning: Bool {
        lock.lock(); defer { lock.unlock() }
        return pid > 0 && kill(pid, 0) == 0
    }

    /// SIGTERM to cupsd's process group (cupsd stops its jobs' backends and filters itself), then
    /// SIGKILL if it has not gone within 5 s; then the folder is removed. Safe to call twice.
    public func stop() {
        lock.lock()
        let p = pid
        pid = 0
        lock.unlock()
        if p > 0 {
            kill(-p, SIGTERM)
            var status: Int32 = 0
            let deadline = Date().addingTimeInterval(5)
            var reaped = false
            while Date() < deadline {
                let r = waitpid(p, &status, WNOHANG)
                // ECHILD: someone else reaped it (Foundation's Process reaps children it did not start).
                if r == p || (r < 0 && errno == ECHILD) { reaped = true; break }
                usleep(20_000)
            }
            if !reaped {
                kill(-p, SIGKILL)
                waitpid(p, &status, 0)
            }
            // Backends and filters run in process groups of their own; after a cupsd that had to be
            // killed, one may live on (the socket backend ignores SIGTERM once it has sent data).
            // They are ours: their command lines name this cupsd's private folder.
            for leftover in Self.processes(mentioning: root) { kill(leftover, SIGKILL) }
        }
        if !root.isEmpty, root.hasPrefix("/tmp/kcups.") {
            try? FileManager.default.removeItem(atPath: root)
        }
    }

    // MARK: Setup

    private func layOut(backends: String) throws {
        let fm = FileManager.default
        for d in ["conf", "spool", "spool/tmp", "cache", "state", "log", "bin", "bin/backend"] {
            try fm.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true)
        }
        // cupsd drops to User lp for filters and backends: they must reach the spool.
        chmod(root, 0o755)
        for d in ["cgi-bin", "daemon", "driver", "filter", "monitor", "notifier"] {
            let target = Self.systemServerBin + "/" + d
            if fm.fileExists(atPath: target) { try fm.createSymbolicLink(atPath: root + "/bin/" + d, withDestinationPath: target) }
        }
        for b in (try? fm.contentsOfDirectory(atPath: Self.systemServerBin + "/backend")) ?? [] {
            try fm.createSymbolicLink(atPath: root + "/bin/backend/" + b, withDestinationPath: Self.systemServerBin + "/backend/" + b)
        }
        for b in try fm.contentsOfDirectory(atPath: backends) where b.hasPrefix("kiosk-test-") {
            let dest = root + "/bin/backend/" + b
            try fm.copyItem(atPath: backends + "/" + b, toPath: dest)
            chmod(dest, 0o755)
        }

        let asRoot = geteuid() == 0
        var files = """
        ServerRoot \(root)/conf
        RequestRoot \(root)/spool
        TempDir \(root)/spool/tmp
        CacheDir \(root)/cache
        StateDir \(root)/state
        ServerBin \(root)/bin
        DataDir /usr/share/cups
        AccessLog \(root)/log/access_log
        ErrorLog \(root)/log/error_log
        PageLog \(root)/log/page_log
        FileDevice Yes

        """
        if asRoot {
            // cupsd refuses to run filters as root; lp exists on every Debian with cups installed.
            files += "User lp\nGroup lp\nSystemGroup root\n"
        } else if let g = getgrgid(getgid()) {
            files += "SystemGroup \(String(cString: g.pointee.gr_name))\n"
        }
        try files.write(toFile: root + "/conf/cups-files.conf", atomically: true, encoding: .utf8)

        let conf = """
        Listen 127.0.0.1:\(port)
        LogLevel info
        Browsing No
        WebInterface No
        DefaultAuthType None
        ErrorPolicy stop-printer
        \(try Self.shippedSettings())
        MaxJobs 100
        <Location />
          Order allow,deny
          Allow 127.0.0.1
        </Location>
        <Location /admin>
          Order allow,deny
          Allow 127.0.0.1
        </Location>
        <Policy default>
          <Limit All>
            Order allow,deny
            Allow all
          </Limit>
        </Policy>

        """
        try conf.write(toFile: root + "/conf/cupsd.conf", atomically: true, encoding: .utf8)
    }

    private func start(timeout: TimeInterval) throws {
        let args = [Self.cupsd, "-f", "-c", root + "/conf/cupsd.conf", "-s", root + "/conf/cups-files.conf"]
        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Its own process group, so stop() reaches cupsd and anything it forks with one kill.
        // An empty signal mask and default handlers: the test runner's worker threads block SIGTERM,
        // and a cupsd that inherited that would ignore stop() until SIGKILL (which leaves its backends).
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attr, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, root + "/log/stdout", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var child: pid_t = 0
        let rc = posix_spawn(&child, Self.cupsd, &actions, &attr, argv, environ)
        guard rc == 0 else { throw PrivateCupsError.setup("posix_spawn cupsd: error \(rc)") }
        lock.lock(); pid = child; lock.unlock()

        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child {
                lock.lock(); pid = 0; lock.unlock()
                let out = (try? String(contentsOfFile: root + "/log/stdout", encoding: .utf8)) ?? ""
                throw PrivateCupsError.setup("cupsd exited at start (status \(status)): \(out)\n\(logTail())")
            }
            if Self.canConnect(port: port) { return }
            usleep(30_000)
        }
        throw PrivateCupsError.setup("cupsd did not listen on 127.0.0.1:\(port) within \(timeout) s\n\(logTail())")
    }

    /// Live processes (not this one) whose command line contains `text`.
    public static func processes(mentioning text: String) -> [pid_t] {
        let fm = FileManager.default
        let me = getpid()
        return ((try? fm.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = pid_t(entry), pid != me,
                  let raw = fm.contents(atPath: "/proc/\(entry)/cmdline"), !raw.isEmpty else { return nil }
            let cmd = String(decoding: raw.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return cmd.contains(text) ? pid : nil
        }
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = loopback(port: port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return rc == 0
    }

    static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    /// Binds port 0 and gives the number back; cupsd binds it a moment later (a small race a test
    /// machine does not lose in practice).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PrivateCupsError.setup("socket: errno \(errno)") }
        defer { close(fd) }
        var addr = loopback(port: 0)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw PrivateCupsError.setup("bind: errno \(errno)") }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: bound.sin_port))
    }

    static let passThroughPPD = """
    *PPD-Adobe: "4.3"
    *FormatVersion: "4.3"
    *FileVersion: "1.0"
    *LanguageVersion: English
    *LanguageEncoding: ISOLatin1
    *PCFileName: "KIOSKPNG.PPD"
    *Manufacturer: "Kiosk"
    *Product: "(Kiosk test image printer)"
    *ModelName: "Kiosk test image printer"
    *ShortNickName: "Kiosk test image printer"
    *NickName: "Kiosk test image printer, PNG pass-through"
    *PSVersion: "(3010.000) 0"
    *ColorDevice: False
    *DefaultColorSpace: Gray
    *cupsVersion: 2.4
    *cupsFilter: "image/png 0 -"
    *OpenUI *PageSize/Media Size: PickOne
    *OrderDependency: 10 AnySetup *PageSize
    *DefaultPageSize: X80MMY200MM
    *PageSize X80MMY200MM/80 x 200 mm: "<</PageSize[227 567]>>setpagedevice"
    *CloseUI: *PageSize
    *OpenUI *PageRegion/Media Size: PickOne
    *OrderDependency: 10 AnySetup *PageRegion
    *DefaultPageRegion: X80MMY200MM
    *PageRegion X80MMY200MM/80 x 200 mm: "<</PageSize[227 567]>>setpagedevice"
    *CloseUI: *PageRegion
    *DefaultImageableArea: X80MMY200MM
    *ImageableArea X80MMY200MM: "0 0 227 567"
    *DefaultPaperDimension: X80MMY200MM
    *PaperDimension X80MMY200MM: "227 567"

    """
}

public enum PrivateCupsError: Error, CustomStringConvertible {
    case notInstalled
    case setup(String)
    case command(String)

    public var description: String {
        switch self {
        case .notInstalled: return "private cupsd: /usr/sbin/cupsd or lpadmin missing; install cups, cups-client and cups-bsd (scripts/debian-packages.txt)"
        case .setup(let s): return "private cupsd: \(s)"
        case .command(let s): return "private cupsd: \(s)"
        }
    }
}

/// A TCP listener on a free loopback port that keeps the bytes of each connection: what a thermal
/// printer on port 9100 would have received from CUPS's socket backend.
public final class SocketPrinter: @unchecked Sendable {
    public let port: Int
    public var uri: String { "socket://127.0.0.1:\(port)" }
    private let inbox: Inbox
    /// A printer never needs more; a runaway sender is cut off here.
    public static let maxBytesPerJob = 64 << 20

    public init() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw PrivateCupsError.setup("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = PrivateCups.loopback(port: 0)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(s, 8) == 0 else {
            Glibc.close(s)
            throw PrivateCupsError.setup("bind/listen: errno \(errno)")
        }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        // The thread holds only the inbox, so dropping the SocketPrinter closes the listener.
        let inbox = Inbox(fd: s)
        self.inbox = inbox
        Thread { inbox.acceptLoop() }.start()
    }

    deinit { inbox.close() }

    public func close() { inbox.close() }

    /// Every connection's bytes so far, in arrival order.
    public var received: [Data] { inbox.snapshot() }

    /// Waits until `count` connections have been received and closed; nil on timeout.
    public func waitForJobs(_ count: Int, timeout: TimeInterval) -> [Data]? {
        inbox.wait(for: count, timeout: timeout)
    }

    private final class Inbox: @unchecked Sendable {
        let fd: Int32
        private let cond = NSCondition()
        private var jobs: [Data] = []
        private var closed = false

        init(fd: Int32) { self.fd = fd }

        func close() {
            cond.lock()
            let wasClosed = closed
            closed = true
            cond.broadcast()
            cond.unlock()
            if !wasClosed {
                shutdown(fd, Int32(SHUT_RDWR))
                Glibc.close(fd)
            }
        }

        func snapshot() -> [Data] {
            cond.lock(); defer { cond.unlock() }
            return jobs
        }

        func wait(for count: Int, timeout: TimeInterval) -> [Data]? {
            let deadline = Date().addingTimeInterval(timeout)
            cond.lock(); defer { cond.unlock() }
            while jobs.count < count {
                if !cond.wait(until: deadline) { return jobs.count >= count ? jobs : nil }
            }
            return jobs
        }

        func acceptLoop() {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 {
                    cond.lock(); let done = closed; cond.unlock()
                    if done || (errno != EINTR && errno != ECONNABORTED) { return }
                    continue
                }
                // One job at a time, as a real port-9100 printer takes them.
                var data = Data()
                var buffer = [UInt8](repeating: 0, count: 65_536)
                while data.count <= SocketPrinter.maxBytesPerJob {
                    let n = buffer.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    data.append(contentsOf: buffer[0..<n])
                }
                Glibc.close(c)
                cond.lock()
                jobs.append(data)
                cond.broadcast()
                cond.unlock()
            }
        }
    }
}
