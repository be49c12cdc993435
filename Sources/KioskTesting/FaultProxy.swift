// A fault-injecting HTTP/1.1 proxy on loopback for tests: the broken networks a kiosk meets, one fault per request.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the proxy does to one request.
public enum Fault: Sendable, Hashable, CustomStringConvertible {
    /// Forwards the request and the answer untouched.
    case pass
    /// Resets the client connection before reading or forwarding anything: the server never sees the request.
    case refuse
    /// Answers `503 Service Unavailable` itself; the server never sees the request.
    case status503
    /// Reads the request and answers nothing until the client gives up or `seconds` pass, then closes.
    /// The server never sees the request.
    case hang(seconds: TimeInterval)
    /// Forwards the request, reads the server's whole answer (so the server committed), then closes the client
    /// connection without sending a byte of it: the case that makes a retry a duplicate without idempotency.
    case dropAfterCommit
    /// Forwards, waits `delay`, then trickles the answer at `bytesPerSecond` (0: all at once after the delay).
    case slow(delay: TimeInterval = 0, bytesPerSecond: Int)
    /// Forwards, then sends the headers and half the body as it came on the wire (half the headers when the
    /// body is empty), and closes.
    case truncate

    /// The fault without its parameters, for counting.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case pass, refuse, status503, hang, dropAfterCommit, slow, truncate
    }

    public var kind: Kind {
        switch self {
        case .pass: return .pass
        case .refuse: return .refuse
        case .status503: return .status503
        case .hang: return .hang
        case .dropAfterCommit: return .dropAfterCommit
        case .slow: return .slow
        case .truncate: return .truncate
        }
    }

    /// Whether the server received the request under this fault (what a test expects of its row count).
    public var reachesServer: Bool {
        switch self {
        case .pass, .dropAfterCommit, .slow, .truncate: return true
        case .refuse, .status503, .hang: return false
        }
    }

    public var description: String {
        switch self {
        case let .hang(s): return "hang(\(s)s)"
        case let .slow(d, bps): return "slow(delay \(d)s, \(bps) B/s)"
        default: return kind.rawValue
        }
    }
}

/// Which fault each request gets: a seeded random mix (the same seed gives the same sequence) or a script.
public struct FaultMix: Sendable {
    private enum Source: Sendable {
        case random(choices: [(Fault, Double)], total: Double)
        case scripted([Fault], then: Fault)
    }

    private let source: Source
    public let seed: UInt64
    private var state: UInt64
    private var index = 0

    /// Weights need not add up to 1; each fault's share is its weight over their sum. A negative or non-finite
    /// weight counts as 0, and all zero means `pass`.
    public init(seed: UInt64, pass: Double = 0.7, refuse: Double = 0.05, status503: Double = 0.05, hang: Double = 0.05,
                dropAfterCommit: Double = 0.05, slow: Double = 0.05, truncate: Double = 0.05,
                hangSeconds: TimeInterval = 2, slowDelay: TimeInterval = 0, slowBytesPerSecond: Int = 4_000) {
        let all: [(Fault, Double)] = [
            (Fault.pass, pass), (Fault.refuse, refuse), (Fault.status503, status503), (Fault.hang(seconds: hangSeconds), hang),
            (Fault.dropAfterCommit, dropAfterCommit),
            (Fault.slow(delay: slowDelay, bytesPerSecond: slowBytesPerSecond), slow), (Fault.truncate, truncate),
        ]
        let weighted = all.filter { $0.1.isFinite && $0.1 > 0 }
        let total = weighted.reduce(0) { $0 + $1.1 }
        source = .random(choices: total > 0 ? weighted : [(.pass, 1)], total: total > 0 ? total : 1)
        self.seed = seed
        state = seed
    }

    /// `rate` of the requests faulted, spread evenly over the six faults (`rate` 0.3: 5 % each).
    public static func faulty(seed: UInt64, rate: Double, hangSeconds: TimeInterval = 2, slowDelay: TimeInterval = 0,
                              slowBytesPerSecond: Int = 4_000) -> FaultMix {
        let r = min(max(rate.isFinite ? rate : 0, 0), 1)
        let each = r / 6
        return FaultMix(seed: seed, pass: 1 - r, refuse: each, status503: each, hang: each, dropAfterCommit: each,
                        slow: each, truncate: each, hangSeconds: hangSeconds, slowDelay: slowDelay,
                        slowBytesPerSecond: slowBytesPerSecond)
    }

