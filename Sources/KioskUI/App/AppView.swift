// view(state) -> Node tree: the current room's screen with the hallway's overlays on top.
import KioskCore

public func view(_ s: AppState, _ ctx: ViewContext) -> Node {
    let v = Screens(s: s, t: ctx.theme, size: ctx.size)
    var layers: [Node] = [v.screen()]
    if s.resetAt != nil {
        layers.append(v.idleWarning())
    } else if s.confirmLeave != nil {
        layers.append(v.leaveDialog())
    } else if let notice = s.notice {
        layers.append(v.noticeDialog(notice))
    } else if s.screen == .maintenance, let ticket = s.maintenance.confirmingDiscard {
        layers.append(v.discardDialog(ticket))
    }
    var root = Node.stack(layers)
    root.background = ctx.theme.background
    return root
}

extension Screens {
    func screen() -> Node {
        // Out of service, residents see only the notice; staff get through to maintenance as always.
        if s.startProblem != nil || s.outOfService && !s.inMaintenance { return outOfServiceNotice() }
        switch s.screen {
        case .home: return home()
        case .categories: return categories()
        case .articles: return articles()
        case .article: return article()
        case .search: return search()
        case .reportService: return reportService()
        case .reportThreat: return reportThreat()
        case .reportEmergency: return reportEmergency()
        case .reportLocation: return reportLocation()
        case .reportDetails: return reportDetails()
        case .reportContact: return reportContact()
        case .reportDuplicate: return reportDuplicate()
        case .reportReview: return reportReview()
        case .ticket: return s.report.joined.map(joinedTicket) ?? ticket()
        case .ticketLookup: return ticketLookup()
        case .maintenancePin: return maintenancePin()
        case .maintenance: return maintenanceDashboard()
        case .accessibility: return accessibilityStatement()
        }
    }

    // MARK: home

    func home() -> Node {
        let tiles: [(Tile, String, StringKey, StringKey, Bool)] = [
            (.kb, ElementID.homeKB, .tileKB, .tileKBHint, true),
            (.search, ElementID.homeSearch, .tileSearch, .tileSearchHint, true),
            (.report, ElementID.homeReport, .tileReport, .tileReportHint, true),
            (.ticket, ElementID.homeTicket, .tileTicket, .tileTicketHint, true),
        ]
        let tileNodes = tiles.enumerated().map { i, tile in
            self.tile(tile.1, title: str(tile.2), hint: str(tile.3), color: t.tileColors[i % t.tileColors.count],
                      action: .openTile(tile.0), available: tile.4)
        }
        // As many tiles across as their longest words allow (a word is never cut): four in a landscape row,
        // two in portrait, fewer in large text or on a narrow panel.
        func longestWord(_ s: String) -> Double { Double(s.split(separator: " ").map(\.count).max() ?? 0) }
        let widest = tiles.map { tile in
            max(longestWord(str(tile.2)) * Double(t.font(.tile).size) * 0.68, longestWord(str(tile.3)) * Double(t.font(.body).size) * 0.62)
        }.max() ?? 0
        let tileWidth = widest + 2 * t.spacing * 0.75
        let inner = size.width - 2 * t.spacing
        let fits = max(1, Int((inner + t.gap) / (tileWidth + t.gap)))
        let columns = fits >= 4 && !size.isPortrait ? 4 : min(fits, 2)
        var rows: [Node] = []
        for start in stride(from: 0, to: tileNodes.count, by: columns) {
            var row = Array(tileNodes[start..<min(start + columns, tileNodes.count)])
            while row.count < columns { row.append(Node().width(.fill())) }
            rows.append(Node.row(gap: t.gap, row).height(.fill()))
        }
        let grid = Node.column(gap: t.gap, rows)
        let langRow = languageRow(more: accessibilityButtons())
        var greetingLines = [Node.text(str(.homeGreeting), .display, t.text).semantics(Semantics(str(.homeGreeting), role: .heading))]
        // Landscape panels need the height for the tiles; the hint only says what they show.
        if size.isPortrait { greetingLines.append(Node.text(str(.homeHint), .body, t.textMuted)) }
        var greeting = Node.column(gap: t.smallGap, greetingLines)
        greeting.height = .fit
        // A scroll view that fills the screen when there is room and scrolls when there is not (a small
        // landscape panel in large text).
        var body = Node(id: ElementID.homeBody, .scroll)
        body.gap = t.gap
        body.padding = .all(t.spacing)
        body.children = [greeting, grid.height(.fill()), langRow, Node.text(str(.helpline), .body, t.text, align: .center)]
        let screen = Node.column([header(str(.cityName), str(.centreName)), body.height(.fill())]).height(.fill())
        return Node.stack([screen, maintenanceEntry()])
    }

