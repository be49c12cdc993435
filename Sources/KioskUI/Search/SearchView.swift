// The search screen: the query field, results as the resident types, did-you-mean, and the keyboard.
import KioskCore

extension Screens {
    func search() -> Node {
        var notes: [Node] = []
        let q = s.searchQuery
        if s.search.outcome?.wasCut == true {
            notes.append(.text(str(.searchCut, ["limit": .number(SearchQuery.maxCharacters)]), .small, t.text))
        }
        if let suggestion = s.search.outcome?.suggestion {
            let label = str(.searchDidYouMean, ["suggestion": .text(suggestion)])
            var b = Node.column(padding: .xy(t.spacing * 0.75, t.controlPadding * 0.75), [.text(label, .button, t.primary)])
                .background(s.pressed == ElementID.searchSuggestion ? t.navBar : t.surface).border(t.primary)
                .align(main: .center).onTap(.search(.applySuggestion), id: ElementID.searchSuggestion)
            b.minHeight = t.minTarget
            b.semantics = Semantics(label, role: .button)
            notes.append(b)
        }
        var fieldRow = [textField(ElementID.searchQuery, lastLines: 1)]
        if !q.isEmpty {
            // In landscape the field shares its column with the results: the clear button is its sign alone
            // (still spoken as "Wyczyść").
            var clear = button(ElementID.searchClear, size.isPortrait ? str(.searchClear) : "✕", .field(.clear(ElementID.searchQuery)), filled: false)
            clear.semantics?.label = str(.searchClear)
            fieldRow.append(clear.width(.fit))
        }
        let field = Node.row(gap: t.gap, fieldRow).height(.fit).align(cross: .start)
        let results = searchResults()
        let body: Node
        let padding = Insets(top: t.gap, left: t.spacing, bottom: t.gap, right: t.spacing)
        if size.isPortrait {
            let keyboard = onScreenKeyboard(width: size.width - padding.left - padding.right)
            body = Node.column(gap: t.gap, padding: padding,
                               [Node.column(gap: t.gap * 0.75, [field] + notes).height(.fit), results.height(.fill()), keyboard])
        } else {
            // Landscape has no height to spare under the field: notes and "did you mean" go above the results.
            // Half the width for the keys, but never keys under 20 mm; the results get the rest.
            let cols = Double(keyboardLayout.columns)
            let narrowest = cols * t.minTouch + (cols - 1) * t.keyGap
            let leftWidth = max(narrowest, min(t.keyboardWidth, ((size.width - padding.left - padding.right - t.spacing) * 0.5).rounded(.down)))
            // The keys get what the header and the navigation bar leave of a landscape screen; the field sits
            // above the results, beside the keys, so a small panel in large text keeps 20 mm keys.
            func line(_ r: FontRole) -> Double { Double(t.font(r).size) * 1.2 * t.lineSpacing }
            let header = line(.title) + t.spacing * 1.5
            let nav = max(t.minTarget, line(.button) + 2 * t.controlPadding) + 1.5 * t.gap
            let budget = size.height - header - nav - padding.top - padding.bottom - t.gap
            let keyboard = onScreenKeyboard(width: leftWidth, height: budget)
            let left = Node.column(gap: t.gap, [Node.spacer(), keyboard]).width(.fixed(leftWidth))
            let right = Node.column(gap: t.gap * 0.75, [field] + notes + [results.height(.fill())])
            body = Node.row(gap: t.spacing, padding: padding, [left.height(.fill()), right.height(.fill())])
        }
        return page(title: str(.searchTitle), subtitle: nil, body: body)
    }

    func searchResults() -> Node {
        let q = s.searchQuery
        guard let outcome = s.search.outcome, !q.isEmpty else {
            return Node.column([.text(str(.searchHint), .body, t.textMuted)])
        }
        var scroll = Node(id: ElementID.searchResults, .scroll)
        scroll.gap = t.gap * 0.75
        // A problem to report comes first: "dziura w chodniku" is something to file, not to read about.
        let reports = outcome.services.enumerated().map { i, hit in
            reportOffer(ElementID.searchReportItem(i), hit)
        }
        if outcome.hits.isEmpty, !reports.isEmpty {
            scroll.children = reports
            return scroll
        }
        if outcome.hits.isEmpty {
            scroll.children = [
                Node.text(str(.searchNothing, ["query": .text(q.trimmingCharacters(in: .whitespaces))]), .heading, t.text),
                button(ElementID.searchBrowse, str(.searchBrowse), .browse(.showTopics)),
                Node.text(str(.searchCall), .body, t.text),
            ]
            return scroll
        }
        scroll.semantics = Semantics(str(.searchResultsLabel), role: .list)
        var items: [Node] = reports
        if outcome.relaxed { items.append(.text(str(.searchRelaxed), .body, t.textMuted)) }
        for (i, hit) in outcome.hits.enumerated() {
            items.append(articleItem(ElementID.searchResultsItem(i), ArticleSummary(id: hit.id, title: hit.title, summary: hit.summary),
                                     action: .browse(.openArticle(hit.id))))
        }
        scroll.children = items
        return scroll
    }

    func reportOffer(_ id: String, _ hit: ServiceHit) -> Node {
        let label = str(.searchReport, ["service": .text(hit.name[lang])])
        var n = Node.row(gap: t.gap, padding: .all(t.spacing * 0.6), [
            Node.text("⚑", .heading, t.onPrimary).width(.fit),
            Node.text(label, .heading, t.onPrimary).width(.fill()),
        ]).background(s.pressed == id ? t.primaryPressed : t.tileColors[1]).align(cross: .center)
            .onTap(.report(.start(service: hit.code)), id: id)
        n.semantics = Semantics(label, role: .button)
        return n.asMinimum(t.minTarget)
    }
}

import Foundation