    /// These faults in order, then `then` for every request after them.
    public static func scripted(_ faults: [Fault], then: Fault = .pass) -> FaultMix {
        FaultMix(source: .scripted(faults, then: then))
    }

    /// Every request passes: "the faults stop".
    public static var passAll: FaultMix { scripted([], then: .pass) }

    private init(source: Source) {
        self.source = source
        seed = 0
        state = 0
    }

    /// The fault for the next request.
    public mutating func next() -> Fault {
        switch source {
        case let .scripted(faults, then):
            defer { index += 1 }
            return index < faults.count ? faults[index] : then
        case let .random(choices, total):
            // SplitMix64: small, seedable, the same on every platform (SystemRandomNumberGenerator is not seedable).
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let u = Double(z >> 11) / Double(1 << 53) * total
            var acc = 0.0
            for (fault, weight) in choices {
                acc += weight
                if u < acc { return fault }
            }
            return choices[choices.count - 1].0
        }
    }

    /// The first `count` faults this mix gives from its current position, without using them up.
    public func upcoming(_ count: Int) -> [Fault] {
        var copy = self
        return (0..<max(count, 0)).map { _ in copy.next() }
    }
}

public enum FaultProxyError: Error, CustomStringConvertible {
    case setup(String)
    public var description: String {
        switch self { case let .setup(why): return "fault proxy: \(why)" }
    }
}

/// A TCP proxy on 127.0.0.1 (a port the kernel picks) in front of `upstreamHost:upstreamPort`. It reads each
/// request's framing (Content-Length or chunked bodies; answers framed by Content-Length, chunked or the end of
/// the connection), so keep-alive connections get one fault per request. The fault is chosen when the first
/// byte of a request arrives, so an idle keep-alive connection uses up nothing.
///
/// Each forwarded request goes on a fresh upstream connection, closed after the answer: the proxy never sends
/// a request on a connection the server may have dropped, so it never causes a duplicate of its own.
/// When the upstream cannot be reached, the client connection is reset, as a down server would do, and
/// `upstreamUnreachable` counts it.
public final class FaultProxy: @unchecked Sendable {
    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Above these the proxy answers 431/413 and closes: a test that needs more is doing something else.
    public static let maxHeadBytes = 64 << 10
    public static let maxBodyBytes = 64 << 20

    private let state: State

