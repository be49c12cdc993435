// The ticket screen: the number large, what happens next, the QR code to the status page, printing and done.
import Foundation
import KioskCore

extension Screens {
    func ticket() -> Node {
        guard let ticket = s.report.ticket else {
            return page(title: str(.ticketTitle), subtitle: nil, body: message(.loading))
        }
        let link = s.site.statusLink(ticket.number)
        let when = WarsawTime.localDateTime(at: ticket.created).description
        var number = Node.text(ticket.number, .display, t.text, align: .center)
        number.id = ElementID.ticketNumber
        // Spoken a character group at a time, as on the phone: "P T 1, 2 6 1 2 0 1, …".
        number.semantics = Semantics(str(.ticketNumberLabel) + ": " + ticket.number.map(String.init).joined(separator: " "), role: .text)
        let printLine: StringKey
        switch ticket.print {
        case .noPrinter: printLine = .ticketNoPrinter
        case .printing: printLine = .ticketPrinting
        case .printed: printLine = .ticketPrinted
        case .failed: printLine = .ticketPrintFailed
        }
        var parts: [Node] = [
            Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.75), [
                Node.text(str(.ticketNumberLabel), .heading, t.textMuted, align: .center),
                number,
                Node.text(when, .body, t.textMuted, align: .center),
            ]).height(.fit).background(t.surface).border(t.primary),
            Node.text(ticket.print == .failed || ticket.print == .noPrinter ? str(printLine) : str(printLine) + " " + str(.ticketKeep), .heading,
                      ticket.print == .failed ? t.error : t.text),
            Node.column(gap: t.smallGap, [
                Node.text(ticket.serviceName[lang], .heading, t.primary),
                Node.text(ticket.place, .body, t.text),
            ]).height(.fit),
            Node.text(str(.ticketWhatNext, ["unit": .text(ticket.unitName[lang])]), .body, t.text),
            Node.text(str(.ticketQueued), .body, t.textMuted),
        ]
        let code = Node.qrCode(id: ElementID.ticketQR, payload: QRCode.linkForPhones(link), side: t.qrSide,
                               label: str(.ticketQRCaption), dark: Color(0x000000), light: Color(0xFFFFFF))
        let caption = Node.text(str(.ticketQRCaption), .body, t.text)
        var scroll = Node(id: ElementID.reportBody, .scroll)
        scroll.gap = t.spacing
        var content: Node
        if size.isPortrait || code.id == nil {
            if code.id != nil {
                parts.append(Node.row(gap: t.spacing, padding: .all(t.gap), [code, caption.width(.fill())])
                    .height(.fit).background(t.surface).align(cross: .center))
            }
            scroll.padding = readingPadding()
            scroll.children = parts
            content = scroll
        } else {
            // Landscape: the QR code stands beside the number, where it never scrolls away.
            let sideWidth = max(t.qrSide + 2 * t.spacing, (size.width * 0.25).rounded(.down))
            // Its own scroll view: in large text on a short panel the caption may need more than the height.
            var side = Node(id: ElementID.ticketSide, .scroll)
            side.gap = t.gap
            side.padding = .all(t.spacing)
            side.children = [code, caption]
            side = side.width(.fixed(sideWidth)).background(t.surface)
            scroll.padding = readingPadding(width: size.width - sideWidth)
            scroll.children = parts
            content = Node.row([scroll.width(.fill()).height(.fill()), side.height(.fill())])
        }
        var actions: [Node] = []
        if ticket.print != .noPrinter {
            var again = button(ElementID.ticketPrint, str(.ticketPrint), .report(.printAgain), filled: false).width(.fill())
            if ticket.print == .printing { again.onTap = nil; again.semantics?.state = [str(.ticketPrinting)] }
            actions.append(again)
        }
        actions.append(button(ElementID.ticketDone, str(.ticketDone), .report(.done)).width(.fill()))
        let bar = Node.row(gap: t.gap, padding: Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing), actions)
            .height(.fit).background(t.navBar)
        content.height = .fill()
        return page(title: str(.ticketTitle), subtitle: str(.reportTitle), body: Node.column([content, bar]))
    }
}
