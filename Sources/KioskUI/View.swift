// Screens as functions of state: view(state) -> Node tree with stable element IDs.
import KioskCore

public struct ViewContext: Sendable {
    public var size: Size
    public var theme: Theme
    public init(size: Size, theme: Theme) { self.size = size; self.theme = theme }
}

public func view(_ s: AppState, _ ctx: ViewContext) -> Node {
    let v = Screens(s: s, t: ctx.theme, size: ctx.size)
    var layers: [Node] = [v.screen()]
    if s.resetAt != nil {
        layers.append(v.idleWarning())
    } else if let notice = s.notice {
        layers.append(v.noticeDialog(notice))
    }
    var root = Node.stack(layers)
    root.background = ctx.theme.background
    return root
}

/// Builders for each screen; `s` is the state, `t` the theme.
struct Screens {
    let s: AppState
    let t: Theme
    let size: Size
    var lang: Language { s.language }
    func str(_ k: StringKey) -> String { Strings.text(k, lang) }

    func screen() -> Node {
        switch s.screen {
        case .home: return home()
        case .categories: return categories()
        case .articles: return articles()
        case .article: return article()
        case .search: return search()
        }
    }

    // MARK: pieces

    func header(_ title: String, _ subtitle: String?) -> Node {
        var children = [Node.text(title, .title, t.headerText).semantics(Semantics(title, role: .heading))]
        if let subtitle { children.append(.text(subtitle, .small, t.headerSubtext)) }
        return Node.column(gap: 8, padding: .xy(t.spacing, t.spacing * 0.75), children)
            .height(.fit).background(t.primary).align(main: .center)
    }

    func button(_ id: String, _ label: String, _ action: Action, filled: Bool = true, state: [String] = []) -> Node {
        let pressed = s.pressed == id
        let bg = filled ? (pressed ? t.primaryPressed : t.primary) : (pressed ? t.navBar.darkened(0.9) : t.surface)
        var n = Node.column(padding: .xy(t.spacing, 16), [.text(label, .button, filled ? t.onPrimary : t.primary, align: .center)])
            .background(bg).border(filled ? nil : t.primary).align(main: .center)
            .height(.fixed(t.minTarget))
            .onTap(action, id: id)
        n.semantics = Semantics(label, role: .button, state: state)
        return n
    }

    func navBar() -> Node {
        Node.row(gap: t.gap, padding: .all(t.gap * 0.75), [
            button("nav.back", str(.navBack), .back).width(.fill(1)),
            button("nav.home", str(.navHome), .home).width(.fill(1)),
        ]).height(.fixed(t.navBarHeight)).background(t.navBar).align(cross: .center)
    }

    /// A plain screen: header, content that takes the rest, and the navigation bar at the bottom,
    /// where a seated or short resident reaches it.
    func page(title: String, subtitle: String?, body: Node) -> Node {
        Node.column([header(title, subtitle), body.height(.fill()), navBar()]).height(.fill())
    }

    func message(_ k: StringKey) -> Node {
        Node.column(padding: .all(t.spacing * 2), [.text(str(k), .body, t.textMuted, align: .center)]).height(.fill()).align(main: .center)
    }

    // MARK: home