    public init(upstreamHost: String = "127.0.0.1", upstreamPort: Int, mix: FaultMix = .passAll) throws {
        guard inet_addr(upstreamHost) != INADDR_NONE else {
            throw FaultProxyError.setup("upstream host \(upstreamHost) is not an IPv4 address; use 127.0.0.1")
        }
        guard (1...65_535).contains(upstreamPort) else { throw FaultProxyError.setup("upstream port \(upstreamPort) is out of range") }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw FaultProxyError.setup("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = PrivateCups.loopback(port: 0)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(s, 128) == 0 else {
            let e = errno
            Glibc.close(s)
            throw FaultProxyError.setup("bind/listen on 127.0.0.1: errno \(e)")
        }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) }
        }
        port = Int(UInt16(bigEndian: bound.sin_port))
        var upstream = sockaddr_in()
        upstream.sin_family = sa_family_t(AF_INET)
        upstream.sin_port = in_port_t(UInt16(upstreamPort).bigEndian)
        upstream.sin_addr.s_addr = inet_addr(upstreamHost)
        // Threads hold only the state, so dropping the proxy stops it.
        let state = State(listener: s, upstream: upstream, mix: mix)
        self.state = state
        state.startThread { state.acceptLoop() }
    }

    deinit { _ = state.stop(timeout: 5) }

    /// The mix for the requests from now on (thread-safe; `proxy.mix = .passAll` when the faults stop).
    public var mix: FaultMix {
        get { state.locked { state.mix } }
        set { state.locked { state.mix = newValue } }
    }

    /// Requests that got each fault so far.
    public var counts: [Fault.Kind: Int] { state.locked { state.counts } }
    public func count(_ kind: Fault.Kind) -> Int { state.locked { state.counts[kind] ?? 0 } }
    /// Requests a fault was chosen for (the sum of `counts`).
    public var requests: Int { state.locked { state.counts.values.reduce(0, +) } }
    /// Faults in the order requests got them (the first 100,000).
    public var applied: [Fault] { state.locked { state.applied } }
    /// Requests that reached the upstream (pass, dropAfterCommit, slow, truncate whose upstream answered).
    public var forwarded: Int { state.locked { state.forwarded } }
    /// Forwarding attempts that found no upstream listening (the client was reset).
    public var upstreamUnreachable: Int { state.locked { state.upstreamUnreachable } }
    /// Requests the proxy could not read (bad framing, too large): answered 400/413/431 and closed.
    public var malformedRequests: Int { state.locked { state.malformed } }
    /// Client connections being served right now (0 after `stop()`).
    public var openConnections: Int { state.locked { state.threads - (state.acceptRunning ? 1 : 0) } }

    /// Zeroes the counters and the log (the mix keeps its position).
    public func resetCounts() {
        state.locked {
            state.counts = [:]; state.applied = []; state.forwarded = 0; state.upstreamUnreachable = 0; state.malformed = 0
        }
    }

    /// Closes the listener and every connection, and waits (up to `timeout`) for every thread to end.
    /// Returns false when a thread is still running after it. Safe to call more than once.
    @discardableResult
    public func stop(timeout: TimeInterval = 5) -> Bool { state.stop(timeout: timeout) }

    // MARK: - The machinery, shared with the threads

    private final class State: @unchecked Sendable {
        let listener: Int32
        let upstream: sockaddr_in
        private let cond = NSCondition()
        // Guarded by `cond`:
        var mix: FaultMix
        var counts: [Fault.Kind: Int] = [:]
        var applied: [Fault] = []
        var forwarded = 0
        var upstreamUnreachable = 0
        var malformed = 0
        var threads = 0
        var acceptRunning = false
        var stopped = false
        /// Every descriptor open now. A descriptor is closed only under the lock and after leaving this set, so
        /// `stop()` never shuts down a number the kernel has already handed to someone else.
        var open: Set<Int32> = []

        init(listener: Int32, upstream: sockaddr_in, mix: FaultMix) {
            self.listener = listener; self.upstream = upstream; self.mix = mix
            open.insert(listener)
        }

        func locked<T>(_ body: () -> T) -> T {
            cond.lock(); defer { cond.unlock() }
            return body()
        }

        var isStopped: Bool { locked { stopped } }

        func startThread(_ body: @escaping @Sendable () -> Void) {
            cond.lock()
            threads += 1
            cond.unlock()
            let t = Thread { [self] in
                body()
                cond.lock()
                threads -= 1
                cond.broadcast()
                cond.unlock()
            }
            t.stackSize = 1 << 20
            t.start()
        }

        /// Takes a new descriptor into the set, or closes it when the proxy is stopping.
        func adopt(_ fd: Int32) -> Bool {
            cond.lock(); defer { cond.unlock() }
            if stopped { Glibc.close(fd); return false }
            open.insert(fd)
            return true
        }

        /// `reset`: SO_LINGER 0, so the peer gets an RST rather than an orderly end.
        func close(_ fd: Int32, reset: Bool = false) {
            cond.lock(); defer { cond.unlock() }
            guard open.remove(fd) != nil else { return }
            if reset {
                var l = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
            }
            Glibc.close(fd)
        }

        func stop(timeout: TimeInterval) -> Bool {
            cond.lock(); defer { cond.unlock() }
            stopped = true
            // shutdown wakes every thread blocked in accept, recv or poll on these; each closes its own.
            for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
            let deadline = Date().addingTimeInterval(timeout)
            while threads > 0 {
                if !cond.wait(until: deadline) { return threads == 0 }
            }
            return true
        }

        func nextFault() -> Fault {
            cond.lock(); defer { cond.unlock() }
            let f = mix.next()
            counts[f.kind, default: 0] += 1
            if applied.count < 100_000 { applied.append(f) }
            return f
        }

        func acceptLoop() {
            locked { acceptRunning = true }
            defer {
                locked { acceptRunning = false }
                close(listener)
            }
            while true {
                let c = accept(listener, nil, nil)
                if c < 0 {
                    if isStopped || (errno != EINTR && errno != ECONNABORTED && errno != EMFILE && errno != ENFILE) { return }
                    if errno == EMFILE || errno == ENFILE { usleep(10_000) }
                    continue
                }
                guard adopt(c) else { return }
                var one: Int32 = 1
                setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                startThread { [self] in serve(client: c) }
            }
        }

        // MARK: One client connection

        func serve(client fd: Int32) {
            let client = Wire(fd: fd)
            var reset = false
            defer { close(fd, reset: reset) }
            while !isStopped {
                // Wait for the next request's first byte before choosing its fault.
                guard client.waitForData() else { return }
                let fault = nextFault()
                if fault == .refuse { reset = true; return }

                let request: HTTPMessage
                do {
                    request = try HTTPMessage.readRequest(from: client)
                } catch let e as WireError {
                    if let answer = e.answer {
                        locked { malformed += 1 }
                        if client.send(Array(answer.utf8)) { client.drain() }
                    }
                    return
                } catch { return }

                switch fault {
                case .status503:
                    let body = "fault proxy: 503\n"
                    let head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
                        + "Content-Length: \(body.utf8.count)\r\n" + (request.wantsClose ? "Connection: close\r\n" : "") + "\r\n"
                    guard client.send(Array((head + body).utf8)), !request.wantsClose else { return }
                    continue
                case let .hang(seconds):
                    _ = pause(seconds, watching: fd)
                    return
                default:
                    break
                }

                let answer: HTTPMessage
                switch forward(request) {
                case let .answered(a): answer = a
                case .unreachable:
                    locked { upstreamUnreachable += 1 }
                    reset = true
                    return
                case .failed:
                    return
                }

                switch fault {
                case .dropAfterCommit:
                    return
                case .truncate:
                    let cut = answer.body.isEmpty ? Array(answer.head.prefix(answer.head.count / 2))
                                                  : answer.head + answer.body.prefix(answer.body.count / 2)
                    _ = client.send(cut)
                    return
                case let .slow(delay, bytesPerSecond):
                    guard pause(delay, watching: fd) else { return }
                    let bytes = answer.head + answer.body
                    if bytesPerSecond <= 0 {
                        guard client.send(bytes) else { return }
                    } else {
                        // Twenty slices a second: slow enough to trip a read timeout, fine enough to look like a bad line.
                        let slice = max(1, bytesPerSecond / 20)
                        var at = 0
                        while at < bytes.count {
                            let end = min(at + slice, bytes.count)
                            guard client.send(Array(bytes[at..<end])) else { return }
                            at = end
                            if at < bytes.count, !pause(Double(slice) / Double(bytesPerSecond), watching: fd) { return }
                        }
                    }
                default:
                    guard client.send(answer.head + answer.body) else { return }
                }
                if request.wantsClose || answer.wantsClose || answer.framing == .untilClose { return }
            }
        }

        /// Sleeps up to `seconds`; false when the client hung up or the proxy is stopping.
        func pause(_ seconds: TimeInterval, watching fd: Int32) -> Bool {
            let deadline = Date().addingTimeInterval(max(seconds, 0))
            while true {
                if isStopped { return false }
                let remaining = deadline.timeIntervalSinceNow
                if remaining <= 0 { return true }
                // POLLRDHUP (Linux): the peer closed its side; HUP and ERR always report. Waking at least every
                // 200 ms also notices stop() on a descriptor that is not a socket.
                var p = pollfd(fd: fd, events: Int16(Self.pollRDHUP), revents: 0)
                let rc = poll(&p, 1, Int32(min(remaining, 0.2) * 1000) + 1)
                if rc > 0, p.revents != 0 { return false }
            }
        }

        static let pollRDHUP: Int32 = 0x2000

        enum Forwarded { case answered(HTTPMessage), unreachable, failed }

        func forward(_ request: HTTPMessage) -> Forwarded {
            let u = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard u >= 0 else { return .failed }
            guard adopt(u) else { return .failed }
            defer { close(u) }
            // A server that never answers must not hold a thread past the test.
            var tv = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(u, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = upstream
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(u, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard rc == 0 else { return .unreachable }
            let wire = Wire(fd: u)
            guard wire.send(request.head + request.body) else { return .failed }
            do {
                let answer = try HTTPMessage.readResponse(from: wire, toMethod: request.method)
                locked { forwarded += 1 }
                return .answered(answer)
            } catch {
                return .failed
            }
        }
    }
}

// MARK: - HTTP/1.1 framing

enum WireError: Error {
    case closed
    case io(Int32)
    case malformed(String)
    case headTooLarge
    case bodyTooLarge

    /// What the proxy answers a client whose request it cannot read; nil when the client is gone.
    var answer: String? {
        func reply(_ status: String, _ text: String) -> String {
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)"
        }
        switch self {
        case .closed, .io: return nil
        case let .malformed(why): return reply("400 Bad Request", "fault proxy: \(why)\n")
        case .headTooLarge: return reply("431 Request Header Fields Too Large", "fault proxy: headers over \(FaultProxy.maxHeadBytes) bytes\n")
        case .bodyTooLarge: return reply("413 Content Too Large", "fault proxy: body over \(FaultProxy.maxBodyBytes) bytes\n")
        }
    }
}

