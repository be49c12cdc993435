// The Knowledge Base screens: categories, a category's articles, one article with its QR code.
import KioskCore

extension Screens {
    func categories() -> Node {
        let body: Node
        if let cats = s.browse.categories {
            if cats.isEmpty {
                body = message(.emptyKnowledgeBase)
            } else {
                // As many columns as fit a heading of about 16 characters; large text gets fewer.
                let columnWidth = Double(t.font(.heading).size) * 9
                let columns = max(1, min(size.isPortrait ? 2 : 3, Int((size.width - 2 * t.spacing) / columnWidth)))
                let items = cats.enumerated().map { i, c in categoryItem(i, c) }
                var rows: [Node] = []
                for start in stride(from: 0, to: items.count, by: columns) {
                    var row = Array(items[start..<min(start + columns, items.count)])
                    while row.count < columns { row.append(Node().width(.fill())) } // keep the grid's columns aligned
                    rows.append(Node.row(gap: t.gap, row))
                }
                var list = Node(id: ElementID.categoriesList, .scroll)
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
        let id = ElementID.categoriesItem(i)
        let name = c.category.name[lang]
        let count = str(.articleCount, ["count": .number(c.articleCount)])
        var n = Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.75), [
            .text(name, .heading, t.primary),
            .text(count, .small, t.textMuted),
        ]).background(s.pressed == id ? t.navBar : t.surface).border(t.border)
            .height(.fill()).onTap(.browse(.openCategory(c.category.id)), id: id)
        n.semantics = Semantics("\(name), \(count)", role: .button)
        return n.asMinimum(t.minTarget)
    }

    func articles() -> Node {
        let title = s.browse.selectedCategory?.category.name[lang] ?? str(.articlesTitle)
        let subtitle = s.browse.articles.map { str(.articleCount, ["count": .number($0.count)]) }
        let body: Node
        if let list = s.browse.articles {
            if list.isEmpty {
                body = message(.emptyCategory)
            } else {
                var scroll = Node(id: ElementID.articlesList, .scroll)
                scroll.gap = t.gap * 0.75
                scroll.padding = readingPadding()
                scroll.semantics = Semantics(title, role: .list)
                scroll.children = list.enumerated().map { i, a in
                    articleItem(ElementID.articlesItem(i), a, action: .browse(.openArticle(a.id)))
                }
                body = scroll
            }
        } else {
            body = message(.loading)
        }
        return page(title: title, subtitle: subtitle, body: body)
    }

    func articleItem(_ id: String, _ a: ArticleSummary, action: Action) -> Node {
        var children: [Node] = [.text(a.title[lang], .heading, t.primary)]
        let summary = a.summary[lang]
        if !summary.isEmpty { children.append(.text(summary, .body, t.textMuted)) }
        var n = Node.column(gap: t.smallGap, padding: .all(t.spacing * 0.75), children)
            .background(s.pressed == id ? t.navBar : t.surface).border(t.border)
            .onTap(action, id: id)
        // Speech says the summary too: it is what tells two similar titles apart.
        n.semantics = Semantics(summary.isEmpty ? a.title[lang] : "\(a.title[lang]). \(summary)", role: .button)
        return n.asMinimum(t.minTarget)
    }

    func article() -> Node {
        let fromCategory = s.path.contains(.articles)
        let headerTitle = fromCategory ? (s.browse.selectedCategory?.category.name[lang] ?? str(.categoriesTitle)) : str(.searchResultsLabel)
        guard let a = s.browse.article else {
            return page(title: headerTitle, subtitle: nil, body: message(s.browse.articleMissing ? .articleGone : .loading))
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
            parts.append(Node.column(gap: t.smallGap, [
                Node.text(heading, .heading, t.primary).semantics(Semantics(heading, role: .heading)),
                Node.text(text, .body, t.text),
            ]))
        }
        let responsible = [a.department, a.unit].filter { !$0.isEmpty }.joined(separator: ", ")
        var footer = str(.articleWrittenOn, ["date": .date(a.writtenOn)])
        if !responsible.isEmpty { footer += "\n\(str(.articleResponsible)): \(responsible)" }
        parts.append(.text(footer, .small, t.textMuted))
        var body = Node(id: ElementID.articleBody, .scroll)
        body.gap = t.spacing
        body.children = parts
        body.semantics = Semantics(a.title[lang], role: .text)
        let printing = checklistControls()
        guard let qr = articleQR(a) else {
            body.padding = readingPadding()
            guard !printing.isEmpty else { return page(title: headerTitle, subtitle: nil, body: body) }
            let strip = Node.column(gap: t.gap, padding: .xy(t.spacing, t.gap), printing).height(.fit).background(t.surface)
            return page(title: headerTitle, subtitle: nil, body: Node.column([body.height(.fill()), strip]))
        }
        if size.isPortrait {
            body.padding = readingPadding()
            let strip = Node.column(gap: t.gap, padding: .xy(t.spacing, t.gap), [
                Node.row(gap: t.spacing, [qr.code, qr.caption.width(.fill())]).height(.fit).align(cross: .center),
            ] + printing).height(.fit).background(t.surface)
            return page(title: headerTitle, subtitle: nil, body: Node.column([body.height(.fill()), strip]))
        }
        // Landscape: the QR code stands beside the reading column, where it never scrolls away.
        // Wide enough for the caption's longest word in large text too.
        let sideWidth = max(t.qrSide + 2 * t.spacing, (size.width * 0.22).rounded(.down))
        // Its own scroll view: in large text on a short panel the caption and the print button need more.
        var side = Node(id: ElementID.articleSide, .scroll)
        side.gap = t.gap
        side.padding = .all(t.spacing)
        side.children = [qr.code, qr.caption] + printing
        side = side.width(.fixed(sideWidth)).background(t.surface)
        body.padding = readingPadding(width: size.width - sideWidth)
        return page(title: headerTitle, subtitle: nil, body: Node.row([body.width(.fill()).height(.fill()), side.height(.fill())]))
    }

    /// "Print a checklist" and what became of it, on a kiosk with a printer.
    func checklistControls() -> [Node] {
        guard s.site.hasPrinter else { return [] }
        var out: [Node] = []
        // The narrow landscape column gets the short label; it is spoken in full.
        var b = button(ElementID.articlePrint, str(size.isPortrait ? .articlePrint : .articlePrintShort), .browse(.printChecklist), filled: false)
        b.semantics?.label = str(.articlePrint)
        if s.browse.checklist == .printing { b.onTap = nil; b.semantics?.state = [str(.checklistPrinting)] }
        out.append(b)
        switch s.browse.checklist {
        case .printing?: out.append(.text(str(.checklistPrinting), .body, t.text))
        case .printed?: out.append(.text(str(.checklistPrinted), .body, t.text))
        case .failed?: out.append(.text(str(.checklistFailed), .body, t.error))
        case .noPrinter?, nil: break
        }
        return out
    }

    /// The code to the article's public page, when the Knowledge Base gives one.
    func articleQR(_ a: PublicArticle) -> (code: Node, caption: Node)? {
        guard let url = a.url else { return nil }
        let caption = Node.text(str(.articleQRCaption), .small, t.text)
        // Percent-escaped, so older phone readers that ignore the UTF-8 marker read the same link.
        let code = Node.qrCode(id: ElementID.articleQR, payload: QRCode.linkForPhones(url), side: t.qrSide,
                               label: str(.articleQRCaption), dark: Color(0x000000), light: Color(0xFFFFFF))
        guard code.id != nil else { return nil } // a link that cannot be encoded shows no code, not a hole
        return (code, caption)
    }
}
