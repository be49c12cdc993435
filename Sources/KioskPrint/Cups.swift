// The CUPS transport: IPP requests to one queue on one cupsd (the only file that sees libcups).
import CCUPS
import Foundation
import KioskCore

/// Where cupsd listens: `host:port`, or a local socket path such as `/run/cups/cups.sock`.
public struct CupsServer: Sendable, Equatable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int = 631) {
        self.host = host
        self.port = port
    }

    /// `printer.server` or `CUPS_SERVER`: `host`, `host:port`, `[v6]:port` or an absolute socket path.
    public init(parsing text: String) throws(PrintError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty, t.utf8.count <= 255, !t.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .badServer(text)
        }
        if t.hasPrefix("/") {
            self.init(host: t, port: 631)
            return
        }
        var host = t
        var port = 631
        if t.hasPrefix("[") {
            guard let close = t.firstIndex(of: "]") else { throw .badServer(text) }
            host = String(t[t.index(after: t.startIndex)..<close])
            let rest = t[t.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let p = Int(rest.dropFirst()) else { throw .badServer(text) }
                port = p
            }
        } else if let colon = t.lastIndex(of: ":") {
            host = String(t[..<colon])
            guard let p = Int(t[t.index(after: colon)...]) else { throw .badServer(text) }
            port = p
        }
        guard !host.isEmpty, (1...65_535).contains(port) else { throw .badServer(text) }
        self.init(host: host, port: port)
    }

    /// `CUPS_SERVER` if set, else the local cupsd's socket (Debian's default), else localhost:631.
    public static func fromEnvironment() throws(PrintError) -> CupsServer {
        if let env = ProcessInfo.processInfo.environment["CUPS_SERVER"], !env.isEmpty {
            return try CupsServer(parsing: env)
        }
        if FileManager.default.fileExists(atPath: "/run/cups/cups.sock") {
            return CupsServer(host: "/run/cups/cups.sock")
        }
        return CupsServer(host: "localhost", port: 631)
    }

    public var description: String { host.hasPrefix("/") ? host : (host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)") }
}

/// One CUPS queue. Every call opens its own connection and blocks until cupsd answers or the timeout
/// passes: call it from a background service queue, never the UI thread. A value type with no
/// shared state, so it is safe from any thread.
public struct CupsPrinter: PrintQueue, Sendable {
    public let queue: String
    public let server: CupsServer
    /// For connecting and for each answer; a local cupsd answers in milliseconds.
    public var timeout: Duration = .seconds(5)
    /// Refuses a document larger than this: a receipt is a few hundred kilobytes.
    public static let maxDocumentBytes = 32 << 20

    public init(queue: String, server: CupsServer) throws(PrintError) {
        guard PrinterSettings.isValidQueueName(queue) else { throw .badQueueName(queue) }
        self.queue = queue
        self.server = server
    }

    /// `server`: `printer.server` if set; nil reads `CUPS_SERVER`, then the local default.
    public init(queue: String, server: String? = nil) throws(PrintError) {
        let s: CupsServer
        if let server { s = try CupsServer(parsing: server) } else { s = try CupsServer.fromEnvironment() }
        try self.init(queue: queue, server: s)
    }

    public var queueName: String { queue }

    // MARK: Jobs

    /// Sends bytes for a raw thermal queue (ESC/POS); CUPS passes them to the printer unchanged.
    public func submitRaw(_ bytes: Data, title: String) throws(PrintError) -> JobID {
        try submit(PrintJob(document: .raw(bytes), title: title))
    }

    /// Sends a PNG to an ordinary printer; CUPS's image filters convert it.
    public func submitImage(png: Data, title: String) throws(PrintError) -> JobID {
        try submit(PrintJob(document: .png(png), title: title))
    }

