// Staff maintenance behind the hidden entry: the PIN (a salted PBKDF2 hash in a file beside the config, written by
// `kiosk maintenance set-pin`), its throttle (counted in the kiosk database before each check), and the
// dashboard's figures, read from the same places `kiosk sync status` and `kiosk printer status` read them.
import Crypto
import CryptoExtras
import Foundation
import KioskCore
import KioskStore
import KioskSync
import KioskUI

/// `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64), the form Django and passlib use, on one line.
struct PinHash: Equatable {
    /// OWASP's figure for PBKDF2-HMAC-SHA256 (2023), the issue's minimum.
    static let minimumRounds = 600_000
    static let scheme = "pbkdf2-sha256"
    var rounds: Int
    var salt: Data
    var hash: Data

    struct Problem: Error, CustomStringConvertible { var description: String }

    static func make(pin: String, rounds: Int = minimumRounds) throws -> PinHash {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        return PinHash(rounds: rounds, salt: salt, hash: try derive(pin, salt: salt, rounds: rounds))
    }

    static func derive(_ pin: String, salt: Data, rounds: Int) throws -> Data {
        try KDF.Insecure.PBKDF2.deriveKey(from: Data(pin.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: rounds)
            .withUnsafeBytes { Data($0) }
    }

    var line: String { "\(Self.scheme)$\(rounds)$\(salt.base64EncodedString())$\(hash.base64EncodedString())" }

    /// Reads the file's first line; a hash with fewer rounds than the minimum is refused, so a file edited to
    /// weaken it does not open the kiosk.
    static func parse(_ text: String, file: String) throws -> PinHash {
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let parts = line.split(separator: "$", omittingEmptySubsequences: false).map(String.init)
        let again = "set the PIN again with `kiosk maintenance set-pin`"
        guard parts.count == 4, parts[0] == scheme, let rounds = Int(parts[1]),
              let salt = Data(base64Encoded: parts[2]), salt.count >= 16, let hash = Data(base64Encoded: parts[3]), hash.count == 32 else {
            throw Problem(description: "\(file): not a PIN hash (expected one line \(scheme)$ROUNDS$SALT$HASH); \(again)")
        }
        guard rounds >= minimumRounds, rounds <= 100_000_000 else {
            throw Problem(description: "\(file): the hash uses \(rounds) rounds, expected \(minimumRounds) to 100000000; \(again)")
        }
        return PinHash(rounds: rounds, salt: salt, hash: hash)
    }

    /// Compares in constant time: every byte is looked at whatever the first difference.
    func matches(_ pin: String) throws -> Bool {
        let candidate = try Self.derive(pin, salt: salt, rounds: rounds)
        guard candidate.count == hash.count else { return false }
        var diff: UInt8 = 0
        for (a, b) in zip(candidate, hash) { diff |= a ^ b }
        return diff == 0
    }

    /// Why a PIN cannot be used, or nil: 4–12 digits, not one digit repeated, not a run like 123456.
    static func weakness(_ pin: String) -> String? {
        let digits = pin.compactMap { $0.isASCII ? $0.wholeNumberValue : nil }
        guard digits.count == pin.count, MaintenancePolicy.pinLengths.contains(digits.count) else {
            return "a PIN is \(MaintenancePolicy.pinLengths.lowerBound) to \(MaintenancePolicy.pinLengths.upperBound) digits 0-9"
        }
        if Set(digits).count == 1 { return "one digit repeated is the first thing a stranger tries" }
        let steps = Set(zip(digits, digits.dropFirst()).map { ($1 - $0 + 10) % 10 })
        if steps == [1] || steps == [9] { return "a run of digits (such as 123456) is the first thing a stranger tries" }
        return nil
    }
}

extension KioskConfig {
    /// The PIN file: `maintenance.pinFile`, else `maintenance-pin` beside the config file; nil without either.
    var pinFilePath: String? {
        if let p = maintenance.pinFile { return p }
        guard let file else { return nil }
        return URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("maintenance-pin").path
    }

