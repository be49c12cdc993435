import Testing
@testable import KioskUI

@Suite struct ScriptLanguage {
    @Test func parsesEveryStep() throws {
        let steps = try Script.parse("""
            # a comment
            tap home.kb
            type "żółw \\"x\\""
            scroll article.body 800
            wait 600s
            wait 250ms
            wait 2m
            shot article-1
            expect-screen home
            expect-text "Dzień dobry"
            """).map(\.step)
        #expect(steps == [.tap("home.kb"), .type("żółw \"x\""), .scroll("article.body", 800), .wait(600), .wait(0.25),
                          .wait(120), .shot("article-1"), .expectScreen("home"), .expectText("Dzień dobry")])
    }

    @Test func badLinesNameTheirNumber() {
        for (source, line) in [("tap home.kb\nfly away", 2), ("\n\nscroll article.body lots", 3), ("wait soon", 1),
                               ("shot ../../etc/passwd", 1), ("type unquoted", 1), ("tap", 1)] {
            do {
                _ = try Script.parse(source)
                Issue.record("accepted \(source)")
            } catch let e as ScriptError {
                #expect(e.line == line, "\(source)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
