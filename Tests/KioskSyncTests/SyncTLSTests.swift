// CentralClient over real TLS: a private CA, a server certificate for 127.0.0.1 and the kiosk's client
// certificate made with the openssl tool, and `openssl s_server` demanding the client's identity.
import Foundation
import KioskProtocol
import KioskSync
import Testing

enum TLSFixture {
    static let openssl: String? = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @discardableResult
    static func run(_ args: [String], in dir: URL) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: openssl ?? "/usr/bin/openssl")
        p.arguments = args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw POSIXError(.EINVAL) }
        return p.terminationStatus
    }

    /// ca.pem, server.pem/.key (SAN IP:127.0.0.1), client.pem/.key, in a fresh folder.
    static func make() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Kiosk Test CA",
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], in: dir)
        for (name, ext) in [("server", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"),
                            ("client", "extendedKeyUsage=clientAuth\n")] {
            try Data(ext.utf8).write(to: dir.appendingPathComponent("\(name).ext"))
            try run(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "lodz-kiosk-1")"], in: dir)
            try run(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: dir)
        }
        return dir
    }

    /// `openssl s_server -www` on a free port, requiring a client certificate from the test CA.
    static func server(_ dir: URL) throws -> (Process, Int) {
        let port = try LoopbackServer.deadPort()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: openssl ?? "/usr/bin/openssl")
        p.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key",
                       "-CAfile", "ca.pem", "-Verify", "1", "-www", "-quiet"]
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, port)
    }
}

@Suite("TLS: the server is trusted through the CA bundle and the kiosk shows its client certificate",
       .enabled(if: TLSFixture.openssl != nil, "needs the openssl tool"))
struct SyncTLSTests {
    func ask(_ port: Int, _ dir: URL, ca: Bool, identity: Bool) async throws -> CentralClientError? {
        let settings = SyncSettings(serverURL: "https://127.0.0.1:\(port)", kioskID: "lodz-kiosk-1", softwareVersion: "1",
                                    caBundlePath: ca ? dir.appendingPathComponent("ca.pem").path : nil,
                                    clientCertificatePath: identity ? dir.appendingPathComponent("client.pem").path : nil,
                                    clientKeyPath: identity ? dir.appendingPathComponent("client.key").path : nil,
                                    // Generous: a handshake with openssl on 2 busy cores in the full run took over 2 s.
                                    connectTimeout: 15, readTimeout: 20)
        let client = try CentralClient(settings: settings)
        var caught: CentralClientError?
        do { _ = try await client.requests(serviceCode: "x", timeout: 30) } catch let e as CentralClientError { caught = e }
        try await client.shutdown()
        return caught
    }

    @Test("with the CA bundle and the client certificate the TLS conversation succeeds; without either it fails")
    func caAndClientCertificate() async throws {
        let dir = try TLSFixture.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (server, port) = try TLSFixture.server(dir)
        // s_server does not always end on SIGTERM while a connection is open.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        try await waitUntil { LoopbackServer.canConnect(port) }

        // s_server -www answers with an HTML status page: reading it means TLS worked both ways.
        let full = try await ask(port, dir, ca: true, identity: true)
        guard case let .unreadable(why)? = full else { Issue.record("expected the HTML page over TLS, got \(String(describing: full))"); return }
        #expect(why.contains("HTML"))

        let anonymous = try await ask(port, dir, ca: true, identity: false)
        guard case .unreachable? = anonymous else { Issue.record("a server demanding a certificate answered without one: \(String(describing: anonymous))"); return }

        let untrusted = try await ask(port, dir, ca: false, identity: true)
        guard case .unreachable? = untrusted else { Issue.record("a certificate from an unknown CA was trusted: \(String(describing: untrusted))"); return }
    }
}

extension LoopbackServer {
    static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var addr = loopback(port: port)
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