    /// The stored hash; nil when no PIN was set. A file that exists but cannot be used is an error.
    func loadPinHash() throws -> PinHash? {
        guard let path = pinFilePath else { return nil }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PinHash.Problem(description: "\(path): cannot be read by this user (the kiosk's user needs read access)")
        }
        guard data.count <= 4096, let text = String(data: data, encoding: .utf8) else {
            throw PinHash.Problem(description: "\(path): not a PIN hash file; set the PIN again with `kiosk maintenance set-pin`")
        }
        return try PinHash.parse(text, file: path)
    }
}

/// Set by `kiosk run` once its main loop can be ended; read by the maintenance service's queue.
final class RestartHook: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (@Sendable () -> Void)?
    var handler: (@Sendable () -> Void)? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}

/// Errors said in the log, newest last, for the dashboard (the log itself goes to journald).
enum RecentErrors {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var lines: [String] = []
    static func record(_ line: String) {
        lock.withLock {
            lines.append(String(line.prefix(500)))
            if lines.count > 20 { lines.removeFirst(lines.count - 20) }
        }
    }
    static var newestFirst: [String] { lock.withLock { lines.reversed() } }
}

/// The PIN check, the dashboard and staff actions, on the service's own queue (a PIN check takes a good part of a
/// second on purpose; the screen keeps drawing meanwhile).
final class MaintenanceService: KioskService {
    let kind = Effect.Kind.maintenance
    let store: KioskStore
    let config: KioskConfig
    let sync: KioskSyncLink?
    let startedAt: Date
    let restart: RestartHook

    init(store: KioskStore, config: KioskConfig, sync: KioskSyncLink?, startedAt: Date, restart: RestartHook = RestartHook()) {
        self.store = store; self.config = config; self.sync = sync; self.startedAt = startedAt; self.restart = restart
    }

    /// The purge runs a few minutes after start (not before the first frame) and then every few hours: each run
    /// is cheap when nothing is due, and a kiosk switched off overnight still purges on the day things fall due.
    static let retentionFirstRun: Double = 300
    static let retentionInterval: Double = 6 * 3600

    func start(_ context: ServiceContext) {
        context.post(.maintenance(.outOfServiceChanged((try? store.outOfService()) ?? false)))
        guard !context.isSynchronous else { return }
        scheduleRetention(context, after: Self.retentionFirstRun)
    }

    private func scheduleRetention(_ context: ServiceContext, after seconds: Double) {
        context.after(seconds) { [self] in
            runRetention(now: context.clock.date)
            scheduleRetention(context, after: Self.retentionInterval)
        }
    }

    @discardableResult
    func runRetention(now: Date) -> RetentionReport? {
        do {
            let report = try store.purgeExpired(today: WarsawTime.localDate(at: now), dryRun: false, at: now)
            if report.totalSubmissions + report.contactsRemoved > 0 || !report.walTruncated { Log.info(report.summary) }
            return report
        } catch {
            Log.error("retention: \(error)")
            return nil
        }
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        guard case let .maintenance(request) = effect else { return }
        let now = context.clock.date
        switch request {
        case let .checkPin(pin, token):
            reply.send(.maintenance(.pinChecked(token: token, checkPin(pin, now: now))))
        case .readDashboard:
            reply.send(.maintenance(.dashboardRead(dashboard(now: now))))
        case let .run(command):
            reply.send(.maintenance(.finished(run(command, now: now))))
        case let .refused(ticket, action):
            let command: MaintenanceCommand = action == .retry ? .retryRefused : .discardRefused
            do {
                try store.handleRefused(ticket: ticket, action, by: "maintenance on the screen", at: now)
                Log.info("maintenance: refused item \(ticket): \(action.rawValue)")
                if action == .retry { sync?.engine.nudge() }
                reply.send(.maintenance(.finished(MaintenanceOutcome(command: command, ok: true, detail: ticket))))
            } catch {
                reply.send(.maintenance(.finished(MaintenanceOutcome(command: command, ok: false, detail: "\(error)"))))
            }
        case let .setOutOfService(on):
            do {
                try store.setOutOfService(on, by: "maintenance on the screen", at: now)
                Log.info(on ? "out of service: residents see the helpline notice" : "back in service")
                reply.send(.maintenance(.outOfServiceChanged(on)))
                reply.send(.maintenance(.finished(MaintenanceOutcome(command: .outOfService, ok: true, detail: nil))))
            } catch {
                reply.send(.maintenance(.finished(MaintenanceOutcome(command: .outOfService, ok: false, detail: "\(error)"))))
            }
        }
    }