    public func submitImage(file path: String, title: String) throws(PrintError) -> JobID {
        let data: Data
        do {
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attrs[.size] as? Int, size > Self.maxDocumentBytes {
                throw PrintError.cannotReadFile(path: path, why: "\(size) bytes, more than \(Self.maxDocumentBytes)")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let e as PrintError {
            throw e
        } catch {
            throw .cannotReadFile(path: path, why: error.localizedDescription)
        }
        return try submitImage(png: data, title: title)
    }

    /// IPP Print-Job in one request: the job exists in cupsd only once its document is complete.
    ///
    /// A kiosk's cupsd keeps no job history (`PreserveJobHistory No`, so no trace of a receipt stays on
    /// disk): a finished job is gone from Get-Job-Attributes at once. Its end is read instead from a
    /// printer subscription to job-completed events, made just before the job so the event cannot be
    /// missed (`jobReport`).
    public func submit(_ job: PrintJob) throws(PrintError) -> JobID {
        let bytes = job.document.bytes
        guard bytes.count <= Self.maxDocumentBytes else {
            throw .refused(queue: queue, operation: "Print-Job", status: 0x040A, why: "document of \(bytes.count) bytes is too large")
        }
        // Without a subscription (a cupsd whose policy refuses it) the job still prints, and with job
        // history kept Get-Job-Attributes still sees its end.
        let subscription = try? createJobEndSubscription()
        let id: JobID
        do {
            id = try printJob(job, bytes)
        } catch {
            if let subscription { try? cancelSubscription(subscription) }
            throw error
        }
        if let subscription { JobEndSubscriptions.shared.set(subscription, for: key(id)) }
        return id
    }

    private func key(_ id: JobID) -> JobEndSubscriptions.Key { .init(server: server.description, queue: queue, job: id.rawValue) }

    private func printJob(_ job: PrintJob, _ bytes: Data) throws(PrintError) -> JobID {
        try withConnection { http throws(PrintError) in
            guard let request = ippNewRequest(IPP_OP_PRINT_JOB) else { throw self.outOfMemory("Print-Job") }
            defer { ippDelete(request) }
            addPrinterTarget(request)
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nil, String(job.title.prefix(255)))
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nil, job.document.format)
            let resource = "/printers/\(queue)"
            // The length is the whole HTTP body: the IPP request and then the document.
            let status = cupsSendRequest(http, request, resource, ippLength(request) + bytes.count)
            guard status == HTTP_STATUS_CONTINUE else {
                if let response = cupsGetResponse(http, resource) { ippDelete(response) }
                throw self.error(for: "Print-Job")
            }
            let written = bytes.withUnsafeBytes { raw -> http_status_t in
                guard let base = raw.baseAddress, raw.count > 0 else { return HTTP_STATUS_CONTINUE }
                return cupsWriteRequestData(http, base.assumingMemoryBound(to: CChar.self), raw.count)
            }
            httpFlushWrite(http)
            guard let response = cupsGetResponse(http, resource) else { throw self.error(for: "Print-Job") }
            defer { ippDelete(response) }
            try self.check(response, "Print-Job")
            guard written == HTTP_STATUS_CONTINUE,
                  let attr = ippFindAttribute(response, "job-id", IPP_TAG_INTEGER) else {
                throw PrintError.refused(queue: queue, operation: "Print-Job", status: 0x0500, why: "cupsd gave no job-id")
            }
            return JobID(Int(ippGetInteger(attr, 0)))
        }
    }

    /// The job's state from Get-Job-Attributes or, once cupsd has forgotten the job, from its job-completed
    /// event. `jobNotFound` only when neither knows it.
    public func jobReport(_ id: JobID) throws(PrintError) -> JobReport {
        let report: JobReport
        do {
            report = try jobAttributes(id)
        } catch .jobNotFound {
            guard let subscription = JobEndSubscriptions.shared.get(key(id)),
                  let ended = try endEvent(of: id, subscription: subscription) else { throw .jobNotFound(queue: queue, job: id) }
            report = ended
        }
        if report.state.isFinished, let subscription = JobEndSubscriptions.shared.take(key(id)) {
            try? cancelSubscription(subscription)
        }
        return report
    }