/// A socket with a read buffer.
final class Wire {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(fd: Int32) { self.fd = fd }

    private var available: Int { buffer.count - start }

    /// Reads more bytes; false at the end of the stream.
    private func fill() throws -> Bool {
        if start > 0, start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        if start > 1 << 20 { buffer.removeFirst(start); start = 0 }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]); return true }
            if n == 0 { return false }
            if errno == EINTR { continue }
            throw WireError.io(errno)
        }
    }

    /// Blocks until a byte is there to read; false when the peer closed or the socket failed.
    func waitForData() -> Bool {
        if available > 0 { return true }
        return (try? fill()) ?? false
    }

    func send(_ bytes: [UInt8]) -> Bool {
        var at = 0
        while at < bytes.count {
            let n = bytes[at...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            at += n
        }
        return true
    }

    /// Ends our side and reads what the peer still sends (up to 1 s, 1 MiB): closing with unread bytes would
    /// send an RST that can destroy the error answer before the client reads it.
    func drain() {
        shutdown(fd, Int32(SHUT_WR))
        var tv = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var total = 0
        while total < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            total += n
        }
    }

    /// Up to and including the blank line that ends a head.
    func readHead() throws -> [UInt8] {
        var scanFrom = start
        while true {
            if available >= 4 {
                var i = max(scanFrom, start)
                while i + 3 < buffer.count {
                    if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 {
                        guard i + 4 - start <= FaultProxy.maxHeadBytes else { throw WireError.headTooLarge }
                        let head = Array(buffer[start..<(i + 4)])
                        start = i + 4
                        return head
                    }
                    i += 1
                }
                scanFrom = max(start, buffer.count - 3)
            }
            if available > FaultProxy.maxHeadBytes { throw WireError.headTooLarge }
            guard try fill() else { throw available == 0 ? WireError.closed : WireError.malformed("the connection ended inside the headers") }
        }
    }

    func readExactly(_ count: Int) throws -> [UInt8] {
        while available < count {
            guard try fill() else { throw WireError.malformed("the connection ended inside a body") }
        }
        let out = Array(buffer[start..<(start + count)])
        start += count
        return out
    }

    /// One line with its CRLF (chunk sizes, trailers).
    func readLine() throws -> [UInt8] {
        while true {
            if let lf = buffer[start...].firstIndex(of: 10) {
                let line = Array(buffer[start...lf])
                start = lf + 1
                return line
            }
            if available > 8 << 10 { throw WireError.malformed("a chunk line over 8 KiB") }
            guard try fill() else { throw WireError.malformed("the connection ended inside a chunked body") }
        }
    }

    func readToEnd(limit: Int) throws -> [UInt8] {
        while try fill() {
            if available > limit { throw WireError.bodyTooLarge }
        }
        let out = Array(buffer[start...])
        start = buffer.count
        return out
    }
}