    func checkPin(_ pin: String, now: Date) -> PinVerdict {
        let hash: PinHash
        do {
            guard let h = try config.loadPinHash() else { return .notSet }
            hash = h
        } catch {
            Log.error("maintenance: \(error)")
            return .unavailable
        }
        do {
            let before = try store.pinAttempts(now: now)
            if let wait = Self.nextTry(before, now: now) {
                // Not checked and not counted: the pad said when the next try is possible.
                return before.failuresInLastHour >= PinThrottle.maxFailuresPerHour ? .throttled(until: wait)
                                                                                   : .wrong(failures: before.failuresInARow, nextTry: wait)
            }
            let id = try store.beginPinAttempt(at: now)
            let right = try hash.matches(pin)
            try store.finishPinAttempt(id, ok: right)
            if right {
                try? store.journal("maintenance-opened", detail: "kiosk \(config.kioskID)", at: now)
                Log.info("maintenance opened on the screen")
                return .granted
            }
            let after = try store.pinAttempts(now: now)
            Log.info("maintenance: wrong PIN (\(after.failuresInARow) in a row)")
            if after.failuresInLastHour >= PinThrottle.maxFailuresPerHour, let wait = Self.nextTry(after, now: now) {
                return .throttled(until: wait)
            }
            return .wrong(failures: after.failuresInARow, nextTry: Self.nextTry(after, now: now))
        } catch {
            Log.error("maintenance: the PIN cannot be checked: \(error)")
            return .unavailable
        }
    }

    static func nextTry(_ a: PinAttempts, now: Date) -> Date? {
        PinThrottle.nextTry(failuresInARow: a.failuresInARow, lastFailure: a.lastFailure, failuresInLastHour: a.failuresInLastHour,
                            oldestInLastHour: a.oldestInLastHour, now: now)
    }

    func run(_ command: MaintenanceCommand, now: Date) -> MaintenanceOutcome {
        switch command {
        case .refresh:
            return MaintenanceOutcome(command: command, ok: true, detail: nil)
        case .reloadConfig:
            guard let file = config.file else {
                return MaintenanceOutcome(command: command, ok: false, detail: "the kiosk runs without a config file: nothing to reload")
            }
            do {
                _ = try KioskConfig.checked(path: file)
            } catch {
                // The running kiosk keeps the config it started with: a typo must not black out the screen.
                Log.error("reload config: \(error)")
                return MaintenanceOutcome(command: command, ok: false, detail: "\(error)")
            }
            try? store.journal("reload-config", detail: file, at: now)
            guard let handler = restart.handler else {
                return MaintenanceOutcome(command: command, ok: true, detail: "\(file): OK; it takes effect when the kiosk restarts")
            }
            Log.info("reload config: \(file) is valid; restarting on it")
            handler()
            return MaintenanceOutcome(command: command, ok: true, detail: "\(file): OK")
        case .testPrint, .outOfService, .retryRefused, .discardRefused:
            // Carried by their own effects (the printer's queue, `.setOutOfService`, `.refused`).
            return MaintenanceOutcome(command: command, ok: false, detail: nil)
        case .restart:
            guard let handler = restart.handler else {
                return MaintenanceOutcome(command: command, ok: false, detail: "only a kiosk started by `kiosk run` can restart itself")
            }
            try? store.journal("restart", detail: "from the dashboard", at: now)
            Log.info("restart asked for on the dashboard")
            handler()
            return MaintenanceOutcome(command: command, ok: true, detail: nil)
        case .syncNow:
            try? store.journal("sync-now", detail: "from the dashboard", at: now)
            guard let engine = sync?.engine else {
                return MaintenanceOutcome(command: command, ok: false, detail: "no server configured (server.url)")
            }
            let round = waitFor { await engine.runRound(ignoringBackoff: true) }
            let detail = "sent \(round.pushed), refused \(round.refused), failed \(round.failed); feed: \(round.feed)"
                + (round.problems.first.map { "; \($0)" } ?? "")
            return MaintenanceOutcome(command: command, ok: round.ok, detail: detail)
        }
    }