    func home() -> Node {
        let tiles: [(Tile, String, StringKey, StringKey, Bool)] = [
            (.kb, "home.kb", .tileKB, .tileKBHint, true),
            (.search, "home.search", .tileSearch, .tileSearchHint, true),
            (.report, "home.report", .tileReport, .tileReportHint, false),
            (.ticket, "home.ticket", .tileTicket, .tileTicketHint, false),
        ]
        let tileNodes = tiles.enumerated().map { i, tile in
            self.tile(tile.1, title: str(tile.2), hint: str(tile.3), color: t.tileColors[i % t.tileColors.count],
                      action: .openTile(tile.0), available: tile.4)
        }
        let grid: Node
        if size.isPortrait {
            grid = Node.column(gap: t.gap, [
                Node.row(gap: t.gap, Array(tileNodes[0..<2])).height(.fill()),
                Node.row(gap: t.gap, Array(tileNodes[2..<4])).height(.fill()),
            ])
        } else {
            grid = Node.row(gap: t.gap, tileNodes)
        }
        let langRow = Node.row(gap: t.gap, [
            Node.text(str(.languageSwitchLabel), .body, t.text).width(.fit).height(.fit),
            languageButton(.pl, "lang.pl", Strings.text(.languagePolish, .pl)).width(.fixed(320)),
            languageButton(.en, "lang.en", Strings.text(.languageEnglish, .en)).width(.fixed(320)),
        ]).height(.fit).align(cross: .center)
        return Node.column([
            header(str(.cityName), str(.centreName)),
            Node.column(gap: t.gap, padding: .all(t.spacing), [
                Node.column(gap: 8, [
                    Node.text(str(.homeGreeting), .display, t.text).semantics(Semantics(str(.homeGreeting), role: .heading)),
                    Node.text(str(.homeHint), .body, t.textMuted),
                ]),
                grid.height(.fill()),
                langRow,
                Node.text(str(.helpline), .body, t.text, align: .center),
            ]).height(.fill()),
        ]).height(.fill())
    }

    func tile(_ id: String, title: String, hint: String, color: Color, action: Action, available: Bool) -> Node {
        var children: [Node] = [
            .text(title, .tile, t.onPrimary),
            .text(hint, .body, t.onPrimary),
            .spacer(),
        ]
        var state: [String] = []
        if !available {
            let badge = Node.column(padding: .xy(20, 8), [.text(str(.comingSoon), .small, t.onBadge)])
                .width(.fit).background(t.badge)
            children.append(badge)
            state.append(str(.comingSoon))
        }
        var n = Node.column(gap: 12, padding: .all(t.spacing), children)
            .background(s.pressed == id ? color.darkened() : color)
            .width(.fill()).height(.fill())
            .onTap(action, id: id)
        n.semantics = Semantics("\(title). \(hint)", role: .button, state: state)
        return n
    }

    func languageButton(_ l: Language, _ id: String, _ label: String) -> Node {
        let selected = s.language == l
        var b = button(id, label, .setLanguage(l), filled: selected, state: selected ? [str(.stateSelected)] : [])
        b.semantics?.label = label
        return b
    }

    // MARK: knowledge base

    func categories() -> Node {
        let body: Node
        if let cats = s.categories {
            if cats.isEmpty {
                body = message(.emptyKnowledgeBase)
            } else {
                let columns = size.isPortrait ? 2 : 3
                let items = cats.enumerated().map { i, c in categoryItem(i, c) }
                var rows: [Node] = []
                for start in stride(from: 0, to: items.count, by: columns) {
                    var row = Array(items[start..<min(start + columns, items.count)])
                    while row.count < columns { row.append(Node().width(.fill())) } // keep the grid's columns aligned
                    rows.append(Node.row(gap: t.gap, row))
                }
                var list = Node(id: "categories.list", .scroll)
                list.gap = t.gap
                list.padding = .all(t.spacing)
                list.children = rows
                list.semantics = Semantics(str(.categoriesTitle), role: .list)
                body = list
            }
        } else {
            body = message(.loading)
        }
        return page(title: str(.categoriesTitle), subtitle: str(.categoriesHint), body: body)
    }

    func categoryItem(_ i: Int, _ c: CategorySummary) -> Node {
        let id = "categories.item.\(i)"
        let name = c.category.name[lang]
        let count = Strings.text(.articleCount, lang, ["count": .number(c.articleCount)])
        var n = Node.column(gap: 8, padding: .all(t.spacing * 0.8), [
            .text(name, .heading, t.primary),
            .text(count, .small, t.textMuted),
        ]).background(s.pressed == id ? t.navBar : t.surface).border(t.border)
            .height(.fill()).onTap(.openCategory(c.category.id), id: id)
        n.semantics = Semantics("\(name), \(count)", role: .button)
        return n.asMinimum(t.minTarget)
    }

