// Every public element ID in one place: scripts outside this repo tap them, so they are a contract
// (the README lists them and a test keeps the two in step).

import KioskCore

public enum ElementID {
    // Home
    public static let homeKB = "home.kb"
    public static let homeSearch = "home.search"
    public static let homeReport = "home.report"
    public static let homeTicket = "home.ticket"
    /// The home screen's scroll view (it scrolls only when the tiles do not fit).
    public static let homeBody = "home.body"
    public static func language(_ code: String) -> String { "lang.\(code)" }
    // Every screen
    public static let navBack = "nav.back"
    public static let navHome = "nav.home"
    public static let largeText = "a11y.large-text"
    /// Speech output on and off (every screen).
    public static let speech = "a11y.speech"
    /// The high-contrast theme on and off (home).
    public static let contrast = "a11y.contrast"
    /// The accessibility statement (from home), and speech's controls on it.
    public static let homeAccessibility = "home.accessibility"
    public static let accessibilityBody = "accessibility.body"
    public static func speechControl(_ c: SpeechSettings.Control) -> String { "a11y.speech.\(c.rawValue)" }
    // Browse
    public static let categoriesList = "categories.list"
    public static func categoriesItem(_ i: Int) -> String { "categories.item.\(i)" }
    public static let articlesList = "articles.list"
    public static func articlesItem(_ i: Int) -> String { "articles.item.\(i)" }
    public static let articleBody = "article.body"
    public static let articleQR = "article.qr"
    /// Prints the article's checklist (when the kiosk has a printer).
    public static let articlePrint = "article.print"
    /// Landscape: the column of the QR code and printing beside the article (a scroll view).
    public static let articleSide = "article.side"
    // Search
    public static let searchQuery = "search.query"
    public static let searchClear = "search.clear"
    public static let searchResults = "search.results"
    public static func searchResultsItem(_ i: Int) -> String { "search.results.item.\(i)" }
    public static let searchSuggestion = "search.suggestion"
    public static let searchBrowse = "search.browse"
    public static func searchReportItem(_ i: Int) -> String { "search.report.item.\(i)" }
    // Report a problem
    public static let reportServiceQuery = "report.service.query"
    public static let reportServiceList = "report.service.list"
    public static func reportServiceItem(_ i: Int) -> String { "report.service.item.\(i)" }
    public static let reportThreatYes = "report.threat.yes"
    public static let reportThreatNo = "report.threat.no"
    public static let reportEmergencyHome = "report.emergency.home"
    public static let reportLocationHere = "report.location.here"
    public static let reportStreet = "report.location.street"
    public static func reportStreetSuggestion(_ i: Int) -> String { "report.location.street.item.\(i)" }
    public static let reportNumber = "report.location.number"
    public static let reportLandmark = "report.location.landmark"
    public static let reportDescription = "report.description"
    /// A question's control (a text field, or the group of a list's options).
    public static func reportAttribute(_ code: String) -> String { "report.attr.\(code)" }
    /// One option of a list question.
    public static func reportAttributeValue(_ code: String, _ key: String) -> String { "report.attr.\(code).\(key)" }
    /// "Now" beside a "when" question.
    public static func reportAttributeNow(_ code: String) -> String { "report.attr.\(code).now" }
    public static let reportContactConsent = "report.contact.consent"
    public static let reportContactSkip = "report.contact.skip"
    public static let reportEmail = "report.contact.email"
    public static let reportPhone = "report.contact.phone"
    /// The scrolling content of a report step.
    public static let reportBody = "report.body"
    public static let reportNext = "report.next"
    public static let reportSubmit = "report.submit"
    /// Reports already filed nearby, before the review: one per request, tapped to choose it.
    public static func reportDuplicateItem(_ i: Int) -> String { "report.duplicate.item.\(i)" }
    /// "This is my problem too": nothing new is filed, the chosen request's ticket is shown.
    public static let reportDuplicateSame = "report.duplicate.same"
    /// "Another problem": on to the review, as without duplicates.
    public static let reportDuplicateNew = "report.duplicate.new"
    // Checking a ticket
    public static let lookupNumber = "ticket-lookup.number"
    public static let lookupSubmit = "ticket-lookup.submit"
    /// The screen's scrolling content.
    public static let lookupBody = "ticket-lookup.body"
    /// The answer about the number (the city's status and note, or what this kiosk knows).
    public static let lookupResult = "ticket-lookup.result"
    // The ticket
    public static let ticketNumber = "ticket.number"
    public static let ticketQR = "ticket.qr"
    public static let ticketPrint = "ticket.print"
    /// Landscape: the QR code's column beside the number (a scroll view).
    public static let ticketSide = "ticket.side"
    public static let ticketDone = "ticket.done"
    // On-screen keyboard
    public static func key(_ character: String) -> String { "keyboard.key.\(character)" }
    public static let keySpace = "keyboard.space"
    public static let keyBackspace = "keyboard.backspace"
    public static let keyShift = "keyboard.shift"
    public static let keyLayout = "keyboard.layout"
    // Staff maintenance: the hidden entry (an unmarked corner of home), the PIN pad, the dashboard.
    public static let maintenanceEntry = "maintenance.entry"
    public static func maintenancePinKey(_ digit: Int) -> String { "maintenance.pin.key.\(digit)" }
    public static let maintenancePinDelete = "maintenance.pin.delete"
    public static let maintenancePinOK = "maintenance.pin.ok"
    public static let maintenancePinBody = "maintenance.pin.body"
    public static let maintenanceBody = "maintenance.body"
    public static func maintenanceAction(_ name: String) -> String { "maintenance.action.\(name)" }
    /// Per refused item: `maintenance.action.retry.TICKET`, `maintenance.action.discard.TICKET`.
    public static func maintenanceItemAction(_ name: String, _ ticket: String) -> String { "maintenance.action.\(name).\(ticket)" }
    public static let maintenanceDiscardConfirm = "maintenance.action.discard-confirm"
    public static let maintenanceDiscardCancel = "maintenance.action.discard-cancel"
    public static let maintenanceDiscardScrim = "maintenance.discard.scrim"
    /// What residents see while staff have the kiosk out of service.
    public static let outOfServiceBody = "out-of-service.body"
    // Overlays
    public static let idleMoreTime = "idle.more-time"
    public static let idleScrim = "idle.scrim"
    public static let noticeOK = "notice.ok"
    public static let noticeScrim = "notice.scrim"
    public static let leaveConfirm = "leave.confirm"
    public static let leaveStay = "leave.stay"
    public static let leaveScrim = "leave.scrim"
    /// A dialog's text, which scrolls on a small panel in large text.
    public static let dialogBody = "dialog.body"

