// The kiosk's sync with the central server as `kiosk run` and `kiosk sync` build it: settings from the config
// (the API key from $KIOSK_API_KEY or the key file), the engine over the kiosk database, and the UI's service
// for the ticket lookup and the duplicate step.
import Foundation
import KioskCore
import KioskProtocol
import KioskStore
import KioskSync
import KioskUI

public enum KioskVersion {
    /// Said in heartbeats and `kiosk status`; raised with each release.
    public static let current = "0.12.0"
}

struct SyncSetupError: Error, CustomStringConvertible { var description: String }

extension KioskConfig {
    /// The API key: $KIOSK_API_KEY when set, else the first line of `server.apiKeyFile`; nil when neither.
    func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        if let k = environment["KIOSK_API_KEY"]?.trimmingCharacters(in: .whitespacesAndNewlines), !k.isEmpty { return k }
        guard let file = server.apiKeyFile else { return nil }
        let where_ = "\(self.file ?? "config"): key \"server.apiKeyFile\": \(file)"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SyncSetupError(description: "\(where_): cannot read the key file (missing or no permission); `kiosk-central keys add KIOSK_ID` prints a key to put there")
        }
        guard data.count <= 4096, let text = String(data: data, encoding: .utf8),
              let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }),
              !line.isEmpty, line.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw SyncSetupError(description: "\(where_): expected one line holding the key alone")
        }
        return line
    }

    /// Settings for the sync, or nil when no server is configured (the kiosk then works alone).
    func syncSettings() throws -> SyncSettings? {
        guard let url = server.url else { return nil }
        let keys = try server.feedPublicKeys.map { try SignedFeed.publicKey(base64: $0) }
        return SyncSettings(serverURL: url, apiKey: try apiKey(), kioskID: kioskID, softwareVersion: KioskVersion.current,
                            feedPublicKeys: keys, caBundlePath: server.caBundle, clientCertificatePath: server.clientCertificate,
                            clientKeyPath: server.clientKey, connectTimeout: server.connectTimeout, readTimeout: server.readTimeout,
                            roundInterval: server.interval)
    }
}

/// Runs async work from synchronous code (a subcommand, a service in synchronous mode) and waits for it.
func waitFor<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    // The semaphore orders the write before this read.
    guard let value = box.value else { preconditionFailure("waitFor: the task ended without a value") }
    return value
}

private final class ResultBox<T>: @unchecked Sendable { var value: T? }

/// The engine and its client, built together and shut down together (once; a link dropped without it is shut
/// down then, since an HTTP client must not outlive its event loops unclosed).
final class KioskSyncLink: @unchecked Sendable {
    let engine: SyncEngine
    let client: CentralClient
    private let lock = NSLock()
    private var isShutDown = false

    init(settings: SyncSettings, store: KioskStore, config: KioskConfig, printer: @escaping SyncEngine.PrinterState = { ("none", []) },
         onApplied: @escaping @Sendable (Int) -> Void = { _ in }) throws {
        client = try CentralClient(settings: settings)
        let folder = store.path == ":memory:" ? nil : URL(fileURLWithPath: store.path).deletingLastPathComponent().path
        engine = SyncEngine(store: StoreSync(store: store, config: config, onApplied: onApplied), client: client,
                            printer: printer, databaseFolder: folder, log: { Log.info("sync: \($0)") })
    }

    deinit { shutdown() }

    private func claimShutdown() -> Bool { lock.withLock { defer { isShutDown = true }; return !isShutDown } }

    /// From synchronous code (a subcommand, the main loop's end).
    func shutdown() {
        guard claimShutdown() else { return }
        let client = self.client
        let engine = self.engine
        waitFor {
            await engine.stop()
            try? await client.shutdown()
        }
    }

    /// From async code: blocking a pool thread there could wait on itself.
    func shutdownAsync() async {
        guard claimShutdown() else { return }
        await engine.stop()
        try? await client.shutdown()
    }
}

/// Answers the screens' questions to the server (check a ticket, requests nearby) and runs the background
/// rounds in a kiosk on a display. In synchronous mode (scripts) it answers before `send` returns, within the
/// client's short timeouts, and runs no rounds of its own: `kiosk sync now` does.
final class SyncService: KioskService {
    let kind = Effect.Kind.sync
    let link: KioskSyncLink
    let runsRounds: Bool

    init(link: KioskSyncLink, runsRounds: Bool) { self.link = link; self.runsRounds = runsRounds }

    func start(_ context: ServiceContext) {
        if runsRounds { link.engine.start() }
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        guard case let .sync(request) = effect else { return }
        let engine = link.engine
        let work: @Sendable () async -> Action
        switch request {
        case let .lookupTicket(number, token):
            work = { .lookup(.answered(token: token, await engine.lookup(ticket: number))) }
        case let .findNearby(query, token):
            work = { .report(.nearbyFound(token: token, await engine.nearby(query))) }
        }
        if context.isSynchronous {
            reply.send(waitFor(work))
        } else {
            Task { reply.send(await work()) }
        }
    }
}
