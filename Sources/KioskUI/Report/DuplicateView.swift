// The duplicate step (requests already filed nearby, each as plain text, one chosen) and the ticket screen of
// a request the resident joined instead of filing anew.
import Foundation
import KioskCore

extension Screens {
    func reportDuplicate() -> Node {
        let found = s.report.nearby?.found ?? []
        var content: [Node] = [Node.text(str(.duplicateHint), .body, t.text)]
        var list = Node.column(gap: t.gap, found.enumerated().map { i, st in duplicateItem(i, st) })
        list.semantics = Semantics(str(.duplicateTitle), role: .list)
        content.append(list.height(.fit))
        let chosen = s.report.duplicateChoice.map { found.indices.contains($0) } ?? false
        var same = button(ElementID.reportDuplicateSame, str(.duplicateSame), .report(.sameProblem))
        if !chosen {
            // Nothing chosen yet: the button says so instead of doing nothing.
            same = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding), [.text(str(.duplicateSame), .button, t.textMuted, align: .center)])
                .background(t.navBar).border(t.border).align(main: .center)
            same.id = ElementID.reportDuplicateSame
            same.minHeight = t.minTarget
            same.semantics = Semantics(str(.duplicateSame), role: .button, state: [str(.stateUnavailable), str(.duplicatePick)])
            content.append(Node.text(str(.duplicatePick), .body, t.textMuted))
        }
        let new = button(ElementID.reportDuplicateNew, str(.duplicateNew), .report(.newProblem), filled: false)
        return reportPage(str(.duplicateTitle), content: content, fields: [], actions: [same.width(.fill()), new.width(.fill())])
    }

    /// One nearby request: what, where, when, its status and the start of its description, all as sent.
    func duplicateItem(_ i: Int, _ st: ServerRequestStatus) -> Node {
        let id = ElementID.reportDuplicateItem(i)
        let selected = s.report.duplicateChoice == i
        let fg = selected ? t.onPrimary : t.text
        let muted = selected ? t.onPrimary : t.textMuted
        let name = OutsideText.shown(st.serviceName, limit: 200)
            ?? st.serviceCode.flatMap { code in s.report.catalog?.services.first { $0.code == code }?.name[lang] }
            ?? s.report.service?.name[lang] ?? ""
        var lines: [Node] = [.text(name, .heading, selected ? t.onPrimary : t.primary)]
        var spoken = [name]
        if let address = OutsideText.shown(st.address, limit: 300) { lines.append(.text(address, .body, fg)); spoken.append(address) }
        var facts = [statusWord(st.status)]
        if let when = st.requested { facts.append(str(.duplicateReported, ["date": .text(dateTimeText(when))])) }
        lines.append(.text(facts.joined(separator: " · "), .small, muted))
        spoken += facts
        if let excerpt = OutsideText.shown(st.description, limit: OutsideText.excerptLimit) {
            lines.append(.text(excerpt, .body, fg))
            spoken.append(excerpt)
        }
        let pressed = s.pressed == id
        var n = Node.row(gap: t.gap, padding: .all(t.spacing * 0.6), [
            Node.text(selected ? "◉" : "○", .button, selected ? t.onPrimary : t.primary).width(.fit),
            Node.column(gap: t.smallGap, lines).width(.fill()),
        ]).background(selected ? (pressed ? t.primaryPressed : t.primary) : (pressed ? t.navBar : t.surface))
            .border(selected ? nil : t.primary).onTap(.report(.chooseDuplicate(i)), id: id)
        n.minHeight = t.minTarget
        n.semantics = Semantics(spoken.joined(separator: ". "), role: .button, state: [selected ? str(.stateChosen) : str(.stateNotChosen)])
        return n
    }

    /// The request a resident joined: its number and status, and that nothing new was filed. No print button:
    /// the receipt says "accepted", which would not be true of this one.
    func joinedTicket(_ st: ServerRequestStatus) -> Node {
        let number = st.numberForResident
        var numberText = Node.text(number, .display, t.text, align: .center)
        numberText.id = ElementID.ticketNumber
        numberText.semantics = Semantics(str(.ticketNumberLabel) + ": " + number.map(String.init).joined(separator: " "), role: .text)
        var parts: [Node] = [
            Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.75), [
                Node.text(str(.ticketNumberLabel), .heading, t.textMuted, align: .center),
                numberText,
                Node.text(str(.lookupStatusLabel) + ": " + statusWord(st.status), .heading, t.primary, align: .center),
            ]).height(.fit).background(t.surface).border(t.primary),
            Node.text(str(.joinedNothingFiled), .heading, t.text),
        ]
        var what: [Node] = []
        if let name = OutsideText.shown(st.serviceName, limit: 200)
            ?? st.serviceCode.flatMap({ code in s.report.catalog?.services.first { $0.code == code }?.name[lang] }) {
            what.append(.text(name, .heading, t.primary))
        }
        if let address = OutsideText.shown(st.address, limit: 300) { what.append(.text(address, .body, t.text)) }
        if !what.isEmpty { parts.append(Node.column(gap: t.smallGap, what).height(.fit)) }
        if let note = OutsideText.shown(st.statusNotes, limit: OutsideText.noteLimit) { parts.append(labelled(.lookupNoteLabel, note)) }
        // The status page knows kiosk ticket numbers; a request filed elsewhere has only the server's id.
        if st.ticket != nil {
            let code = Node.qrCode(id: ElementID.ticketQR, payload: QRCode.linkForPhones(s.site.statusLink(number)), side: t.qrSide,
                                   label: str(.ticketQRCaption), dark: t.text, light: Color(0xFFFFFF))
            if code.id != nil {
                parts.append(Node.row(gap: t.spacing, padding: .all(t.gap), [code, Node.text(str(.ticketQRCaption), .body, t.text).width(.fill())])
                    .height(.fit).background(t.surface).align(cross: .center))
            }
        }
        parts.append(Node.text(str(.helpline), .body, t.text))
        var scroll = Node(id: ElementID.reportBody, .scroll)
        scroll.gap = t.spacing
        scroll.padding = readingPadding()
        scroll.children = parts
        let bar = Node.row(gap: t.gap, padding: Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing),
                           [button(ElementID.ticketDone, str(.ticketDone), .report(.done)).width(.fill())])
            .height(.fit).background(t.navBar)
        return page(title: str(.joinedTitle), subtitle: str(.reportTitle), body: Node.column([scroll.height(.fill()), bar]))
    }
}