    /// The public IDs as the README writes them: `N` stands for a 0-based index, `X` for a key's character,
    /// `CODE` for a language or a question's code and `KEY` for one of a list question's values.
    public static let documented: [String] = [
        homeKB, homeSearch, homeReport, homeTicket, homeBody, "lang.CODE", navBack, navHome, largeText,
        speech, contrast, homeAccessibility, accessibilityBody, "a11y.speech.CONTROL",
        categoriesList, "categories.item.N", articlesList, "articles.item.N", articleBody, articleQR, articlePrint, articleSide,
        searchQuery, searchClear, searchResults, "search.results.item.N", searchSuggestion, searchBrowse, "search.report.item.N",
        reportServiceQuery, reportServiceList, "report.service.item.N", reportThreatYes, reportThreatNo, reportEmergencyHome,
        reportLocationHere, reportStreet, "report.location.street.item.N", reportNumber, reportLandmark, reportDescription,
        "report.attr.CODE", "report.attr.CODE.KEY", "report.attr.CODE.now", reportContactConsent, reportContactSkip,
        reportEmail, reportPhone, reportBody, reportNext, reportSubmit, "report.duplicate.item.N", reportDuplicateSame,
        reportDuplicateNew, lookupNumber, lookupSubmit, lookupBody, lookupResult, ticketNumber, ticketQR, ticketPrint, ticketDone, ticketSide,
        "keyboard.key.X", keySpace, keyBackspace, keyShift, keyLayout,
        idleMoreTime, idleScrim, noticeOK, noticeScrim, leaveConfirm, leaveStay, leaveScrim, dialogBody,
        maintenanceEntry, "maintenance.pin.key.N", maintenancePinDelete, maintenancePinOK, maintenancePinBody, maintenanceBody,
        "maintenance.action.NAME", "maintenance.action.retry.TICKET", "maintenance.action.discard.TICKET", maintenanceDiscardScrim, outOfServiceBody,
    ]

    /// The documented pattern an ID belongs to, or nil for an ID that is not public.
    public static func pattern(of id: String) -> String? {
        if documented.contains(id) { return id }
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return nil }
        let head = parts.dropLast().joined(separator: ".")
        let last = String(parts[parts.count - 1])
        if head == "lang" { return "lang.CODE" }
        if head == "a11y.speech", SpeechSettings.Control(rawValue: last) != nil { return "a11y.speech.CONTROL" }
        if id.hasPrefix("keyboard.key.") { return "keyboard.key.X" }
        if head == "maintenance.action" { return "maintenance.action.NAME" }
        if head == "maintenance.action.retry" || head == "maintenance.action.discard" { return "\(head).TICKET" }
        if id.hasPrefix("report.attr.") {
            switch parts.count {
            case 3: return "report.attr.CODE"
            case 4: return last == "now" ? "report.attr.CODE.now" : "report.attr.CODE.KEY"
            default: return nil
            }
        }
        if Int(last) != nil, documented.contains("\(head).N") { return "\(head).N" }
        return nil
    }
}