/// One request or answer, kept as the bytes that came (the proxy forwards them unchanged).
struct HTTPMessage {
    enum Framing: Equatable { case none, length(Int), chunked, untilClose }

    var head: [UInt8]
    var body: [UInt8]
    var startLine: String
    var headers: [(String, String)]
    var framing: Framing

    func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    var method: String { String(startLine.split(separator: " ", maxSplits: 1).first ?? "") }
    var version: String {
        // A request line ends with the version, a status line starts with it.
        let parts = startLine.split(separator: " ")
        if startLine.hasPrefix("HTTP/") { return String(parts.first ?? "") }
        return String(parts.last ?? "")
    }

    var wantsClose: Bool {
        let connection = header("Connection")?.lowercased() ?? ""
        if connection.contains("close") { return true }
        return version == "HTTP/1.0" && !connection.contains("keep-alive")
    }

    static func parseHead(_ raw: [UInt8]) throws -> (String, [(String, String)]) {
        guard let text = String(bytes: raw, encoding: .utf8) ?? String(bytes: raw, encoding: .isoLatin1) else {
            throw WireError.malformed("unreadable headers")
        }
        var lines = text.components(separatedBy: "\r\n")
        while lines.last == "" { lines.removeLast() }
        guard let start = lines.first, !start.isEmpty else { throw WireError.malformed("no request line") }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { throw WireError.malformed("a header line without a colon") }
            headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                            String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return (start, headers)
    }

