import KioskCore
import Testing
@testable import KioskUI

let policy = IdlePolicy(warnAfter: 90, resetAfter: 20)

func send(_ s: inout AppState, _ a: Action, at t: Instant) -> [Effect] {
    reduce(&s, a, now: t)
}

/// Ticks at every deadline up to `t`, as the run loop does.
func run(_ s: inout AppState, until t: Instant) {
    var guardCount = 0
    while let d = s.nextDeadline(), d <= t, guardCount < 100_000 {
        _ = reduce(&s, .tick, now: d)
        guardCount += 1
    }
    _ = reduce(&s, .tick, now: t)
}

let roads = CategorySummary(category: Category(id: "drogi", name: Localized(pl: "Drogi", en: "Roads")), articleCount: 2)

@Suite struct Navigation {
    @Test func knowledgeBaseTileOpensCategoriesAndLoadsThem() {
        var s = AppState(idle: policy)
        #expect(send(&s, .openTile(.kb), at: 1) == [.store(.loadCategories)])
        #expect(s.screen == .categories)
        _ = send(&s, .browse(.categoriesLoaded([roads])), at: 1.1)
        #expect(send(&s, .browse(.openCategory("drogi")), at: 2) == [.store(.loadArticles(categoryID: "drogi"))])
        #expect(send(&s, .browse(.openArticle("a")), at: 3) == [.store(.loadArticle(id: "a"))])
        #expect(s.path == [.home, .categories, .articles, .article])
        _ = send(&s, .back, at: 4)
        #expect(s.screen == .articles)
        _ = send(&s, .home, at: 5)
        #expect(s.path == [.home])
    }

    @Test func theTicketTileOpensTheLookupWithTheFieldFocusedAndNoComingSoonNotice() {
        var s = AppState(idle: policy)
        #expect(send(&s, .openTile(.ticket), at: 1).isEmpty)
        #expect(s.screen == .ticketLookup)
        #expect(s.notice == nil)
        #expect(s.focus == ElementID.lookupNumber)
    }

    @Test func lateAnswersForAnotherArticleAreIgnored() {
        var s = AppState(idle: policy)
        _ = send(&s, .browse(.openArticle("b")), at: 1)
        _ = send(&s, .browse(.articleLoaded(id: "a", nil)), at: 2)
        #expect(s.browse.articleMissing == false)
        _ = send(&s, .browse(.articleLoaded(id: "b", nil)), at: 2)
        #expect(s.browse.articleMissing == true)
    }

    @Test func scrollingStaysWithinWhatLayoutMeasured() {
        var s = AppState(idle: policy)
        _ = send(&s, .scrollLimits(["article.body": 500]), at: 0)
        _ = send(&s, .scrollBy("article.body", 800), at: 1)
        #expect(s.scroll["article.body"] == 500)
        _ = send(&s, .scrollBy("article.body", -900), at: 2)
        #expect(s.scroll["article.body"] == 0)
    }

    @Test func aFlingGlidesThenStops() {
        var s = AppState(idle: policy)
        _ = send(&s, .scrollLimits(["article.body": 100_000]), at: 0)
        _ = send(&s, .fling("article.body", velocity: 3000), at: 10)
        run(&s, until: 13)
        let travelled = s.scroll["article.body"] ?? 0
        #expect(travelled > 500 && travelled < 1100) // 3000 px/s decaying: about v/ln(1/0.05) ≈ 1000 px
        #expect(s.fling == nil)
    }
}

@Suite struct IdleTimeout {
    @Test func anUntouchedHomeScreenHasNoTimers() {
        // Redraw only on change: a pristine kiosk has nothing scheduled, so its loop sleeps.
        let s = AppState(idle: policy)
        #expect(s.nextDeadline() == nil)
    }

    @Test func warnsThenClearsEverything() {
        var s = AppState(idle: policy)
        _ = send(&s, .setLanguage(.en), at: 0)
        _ = send(&s, .openTile(.kb), at: 1)
        _ = send(&s, .browse(.categoriesLoaded([roads])), at: 1)
        _ = send(&s, .browse(.openCategory("drogi")), at: 2)
        run(&s, until: 91.9)
        #expect(s.resetAt == nil)
        run(&s, until: 92)
        #expect(s.resetAt == 112)
        #expect(s.secondsUntilReset == 20)
        run(&s, until: 100.5)
        #expect(s.secondsUntilReset == 12)
        run(&s, until: 112)
        #expect(s.path == [.home])
        #expect(s.language == .pl)
        #expect(s.browse.selectedCategory == nil)
        #expect(s.nextDeadline() == nil)
    }

    @Test func moreTimeKeepsTheResidentsPlace() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.kb), at: 0)
        run(&s, until: 95)
        #expect(s.resetAt != nil)
        _ = send(&s, .moreTime, at: 95)
        #expect(s.resetAt == nil)
        run(&s, until: 180)
        #expect(s.screen == .categories)
        #expect(s.resetAt == nil)
        run(&s, until: 186)
        #expect(s.resetAt != nil) // the next warning comes 90 s after the last touch
    }

    @Test func servicesAnsweringDoNotCountAsActivity() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.kb), at: 0)
        _ = send(&s, .browse(.categoriesLoaded([roads])), at: 89)
        run(&s, until: 90)
        #expect(s.resetAt != nil)
    }
}

@Suite struct SearchReducer {
    @Test func typingAsksForResultsAndDropsStaleAnswers() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.search), at: 0)
        #expect(s.screen == .search)
        #expect(send(&s, .field(.type("zl")), at: 1) == [.store(.search("zl"))])
        #expect(send(&s, .field(.type("o")), at: 2) == [.store(.search("zlo"))])
        _ = send(&s, .search(.results(SearchOutcome.empty("zl"))), at: 3)
        #expect(s.search.outcome == nil)
        _ = send(&s, .search(.results(SearchOutcome.empty("zlo"))), at: 3)
        #expect(s.search.outcome?.query == "zlo")
        #expect(send(&s, .field(.backspace), at: 4) == [.store(.search("zl"))])
        #expect(send(&s, .field(.clear("search.query")), at: 5).isEmpty)
        #expect(s.searchQuery.isEmpty)
    }

    @Test func spacesAloneSearchNothing() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.search), at: 0)
        #expect(send(&s, .field(.type("   ")), at: 1).isEmpty)
    }

    @Test func controlCharactersAndEmojiAreDropped() {
        var s = AppState(idle: policy)
        _ = send(&s, .openTile(.search), at: 0)
        _ = send(&s, .field(.type("a\u{01}😀\u{202E}b\nc")), at: 1)
        #expect(s.searchQuery == "ab c")
    }

    @Test func typingElsewhereDoesNothing() {
        var s = AppState(idle: policy)
        #expect(send(&s, .field(.type("x")), at: 1).isEmpty)
        #expect(s.searchQuery.isEmpty)
    }
}
