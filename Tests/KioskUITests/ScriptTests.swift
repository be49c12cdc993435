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

@Suite struct ScriptFieldConditions {
    func problem(_ source: String) -> ScriptError? {
        do { _ = try Script.parse(source); return nil } catch let e as ScriptError { return e } catch { return nil }
    }

    @Test func windowsAndOldMacLineEndingsParseLineByLine() throws {
        let lf = "expect-screen home\ntap home.kb\n\n# note\nwait 2s\n"
        let want = try Script.parse(lf)
        for source in [lf.replacingOccurrences(of: "\n", with: "\r\n"), lf.replacingOccurrences(of: "\n", with: "\r"),
                       "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n")] {
            let got = try Script.parse(source)
            #expect(got.map(\.step) == want.map(\.step))
            #expect(got.map(\.line) == [1, 2, 5])
            #expect(got.map(\.text) == ["expect-screen home", "tap home.kb", "wait 2s"])
        }
        // A bad step in a CRLF file is reported on its own line, not as line 1.
        #expect(problem("tap home.kb\r\nwait 2s\r\nfly away\r\n")?.line == 3)
    }

    @Test func waitsAreBoundedWithTheLineNamed() throws {
        #expect(try Script.parse("wait 168h").map(\.step) == [.wait(7 * 24 * 3600)])
        for source in ["wait 1e19s", "wait 169h", "wait 1e300", "wait 99999999999999999999ms"] {
            let e = problem("tap home.kb\n" + source)
            #expect(e?.line == 2, "\(source)")
            #expect(e?.problem.contains("at most 7 days") == true, "\(source): \(e?.problem ?? "accepted")")
        }
        for source in ["wait -1s", "wait nans", "wait infs", "wait 1e400s"] { #expect(problem(source) != nil, "\(source)") }
        #expect(problem("scroll article.body 1e300")?.problem.contains("at most") == true)
    }

    @Test func expectElementParsesAndNamesItsUsage() throws {
        #expect(try Script.parse("expect-element article.qr").map(\.step) == [.expectElement("article.qr")])
        #expect(problem("expect-element")?.problem.contains("expect-element ELEMENT-ID") == true)
        #expect(problem("expect-element a b")?.line == 1)
        #expect(problem("fly")?.problem.contains("expect-element") == true)
    }

    @Test func tabsSeparateLikeSpaces() throws {
        #expect(try Script.parse("tap\thome.kb\nscroll\tarticle.body\t80").map(\.step) == [.tap("home.kb"), .scroll("article.body", 80)])
    }

    @Test func anErrorWithoutAStepReadsCleanly() {
        let e = problem(String(repeating: "\n", count: Script.maxLines + 1))
        #expect(e?.description == "line \(Script.maxLines + 1): script longer than \(Script.maxLines) lines; split it into several scripts")
    }
}
