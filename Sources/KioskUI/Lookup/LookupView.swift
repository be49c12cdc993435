// The ticket-lookup screen: the number field, "Check", and the answer under it — the city's status and the
// unit's note as plain text, or what this kiosk knows when the city cannot be asked.
import Foundation
import KioskCore

extension Screens {
    func ticketLookup() -> Node {
        var content: [Node] = [Node.text(str(.lookupHint), .body, t.text)]
        content.append(textField(ElementID.lookupNumber, lastLines: 1))
        if s.lookup.invalid {
            content.append(Node.text(str(.lookupInvalid), .body, t.error).semantics(Semantics(str(.lookupInvalid), role: .text)))
        }
        if s.lookup.pending != nil {
            content.append(Node.text(str(.lookupChecking), .heading, t.textMuted))
        } else if let result = s.lookup.result {
            content.append(lookupResult(result))
        }
        let waiting = s.lookup.pending != nil
        let submit = button(ElementID.lookupSubmit, waiting ? str(.lookupChecking) : str(.lookupSubmit), .lookup(.submit),
                            state: waiting ? [str(.lookupChecking)] : []).width(.fill())
        return keyboardPage(title: str(.tileTicket), subtitle: nil, scrollID: ElementID.lookupBody, content: content,
                            fields: [ElementID.lookupNumber], actions: [submit])
    }

    func lookupResult(_ result: TicketLookupResult) -> Node {
        func card(_ number: String, _ parts: [Node], accent: Color) -> Node {
            let heading = str(.lookupNumberShown, ["number": .text(number)])
            var n = Node.column(id: ElementID.lookupResult, gap: t.gap, padding: .all(t.spacing * 0.75),
                                [Node.text(heading, .heading, t.text).semantics(Semantics(heading, role: .heading))] + parts)
                .height(.fit).background(t.surface).border(accent)
            n.semantics = Semantics(heading, role: .group)
            return n
        }
        switch result {
        case let .server(st):
            var parts: [Node] = [labelled(.lookupStatusLabel, statusWord(st.status), role: .title, color: st.isClosed ? t.text : t.primary)]
            if let note = OutsideText.shown(st.statusNotes, limit: OutsideText.noteLimit) {
                parts.append(labelled(.lookupNoteLabel, note))
            }
            if let name = OutsideText.shown(st.serviceName, limit: 200) { parts.append(labelled(.reviewService, name)) }
            if let agency = OutsideText.shown(st.agency, limit: 200) { parts.append(labelled(.lookupUnitLabel, agency)) }
            if let address = OutsideText.shown(st.address, limit: 300) { parts.append(labelled(.reviewPlace, address)) }
            if let updated = st.updated ?? st.requested {
                parts.append(Node.text(str(.lookupUpdated, ["date": .text(dateTimeText(updated))]), .small, t.textMuted))
            }
            return card(st.numberForResident, parts, accent: t.primary)
        case let .savedNotSent(number, created):
            return card(number, [Node.text(str(.lookupSavedNotSent), .body, t.text),
                                 Node.text(str(.lookupSavedOn, ["date": .text(dateTimeText(created))]), .small, t.textMuted)], accent: t.primary)
        case let .sentStatusUnknown(number, sent):
            var parts = [Node.text(str(.lookupSentUnknown), .body, t.text)]
            if let sent { parts.append(Node.text(str(.lookupSentOn, ["date": .text(dateTimeText(sent))]), .small, t.textMuted)) }
            return card(number, parts, accent: t.primary)
        case let .refused(number):
            return card(number, [Node.text(str(.lookupRefused), .body, t.error)], accent: t.error)
        case let .notFound(number):
            return card(number, [Node.text(str(.lookupNotFound, ["number": .text(number)]), .body, t.text)], accent: t.border)
        case let .unreachable(number):
            return card(number, [Node.text(str(.lookupUnreachable, ["number": .text(number)]), .body, t.text)], accent: t.border)
        }
    }

    /// A small label over its value, spoken as one: "Stan sprawy: W realizacji".
    func labelled(_ label: StringKey, _ value: String, role: FontRole = .body, color: Color? = nil) -> Node {
        Node.column(gap: t.smallGap, [Node.text(str(label), .small, t.textMuted), Node.text(value, role, color ?? t.text)])
            .height(.fit).semantics(Semantics("\(str(label)): \(value)", role: .text))
    }

    /// Open311's status in the resident's words; a word another server uses is shown as sent (as plain text).
    func statusWord(_ status: String) -> String {
        switch status.trimmingCharacters(in: .whitespaces).lowercased() {
        case "open": return str(.lookupStatusOpen)
        case "closed": return str(.lookupStatusClosed)
        default: return OutsideText.shown(status, limit: 60) ?? str(.lookupStatusOpen)
        }
    }

    /// "3 grudnia 2026, 14:05" in Łódź time.
    func dateTimeText(_ d: Date) -> String {
        let l = WarsawTime.localDateTime(at: d)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = LocalDate(year: l.year, month: l.month, day: l.day).map { Strings.date($0, lang) } ?? l.description
        return "\(day), \(two(l.hour)):\(two(l.minute))"
    }
}
