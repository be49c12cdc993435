// What the kiosk knows about its printer and a print job, as values the UI, the CLI and maintenance share.
import Foundation

/// `printer.kind` in kiosk-config: how a receipt reaches paper.
public enum PrinterKind: String, Sendable, Equatable, CaseIterable {
    /// 80 mm thermal roll, ESC/POS raster on a raw CUPS queue.
    case escpos80
    /// 58 mm thermal roll, ESC/POS raster on a raw CUPS queue.
    case escpos58
    /// An ordinary CUPS printer: the receipt goes as a PNG image job and CUPS's filters do the rest.
    case image

    /// Printable dots across the head at `dpi` (Epson TM-T20/T88 class: 576 on 80 mm, 384 on 58 mm).
    public var dotsAcross: Int {
        switch self {
        case .escpos80: return 576
        case .escpos58: return 384
        // Rendered like an 80 mm receipt so one layout serves; CUPS scales by the PNG's resolution.
        case .image: return 576
        }
    }

    public var dpi: Int { 203 }

    /// Reads the config value; the message names the key and the accepted values.
    public init(configValue: String) throws(PrinterConfigError) {
        let v = configValue.trimmingCharacters(in: .whitespaces)
        guard let kind = PrinterKind(rawValue: v) else { throw .unknownKind(v) }
        self = kind
    }
}

public enum PrinterConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKind(String)
    case badQueueName(String)

    public var description: String {
        switch self {
        case .unknownKind(let v):
            return "printer.kind: \"\(v)\" is not a printer kind; use escpos80, escpos58 or image"
        case .badQueueName(let v):
            return "printer.queue: \"\(v)\" is not a CUPS queue name; use 1–127 letters, digits, '-', '_' or '.' (as in `lpstat -p`), or leave it empty for no printer"
        }
    }
}

/// IPP printer-state.
public enum PrinterState: String, Sendable, Equatable {
    case idle, processing, stopped

    /// From the IPP enum value (3, 4, 5); anything else is read as stopped, the cautious answer.
    public init(ippValue: Int) {
        switch ippValue {
        case 3: self = .idle
        case 4: self = .processing
        default: self = .stopped
        }
    }
}

/// What a printer fault means for the kiosk. The resident-facing wording lives in the string catalogue;
/// `technicianText` is for `kiosk printer status` and the maintenance record.
public enum PrinterFault: String, Sendable, Equatable, CaseIterable {
    case none
    case mediaEmpty
    case mediaJam
    case coverOpen
    case offline
    /// The queue is stopped (CUPS stops it when a backend fails under the default error policy) or paused.
    case stopped
    /// The queue rejects jobs (`cupsreject`): a technician's decision, never undone by the kiosk.
    case notAcceptingJobs
    /// A job did not complete within the kiosk's timeout and was cancelled.
    case jobStuck
    /// CUPS aborted or cancelled the job itself.
    case jobFailed
    /// The job left CUPS's history before the kiosk saw it complete.
    case jobUnconfirmed
    /// cupsd did not answer.
    case unreachable
    /// The configured queue does not exist on that cupsd.
    case unknownQueue

    public var technicianText: String {
        switch self {
        case .none: return "Printer ready."
        case .mediaEmpty: return "Out of paper: load a new roll, then check `lpstat -p` shows the queue enabled."
        case .mediaJam: return "Paper jam: open the printer, clear the paper path, close the cover."
        case .coverOpen: return "Printer cover open: close it."
        case .offline: return "Printer offline: check its power and cable (or network link for a socket:// printer)."
        case .stopped: return "Queue stopped: the kiosk resumes it itself; if it stops again, read the CUPS error_log for the backend's error."
        case .notAcceptingJobs: return "Queue rejects jobs: run `cupsaccept QUEUE` when the printer may be used again."
        case .jobStuck: return "A job did not finish in time and was cancelled: check the printer's power, paper and cable."
        case .jobFailed: return "CUPS aborted the job: read the CUPS error_log for the filter or backend error."
        case .jobUnconfirmed: return "CUPS forgot the job and sent no job-end event: check that cupsd.conf lets the kiosk's user create subscriptions and that MaxEvents is not 0."
        case .unreachable: return "cupsd does not answer: check `systemctl status cups` and printer.server."
        case .unknownQueue: return "No such CUPS queue: create it (see README, Printing) or fix printer.queue."
        }
    }

