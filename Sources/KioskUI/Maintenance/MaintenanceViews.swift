// The PIN pad and the staff dashboard. Figures are data and shown as they are; every word is the catalogue's.
import Foundation
import KioskCore

extension Screens {
    /// The hidden entry: an unmarked, finger-sized square in the top corner of home. It has no semantics, so
    /// speech never announces it.
    func maintenanceEntry() -> Node {
        var corner = Node().width(.fixed(t.minTarget * 1.5)).height(.fixed(t.minTarget * 1.5))
            .onHold(.maintenance(.entryHeld), id: ElementID.maintenanceEntry)
        corner.semantics = nil
        return Node.column([Node.row([.spacer(), corner]).height(.fit), .spacer()]).height(.fill())
    }

    func maintenancePin() -> Node {
        let m = s.maintenance
        // Portrait: the pad under the text; landscape: beside it, so all twelve keys fit above the navigation bar.
        let padWidth = size.isPortrait ? min(size.width - 2 * t.spacing, t.dialogWidth)
                                       : min((size.width - 3 * t.spacing) / 2, t.dialogWidth)
        var info: [Node] = [Node.text(str(.maintPinHint), .body, t.text)]
        // One dot per digit, never the digit; a dash before the first, so the box never looks broken.
        let dots = m.digits.isEmpty ? "–" : String(repeating: "●", count: m.digits.count)
        let count = str(.maintPinDigits, ["count": .number(m.digits.count)])
        info.append(Node.column(padding: .xy(t.controlPadding, t.controlPadding),
                                [Node.text(dots, .title, m.digits.isEmpty ? t.textMuted : t.text, align: .center)])
            .width(.fixed(padWidth)).background(t.surface).border(t.border).semantics(Semantics(count, role: .text)))
        if m.checking != nil {
            info.append(Node.text(str(.maintPinChecking), .heading, t.textMuted))
        } else if let verdict = m.verdict, let line = verdictLine(verdict) {
            info.append(Node.text(line, .body, t.error).semantics(Semantics(line, role: .text)))
        }
        let busy = m.checking != nil
        func key(_ d: Int) -> Node {
            button(ElementID.maintenancePinKey(d), String(d), .maintenance(.pinDigit(d))).width(.fill())
        }
        let rows: [[Node]] = [
            [key(1), key(2), key(3)], [key(4), key(5), key(6)], [key(7), key(8), key(9)],
            [spoken(button(ElementID.maintenancePinDelete, str(.maintPinDeleteKey), .maintenance(.pinDelete), filled: false), str(.maintPinDelete)),
             key(0),
             spoken(button(ElementID.maintenancePinOK, str(.maintPinOKKey), .maintenance(.pinSubmit),
                           state: busy ? [str(.maintPinChecking)] : []), str(.maintPinOK))],
        ]
        let pad = Node.column(gap: t.gap, rows.map { Node.row(gap: t.gap, $0).height(.fit) }).width(.fixed(padWidth)).height(.fit)
        var body = Node(id: ElementID.maintenancePinBody, .scroll)
        body.gap = t.spacing
        if size.isPortrait {
            body.padding = readingPadding()
            body.children = info + [pad]
        } else {
            body.padding = .all(t.spacing)
            body.children = [Node.row(gap: t.spacing, [Node.column(gap: t.spacing, info).width(.fill()).height(.fit), pad]).height(.fit)]
        }
        return page(title: str(.maintPinTitle), subtitle: nil, body: body)
    }

    /// A key whose face is a symbol or a short word ("⌫", "OK": they fit a key in large text) and whose spoken
    /// name is the whole word.
    func spoken(_ key: Node, _ name: String) -> Node {
        var k = key.width(.fill())
        k.semantics?.label = name
        return k
    }

    func verdictLine(_ v: PinVerdict) -> String? {
        switch v {
        case .granted: return nil
        case let .wrong(failures, next):
            let wrong = str(.maintPinWrong, ["count": .number(failures)])
            guard let next, next > s.date else { return wrong }
            return wrong + " " + str(.maintPinWait, ["time": .text(clockText(next))])
        case let .throttled(until): return str(.maintPinThrottled, ["time": .text(clockText(until))])
        case .notSet: return str(.maintPinNotSet)
        case .unavailable: return str(.maintPinUnavailable)
        }
    }

    /// "14:05:09" in Łódź time: a wait is seconds to minutes long.
    func clockText(_ d: Date) -> String {
        let l = WarsawTime.localDateTime(at: d)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        // Łódź is a whole number of minutes from UTC: the seconds are UTC's.
        let seconds = Int(d.timeIntervalSince1970.rounded(.up)) % 60
        return "\(two(l.hour)):\(two(l.minute)):\(two(max(0, seconds)))"
    }