    func articles() -> Node {
        let title = s.selectedCategory?.category.name[lang] ?? str(.articlesTitle)
        let subtitle = s.articles.map { Strings.text(.articleCount, lang, ["count": .number($0.count)]) }
        let body: Node
        if let list = s.articles {
            if list.isEmpty {
                body = message(.emptyCategory)
            } else {
                var scroll = Node(id: "articles.list", .scroll)
                scroll.gap = t.gap * 0.75
                scroll.padding = readingPadding()
                scroll.semantics = Semantics(title, role: .list)
                scroll.children = list.enumerated().map { i, a in articleItem(i, a) }
                body = scroll
            }
        } else {
            body = message(.loading)
        }
        return page(title: title, subtitle: subtitle, body: body)
    }

    func articleItem(_ i: Int, _ a: ArticleSummary, idPrefix: String = "articles.item") -> Node {
        let id = "\(idPrefix).\(i)"
        var children: [Node] = [.text(a.title[lang], .heading, t.primary)]
        let summary = a.summary[lang]
        if !summary.isEmpty { children.append(.text(summary, .body, t.textMuted)) }
        var n = Node.column(gap: 8, padding: .all(t.spacing * 0.8), children)
            .background(s.pressed == id ? t.navBar : t.surface).border(t.border)
            .onTap(.openArticle(a.id), id: id)
        n.semantics = Semantics(a.title[lang], role: .button)
        return n.asMinimum(t.minTarget)
    }

    func article() -> Node {
        let fromCategory = s.path.contains(.articles)
        let headerTitle = fromCategory ? (s.selectedCategory?.category.name[lang] ?? str(.categoriesTitle)) : str(.searchResultsLabel)
        guard let a = s.article else {
            return page(title: headerTitle, subtitle: nil, body: message(s.articleMissing ? .articleGone : .loading))
        }
        var parts: [Node] = [
            Node.text(a.title[lang], .display, t.text).semantics(Semantics(a.title[lang], role: .heading)),
        ]
        if !a.summary[lang].isEmpty { parts.append(.text(a.summary[lang], .body, t.textMuted)) }
        if lang != .pl {
            parts.append(Node.column(padding: .all(t.spacing * 0.6), [.text(str(.articleOnlyInPolish), .body, t.onBadge)])
                .background(t.badge))
        }
        for (section, text) in a.sections {
            let heading = Strings.text(section.stringKey, lang)
            parts.append(Node.column(gap: 10, [
                Node.text(heading, .heading, t.primary).semantics(Semantics(heading, role: .heading)),
                Node.text(text, .body, t.text),
            ]))
        }
        let responsible = [a.department, a.unit].filter { !$0.isEmpty }.joined(separator: ", ")
        var footer = Strings.text(.articleWrittenOn, lang, ["date": .date(a.writtenOn)])
        if !responsible.isEmpty { footer += "\n\(str(.articleResponsible)): \(responsible)" }
        parts.append(.text(footer, .small, t.textMuted))
        var body = Node(id: "article.body", .scroll)
        body.gap = t.spacing
        body.padding = readingPadding()
        body.children = parts
        body.semantics = Semantics(a.title[lang], role: .text)
        return page(title: headerTitle, subtitle: nil, body: body)
    }

    /// Lines of about 70 characters read best; on a wide landscape screen the text column is centred.
    func readingPadding() -> Insets {
        let side = max(t.spacing, ((size.width - t.readingWidth) / 2).rounded(.down))
        return Insets(top: t.spacing, left: side, bottom: t.spacing, right: side)
    }

    // MARK: search