    /// The languages this kiosk offers, each named in itself, and the large-text switch. One row where the
    /// labels fit, two on a narrow panel or in large text: never a word cut in half.
    func languageRow(more: [Node] = []) -> Node {
        let names: [Language: StringKey] = [.pl: .languagePolish, .en: .languageEnglish, .uk: .languageUkrainian]
        let offered = s.languages.count > 1 ? s.languages : []
        return Node.flow(gap: t.gap, offered.map { l in
            languageButton(l, ElementID.language(l.rawValue), Strings.text(names[l] ?? .languagePolish, l)).width(.fill())
        } + [largeTextToggle()] + more).height(.fit)
    }

    /// Speech, contrast and the accessibility statement: on home, where every visit starts.
    func accessibilityButtons() -> [Node] {
        [speechToggle().width(.fill()), contrastToggle().width(.fill()),
         button(ElementID.homeAccessibility, str(.a11yStatement), .openAccessibility, filled: false).width(.fill())]
    }

    func tile(_ id: String, title: String, hint: String, color: Color, action: Action, available: Bool) -> Node {
        var children: [Node] = [
            .text(title, .tile, t.onPrimary),
            .text(hint, .body, t.onPrimary),
            .spacer(),
        ]
        var state: [String] = []
        if !available {
            let badge = Node.column(padding: .xy(t.controlPadding, t.smallGap), [.text(str(.comingSoon), .small, t.onBadge)])
                .width(.fit).background(t.badge)
            children.append(badge)
            state.append(str(.comingSoon))
        }
        var n = Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.75), children)
            .background(s.pressed == id ? color.pressedShade() : color)
            .width(.fill()).height(.fill())
            .onTap(action, id: id)
        n.semantics = Semantics("\(title). \(hint)", role: .button, state: state)
        return n
    }

    func languageButton(_ l: Language, _ id: String, _ label: String) -> Node {
        let selected = s.language == l
        var b = button(id, label, .setLanguage(l), filled: selected, state: selected ? [str(.stateSelected)] : [])
        // Speech names the language in the screen's language: the voice is that language's, and a Polish voice
        // cannot say "Українська".
        let spoken: [Language: StringKey] = [.pl: .spokenPolish, .en: .spokenEnglish, .uk: .spokenUkrainian]
        b.semantics?.label = str(spoken[l] ?? .spokenPolish)
        return b
    }

    // MARK: overlays

    func idleWarning() -> Node {
        dialog(scrimID: ElementID.idleScrim, scrimAction: .moreTime, [
            Node.text(str(.idleTitle), .title, t.text).semantics(Semantics(str(.idleTitle), role: .heading)),
            Node.text(str(.idleDetail, ["seconds": .number(s.secondsUntilReset ?? 0)]), .body, t.text),
            button(ElementID.idleMoreTime, str(.idleMoreTime), .moreTime),
        ])
    }

    func noticeDialog(_ k: StringKey) -> Node {
        dialog(scrimID: ElementID.noticeScrim, scrimAction: .dismissNotice, [
            Node.text(str(.comingSoonTitle), .title, t.text).semantics(Semantics(str(.comingSoonTitle), role: .heading)),
            Node.text(str(k), .body, t.text),
            button(ElementID.noticeOK, str(.noticeOK), .dismissNotice),
        ])
    }

    func leaveDialog() -> Node {
        dialog(scrimID: ElementID.leaveScrim, scrimAction: .leaveFlow(confirmed: false), [
            Node.text(str(.leaveTitle), .title, t.text).semantics(Semantics(str(.leaveTitle), role: .heading)),
            Node.text(str(.leaveDetail), .body, t.text),
            button(ElementID.leaveStay, str(.leaveStay), .leaveFlow(confirmed: false)),
            button(ElementID.leaveConfirm, str(.leaveConfirm), .leaveFlow(confirmed: true), filled: false),
        ])
    }
}