    static func framing(of headers: [(String, String)], allowUntilClose: Bool) throws -> Framing {
        func values(_ name: String) -> [String] {
            headers.filter { $0.0.caseInsensitiveCompare(name) == .orderedSame }.map(\.1)
        }
        if let te = values("Transfer-Encoding").last {
            guard te.lowercased().split(separator: ",").last?.trimmingCharacters(in: .whitespaces) == "chunked" else {
                if allowUntilClose { return .untilClose }
                throw WireError.malformed("Transfer-Encoding \(te) without chunked last")
            }
            return .chunked
        }
        let lengths = Set(values("Content-Length"))
        if lengths.count > 1 { throw WireError.malformed("conflicting Content-Length headers") }
        if let l = lengths.first {
            guard let n = Int(l), n >= 0 else { throw WireError.malformed("Content-Length \(l.prefix(20)) is not a number") }
            guard n <= FaultProxy.maxBodyBytes else { throw WireError.bodyTooLarge }
            return n == 0 ? .none : .length(n)
        }
        return allowUntilClose ? .untilClose : .none
    }

    static func readBody(_ framing: Framing, from wire: Wire) throws -> [UInt8] {
        switch framing {
        case .none: return []
        case let .length(n): return try wire.readExactly(n)
        case .untilClose: return try wire.readToEnd(limit: FaultProxy.maxBodyBytes)
        case .chunked:
            var out: [UInt8] = []
            while true {
                let line = try wire.readLine()
                out += line
                let text = String(decoding: line, as: UTF8.self)
                let sizeText = text.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                guard let size = Int(sizeText, radix: 16), size >= 0 else {
                    throw WireError.malformed("a chunk size \"\(sizeText.prefix(20))\" that is not hexadecimal")
                }
                if size == 0 {
                    // Trailers up to the blank line.
                    while true {
                        let t = try wire.readLine()
                        out += t
                        if t == [13, 10] || t == [10] { return out }
                        if out.count > FaultProxy.maxBodyBytes { throw WireError.bodyTooLarge }
                    }
                }
                guard out.count + size <= FaultProxy.maxBodyBytes else { throw WireError.bodyTooLarge }
                let data = try wire.readExactly(size + 2)
                guard data.suffix(2) == [13, 10] else { throw WireError.malformed("a chunk not followed by CRLF") }
                out += data
            }
        }
    }

    static func readRequest(from wire: Wire) throws -> HTTPMessage {
        let head = try wire.readHead()
        let (start, headers) = try parseHead(head)
        guard start.split(separator: " ").count == 3, start.hasSuffix("HTTP/1.1") || start.hasSuffix("HTTP/1.0") else {
            throw WireError.malformed("not an HTTP/1.x request line")
        }
        let framing = try framing(of: headers, allowUntilClose: false)
        return HTTPMessage(head: head, body: try readBody(framing, from: wire), startLine: start, headers: headers, framing: framing)
    }

    /// An answer, with any interim 1xx answers before it kept in front of its head.
    static func readResponse(from wire: Wire, toMethod method: String) throws -> HTTPMessage {
        var interim: [UInt8] = []
        while true {
            let head = try wire.readHead()
            let (start, headers) = try parseHead(head)
            let parts = start.split(separator: " ")
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
                throw WireError.malformed("not an HTTP/1.x status line")
            }
            if (100..<200).contains(status), status != 101 { interim += head; continue }
            let framing: Framing = method == "HEAD" || status == 204 || status == 304 || status == 101
                ? .none : try framing(of: headers, allowUntilClose: true)
            return HTTPMessage(head: interim + head, body: try readBody(framing, from: wire), startLine: start,
                               headers: headers, framing: framing)
        }
    }
}
