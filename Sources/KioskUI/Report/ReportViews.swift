// The report form's screens: one page per step with the step's content in a scroll view, the keyboard when
// one of the step's fields has the focus, and "Next" (or "Send") where a thumb reaches it.
import Foundation
import KioskCore

extension Screens {
    // MARK: the page of a step

    /// A step's page. `fields` are the step's text fields: the keyboard shows while one of them has the focus.
    func reportPage(_ stepTitle: String, scrollID: String = ElementID.reportBody, content: [Node], fields: [String],
                    actions: [Node]) -> Node {
        keyboardPage(title: str(.reportTitle), subtitle: stepSubtitle(stepTitle), scrollID: scrollID, content: content,
                     fields: fields, actions: actions)
    }

    /// A page with text fields: its content scrolls, the keyboard shows while one of `fields` has the focus, and
    /// `actions` sit at the bottom, where a thumb reaches them.
    func keyboardPage(title: String, subtitle: String?, scrollID: String, content: [Node], fields: [String],
                      actions: [Node]) -> Node {
        var scroll = Node(id: scrollID, .scroll)
        scroll.gap = t.spacing
        scroll.children = content
        let typing = s.focus.map { fields.contains($0) } ?? false
        // Side by side where their words fit, one under the other in large text or on a narrow panel.
        let actionRow = actions.isEmpty ? nil : Node.flow(gap: t.gap, actions).height(.fit)
        let body: Node
        if typing, !size.isPortrait {
            // As on the search screen: keys on the left, never under 20 mm; the step's content beside them.
            let padding = Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing)
            let cols = Double(keyboardLayout.columns)
            let narrowest = cols * t.minTouch + (cols - 1) * t.keyGap
            let leftWidth = max(narrowest, min(t.keyboardWidth, ((size.width - padding.left - padding.right - t.spacing) * 0.5).rounded(.down)))
            func line(_ r: FontRole) -> Double { Double(t.font(r).size) * 1.2 * t.lineSpacing }
            let header = 2 * line(.title) + t.spacing * 1.5
            let nav = max(t.minTarget, line(.button) + 2 * t.controlPadding) + 1.5 * t.gap
            let budget = size.height - header - nav - padding.top - padding.bottom - t.gap
            let keyboard = onScreenKeyboard(width: leftWidth, height: budget)
            let left = Node.column(gap: t.gap, [Node.spacer(), keyboard]).width(.fixed(leftWidth))
            scroll.padding = .all(t.smallGap)
            let right = Node.column(gap: t.gap, [scroll.height(.fill())] + (actionRow.map { [$0] } ?? []))
            body = Node.row(gap: t.spacing, padding: padding, [left.height(.fill()), right.height(.fill())])
        } else {
            scroll.padding = readingPadding()
            var parts = [scroll.height(.fill())]
            var bottom: [Node] = []
            if typing { bottom.append(onScreenKeyboard(width: size.width - 2 * t.spacing)) }
            if let actionRow { bottom.append(actionRow) }
            if !bottom.isEmpty {
                parts.append(Node.column(gap: t.gap, padding: Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing), bottom)
                    .height(.fit).background(t.navBar))
            }
            body = Node.column(parts)
        }
        return page(title: title, subtitle: subtitle, body: body)
    }

    func stepSubtitle(_ title: String) -> String {
        guard let flow = s.flow, s.report.serviceCode != nil else { return title }
        let step = min(flow.step + 1, flow.steps.count)
        return str(.reportStep, ["step": .number(step), "total": .number(flow.steps.count)]) + " · " + title
    }

    func nextButton() -> Node {
        button(ElementID.reportNext, str(.reportNext), .report(.next)).width(.fill())
    }

    func problemText(_ id: String) -> Node? {
        guard let p = s.report.problems[id] else { return nil }
        let text = problemMessage(p)
        return Node.text(text, .small, t.error).semantics(Semantics(text, role: .text))
    }

    func problemMessage(_ p: AnswerProblem) -> String {
        switch p {
        case .required: return str(.answerRequired)
        case .notANumber: return str(.answerNotANumber)
        case let .numberTooLarge(max): return str(.answerTooLarge, ["max": .number(max)])
        case .incompleteDate: return str(.answerIncompleteDate)
        case .noSuchDate: return str(.answerNoSuchDate)
        case .dateInFuture: return str(.answerDateInFuture)
        case let .dateTooOld(years): return str(.answerDateTooOld, ["years": .number(years)])
        case .unknownStreet: return str(.answerUnknownStreet)
        }
    }

    /// A field with its problem under it.
    func checkedField(_ id: String, label: String?) -> Node {
        var parts: [Node] = []
        if let label { parts.append(Node.text(label, .heading, t.text)) }
        parts.append(textField(id))
        if let p = problemText(id) { parts.append(p) }
        return Node.column(gap: t.smallGap, parts).height(.fit)
    }

    /// A choice that looks like a radio button or a check box: a mark, the label, the state spoken.
    func choiceButton(_ id: String, _ label: String, detail: String? = nil, selected: Bool, multiple: Bool = false,
                      action: Action) -> Node {
        let mark = multiple ? (selected ? "☑" : "☐") : (selected ? "◉" : "○")
        var lines: [Node] = [.text(label, .button, selected ? t.onPrimary : t.primary)]
        if let detail { lines.append(.text(detail, .body, selected ? t.onPrimary : t.textMuted)) }
        let pressed = s.pressed == id
        var n = Node.row(gap: t.gap, padding: .xy(t.spacing * 0.6, t.controlPadding), [
            Node.text(mark, .button, selected ? t.onPrimary : t.primary).width(.fit),
            Node.column(gap: t.smallGap, lines).width(.fill()),
        ]).background(selected ? (pressed ? t.primaryPressed : t.primary) : (pressed ? t.navBar : t.surface))
            .border(selected ? nil : t.primary).align(cross: .center).onTap(action, id: id)
        n.minHeight = t.minTarget
        n.semantics = Semantics(detail.map { "\(label). \($0)" } ?? label, role: .button,
                                state: [selected ? str(.stateChosen) : str(.stateNotChosen)])
        return n
    }

    // MARK: 1. the service

    func reportService() -> Node {
        var content: [Node] = [.text(str(.reportServiceHint), .body, t.textMuted)]
        var row = [textField(ElementID.reportServiceQuery, lastLines: 1)]
        if !s.reportQuery.isEmpty {
            var clear = button(ElementID.searchClear, "✕", .field(.clear(ElementID.reportServiceQuery)), filled: false)
            clear.semantics?.label = str(.searchClear)
            row.append(clear.width(.fit))
        }
        content.append(Node.row(gap: t.gap, row).height(.fit).align(cross: .start))
        guard let catalog = s.report.catalog else {
            content.append(message(.loading))
            return reportPage(str(.reportServiceTitle), scrollID: ElementID.reportServiceList, content: content,
                              fields: [ElementID.reportServiceQuery], actions: [])
        }
        let q = s.reportQuery
        if !TextFolding.foldedWords(q).isEmpty, let m = s.report.matches, m.query == q {
            if m.hits.isEmpty {
                content.append(.text(str(.reportServiceNothing, ["query": .text(q.trimmingCharacters(in: .whitespaces))]), .heading, t.text))
            }
            // N counts what is shown: a hit the catalogue no longer has leaves no gap.
            let shown = m.hits.compactMap { hit in catalog.services.first { $0.code == hit.code } }
            for (i, service) in shown.enumerated() { content.append(serviceItem(i, service, catalog)) }
        } else {
            // Grouped by topic, in the catalogue's order; N counts the items down the whole list.
            var i = 0
            for group in catalog.groups {
                let services = catalog.services.filter { $0.group == group.id }
                guard !services.isEmpty else { continue }
                var items: [Node] = [Node.text(group.name[lang], .heading, t.primary).semantics(Semantics(group.name[lang], role: .heading))]
                for service in services {
                    items.append(serviceItem(i, service, catalog))
                    i += 1
                }
                content.append(Node.column(gap: t.gap * 0.75, items).height(.fit))
            }
        }
        let actions = s.report.serviceCode == nil ? [] : [nextButton()]
        return reportPage(str(.reportServiceTitle), scrollID: ElementID.reportServiceList, content: content,
                          fields: [ElementID.reportServiceQuery], actions: actions)
    }

    func serviceItem(_ i: Int, _ service: CityService, _ catalog: ServiceCatalog) -> Node {
        let id = ElementID.reportServiceItem(i)
        let chosen = s.report.serviceCode == service.code
        let unit = catalog.unit(service.unit)?.name[lang] ?? service.unit
        let handledBy = str(.reportUnit, ["unit": .text(unit)])
        // The choice shows in a tick as well as the border's colour.
        var n = Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.6), [
            .text(chosen ? "✓ " + service.name[lang] : service.name[lang], .heading, t.primary),
            .text(service.description[lang], .body, t.textMuted),
            .text(handledBy, .small, t.textMuted),
        ]).background(s.pressed == id ? t.navBar : t.surface).border(chosen ? t.primary : t.border)
            .onTap(.report(.chooseService(service.code)), id: id)
        n.semantics = Semantics("\(service.name[lang]). \(service.description[lang]) \(handledBy)", role: .button,
                                state: chosen ? [str(.stateChosen)] : [])
        return n.asMinimum(t.minTarget)
    }

    // MARK: 2. the threat question and the call to 112

    func reportThreat() -> Node {
        let content: [Node] = [
            Node.text(str(.reportThreatTitle), .display, t.text).semantics(Semantics(str(.reportThreatTitle), role: .heading)),
            Node.text(str(.reportThreatDetail), .body, t.text),
            dangerButton(ElementID.reportThreatYes, str(.reportThreatYes), .report(.threat(dangerous: true))),
            button(ElementID.reportThreatNo, str(.reportThreatNo), .report(.threat(dangerous: false))),
        ]
        return reportPage(s.report.service?.name[lang] ?? str(.tileReport), content: content, fields: [], actions: [])
    }

    func dangerButton(_ id: String, _ label: String, _ action: Action) -> Node {
        var n = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding), [.text(label, .button, t.onPrimary, align: .center)])
            .background(s.pressed == id ? t.error.pressedShade() : t.error).align(main: .center).onTap(action, id: id)
        n.minHeight = t.minTarget
        n.semantics = Semantics(label, role: .button)
        return n
    }

    /// Full screen, nothing else to read: the number to call, the city guard for order problems, nothing filed.
    func reportEmergency() -> Node {
        var body = Node(id: ElementID.reportBody, .scroll)
        body.gap = t.spacing
        body.padding = readingPadding()
        body.children = [
            Node.text(str(.emergencyTitle), .display, t.onPrimary, align: .center).semantics(Semantics(str(.emergencyTitle), role: .heading)),
            Node.text(CityFacts.lodz.emergency, .huge, t.onPrimary, align: .center),
            Node.text(str(.emergencyDetail), .body, t.onPrimary),
            Node.text(str(.emergencyGuard), .body, t.onPrimary),
            Node.text(str(.emergencyNothingFiled), .body, t.onPrimary),
            // Side by side where they fit, so a landscape panel shows both without scrolling. "Back" is for a
            // tap on "yes" by mistake: the question again, nothing lost.
            Node.flow(gap: t.gap, [
                button(ElementID.reportEmergencyHome, str(.emergencyHome), .report(.leaveAfterEmergency), filled: false).width(.fill()),
                button(ElementID.navBack, str(.navBack), .back, filled: false).width(.fill()),
            ]).height(.fit),
        ]
        return Node.column([body.height(.fill())]).height(.fill()).background(t.error)
    }

    // MARK: 3. the place

    func reportLocation() -> Node {
        let choice = s.report.location
        var content: [Node] = [
            choiceButton(ElementID.reportLocationHere, str(.reportLocationHere), detail: s.site.address, selected: choice == .here,
                         action: .report(.location(.here))),
        ]
        var street: [Node] = [
            Node.row(gap: t.gap, [Node.text(choice == .street ? "◉" : "○", .heading, t.primary).width(.fit),
                                  Node.text(str(.reportLocationStreet), .heading, t.text)]).height(.fit),
            checkedField(ElementID.reportStreet, label: nil),
        ]
        let typed = s.fieldValue(ElementID.reportStreet)
        if s.focus == ElementID.reportStreet, !typed.isEmpty, let streets = s.streets, streets.exact(typed)?.name != typed {
            let found = streets.suggestions(for: typed, limit: 4)
            if !found.isEmpty {
                street.append(Node.column(gap: t.smallGap, found.enumerated().map { i, st in
                    choiceButton(ElementID.reportStreetSuggestion(i), st.name, selected: false, action: .report(.pickStreet(st.name)))
                }).height(.fit))
            }
        }
        street.append(checkedField(ElementID.reportNumber, label: str(.reportNumberLabel)))
        content.append(Node.column(gap: t.gap, padding: .all(t.spacing * 0.6), street).height(.fit)
            .background(t.surface).border(choice == .street ? t.primary : t.border))
        content.append(Node.column(gap: t.gap, padding: .all(t.spacing * 0.6), [
            Node.row(gap: t.gap, [Node.text(choice == .landmark ? "◉" : "○", .heading, t.primary).width(.fit),
                                  Node.text(str(.reportLocationLandmark), .heading, t.text)]).height(.fit),
            checkedField(ElementID.reportLandmark, label: nil),
        ]).height(.fit).background(t.surface).border(choice == .landmark ? t.primary : t.border))
        return reportPage(str(.reportLocationTitle), content: content,
                          fields: [ElementID.reportStreet, ElementID.reportNumber, ElementID.reportLandmark], actions: [nextButton()])
    }

    // MARK: 4. the description and the service's questions

    func reportDetails() -> Node {
        var content: [Node] = []
        if let service = s.report.service {
            content.append(.text(service.name[lang], .heading, t.primary))
        }
        content.append(checkedField(ElementID.reportDescription, label: "\(str(.reportDescriptionLabel)) (\(str(.reportRequired)))"))
        var fields = [ElementID.reportDescription]
        for a in (s.report.service?.attributes ?? []).sorted(by: { $0.order < $1.order }) {
            content.append(question(a))
            if a.datatype.isList == false { fields.append(ElementID.reportAttribute(a.code)) }
        }
        if !s.report.problems.isEmpty { content.append(.text(str(.reportFixAbove), .body, t.error)) }
        return reportPage(str(.reportDetailsTitle), content: content, fields: fields, actions: [nextButton()])
    }

    func question(_ a: ServiceAttribute) -> Node {
        let id = ElementID.reportAttribute(a.code)
        let label = "\(a.description[lang]) (\(str(a.required ? .reportRequired : .reportOptional)))"
        var parts: [Node] = [Node.text(label, .heading, t.text)]
        switch a.datatype {
        case .string, .text, .number:
            parts.append(textField(id))
        case .datetime:
            parts.append(Node.row(gap: t.gap, [
                datetimeField(id),
                button(ElementID.reportAttributeNow(a.code), str(.reportNow), .report(.now(attribute: a.code)), filled: false).width(.fit),
            ]).height(.fit).align(cross: .start))
        case .singlevaluelist, .multivaluelist:
            let chosen = s.report.choices[a.code] ?? []
            var options = Node.column(id: id, gap: t.smallGap, a.values.map { v in
                choiceButton(ElementID.reportAttributeValue(a.code, v.key), v.name[lang], selected: chosen.contains(v.key),
                             multiple: a.datatype == .multivaluelist, action: .report(.choose(attribute: a.code, value: v.key)))
            })
            options.semantics = Semantics(a.description[lang], role: .list)
            parts.append(options.height(.fit))
        }
        if let p = problemText(id) { parts.append(p) }
        return Node.column(gap: t.smallGap, parts).height(.fit)
    }

    /// Digits typed into the DD.MM.RRRR GG:MM mask.
    func datetimeField(_ id: String) -> Node {
        guard let f = s.fields[id] else { return Node() }
        let focused = s.focus == id
        let shown = AnswerRules.masked(f.value, placeholder: str(.datetimeMask))
        var box = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding), [
            .text(shown + (focused ? "▏" : ""), .heading, f.value.isEmpty ? t.textMuted : t.text),
        ]).background(t.surface).border(focused ? t.primary : t.border).align(main: .center).width(.fill())
            .onTap(.field(.focus(id)), id: id)
        box.minHeight = t.minTarget
        box.semantics = Semantics(f.value.isEmpty ? str(.datetimeMask) : shown, role: .text,
                                  state: [str(.roleTextField)] + (focused ? [str(.stateFocused)] : []))
        guard let error = f.error else { return box }
        return Node.column(gap: t.smallGap, [box, Node.text(errorText(error, field: f), .small, t.error)]).height(.fit)
    }

    // MARK: 5. contact, after consent

    func reportContact() -> Node {
        var content: [Node] = [
            Node.text(str(.reportContactTitle), .title, t.text).semantics(Semantics(str(.reportContactTitle), role: .heading)),
            Node.text(str(.reportContactDetail), .body, t.text),
            Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.6), [
                Node.text(str(.privacyTitle), .heading, t.text),
                Node.text(str(.privacyNotice), .small, t.text),
            ]).height(.fit).background(t.surface).border(t.border),
        ]
        // While the nearby answer is awaited both ways on say so; a second tap does nothing (the reducer).
        let busy = s.report.awaitingNearby != nil
        let busyState = busy ? [str(.reportCheckingNearby)] : []
        let skip = button(ElementID.reportContactSkip, busy && !s.report.consented ? str(.reportCheckingNearby) : str(.reportSkip),
                          .report(.skipContact), filled: !s.report.consented, state: busyState)
        if s.report.consented {
            content.append(checkedField(ElementID.reportEmail, label: str(.emailLabel)))
            content.append(checkedField(ElementID.reportPhone, label: str(.phoneLabel)))
            if let p = s.report.contactProblem { content.append(.text(str(p), .body, t.error)) }
            var next = nextButton()
            if busy { next = button(ElementID.reportNext, str(.reportCheckingNearby), .report(.next), state: busyState).width(.fill()) }
            return reportPage(str(.reviewContact), content: content, fields: [ElementID.reportEmail, ElementID.reportPhone],
                              actions: [skip.width(.fill()), next])
        }
        content.append(button(ElementID.reportContactConsent, str(.reportConsent), .report(.consent), filled: false))
        return reportPage(str(.reviewContact), content: content, fields: [], actions: [skip.width(.fill())])
    }

    // MARK: 6. review

    func reportReview() -> Node {
        guard let service = s.report.service else { return reportPage(str(.reportReviewTitle), content: [message(.loading)], fields: [], actions: []) }
        let unit = s.report.catalog?.unit(service.unit)?.name[lang] ?? service.unit
        func section(_ title: StringKey, _ text: String) -> Node {
            Node.column(gap: t.smallGap, [Node.text(str(title), .small, t.textMuted), Node.text(text, .body, t.text)]).height(.fit)
        }
        var content: [Node] = [
            Node.column(padding: .all(t.spacing * 0.6), [.text(str(.reviewUnit, ["unit": .text(unit)]), .heading, t.onBadge)])
                .height(.fit).background(t.badge),
            section(.reviewService, service.name[lang]),
            section(.reviewPlace, ReportFlow.placeText(s)),
            section(.reportDescriptionLabel, s.fieldValue(ElementID.reportDescription).trimmingCharacters(in: .whitespacesAndNewlines)),
        ]
        let answers = service.attributes.sorted { $0.order < $1.order }.compactMap { a -> String? in
            guard case let .success(v?) = ReportFlow.answer(s, a) else { return nil }
            return "\(a.description[lang]): \(answerText(v, a))"
        }
        if !answers.isEmpty { content.append(section(.reviewDetails, answers.joined(separator: "\n"))) }
        let contact: String
        if s.report.consented {
            contact = [s.fieldValue(ElementID.reportEmail), s.fieldValue(ElementID.reportPhone)]
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
        } else {
            contact = str(.reviewAnonymous)
        }
        content.append(section(.reviewContact, contact))
        if s.report.saveFailed { content.append(.text(str(.reportSaveFailed), .body, t.error)) }
        let label = s.report.saving ? str(.reportSaving) : str(.reportSubmit)
        return reportPage(str(.reportReviewTitle), content: content, fields: [],
                          actions: [button(ElementID.reportSubmit, label, .report(.submit)).width(.fill())])
    }

    func answerText(_ v: AttributeAnswer, _ a: ServiceAttribute) -> String {
        func name(_ key: String) -> String { a.values.first { $0.key == key }?.name[lang] ?? key }
        switch v {
        case let .text(t): return t
        case let .number(n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n).replacingOccurrences(of: ".", with: lang == .en ? "." : ",")
        case let .datetime(d): return WarsawTime.localDateTime(at: d).description
        case let .choice(k): return name(k)
        case let .choices(ks): return ks.map(name).joined(separator: ", ")
        }
    }
}
