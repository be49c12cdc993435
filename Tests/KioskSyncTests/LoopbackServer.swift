// A minimal HTTP/1.1 server on a free loopback port for the sync tests: canned answers chosen per request by
// the test, every request recorded, and the faults a real network has (hang, drop, truncate, raw bytes).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class LoopbackServer: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        /// Path without the query.
        var path: String
        var query: [String: String]
        /// Header names in lower case.
        var headers: [String: String]
        var body: Data

        var form: [(String, String)] {
            String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                    String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
                }
                return (kv[0], kv.count > 1 ? kv[1] : "")
            }
        }
        func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
    }

    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: Data)
        /// Bytes written as they are (a captured response, or a broken one).
        case raw(Data)
        /// Reads the request and says nothing for this long, then closes.
        case hang(TimeInterval)
        /// Closes without a word (the server committed, the answer is lost).
        case drop
        /// Declares the whole body's length and sends only the first `sent` bytes.
        case truncated(status: Int, body: Data, sent: Int)

        static func json(_ status: Int, _ body: String, headers: [(String, String)] = []) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json")] + headers, body: Data(body.utf8))
        }
    }

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let fd: Int32
    private let lock = NSLock()
    private var handler: @Sendable (Request) -> Reply
    private var log: [Request] = []
    private var closed = false

    init(_ handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = Self.loopback(port: 0)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0, listen(s, 64) == 0 else { Glibc.close(s); throw POSIXError(.EADDRINUSE) }
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        port = Int(UInt16(bigEndian: bound.sin_port))
        fd = s
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { close() }

    /// A port nothing listens on: bound, then closed (connection refused).
    static func deadPort() throws -> Int {
        let s = try LoopbackServer { _ in .drop }
        let p = s.port
        s.close()
        return p
    }

    func setHandler(_ h: @escaping @Sendable (Request) -> Reply) { lock.lock(); handler = h; lock.unlock() }
    var received: [Request] { lock.lock(); defer { lock.unlock() }; return log }
    func received(path: String) -> [Request] { received.filter { $0.path == path } }

    func close() {
        lock.lock()
        let was = closed
        closed = true
        lock.unlock()
        if !was { shutdown(fd, Int32(SHUT_RDWR)); Glibc.close(fd) }
    }

    static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return addr
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 {
                lock.lock(); let done = closed; lock.unlock()
                if done || (errno != EINTR && errno != ECONNABORTED) { return }
                continue
            }
            Thread { [self] in serve(c) }.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { Glibc.close(c) }
        var one: Int32 = 1
        setsockopt(c, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        // One request per connection; the answers say `Connection: close`.
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Range<Data.Index>?
        while headEnd == nil {
            let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            buffer.append(contentsOf: chunk[0..<n])
            headEnd = buffer.range(of: Data("\r\n\r\n".utf8))
            if buffer.count > 1 << 20 { return }
        }
        guard let headEnd else { return }
        let head = String(decoding: buffer[buffer.startIndex..<headEnd.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let start = lines.removeFirst().split(separator: " ")
        guard start.count >= 2 else { return }
        var headers: [String: String] = [:]
        for l in lines {
            guard let colon = l.firstIndex(of: ":") else { continue }
            headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        var body = Data(buffer[headEnd.upperBound...])
        while body.count < length {
            let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            body.append(contentsOf: chunk[0..<n])
        }
        let target = String(start[1])
        let parts = target.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                query[kv[0]] = kv.count > 1 ? kv[1] : ""
            }
        }
        let request = Request(method: String(start[0]), path: String(parts[0]).removingPercentEncoding ?? String(parts[0]),
                              query: query, headers: headers, body: body)
        lock.lock()
        log.append(request)
        let h = handler
        lock.unlock()
        switch h(request) {
        case let .respond(status, extra, body):
            var out = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
            for (k, v) in extra { out += "\(k): \(v)\r\n" }
            write(c, Data((out + "\r\n").utf8) + body)
        case let .raw(bytes):
            write(c, bytes)
        case let .hang(t):
            Thread.sleep(forTimeInterval: t)
        case .drop:
            break
        case let .truncated(status, body, sent):
            let out = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            write(c, Data(out.utf8) + body.prefix(sent))
        }
    }

    private func write(_ c: Int32, _ data: Data) {
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var off = 0
            while off < raw.count {
                let n = send(c, base + off, raw.count - off, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                off += n
            }
        }
    }

    static func reason(_ status: Int) -> String {
        [200: "OK", 201: "Created", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
         408: "Request Timeout", 422: "Unprocessable Content", 429: "Too Many Requests", 500: "Internal Server Error",
         503: "Service Unavailable"][status] ?? "Status"
    }
}
