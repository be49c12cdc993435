import Foundation
import KioskCore
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

@Suite struct ResidentFlows {
    @Test func homeToArticleScrollIdleWarningAndReset() throws {
        let (k, clock) = try testKiosk()
        var shots: [String] = []
        let runner = ScriptRunner(engine: k.engine, clock: clock) { name, _ in shots.append(name) }
        try runner.run(Script.parse("""
            expect-screen home
            tap lang.en
            tap home.kb
            expect-screen categories
            tap categories.item.0
            expect-screen articles
            tap articles.item.0
            expect-screen article
            scroll article.body 800
            shot scrolled
            wait 89s
            expect-screen article
            wait 2s
            expect-text "Do you need more time?"
            tap idle.more-time
            expect-screen article
            wait 95s
            expect-text "more time"
            wait 30s
            expect-screen home
            expect-text "Dzień dobry"
            """))
        #expect(shots == ["scrolled"])
        // Everything the resident did is gone: the state is a new one but for the clock.
        // (Layout's scroll measurements of the home screen and the reset instant aside.)
        var after = k.engine.state
        after.scroll = [:]; after.scrollLimits = [:]; after.lastActivity = after.now
        var fresh = AppState(idle: k.config.idle, now: k.engine.state.now)
        fresh.site = after.site; fresh.streets = after.streets; fresh.date = after.date // the kiosk's own facts stay
        #expect(after == fresh)
        #expect(k.engine.nextDeadline == nil)
    }

    @Test func theScriptedRunFailsWithTheLineThatFailed() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        do {
            try runner.run(Script.parse("expect-screen home\ntap home.kb\nexpect-screen article"))
            Issue.record("a wrong expectation passed")
        } catch let e as ScriptError {
            #expect(e.line == 3)
            #expect(e.problem.contains("`categories`"))
        }
    }

    @Test func elementsUnderTheIdleWarningCannotBeTapped() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        #expect(throws: ScriptError.self) {
            try runner.run(Script.parse("tap home.kb\nwait 100s\ntap nav.back"))
        }
    }

    @Test func dragScrollsAndFlingGlides() throws {
        let (k, clock) = try testKiosk()
        try navigate(k, to: "article", category: nil, article: nil)
        let body = try #require(k.engine.frame().target(id: "article.body"))
        var p = body.rect.center
        k.engine.handle(.pointerDown(p))
        for _ in 0..<10 {
            clock.advance(by: 0.01)
            p.y -= 30
            k.engine.handle(.pointerMove(p))
        }
        k.engine.handle(.pointerUp(p))
        let afterDrag = k.engine.state.scroll["article.body"] ?? 0
        #expect(afterDrag > 250) // followed the finger, minus the slop
        #expect(k.engine.state.fling != nil)
        ScriptRunner(engine: k.engine, clock: clock) { _, _ in }.advance(by: 3)
        #expect((k.engine.state.scroll["article.body"] ?? 0) > afterDrag)
        #expect(k.engine.state.fling == nil)
        #expect(k.engine.state.screen == .article) // a drag is not a tap
    }

    @Test func aTapThatSlidesOffAButtonDoesNothing() throws {
        let (k, _) = try testKiosk()
        let tile = try #require(k.engine.frame().target(id: "home.kb"))
        k.engine.handle(.pointerDown(tile.rect.center))
        k.engine.handle(.pointerUp(Point(x: tile.rect.center.x, y: tile.rect.maxY + 400)))
        #expect(k.engine.state.screen == .home)
    }

    @Test func anIdleKioskDoesNoWork() throws {
        let (k, clock) = try testKiosk()
        _ = k.engine.frame()
        let layouts = k.engine.layoutCount
        ScriptRunner(engine: k.engine, clock: clock) { _, _ in }.advance(by: 3600)
        #expect(k.engine.nextDeadline == nil)
        #expect(!k.engine.needsRedraw)
        #expect(k.engine.layoutCount == layouts)
    }
}

