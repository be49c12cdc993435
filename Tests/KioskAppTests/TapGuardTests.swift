// A double tap must not press the button that replaced the one tapped: "skip" on the contact step lands where
// "send" is on the review, and a report the resident never checked would be filed.
import Foundation
import KioskCore
import KioskUI
import Testing
@testable import KioskApp

@Suite struct TapGuard {
    @Test func aSecondTapRightAfterTheScreenChangedPressesNothing() throws {
        let (k, clock) = try testKiosk()
        try navigate(k, to: "report.contact", category: nil, article: nil)
        let skip = try #require(k.engine.frame().target(id: ElementID.reportContactSkip)).rect.center
        func tap(after seconds: Double) {
            clock.advance(by: seconds)
            k.engine.handle(.pointerDown(skip))
            clock.advance(by: 0.04)
            k.engine.handle(.pointerUp(skip))
        }
        tap(after: 1)
        #expect(k.engine.state.screen == .reportReview)
        let submit = try #require(k.engine.frame().target(id: ElementID.reportSubmit)).rect
        #expect(submit.contains(skip), "the test means the case where send sits under the finger")
        tap(after: 0.12) // the second half of a double tap
        #expect(k.engine.state.screen == .reportReview)
        #expect(try k.store.outboxItems().isEmpty, "nothing filed without the resident seeing the review")
        tap(after: KioskEngine.tapGuard + 0.01)
        #expect(k.engine.state.screen == .ticket)
        #expect(try k.store.outboxItems().count == 1)
    }
}