    /// Faults a resident can be asked to report at the desk, as opposed to ones that clear themselves.
    public var needsTechnician: Bool { self != .none }
}

/// One answer to IPP Get-Printer-Attributes, plus the fault the kiosk reads from it.
public struct PrinterReport: Sendable, Equatable {
    public var queue: String
    public var state: PrinterState
    public var acceptingJobs: Bool
    /// printer-state-reasons as CUPS gives them (`media-empty-error`, `paused`…), without "none".
    public var reasons: [String]
    public var message: String

    public init(queue: String, state: PrinterState, acceptingJobs: Bool, reasons: [String], message: String) {
        self.queue = queue
        self.state = state
        self.acceptingJobs = acceptingJobs
        self.reasons = reasons.filter { $0 != "none" }
        self.message = message
    }

    /// Reasons without the `-error`/`-warning`/`-report` severity suffix.
    public var reasonKeywords: Set<String> {
        Set(reasons.map { r in
            for suffix in ["-error", "-warning", "-report"] where r.hasSuffix(suffix) {
                return String(r.dropLast(suffix.count))
            }
            return r
        })
    }

    /// The most specific fault first: out of paper matters more than "stopped", which follows from it.
    /// Out of paper shows in the reasons while printer-state may stay idle, so the reasons decide.
    public var fault: PrinterFault {
        let k = reasonKeywords
        // Warnings (media-low, toner-low) are not faults: the printer still prints.
        let errors = Set(reasons.filter { !$0.hasSuffix("-warning") && !$0.hasSuffix("-report") }
            .map { $0.hasSuffix("-error") ? String($0.dropLast(6)) : $0 })
        if !errors.isDisjoint(with: ["media-empty", "media-needed"]) { return .mediaEmpty }
        if errors.contains("media-jam") { return .mediaJam }
        if !errors.isDisjoint(with: ["cover-open", "door-open"]) { return .coverOpen }
        if !k.isDisjoint(with: ["offline", "shutdown", "connecting-to-device", "timed-out"]) { return .offline }
        if state == .stopped || k.contains("paused") { return .stopped }
        if !acceptingJobs { return .notAcceptingJobs }
        return .none
    }
}

/// A CUPS job id on one queue.
public struct JobID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int
    public init(_ rawValue: Int) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// IPP job-state.
public enum JobState: String, Sendable, Equatable {
    case pending, held, processing, stopped, canceled, aborted, completed

    public init?(ippValue: Int) {
        switch ippValue {
        case 3: self = .pending
        case 4: self = .held
        case 5: self = .processing
        case 6: self = .stopped
        case 7: self = .canceled
        case 8: self = .aborted
        case 9: self = .completed
        default: return nil
        }
    }

    public var isFinished: Bool { self == .canceled || self == .aborted || self == .completed }
}

public struct JobReport: Sendable, Equatable {
    public var id: JobID
    public var state: JobState
    public var reasons: [String]
    public init(id: JobID, state: JobState, reasons: [String]) {
        self.id = id
        self.state = state
        self.reasons = reasons.filter { $0 != "none" }
    }
}

/// What the screen shows and maintenance records after a print. A fault never touches the submission:
/// the ticket stays on screen and the resident is told to note the number or photograph the QR code.
public enum PrintOutcome: Sendable, Equatable {
    case printed
    case fault(PrinterFault, detail: String)

    public var fault: PrinterFault {
        if case .fault(let f, _) = self { return f }
        return .none
    }
}