    func search() -> Node {
        var notes: [Node] = []
        let state = s.search
        if state.inputCut || state.outcome?.wasCut == true {
            notes.append(.text(Strings.text(.searchCut, lang, ["limit": .number(SearchQuery.maxCharacters)]), .small, t.text))
        }
        if let suggestion = state.outcome?.suggestion {
            let label = Strings.text(.searchDidYouMean, lang, ["suggestion": .text(suggestion)])
            var b = Node.column(padding: .xy(t.spacing * 0.75, 12), [.text(label, .button, t.primary)])
                .background(s.pressed == "search.suggestion" ? t.navBar : t.surface).border(t.primary)
                .align(main: .center).onTap(.applySuggestion, id: "search.suggestion")
            b.minHeight = t.minTarget
            b.semantics = Semantics(label, role: .button)
            notes.append(b)
        }
        let results = searchResults()
        let keyboard = onScreenKeyboard()
        let body: Node
        let padding = Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing)
        if size.isPortrait {
            body = Node.column(gap: t.gap, padding: padding,
                               [Node.column(gap: t.gap * 0.75, [searchField()] + notes), results.height(.fill()), keyboard])
        } else {
            // Landscape has no height to spare under the field: notes and "did you mean" go above the results.
            let left = Node.column(gap: t.gap, [searchField(), Node.spacer(), keyboard]).width(.fixed(1140))
            let right = Node.column(gap: t.gap * 0.75, notes + [results.height(.fill())])
            body = Node.row(gap: t.spacing, padding: padding, [left.height(.fill()), right.height(.fill())])
        }
        return page(title: str(.searchTitle), subtitle: nil, body: body)
    }

    func searchField() -> Node {
        let q = s.search.query
        // Trailing spaces become non-breaking so the caret stays on the line of the last word.
        let trailing = q.reversed().prefix { $0 == " " }.count
        let display = String(q.dropLast(trailing)) + String(repeating: "\u{00A0}", count: trailing) + "▏"
        var shown = q.isEmpty ? Node.text(str(.searchPlaceholder), .body, t.textMuted) : Node.text(display, .heading, t.text)
        shown.lastLines = 1 // a long query scrolls in the field instead of pushing the keyboard away
        var field = Node.column(padding: .xy(t.spacing * 0.75, 16), [shown]).background(t.surface).border(t.primary)
            .align(main: .center).width(.fill())
        field.minHeight = t.minTarget
        field.id = "search.query"
        field.semantics = Semantics(q.isEmpty ? str(.searchFieldLabel) : "\(str(.searchFieldLabel)): \(q)", role: .text)
        guard !q.isEmpty else { return field }
        return Node.row(gap: t.gap, [field, button("search.clear", str(.searchClear), .clearQuery, filled: false).width(.fit)])
            .height(.fit).align(cross: .start)
    }

    func searchResults() -> Node {
        guard let outcome = s.search.outcome, !s.search.query.isEmpty else {
            return Node.column([.text(str(.searchHint), .body, t.textMuted)])
        }
        if outcome.hits.isEmpty {
            let nothing = Strings.text(.searchNothing, lang, ["query": .text(s.search.query.trimmingCharacters(in: .whitespaces))])
            return Node.column(gap: t.gap, [
                Node.text(nothing, .heading, t.text),
                button("search.browse", str(.searchBrowse), .browseCategories),
                Node.text(str(.searchCall), .body, t.text),
            ])
        }
        var scroll = Node(id: "search.results", .scroll)
        scroll.gap = t.gap * 0.75
        scroll.semantics = Semantics(str(.searchResultsLabel), role: .list)
        var items: [Node] = []
        if outcome.relaxed { items.append(.text(str(.searchRelaxed), .body, t.textMuted)) }
        for (i, hit) in outcome.hits.enumerated() {
            items.append(articleItem(i, ArticleSummary(id: hit.id, title: hit.title, summary: hit.summary), idPrefix: "search.results.item"))
        }
        scroll.children = items
        return scroll
    }

    /// Polish keyboard: digits, QWERTY, and a row of the nine Polish letters, each its own key.
    func onScreenKeyboard() -> Node {
        let rows: [[String]] = [
            Array("1234567890").map(String.init),
            Array("qwertyuiop").map(String.init),
            Array("asdfghjkl").map(String.init),
            Array("zxcvbnm").map(String.init),
            Array("ąćęłńóśźż").map(String.init),
        ]
        // Landscape has less height than width: keys get wider and a little lower.
        let keyHeight = size.isPortrait ? t.keyHeight : (t.keyHeight * 0.82).rounded()
        var lines: [Node] = rows.map { row in
            Node.row(gap: t.keyGap, row.map { ch in key("keyboard.key.\(ch)", ch, .typeText(ch), spoken: ch) })
                .height(.fixed(keyHeight)).align(main: .center)
        }
        lines.append(Node.row(gap: t.keyGap, [
            key("keyboard.space", str(.keySpace), .typeText(" "), spoken: str(.keySpace)).width(.fill(3)),
            key("keyboard.backspace", str(.keyBackspace), .backspace, spoken: str(.keyBackspace)).width(.fill(1.4)),
        ]).height(.fixed(keyHeight)))
        return Node.column(gap: t.keyGap, lines).height(.fit)
    }

    func key(_ id: String, _ label: String, _ action: Action, spoken: String) -> Node {
        // Every letter key is the width of one in a ten-key row, so shorter rows centre rather than stretch.
        var n = Node.column([.text(label, .button, t.text, align: .center)])
            .background(s.pressed == id ? t.navBar.darkened(0.85) : t.keyColor).border(t.border)
            .align(main: .center).width(label.count == 1 ? .fixed(keyWidth) : .fill()).height(.fill())
            .onTap(action, id: id)
        n.semantics = Semantics(spoken, role: .button)
        return n
    }

    var keyWidth: Double {
        let width = size.isPortrait ? size.width - 2 * t.spacing : 1140
        return ((width - 9 * t.keyGap) / 10).rounded(.down)
    }

    // MARK: overlays

    func dialog(scrimID: String, scrimAction: Action, _ children: [Node]) -> Node {
        let width = min(size.width - 2 * t.spacing, 900)
        let card = Node.column(gap: t.spacing, padding: .all(t.spacing * 1.5), children)
            .width(.fixed(width)).background(t.surface).semantics(Semantics(str(.roleDialog), role: .dialog))
        var scrim = Node.column([card]).background(t.scrim).align(main: .center, cross: .center)
            .height(.fill()).onTap(scrimAction, id: scrimID)
        scrim.semantics = Semantics(str(.roleDialog), role: .dialog)
        return scrim
    }

    func idleWarning() -> Node {
        let seconds = s.secondsUntilReset ?? 0
        let detail = Strings.text(.idleDetail, lang, ["seconds": .number(seconds)])
        return dialog(scrimID: "idle.scrim", scrimAction: .moreTime, [
            Node.text(str(.idleTitle), .title, t.text).semantics(Semantics(str(.idleTitle), role: .heading)),
            Node.text(detail, .body, t.text),
            button("idle.more-time", str(.idleMoreTime), .moreTime),
        ])
    }

    func noticeDialog(_ k: StringKey) -> Node {
        dialog(scrimID: "notice.scrim", scrimAction: .dismissNotice, [
            Node.text(str(.comingSoonTitle), .title, t.text).semantics(Semantics(str(.comingSoonTitle), role: .heading)),
            Node.text(str(k), .body, t.text),
            button("notice.ok", str(.noticeOK), .dismissNotice),
        ])
    }
}

extension Node {
    /// Keeps a touch target at least a finger's size even when its text is short.
    func asMinimum(_ minimum: Double) -> Node {
        var n = self
        n.minHeight = minimum
        return n
    }
}

import Foundation
