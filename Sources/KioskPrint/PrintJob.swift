// A receipt ready for CUPS, and the errors of the print path in words a technician can act on.
import Foundation
import KioskCore

/// The bytes of one print and the CUPS document format they travel as.
public enum PrintDocument: Sendable, Equatable {
    /// ESC/POS for a raw queue (`application/vnd.cups-raw`: CUPS passes it to the backend untouched).
    case raw(Data)
    /// A PNG for an ordinary printer; CUPS's filters convert it.
    case png(Data)

    public var format: String {
        switch self {
        case .raw: return "application/vnd.cups-raw"
        case .png: return "image/png"
        }
    }

    public var bytes: Data {
        switch self {
        case .raw(let d), .png(let d): return d
        }
    }
}

public struct PrintJob: Sendable, Equatable {
    public var document: PrintDocument
    /// Shown by `lpstat` and kept in CUPS's job history: never personal data.
    public var title: String

    public init(document: PrintDocument, title: String) {
        self.document = document
        self.title = title
    }

    /// The receipt or checklist in the form `kind` needs.
    public init(raster: PrintRaster, kind: PrinterKind, title: String) throws(PrintError) {
        switch kind {
        case .escpos80, .escpos58:
            document = .raw(try EscPos.encode(raster, kind: kind))
        case .image:
            document = .png(PNG.encode(raster, dpi: kind.dpi))
        }
        self.title = title
    }
}

/// `KioskPrint.job(for: raster, kind: settings.kind)`: the print job for a rendered receipt.
public func job(for raster: PrintRaster, kind: PrinterKind, title: String = "Kiosk receipt") throws(PrintError) -> PrintJob {
    try PrintJob(raster: raster, kind: kind, title: title)
}

public enum PrintError: Error, Equatable, Sendable, CustomStringConvertible {
    case rasterTooWide(width: Int, dotsAcross: Int, kind: PrinterKind)
    case wrongKindForEncoding(PrinterKind)
    case badQueueName(String)
    case badServer(String)
    /// cupsd did not answer at `server`.
    case unreachable(queue: String, server: String, why: String)
    case unknownQueue(queue: String, server: String)
    case notAcceptingJobs(queue: String)
    case notAuthorized(queue: String, operation: String, why: String)
    case jobNotFound(queue: String, job: JobID)
    /// Any other IPP refusal: the status text from cupsd.
    case refused(queue: String, operation: String, status: Int, why: String)
    case cannotReadFile(path: String, why: String)

    /// The fault the kiosk records for this error.
    public var fault: PrinterFault {
        switch self {
        case .unreachable, .badServer: return .unreachable
        case .unknownQueue, .badQueueName: return .unknownQueue
        case .notAcceptingJobs: return .notAcceptingJobs
        case .jobNotFound: return .jobUnconfirmed
        case .rasterTooWide, .wrongKindForEncoding, .notAuthorized, .refused, .cannotReadFile: return .jobFailed
        }
    }

    public var description: String {
        switch self {
        case .rasterTooWide(let w, let d, let k):
            return "printer: the receipt is \(w) dots wide but a \(k.rawValue) head has \(d); render it at printer.kind's width"
        case .wrongKindForEncoding(let k):
            return "printer: ESC/POS encoding asked for printer.kind \(k.rawValue); an image printer gets a PNG"
        case .badQueueName(let q):
            return PrinterConfigError.badQueueName(q).description
        case .badServer(let s):
            return "printer.server: \"\(s)\" is not host:port or a socket path (e.g. 127.0.0.1:631 or /run/cups/cups.sock)"
        case .unreachable(let q, let s, let why):
            return "printer \(q): cupsd at \(s) does not answer (\(why)); check `systemctl status cups` and printer.server"
        case .unknownQueue(let q, let s):
            return "printer \(q): no such queue on the cupsd at \(s); create it with lpadmin (README, Printing) or fix printer.queue"
        case .notAcceptingJobs(let q):
            return "printer \(q): the queue rejects jobs; run `cupsaccept \(q)` when the printer may be used again"
        case .notAuthorized(let q, let op, let why):
            return "printer \(q): cupsd refused \(op) (\(why)); add the kiosk's user to the lpadmin group so it can resume a stopped queue"
        case .jobNotFound(let q, let j):
            return "printer \(q): job \(j) is gone from CUPS and no job-end event was seen; check that cupsd.conf's policy lets the kiosk's user create subscriptions (Create-Printer-Subscriptions) and that MaxEvents is not 0"
        case .refused(let q, let op, let status, let why):
            return "printer \(q): cupsd refused \(op) with IPP status 0x\(String(status, radix: 16)) (\(why)); see the CUPS error_log"
        case .cannotReadFile(let p, let why):
            return "printer: cannot read \(p) (\(why))"
        }
    }
}
