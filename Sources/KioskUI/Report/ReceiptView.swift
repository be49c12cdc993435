// The printed ticket receipt as a view tree, laid out by the same engine as the screen at the printer's
// resolution. Black on white, sizes in millimetres of paper; never any personal data (no description, no
// contact), only what the ticket screen shows.
import Foundation
import KioskCore

public enum Receipt {
    /// Dots across of an 80 mm thermal printer at 203 dpi: the receipt's sizes are drawn for it and scale
    /// with narrower paper.
    public static let referenceDots = 576.0

    /// The paper's theme: text of 3 mm and more at 203 dpi (8 dots a millimetre), the ticket number larger.
    public static func theme(dotsAcross: Int) -> Theme {
        let k = Double(dotsAcross) / referenceDots
        func px(_ v: Double) -> Int { max(12, Int((v * k).rounded())) }
        var t = Theme()
        t.background = Color(0xFFFFFF)
        t.surface = Color(0xFFFFFF)
        t.text = Color(0x000000)
        t.textMuted = Color(0x000000)
        t.primary = Color(0x000000)
        t.border = Color(0x000000)
        t.fontSizes = [
            .display: FontSpec(size: px(44), bold: true), .title: FontSpec(size: px(34), bold: true),
            .heading: FontSpec(size: px(28), bold: true), .tile: FontSpec(size: px(34), bold: true),
            .button: FontSpec(size: px(28), bold: true), .body: FontSpec(size: px(26)), .small: FontSpec(size: px(22)),
        ]
        t.lineSpacing = 1.05
        t.spacing = 16 * k
        t.gap = 12 * k
        t.smallGap = 4 * k
        t.borderWidth = 3
        // 35 mm: a phone reads it from the counter at arm's length.
        t.qrSide = (280 * k).rounded()
        return t
    }

    /// The ticket receipt for paper `width` dots wide.
    public static func ticket(_ r: ReceiptRequest, theme t: Theme, width: Double) -> Node {
        let lang = r.language
        func str(_ k: StringKey, _ args: [String: Strings.Argument] = [:]) -> String { Strings.text(k, lang, args) }
        let ticket = r.ticket
        let rule = Node().height(.fixed(3)).background(t.text)
        var parts: [Node] = [
            Node.text(str(.cityName), .title, t.text, align: .center),
            Node.text(str(.centreName), .small, t.text, align: .center),
            rule,
            Node.text(str(.ticketTitle), .heading, t.text, align: .center),
            Node.text(str(.ticketNumberLabel), .body, t.text, align: .center),
            Node.text(ticket.number, .display, t.text, align: .center),
            Node.text(WarsawTime.localDateTime(at: ticket.created).description, .body, t.text, align: .center),
            rule,
            Node.column(gap: t.smallGap, [
                Node.text(str(.reviewService), .small, t.text),
                Node.text(ticket.serviceName[lang], .heading, t.text),
            ]).height(.fit),
            Node.column(gap: t.smallGap, [
                Node.text(str(.reviewPlace), .small, t.text),
                Node.text(ticket.place, .body, t.text),
            ]).height(.fit),
            Node.text(str(.reviewUnit, ["unit": .text(ticket.unitName[lang])]), .body, t.text),
            rule,
            Node.text(str(.receiptWhatNext), .body, t.text),
        ]
        let code = Node.qrCode(id: ElementID.ticketQR, payload: QRCode.linkForPhones(r.statusLink), side: t.qrSide,
                               label: str(.ticketQRCaption), dark: Color(0x000000), light: Color(0xFFFFFF))
        if code.id != nil { parts.append(Node.column([code]).height(.fit).align(cross: .center)) }
        parts.append(Node.text(str(.receiptKeep), .small, t.text, align: .center))
        var root = Node.column(gap: t.gap, padding: .xy(t.spacing * 0.5, t.spacing), parts).width(.fixed(width)).height(.fit)
        root.background = Color(0xFFFFFF)
        return root
    }

    /// An article's checklist for paper `width` dots wide: what to bring, what it costs, where, how long, and
    /// the article's page as a QR code. The article is public; nothing of the resident is on it.
    public static func checklist(_ r: ChecklistRequest, theme t: Theme, width: Double) -> Node {
        let lang = r.language
        let a = r.article
        func str(_ k: StringKey) -> String { Strings.text(k, lang) }
        let rule = Node().height(.fixed(3)).background(t.text)
        var parts: [Node] = [
            Node.text(str(.cityName), .title, t.text, align: .center),
            Node.text(str(.checklistTitle), .body, t.text, align: .center),
            rule,
            Node.text(a.title[lang], .heading, t.text),
        ]
        let wanted: [(StringKey, String)] = [
            (.sectionDocuments, a.documents), (.sectionFees, a.fees), (.sectionPlace, a.place), (.sectionProcessingTime, a.processingTime),
        ]
        for (key, text) in wanted where !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            parts.append(Node.column(gap: t.smallGap, [
                Node.text("☐ " + str(key), .heading, t.text),
                Node.text(text, .body, t.text),
            ]).height(.fit))
        }
        parts.append(rule)
        if let url = a.url {
            let code = Node.qrCode(id: ElementID.articleQR, payload: QRCode.linkForPhones(url), side: t.qrSide,
                                   label: str(.articleQRCaption), dark: Color(0x000000), light: Color(0xFFFFFF))
            if code.id != nil { parts.append(Node.column([code]).height(.fit).align(cross: .center)) }
        }
        parts.append(Node.text(Strings.text(.checklistFooter, lang) + " " + Strings.text(.articleWrittenOn, lang, ["date": .date(a.writtenOn)]),
                               .small, t.text, align: .center))
        var root = Node.column(gap: t.gap, padding: .xy(t.spacing * 0.5, t.spacing), parts).width(.fixed(width)).height(.fit)
        root.background = Color(0xFFFFFF)
        return root
    }
}
