// The kiosk's sync service: rounds of push (outbox in order), feed pull and heartbeat, the background loop
// with backoff, and the two questions a resident waits for (ticket lookup, requests nearby).
import Foundation
import KioskCore
import KioskProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public actor SyncEngine {
    public typealias PrinterState = @Sendable () -> (state: String, reasons: [String])

    nonisolated let store: any SyncStore
    nonisolated let client: CentralClient
    nonisolated let settings: SyncSettings
    nonisolated let now: @Sendable () -> Date
    nonisolated let sleep: @Sendable (TimeInterval) async -> Void
    nonisolated let backoff: Backoff
    nonisolated let printer: PrinterState
    nonisolated let databaseFolder: String?
    nonisolated let log: @Sendable (String) -> Void

    private var currentRound: Task<SyncRoundRecord, Never>?
    private var loop: Task<Void, Never>?
    private var wake: CheckedContinuation<Void, Never>?
    private var wakeGeneration = 0
    private var nudged = false
    /// Failed rounds in a row, for the loop's own backoff.
    private var failedRounds = 0
    /// When the feed the kiosk holds was issued, learnt from the last one verified. `FeedState` has no issue
    /// time, so after a restart this is unknown and the first pull asks without an ETag (a cheap empty delta).
    private var heldFeedIssued: (version: Int, issued: Date)?

    /// - Parameters:
    ///   - now: the clock (tests move it by hand).
    ///   - sleep: how the loop waits; tests pass one that returns at once and records the waits.
    ///   - jitter: a number in [0, 1] for full-jitter backoff.
    ///   - printer: the printer's state and reasons for the heartbeat.
    ///   - databaseFolder: where the kiosk's database lives, for the free-disk figure.
    public init(store: any SyncStore, client: CentralClient, now: @escaping @Sendable () -> Date = { Date() },
                sleep: @escaping @Sendable (TimeInterval) async -> Void = { try? await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1e9)) },
                jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) },
                printer: @escaping PrinterState = { ("unknown", []) }, databaseFolder: String? = nil,
                log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(("sync: " + $0 + "\n").utf8)) }) {
        self.store = store; self.client = client; self.settings = client.settings; self.now = now; self.sleep = sleep
        self.backoff = Backoff(base: client.settings.backoffBase, cap: client.settings.backoffCap, jitter: jitter)
        self.printer = printer; self.databaseFolder = databaseFolder; self.log = log
    }

    // MARK: One round

    /// One full round: push, tokens, feed, heartbeat, recorded. A round already running is joined, not doubled.
    /// `ignoringBackoff`: push even items whose next attempt is later (`kiosk sync now`, a technician waiting).
    public func runRound(ignoringBackoff: Bool = false) async -> SyncRoundRecord {
        if let running = currentRound { return await running.value }
        let task = Task { await self.performRound(ignoringBackoff: ignoringBackoff) }
        currentRound = task
        let record = await task.value
        currentRound = nil
        failedRounds = record.ok ? 0 : failedRounds + 1
        return record
    }

    private func performRound(ignoringBackoff: Bool) async -> SyncRoundRecord {
        var problems: [String] = []
        let push = await pushOutbox(ignoringBackoff: ignoringBackoff, problems: &problems)
        await resolveTokens(problems: &problems)
        let feed = await pullFeed()
        if let p = feed.problem { problems.append(p) }
        var heartbeatFailed = false
        do { try await client.heartbeat(makeHeartbeat()) } catch {
            heartbeatFailed = true
            problems.append("heartbeat: \(error)")
        }
        let ok = push.failed == 0 && !feed.failed && !heartbeatFailed
        let record = SyncRoundRecord(finished: now(), ok: ok, pushed: push.pushed, refused: push.refused, failed: push.failed,
                                     feed: feed.summary, problems: problems)
        do { try store.recordSyncRound(record) } catch { log("cannot record the round: \(error)") }
        log("round \(ok ? "ok" : "failed"): pushed \(push.pushed), refused \(push.refused), failed \(push.failed), feed \(feed.summary)"
            + (problems.isEmpty ? "" : "; " + problems.joined(separator: "; ")))
        return record
    }

    /// Pushes in filing order. The first retryable failure ends the push for this round, so a later item never
    /// overtakes an earlier one; a refused item is set aside and the next goes on.
    private func pushOutbox(ignoringBackoff: Bool, problems: inout [String]) async -> (pushed: Int, refused: Int, failed: Int) {
        var pushed = 0, refused = 0
        let pending: [PendingSubmission]
        do { pending = try store.pendingSubmissions(limit: max(1, settings.pushBatch)) } catch {
            problems.append("outbox cannot be read: \(error)")
            return (0, 0, 1)
        }
        for item in pending {
            if !ignoringBackoff, let next = item.nextAttempt, next > now() {
                problems.append("outbox: \(item.ticket) waits until \(Open311Date.format(next)) (attempt \(item.attempts + 1))")
                break
            }
            let form = RequestForm.from(item.submission, ticket: item.ticket, idempotencyKey: item.idempotencyKey,
                                        deviceID: settings.kioskID, apiKey: settings.apiKey)
            let outcome = await client.postRequest(form: form, idempotencyKey: item.idempotencyKey)
            do {
                switch outcome {
                case let .accepted(id, token):
                    try store.markSent(ticket: item.ticket, serviceRequestID: id, token: token, at: now())
                    pushed += 1
                case let .refused(status, message):
                    try store.markRefused(ticket: item.ticket, status: status, message: message, at: now())
                    refused += 1
                    problems.append("outbox: \(item.ticket) refused by the server (\(status)): \(message.prefix(200))")
                case let .retryLater(reason, retryAfter):
                    let failures = item.attempts + 1
                    var wait = backoff.delay(failures: failures)
                    if let retryAfter { wait = max(wait, min(retryAfter, settings.retryAfterCap)) }
                    let next = now().addingTimeInterval(wait)
                    try store.recordFailedAttempt(ticket: item.ticket, error: reason, next: next)
                    problems.append("outbox: \(item.ticket) not sent (\(reason)); attempt \(failures), next in \(Int(wait.rounded())) s")
                    return (pushed, refused, 1)
                }
            } catch {
                problems.append("outbox: \(item.ticket): the kiosk database refused the update: \(error)")
                return (pushed, refused, 1)
            }
        }
        return (pushed, refused, 0)
    }

    private func resolveTokens(problems: inout [String]) async {
        let tokens: [(ticket: String, token: String)]
        do { tokens = try store.unresolvedTokens() } catch {
            problems.append("tokens cannot be read: \(error)")
            return
        }
        for t in tokens {
            do {
                if let id = try await client.token(t.token) { try store.resolveToken(ticket: t.ticket, serviceRequestID: id) }
            } catch {
                problems.append("token of \(t.ticket): \(error)")
                if let e = error as? CentralClientError, case .unreachable = e { return }
            }
        }
    }

    struct FeedStep { var summary: String; var failed: Bool; var problem: String? }

    private func pullFeed() async -> FeedStep {
        guard !settings.feedPublicKeys.isEmpty else { return FeedStep(summary: "not configured", failed: false, problem: nil) }
        let state: FeedState?
        do { state = try store.feedState() } catch {
            return FeedStep(summary: "failed", failed: true, problem: "feed state cannot be read: \(error)")
        }
        let have = state?.version
        // A 304 keeps the old signature; asking afresh before half its life is gone gets a new one long before
        // it expires (no freeze).
        var etag: String?
        if let state, let held = heldFeedIssued, held.version == state.version {
            let life = state.expires.timeIntervalSince(held.issued)
            if state.expires.timeIntervalSince(now()) > life / 2 { etag = state.etag }
        }
        do {
            let answer = try await client.feed(since: have, etag: etag)
            guard case let .body(data, newTag) = answer else {
                return FeedStep(summary: "unchanged (version \(have.map(String.init) ?? "none"))", failed: false, problem: nil)
            }
            do {
                return try apply(data, etag: newTag, have: have)
            } catch let FeedError.gap(since, haveNow) {
                log("feed: delta for \(since), kiosk has \(haveNow); asking for a full snapshot")
                guard case let .body(snapshot, snapTag) = try await client.feed(since: 0, etag: nil) else {
                    return FeedStep(summary: "failed", failed: true, problem: "feed: the snapshot request answered 304")
                }
                return try apply(snapshot, etag: snapTag, have: have)
            }
        } catch let e as FeedError {
            log("feed refused, the Knowledge Base stays as it is: \(e)")
            return FeedStep(summary: "refused", failed: true, problem: "feed: \(e)")
        } catch {
            return FeedStep(summary: "failed", failed: true, problem: "feed: \(error)")
        }
    }

    private func apply(_ data: Data, etag: String?, have: Int?) throws -> FeedStep {
        let payload = try SignedFeed.verify(data, keys: settings.feedPublicKeys, have: have, now: now())
        do {
            if let have, payload.version == have {
                try store.refreshFeed(expires: payload.expires, etag: etag)
                heldFeedIssued = (payload.version, payload.issued)
                return FeedStep(summary: "unchanged (version \(have), signature renewed)", failed: false, problem: nil)
            }
            try store.applyFeed(payload, etag: etag)
        } catch {
            log("feed version \(payload.version) not applied, the Knowledge Base stays as it is: \(error)")
            return FeedStep(summary: "refused", failed: true, problem: "feed version \(payload.version) not applied: \(error)")
        }
        heldFeedIssued = (payload.version, payload.issued)
        return FeedStep(summary: "\(payload.kind.rawValue) version \(payload.version) applied", failed: false, problem: nil)
    }

    private func makeHeartbeat() -> Heartbeat {
        let t = now()
        let figures = try? store.outboxFigures()
        let last = try? store.lastSyncRounds().lastSuccess
        let p = printer()
        return Heartbeat(kioskID: settings.kioskID, softwareVersion: settings.softwareVersion, sentAt: t,
                         outboxDepth: figures?.queued ?? 0,
                         oldestQueuedSeconds: figures?.oldestQueued.map { max(0, t.timeIntervalSince($0)) },
                         refused: figures?.refused ?? 0, printerState: p.state, printerReasons: p.reasons,
                         lastSuccessfulSync: last?.finished, knowledgeBaseVersion: (try? store.feedState())?.version,
                         freeDiskBytes: databaseFolder.flatMap(Self.freeDiskBytes))
    }

    /// Free bytes for an unprivileged writer on the file system holding `path`.
    public static func freeDiskBytes(_ path: String) -> Int64? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    // MARK: The background loop

    /// Starts rounds every `roundInterval` (after a failed round: the loop's backoff instead). Returns at once.
    public nonisolated func start() { Task { await self.startLoop() } }

    /// Ends the loop after the round under way, if any.
    public func stop() async {
        let running = loop
        loop = nil
        running?.cancel()
        wakeUp()
        await running?.value
    }

    /// A submission was saved: run a round now rather than at the next tick. Never waits.
    public nonisolated func nudge() { Task { await self.nudgeNow() } }

    private func startLoop() {
        guard loop == nil else { return }
        loop = Task { [weak self] in
            while !Task.isCancelled {
                guard let self else { return }
                let record = await self.runRound()
                if Task.isCancelled { return }
                await self.pause(after: record)
            }
        }
    }

    /// The wait the loop takes after a round (exposed for tests and `sync status`).
    public func nextPause(after record: SyncRoundRecord) -> TimeInterval {
        // A floor of one second: full jitter may draw zero, and the loop must not spin against a dead server.
        record.ok ? settings.roundInterval : max(1, backoff.delay(failures: max(1, failedRounds)))
    }

    private func pause(after record: SyncRoundRecord) async {
        if nudged { nudged = false; return }
        let wait = nextPause(after: record)
        wakeGeneration += 1
        let generation = wakeGeneration
        let sleep = self.sleep
        let timer = Task { [weak self] in
            await sleep(wait)
            await self?.wakeUp(generation: generation)
        }
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            if Task.isCancelled || nudged { nudged = false; c.resume() } else { wake = c }
        }
        timer.cancel()
    }

    private func wakeUp(generation: Int? = nil) {
        if let generation, generation != wakeGeneration { return }
        wake?.resume()
        wake = nil
    }

    private func nudgeNow() {
        if wake != nil { wakeUp() } else { nudged = true }
    }

    // MARK: What a resident waits for

    /// "Check a ticket": the kiosk's own record first, the server when it can be asked, never a guess.
    public nonisolated func lookup(ticket raw: String) async -> TicketLookupResult {
        let ticket = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let timeout = min(settings.lookupTimeout, 4)
        guard !ticket.isEmpty, ticket.count <= 64 else { return .notFound(ticket: String(ticket.prefix(64))) }
        let local: LocalTicket?
        do { local = try store.localTicket(ticket) } catch {
            log("ticket lookup: the kiosk database cannot be read: \(error)")
            local = nil
        }
        func fromServer(_ r: Open311Request) -> TicketLookupResult {
            var s = ServerRequestStatus(from: r)
            if s.ticket == nil { s.ticket = ticket }
            return .server(s)
        }
        guard let local else {
            do {
                guard let r = try await client.ticket(ticket, timeout: timeout) else { return .notFound(ticket: ticket) }
                return fromServer(r)
            } catch {
                log("ticket lookup: \(error)")
                return .unreachable(ticket: ticket)
            }
        }
        switch local.state {
        case .queued: return .savedNotSent(ticket: ticket, created: local.created)
        case .refused: return .refused(ticket: ticket)
        case .sent: break
        }
        let started = Date()
        func left() -> TimeInterval { max(0.2, timeout - Date().timeIntervalSince(started)) }
        do {
            var id = local.serviceRequestID
            if id == nil, let token = local.token {
                id = try await client.token(token, timeout: left())
                if let id { try? store.resolveToken(ticket: ticket, serviceRequestID: id) }
            }
            if let id, let r = try await client.request(id: id, timeout: left()) { return fromServer(r) }
            if let r = try await client.ticket(ticket, timeout: left()) { return fromServer(r) }
        } catch {
            log("ticket lookup: \(error)")
        }
        return .sentStatusUnknown(ticket: ticket, sent: local.sent)
    }

    /// Open requests of the same service near the same place, for the duplicate step; empty on any failure.
    public nonisolated func nearby(_ query: NearbyQuery) async -> [ServerRequestStatus] {
        let timeout = min(settings.nearbyTimeout, 3)
        let found: [Open311Request]
        do {
            switch query.location {
            case let .kiosk(_, lat, lon):
                found = try await client.requests(serviceCode: query.serviceCode, lat: lat, long: lon,
                                                  radius: NearbyQuery.radiusMeters, status: "open", timeout: timeout)
            case .street, .landmark:
                found = try await client.requests(serviceCode: query.serviceCode, status: "open", timeout: timeout)
            }
        } catch {
            log("requests nearby: \(error)")
            return []
        }
        return Self.sameService(found, as: query).map(ServerRequestStatus.init(from:))
    }

    /// The server may ignore the filters (status, and the lat/long/radius extension): the kiosk checks again.
    static func sameService(_ requests: [Open311Request], as query: NearbyQuery) -> [Open311Request] {
        let open = requests.filter { r in
            r.serviceRequestID != nil && (r.serviceCode == nil || r.serviceCode == query.serviceCode) && r.status.lowercased() == "open"
        }
        switch query.location {
        case let .kiosk(address, lat, lon):
            let scored: [(Open311Request, Double)] = open.compactMap { r in
                if let rl = r.lat, let ro = r.long {
                    let d = metersBetween(lat, lon, rl, ro)
                    return d <= NearbyQuery.radiusMeters ? (r, d) : nil
                }
                return sameAddress(r.address, address) ? (r, NearbyQuery.radiusMeters) : nil
            }
            return scored.sorted { $0.1 < $1.1 }.map(\.0)
        case let .street(name, number):
            let wanted = number.isEmpty ? name : "\(name) \(number)"
            return open.filter { sameAddress($0.address, wanted) }
        case let .landmark(text):
            return open.filter { sameAddress($0.address, text) }
        }
    }

    /// Addresses compared as words: case, diacritics, punctuation and "ul."/"al." set aside, the city name
    /// ignored; every word of the wanted address must be in the server's, house numbers exactly.
    static func sameAddress(_ theirs: String?, _ wanted: String) -> Bool {
        guard let theirs else { return false }
        let ignored: Set<String> = ["ul", "ulica", "al", "aleja", "aleje", "pl", "plac", "lodz", "poland", "polska"]
        func words(_ s: String) -> [String] {
            s.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "pl_PL"))
                .replacingOccurrences(of: "ł", with: "l")
                .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
                .map(String.init)
                .filter { !ignored.contains($0) }
        }
        let want = words(wanted), have = Set(words(theirs))
        return !want.isEmpty && want.allSatisfy(have.contains)
    }
}