    private func jobAttributes(_ id: JobID) throws(PrintError) -> JobReport {
        try withConnection { http throws(PrintError) in
            let response = try self.doRequest(http, IPP_OP_GET_JOB_ATTRIBUTES, "Get-Job-Attributes", job: id,
                                               requested: ["job-state", "job-state-reasons"])
            defer { ippDelete(response) }
            guard let stateAttr = ippFindAttribute(response, "job-state", IPP_TAG_ENUM),
                  let state = JobState(ippValue: Int(ippGetInteger(stateAttr, 0))) else {
                throw PrintError.refused(queue: queue, operation: "Get-Job-Attributes", status: 0x0500, why: "no job-state in the answer")
            }
            return JobReport(id: id, state: state, reasons: strings(response, "job-state-reasons"))
        }
    }

    // MARK: Job-end events (RFC 3996 ippget, pulled: the kiosk listens on no port)

    /// Long enough for the longest print the policy waits for; an abandoned one (the kiosk killed
    /// mid-print) expires by itself.
    static let subscriptionLease: Int32 = 900

    private func createJobEndSubscription() throws(PrintError) -> Int32 {
        try withConnection { http throws(PrintError) in
            guard let request = ippNewRequest(IPP_OP_CREATE_PRINTER_SUBSCRIPTIONS) else { throw self.outOfMemory("Create-Printer-Subscriptions") }
            // On the server, not the queue: cupsd sends a job's events to its queue's subscriptions only once
            // the job has started, so cancelling a job that waited on a stopped queue would go unseen.
            // Job ids are unique across a cupsd, and the event is matched by id.
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, "ipp://localhost/")
            ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
            ippAddString(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD, "notify-pull-method", nil, "ippget")
            ippAddString(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_KEYWORD, "notify-events", nil, "job-completed")
            ippAddInteger(request, IPP_TAG_SUBSCRIPTION, IPP_TAG_INTEGER, "notify-lease-duration", Self.subscriptionLease)
            guard let response = cupsDoRequest(http, request, "/") else { throw self.error(for: "Create-Printer-Subscriptions") }
            defer { ippDelete(response) }
            try self.check(response, "Create-Printer-Subscriptions")
            guard let attr = ippFindAttribute(response, "notify-subscription-id", IPP_TAG_INTEGER) else {
                throw PrintError.refused(queue: queue, operation: "Create-Printer-Subscriptions", status: 0x0500, why: "no notify-subscription-id in the answer")
            }
            return ippGetInteger(attr, 0)
        }
    }

    /// The job-completed event of `id` (sent for completed, cancelled and aborted alike), or nil.
    private func endEvent(of id: JobID, subscription: Int32) throws(PrintError) -> JobReport? {
        try withConnection { http throws(PrintError) in
            guard let request = ippNewRequest(IPP_OP_GET_NOTIFICATIONS) else { throw self.outOfMemory("Get-Notifications") }
            addPrinterTarget(request)
            ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "notify-subscription-ids", subscription)
            ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "notify-sequence-numbers", 1)
            guard let response = cupsDoRequest(http, request, "/") else { throw self.error(for: "Get-Notifications") }
            defer { ippDelete(response) }
            try self.check(response, "Get-Notifications")
            // Each event is its own attribute group; libcups separates groups by an attribute without a name.
            var event: (job: Int?, state: JobState?, reasons: [String]) = (nil, nil, [])
            var found: JobReport?
            func close() {
                if event.job == id.rawValue, let state = event.state, state.isFinished {
                    found = JobReport(id: id, state: state, reasons: event.reasons)
                }
                event = (nil, nil, [])
            }
            var attr = ippFirstAttribute(response)
            while let a = attr {
                if let cName = ippGetName(a), ippGetGroupTag(a) == IPP_TAG_EVENT_NOTIFICATION {
                    switch String(cString: cName) {
                    case "notify-job-id": event.job = Int(ippGetInteger(a, 0))
                    case "job-state": event.state = JobState(ippValue: Int(ippGetInteger(a, 0)))
                    case "job-state-reasons":
                        event.reasons = (0..<ippGetCount(a)).compactMap { i in ippGetString(a, i, nil).map { String(cString: $0) } }
                    default: break
                    }
                } else if ippGetName(a) == nil {
                    close()
                }
                attr = ippNextAttribute(response)
            }
            close()
            return found
        }
    }

    private func cancelSubscription(_ subscription: Int32) throws(PrintError) {
        try withConnection { http throws(PrintError) in
            guard let request = ippNewRequest(IPP_OP_CANCEL_SUBSCRIPTION) else { throw self.outOfMemory("Cancel-Subscription") }
            addPrinterTarget(request)
            ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "notify-subscription-id", subscription)
            guard let response = cupsDoRequest(http, request, "/") else { throw self.error(for: "Cancel-Subscription") }
            ippDelete(response)
        }
    }

    /// Cancelling a job that already finished is not an error: the point is that it will not print later.
    public func cancel(_ id: JobID) throws(PrintError) {
        do {
            try withConnection { http throws(PrintError) in
                let response = try self.doRequest(http, IPP_OP_CANCEL_JOB, "Cancel-Job", job: id)
                ippDelete(response)
            }
        } catch .jobNotFound {
            return
        } catch .refused(_, _, let status, _) where status == 0x0404 {
            return // client-error-not-possible: already completed, cancelled or aborted
        }
    }

    // MARK: The queue

    /// IPP Get-Printer-Attributes: state, accepting, reasons and message.
    public func status() throws(PrintError) -> PrinterReport {
        try withConnection { http throws(PrintError) in
            let response = try self.doRequest(http, IPP_OP_GET_PRINTER_ATTRIBUTES, "Get-Printer-Attributes", job: nil, requested: [
                "printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "printer-state-message",
            ])
            defer { ippDelete(response) }
            let state = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM).map { Int(ippGetInteger($0, 0)) } ?? 5
            let accepting = ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN).map { ippGetBoolean($0, 0) != 0 } ?? false
            let message = strings(response, "printer-state-message").first ?? ""
            return PrinterReport(queue: queue, state: PrinterState(ippValue: state), acceptingJobs: accepting,
                                 reasons: strings(response, "printer-state-reasons"), message: message)
        }
    }

    /// IPP Resume-Printer (what `cupsenable` does). CUPS stops a queue when its backend fails under the
    /// default error policy, and a stopped queue prints nothing until someone resumes it.
    public func resume() throws(PrintError) {
        try withConnection { http throws(PrintError) in
            let response = try self.doRequest(http, IPP_OP_RESUME_PRINTER, "Resume-Printer", job: nil, resource: "/admin/")
            ippDelete(response)
        }
    }

    // MARK: IPP plumbing

    private func withConnection<T>(_ body: (OpaquePointer) throws(PrintError) -> T) throws(PrintError) -> T {
        let ms = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard let http = httpConnect2(server.host, Int32(server.port), nil, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, ms, nil) else {
            throw .unreachable(queue: queue, server: server.description, why: lastErrorText())
        }
        defer { httpClose(http) }
        httpSetTimeout(http, Double(ms) / 1000, nil, nil)
        // libcups's default password callback prompts on the terminal; a kiosk has none and must not
        // hang on it. Local (peer credential) authentication still works; anything else is refused.
        cupsSetPasswordCB2({ _, _, _, _, _ in nil }, nil)
        return try body(http)
    }

    private func addPrinterTarget(_ request: OpaquePointer) {
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nil, printerURI)
        ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nil, cupsUser())
    }

    /// cupsd reads only the path of printer-uri; the host is informational.
    private var printerURI: String { "ipp://localhost/printers/\(queue)" }

    private func doRequest(_ http: OpaquePointer, _ op: ipp_op_t, _ name: String, job: JobID?,
                           requested: [String] = [], resource: String = "/") throws(PrintError) -> OpaquePointer {
        guard let request = ippNewRequest(op) else { throw outOfMemory(name) }
        addPrinterTarget(request)
        if let job { ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", Int32(clamping: job.rawValue)) }
        if !requested.isEmpty {
            var cStrings = requested.map { strdup($0) }
            defer { cStrings.forEach { free($0) } }
            cStrings.withUnsafeMutableBufferPointer { buf in
                buf.baseAddress?.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buf.count) { values in
                    _ = ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", Int32(buf.count), nil, values)
                }
            }
        }
        // cupsDoRequest frees the request.
        guard let response = cupsDoRequest(http, request, resource) else { throw error(for: name, job: job) }
        do {
            try check(response, name, job: job)
        } catch {
            ippDelete(response)
            throw error
        }
        return response
    }

    private func check(_ response: OpaquePointer, _ name: String, job: JobID? = nil) throws(PrintError) {
        let status = ippGetStatusCode(response)
        if status.rawValue < IPP_STATUS_ERROR_BAD_REQUEST.rawValue { return }
        throw error(for: name, job: job, status: status)
    }

    private func error(for name: String, job: JobID? = nil, status given: ipp_status_t? = nil) -> PrintError {
        let status = given ?? cupsLastError()
        let why = lastErrorText()
        switch status {
        case IPP_STATUS_ERROR_NOT_FOUND:
            if let job { return .jobNotFound(queue: queue, job: job) }
            return .unknownQueue(queue: queue, server: server.description)
        case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
            return .notAcceptingJobs(queue: queue)
        case IPP_STATUS_ERROR_FORBIDDEN, IPP_STATUS_ERROR_NOT_AUTHORIZED, IPP_STATUS_ERROR_NOT_AUTHENTICATED,
             IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED:
            return .notAuthorized(queue: queue, operation: name, why: why)
        case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE, IPP_STATUS_ERROR_TIMEOUT:
            return .unreachable(queue: queue, server: server.description, why: why)
        default:
            return .refused(queue: queue, operation: name, status: Int(status.rawValue), why: why)
        }
    }

    private func outOfMemory(_ name: String) -> PrintError {
        .refused(queue: queue, operation: name, status: 0x0500, why: "libcups could not allocate the request")
    }

    private func lastErrorText() -> String {
        guard let text = cupsLastErrorString() else { return "no detail from libcups" }
        return String(cString: text)
    }

    private func strings(_ response: OpaquePointer, _ name: String) -> [String] {
        guard let attr = ippFindAttribute(response, name, IPP_TAG_ZERO) else { return [] }
        return (0..<ippGetCount(attr)).compactMap { i in ippGetString(attr, i, nil).map { String(cString: $0) } }
    }
}

/// Which subscription watches which job: `CupsPrinter` is a value made afresh for each print, and the
/// watcher asks about a job by its id alone.
final class JobEndSubscriptions: @unchecked Sendable {
    struct Key: Hashable { var server: String; var queue: String; var job: Int }
    static let shared = JobEndSubscriptions()
    private let lock = NSLock()
    private var byJob: [Key: Int32] = [:]

    func set(_ subscription: Int32, for key: Key) {
        lock.withLock {
            // A kiosk prints one receipt at a time; more than a few entries means jobs that were never
            // asked about again (their subscriptions expire in cupsd by the lease).
            if byJob.count > 64 { byJob.removeAll() }
            byJob[key] = subscription
        }
    }
    func get(_ key: Key) -> Int32? { lock.withLock { byJob[key] } }
    func take(_ key: Key) -> Int32? { lock.withLock { byJob.removeValue(forKey: key) } }
}