    /// Every figure is read now, from the database and the system (`KioskStatus`, as `kiosk status` prints it).
    func dashboard(now: Date) -> MaintenanceDashboard {
        typealias Row = MaintenanceDashboard.Row
        let st = KioskStatus.read(store: store, config: config, now: now, startedAt: startedAt)
        var rows: [Row] = [
            Row(.maintKioskID, .data(st.kioskID)),
            Row(.maintPlace, .data(st.place)),
            Row(.maintVersion, .data(st.version)),
        ]
        if let server = st.server {
            let word: StringKey = server.reachable.map { $0 ? .maintReachable : .maintUnreachable } ?? .maintNever
            rows.append(Row(.maintServer, .wordAndData(word, server.url), warning: server.reachable != true))
            rows.append(Row(.maintLastRound, server.lastRound.map { .data(Self.time($0) + (server.lastRoundProblems.first.map { " – \($0)" } ?? "")) } ?? .word(.maintNever),
                            warning: server.reachable == false))
            rows.append(Row(.maintLastSync, server.lastSuccess.map { .data(Self.time($0)) } ?? .word(.maintNever)))
        } else {
            rows.append(Row(.maintServer, .word(.maintNotConfigured)))
        }
        let kb = st.knowledgeBase
        let where_ = [kb.source, kb.importedAt.map(Self.time)].compactMap { $0 }.joined(separator: ", ")
        rows.append(Row(.maintKB, kb.articles.map { .counted(.articleCount, $0, where_) } ?? .data(where_)))
        if let o = st.outbox {
            rows.append(Row(.maintOutbox, .data(String(o.queued))))
            rows.append(Row(.maintOldest, o.oldestQueued.map { .data(Self.time($0)) } ?? .word(.maintNone)))
            rows.append(Row(.maintRefused, .data(String(o.refused)), warning: o.refused > 0))
        }
        if let p = st.printer {
            let value: MaintenanceDashboard.Value
            switch (p.lastPrinted, p.lastPrint) {
            case let (true?, at?): value = .wordAndData(.maintPrintOK, "\(p.queue), \(Self.time(at))")
            case let (false?, at?): value = .wordAndData(.maintPrintFailed, "\(p.queue), \(Self.time(at)): \(p.lastFault ?? "") \(p.lastDetail ?? "")")
            default: value = .wordAndData(.maintNoPrintYet, p.queue)
            }
            rows.append(Row(.maintPrinter, value, warning: p.lastPrinted == false))
        } else {
            rows.append(Row(.maintPrinter, .word(.maintNotConfigured)))
        }
        if let free = st.freeDiskBytes {
            rows.append(Row(.maintDisk, .data(Self.megabytes(free)), warning: free < 200 << 20))
        }
        rows.append(Row(.maintUptime, .data(Self.duration(Double(st.uptimeSeconds ?? 0)))))
        rows.append(Row(.maintRetention, st.retention.lastRun.map { .data(Self.time($0)) } ?? .word(.maintNever)))
        let refused = st.refused.map { (ticket: $0.ticket, message: ($0.status.map { "HTTP \($0): " } ?? "") + $0.message) }
        let errors = RecentErrors.newestFirst + (st.server?.lastRoundProblems ?? []) + st.unreadable
        return MaintenanceDashboard(rows: rows, canPrint: st.printer != nil, refused: refused, errors: Array(errors.prefix(5)), readAt: now)
    }

    static func megabytes(_ bytes: Int64) -> String { bytes >= 10 << 30 ? "\(bytes >> 30) GB" : "\(bytes >> 20) MB" }

    /// "2026-12-03 14:05" in Łódź time: staff compare it with the journal.
    static func time(_ d: Date) -> String {
        let l = WarsawTime.localDateTime(at: d)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(l.year)-\(two(l.month))-\(two(l.day)) \(two(l.hour)):\(two(l.minute))"
    }

    static func duration(_ seconds: TimeInterval) -> String {
        let s = max(0, Int(seconds))
        return s >= 86_400 ? "\(s / 86_400) d \(s % 86_400 / 3600) h" : "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
