// Where this kiosk stands and how its tickets are named: the default location of a report, the ticket code,
// and the status page the receipt's QR code opens. From the technician's config.

public struct KioskSite: Sendable, Equatable {
    /// The fleet-unique code at the start of every ticket number (2–4 characters of TicketNumber.alphabet).
    public var ticketCode: String
    /// Street address of the kiosk, used when a resident reports a problem "here".
    public var address: String
    public var latitude: Double
    public var longitude: Double
    /// The status page of a ticket; `{ticket}` is replaced by the number.
    public var statusPage: String
    /// A receipt printer is configured (the ticket screen offers printing again).
    public var hasPrinter: Bool

    public init(ticketCode: String, address: String, latitude: Double, longitude: Double, statusPage: String,
                hasPrinter: Bool = false) {
        self.ticketCode = ticketCode; self.address = address
        self.latitude = latitude; self.longitude = longitude; self.statusPage = statusPage; self.hasPrinter = hasPrinter
    }

    /// The demo kiosk in the contact centre's service hall.
    public static let demo = KioskSite(
        ticketCode: "PT1", address: "ul. Piotrkowska 110, 90-006 Łódź",
        latitude: 51.76275, longitude: 19.45801, statusPage: "https://kiosk.lodz.example/zgloszenia/{ticket}")

    /// The status page of one ticket; the number is made of URL-safe characters only.
    public func statusLink(_ ticket: String) -> String {
        statusPage.replacingOccurrences(of: "{ticket}", with: ticket)
    }
}