@Suite struct SearchFlows {
    @Test func typingOnTheKeyboardFindsTheNursery() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("""
            tap home.search
            expect-screen search
            tap keyboard.key.z
            tap keyboard.key.l
            tap keyboard.key.o
            tap keyboard.key.b
            expect-text "Zapisy dziecka do żłobka miejskiego"
            tap search.results.item.0
            expect-screen article
            tap nav.back
            expect-screen search
            expect-text "zlob"
            """))
    }

    @Test func didYouMeanReplacesTheQuery() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("""
            tap home.search
            type "zameldowanei"
            expect-text "Czy chodziło Ci o: zameldowanie?"
            tap search.suggestion
            """))
        #expect(k.engine.state.searchQuery == "zameldowanie ")
        #expect(k.engine.state.search.outcome?.hits.first?.title.pl.contains("Zameldowanie") == true)
    }

    @Test func polishKeysAndBackspaceEditTheQuery() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("tap home.search\ntap keyboard.key.ż\ntap keyboard.key.ł\ntap keyboard.space\ntap keyboard.backspace\ntap keyboard.key.ó"))
        #expect(k.engine.state.searchQuery == "żłó")
    }

    @Test func nothingFoundOffersTopicsAndThePhone() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("""
            tap home.search
            type "qqqqqq vvvvvv"
            expect-text "42\u{00A0}638-44-44"
            tap search.browse
            expect-screen categories
            """))
    }

    @Test func hostileTypingShowsTheQueryAndAnAnswer() throws {
        let (k, _) = try testKiosk()
        k.engine.send(.openTile(.search))
        for text in ["\"", "*", "NEAR(", "AND", "-", ":", String(repeating: "a", count: 10_000), "😀 żółw", "\u{202E}abc",
                     "x\u{01}y\n\t", "OR OR", "(((", "zlob*", "\"dowod\"", "psa AND NOT kota"] {
            k.engine.send(.field(.clear("search.query")))
            k.engine.handle(.text(text))
            let f = k.engine.frame()
            let q = k.engine.state.searchQuery
            #expect(f.screen == .search)
            // The field shows the end of what was typed (the field keeps its last line in view).
            let tail = String(q.trimmingCharacters(in: .whitespaces).suffix(4))
            if !tail.isEmpty { #expect(f.texts.contains { $0.contains(tail) }, "the field does not show \"\(tail)\" for \(text.prefix(20))") }
            // And an answer: results, or the empty state naming the query, or the hint when nothing searchable is left.
            let results = f.hits.contains { $0.id == "search.results.item.0" }
            let nothing = f.containsText("Nie znaleźliśmy artykułu")
            let hint = f.containsText("Wpisz, czego szukasz")
            #expect(results || nothing || hint, "no answer on screen for \(text.prefix(20)): \(f.texts.prefix(8))")
            if TextFolding.foldedWords(q).isEmpty { #expect(hint) } else { #expect(results || nothing) }
        }
        // Hostile characters are left out and the field says so; the rest stays.
        k.engine.send(.field(.clear("search.query")))
        k.engine.handle(.text("żółw\u{7F}\u{9B}"))
        #expect(k.engine.state.searchQuery == "żółw")
        #expect(k.engine.frame().containsText("Pole „Szukaj” nie przyjmuje niektórych znaków"))
        k.engine.send(.field(.clear("search.query")))
        k.engine.handle(.text(String(repeating: "ab ", count: 3_000)))
        #expect(k.engine.state.searchQuery.count == SearchQuery.maxCharacters)
        #expect(k.engine.frame().containsText("Pole „Szukaj” mieści najwyżej 120 znaków; resztę pominięto."))
        #expect(k.engine.frame().containsText("120/120"))
    }

    @Test func theUkrainianHintsExamplesFindTheirArticles() throws {
        let (k, _) = try testKiosk()
        for (word, article) in [("посвідчення", "kb-00"), ("сміття", "kb-01"), ("ясла", "kb-01")] {
            let hits = try k.store.search(word, on: k.today, limit: 3, synonyms: k.synonyms).hits.map(\.id)
            #expect(hits.first?.hasPrefix(article) == true, "\(word): \(hits)")
        }
        #expect(Strings.text(.searchHint, .uk).contains("посвідчення, сміття, ясла"))
    }

    @Test func theIdleResetClearsTheQuery() throws {
        let (k, clock) = try testKiosk()
        let runner = ScriptRunner(engine: k.engine, clock: clock) { _, _ in }
        try runner.run(Script.parse("tap home.search\ntype \"psa\"\nwait 200s\nexpect-screen home"))
        #expect(k.engine.state.searchQuery.isEmpty)
    }
}