    func maintenanceDashboard() -> Node {
        let m = s.maintenance
        var content: [Node] = [Node.text(str(.maintAutoLeave), .small, t.textMuted)]
        func action(_ c: MaintenanceCommand, _ label: StringKey) -> Node {
            let running = m.running == c
            return button(ElementID.maintenanceAction(c.rawValue), running ? str(.maintRunning) : str(label), .maintenance(.run(c)),
                          filled: c == .syncNow, state: running ? [str(.maintRunning)] : []).width(.fill())
        }
        if s.outOfService {
            content.append(Node.text(str(.maintOutOfServiceNow), .body, t.error).semantics(Semantics(str(.maintOutOfServiceNow), role: .text)))
        }
        var actions = [action(.syncNow, .maintSyncNow)]
        if m.dashboard?.canPrint == true { actions.append(action(.testPrint, .maintTestPrint)) }
        actions += [
            action(.refresh, .maintRefresh), action(.reloadConfig, .maintReloadConfig),
            action(.outOfService, s.outOfService ? .maintOutOfServiceOff : .maintOutOfServiceOn), action(.restart, .maintRestart),
            button(ElementID.maintenanceAction("leave"), str(.maintLeave), .maintenance(.leave), filled: false).width(.fill()),
        ]
        content.append(Node.flow(gap: t.gap, actions).height(.fit))
        if let o = m.outcome {
            let line = [str(o.ok ? .maintDone : .maintFailed), OutsideText.shown(o.detail, limit: 400)].compactMap { $0 }.joined(separator: " ")
            content.append(Node.text(line, .body, o.ok ? t.text : t.error).semantics(Semantics(line, role: .text)))
        }
        guard let d = m.dashboard else {
            content.append(Node.text(str(.maintReading), .heading, t.textMuted))
            return dashboardPage(content)
        }
        // A table, label beside value: staff read down the figures, and more of them fit on a landscape panel. In
        // large text a label over its value, so no word is cut.
        for row in d.rows {
            let value = valueText(row.value)
            if s.largeText {
                content.append(labelled(row.label, value, color: row.warning ? t.error : nil))
                continue
            }
            content.append(Node.row(gap: t.gap, [
                Node.text(str(row.label), .body, t.textMuted).width(.fill(2)),
                Node.text(value, .body, row.warning ? t.error : t.text).width(.fill(3)),
            ]).height(.fit).semantics(Semantics("\(str(row.label)): \(value)", role: .text)))
        }
        if !d.refused.isEmpty {
            content.append(Node.text(str(.maintRefusedItems), .heading, t.text).semantics(Semantics(str(.maintRefusedItems), role: .heading)))
            for item in d.refused.prefix(20) {
                content.append(labelled(.ticketNumberLabel, item.ticket + ": " + (OutsideText.shown(item.message, limit: 300) ?? "")))
                let busy = m.running != nil
                content.append(Node.flow(gap: t.gap, [
                    button(ElementID.maintenanceItemAction("retry", item.ticket), str(.maintRetry), .maintenance(.retryRefused(ticket: item.ticket)),
                           filled: false, state: busy ? [str(.maintRunning)] : []).width(.fill()),
                    button(ElementID.maintenanceItemAction("discard", item.ticket), str(.maintDiscard), .maintenance(.discardRefused(ticket: item.ticket)),
                           filled: false, state: busy ? [str(.maintRunning)] : []).width(.fill()),
                ]).height(.fit))
            }
        }
        let errors = d.errors.compactMap { OutsideText.shown($0, limit: 300) }
        content.append(labelled(.maintErrors, errors.isEmpty ? str(.maintNone) : errors.prefix(5).joined(separator: "\n"),
                                role: errors.isEmpty ? .body : .small))
        return dashboardPage(content)
    }

    func dashboardPage(_ content: [Node]) -> Node {
        var body = Node(id: ElementID.maintenanceBody, .scroll)
        body.gap = t.gap
        body.padding = readingPadding()
        body.children = content
        return page(title: str(.maintTitle), subtitle: s.site.address, body: body)
    }

    func valueText(_ v: MaintenanceDashboard.Value) -> String {
        switch v {
        case let .data(text): return OutsideText.shown(text, limit: 300) ?? "–"
        case let .word(k): return str(k)
        case let .wordAndData(k, text): return str(k) + (OutsideText.shown(text, limit: 300).map { ": \($0)" } ?? "")
        case let .counted(k, n, text): return str(k, ["count": .number(n)]) + (OutsideText.shown(text, limit: 300).map { ", \($0)" } ?? "")
        }
    }

    /// What residents see while the kiosk is out of service: the reason in plain words and the helpline, the
    /// language buttons (a visitor may not read Polish), and the hidden entry so staff can return it to service.
    func outOfServiceNotice() -> Node {
        let langRow = languageRow()
        var body = Node(id: ElementID.outOfServiceBody, .scroll)
        body.gap = t.spacing
        body.padding = readingPadding()
        body.children = [
            .spacer(),
            Node.text(str(.outOfServiceTitle), .display, t.text).semantics(Semantics(str(.outOfServiceTitle), role: .heading)),
            Node.text(str(.outOfServiceBody), .heading, t.text).semantics(Semantics(str(.outOfServiceBody), role: .text)),
            .spacer(),
            langRow,
        ]
        if let problem = s.startProblem {
            // For the technician who comes to the kiosk: the same words as in the journal.
            let line = str(.startProblemStaff) + " " + (OutsideText.shown(problem, limit: 400) ?? "")
            body.children.append(Node.text(line, .small, t.textMuted).semantics(Semantics(line, role: .text)))
        }
        let screen = Node.column([header(str(.cityName), str(.centreName)), body.height(.fill())]).height(.fill())
        return s.startProblem == nil ? Node.stack([screen, maintenanceEntry()]) : screen
    }

    /// Discarding cannot be undone: a dialog over the dashboard asks, the safe answer first.
    func discardDialog(_ ticket: String) -> Node {
        let question = str(.maintDiscardQuestion, ["ticket": .text(ticket)])
        return dialog(scrimID: ElementID.maintenanceDiscardScrim, scrimAction: .maintenance(.cancelDiscard), [
            Node.text(question, .body, t.text).semantics(Semantics(question, role: .heading)),
            button(ElementID.maintenanceDiscardCancel, str(.maintDiscardNo), .maintenance(.cancelDiscard)),
            button(ElementID.maintenanceDiscardConfirm, str(.maintDiscardYes), .maintenance(.confirmDiscard), filled: false),
        ])
    }
}
