import Foundation
import Testing
@testable import KioskCore

/// The street list behind `report.location.street`: the shipped file, autocomplete, and files a
/// technician or a broken export can produce.
@Suite("StreetList") struct StreetListTests {
    static let bundledPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../kiosk-config/streets.txt").standardized.path

    static let sample = """
    # test list
    ul. Piotrkowska
    al. Tadeusza Kościuszki
    ul. Kościelna
    ul. Złota
    ul. Zielona
    al. marsz. Józefa Piłsudskiego
    ul. Ludwika Zamenhofa
    ul. Łąkowa
    ul. Laskowa
    ul. Aleksandrowska
    pl. Wolności
    ul. gen. Józefa Bema
    ul. Jana Kilińskiego
    ul. Ułańska
    Stary Rynek
    """

    func sample() throws -> StreetList { try StreetList.parse(Self.sample, file: "sample.txt") }
    func names(_ s: [Street]) -> [String] { s.map(\.name) }

    func error(_ text: String, file: String = "streets.txt") -> StreetListError? {
        do {
            _ = try StreetList.parse(text, file: file)
            return nil
        } catch let e as StreetListError {
            return e
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    func readError(_ bytes: [UInt8]) throws -> StreetListError? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streets-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try StreetList.read(path: path)
            return nil
        } catch let e as StreetListError {
            #expect(e.file == path)
            return e
        }
    }

    // MARK: - The shipped list

    @Test func theBundledLodzListHasAtLeast300UniqueStreets() throws {
        let list = try StreetList.read(path: Self.bundledPath)
        #expect(list.streets.count >= 300)
        #expect(Set(list.streets.map(\.searchKey)).count == list.streets.count)
        #expect(Set(list.streets.map(\.name)).count == list.streets.count)
        // Every entry carries its type, as addresses on a ticket do, except the two market squares.
        let untyped = list.streets.filter { $0.type == nil }.map(\.name)
        #expect(untyped.allSatisfy { $0.hasSuffix("Rynek") }, "\(untyped)")
    }

    @Test func theBundledListNamesItsSourcesAndDate() throws {
        let text = try String(contentsOfFile: Self.bundledPath, encoding: .utf8)
        let header = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.joined(separator: "\n")
        #expect(header.contains("2026-12-01"))
        #expect(header.contains("log.lodz.pl"))
        #expect(header.contains("wikipedia"))
    }

    @Test func theBundledListFindsTheExamplesOfTheIssue() throws {
        let list = try StreetList.read(path: Self.bundledPath)
        #expect(list.suggestions(for: "piotrk", limit: 5).first?.name == "ul. Piotrkowska")
        #expect(list.suggestions(for: "zgiersk", limit: 5).first?.name == "ul. Zgierska")
        #expect(names(list.suggestions(for: "pilsudsk", limit: 5)).contains("al. marsz. Józefa Piłsudskiego"))
        #expect(list.exact("ul. piotrkowska")?.name == "ul. Piotrkowska")
    }

    @Test func suggestionsOverTheWholeListAreFastEnoughForEveryKeystroke() throws {
        let list = try StreetList.read(path: Self.bundledPath)
        // Every prefix a resident types on the way to a few long names, as the screen asks on each key.
        let words = ["piotrkowska", "kosciuszki al", "marsz jozefa pilsudskiego", "zlota", "28 pulku", "w"]
        let prefixes = words.flatMap { w in (1...w.count).map { String(w.prefix($0)) } }
        let clock = ContinuousClock()
        var found = 0
        let elapsed = clock.measure {
            for p in prefixes { found += list.suggestions(for: p, limit: 8).count }
        }
        #expect(found > 0)
        let perKey = elapsed / prefixes.count
        print("StreetList: \(list.streets.count) streets, \(prefixes.count) keystrokes, \(perKey) per keystroke (debug build)")

        // The limit of the format, for a city far larger than Łódź.
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let big = (0..<StreetList.maxStreets).map { "ul. Ulica\($0 / 26)\(letters[$0 % 26]) Testowa" }.joined(separator: "\n")
        let bigList = try StreetList.parse(big, file: "big.txt")
        let bigElapsed = clock.measure { for p in prefixes { _ = bigList.suggestions(for: p, limit: 8) } }
        print("StreetList: \(bigList.streets.count) streets, \(bigElapsed / prefixes.count) per keystroke (debug build)")
    }

    // MARK: - Autocomplete

    @Test func caseAndPolishLettersDoNotMatter() throws {
        let list = try sample()
        #expect(names(list.suggestions(for: "zlota", limit: 5)) == ["ul. Złota"])
        #expect(names(list.suggestions(for: "ZŁOTA", limit: 5)) == ["ul. Złota"])
        #expect(names(list.suggestions(for: "  Złota  ", limit: 5)) == ["ul. Złota"])
        #expect(names(list.suggestions(for: "piotrk", limit: 5)) == ["ul. Piotrkowska"])
        #expect(names(list.suggestions(for: "lakowa", limit: 5)) == ["ul. Łąkowa"])
    }

    @Test func anyWordOfTheNameCanBeTypedFirst() throws {
        let list = try sample()
        #expect(names(list.suggestions(for: "tadeusza", limit: 5)) == ["al. Tadeusza Kościuszki"])
        #expect(names(list.suggestions(for: "jozef", limit: 5)) == ["ul. gen. Józefa Bema", "al. marsz. Józefa Piłsudskiego"])
        #expect(names(list.suggestions(for: "marsz", limit: 5)) == ["al. marsz. Józefa Piłsudskiego"])
        #expect(names(list.suggestions(for: "rynek", limit: 5)) == ["Stary Rynek"])
        // Word starts only: "rkowska" is inside "Piotrkowska", not its start.
        #expect(list.suggestions(for: "rkowska", limit: 5).isEmpty)
    }

    @Test func severalTypedWordsMustAllMatchInAnyOrder() throws {
        let list = try sample()
        #expect(names(list.suggestions(for: "kosc al", limit: 5)) == ["al. Tadeusza Kościuszki"])
        #expect(names(list.suggestions(for: "al kosc", limit: 5)) == ["al. Tadeusza Kościuszki"])
        #expect(names(list.suggestions(for: "al. kość", limit: 5)) == ["al. Tadeusza Kościuszki"])
        #expect(names(list.suggestions(for: "ul kosc", limit: 5)) == ["ul. Kościelna"])
        #expect(names(list.suggestions(for: "kosc", limit: 5)) == ["ul. Kościelna", "al. Tadeusza Kościuszki"])
        #expect(names(list.suggestions(for: "jozefa bema", limit: 5)) == ["ul. gen. Józefa Bema"])
        #expect(list.suggestions(for: "jozefa zlota", limit: 5).isEmpty)
        // One typed word takes one word of the name: "jozefa jozefa" is not "Józefa Bema".
        #expect(list.suggestions(for: "jozefa jozefa", limit: 5).isEmpty)
    }

    @Test func aTypeWordAloneListsNothingSpecial() throws {
        let list = try sample()
        #expect(list.suggestions(for: "ul.", limit: 50).map(\.name) == ["ul. Ułańska"]) // a word that starts "ul", not every street
        #expect(names(list.suggestions(for: "al", limit: 50)) == ["ul. Aleksandrowska"])
        #expect(list.suggestions(for: "pl.", limit: 50).isEmpty)
        #expect(list.suggestions(for: "", limit: 50).isEmpty)
        #expect(list.suggestions(for: " .,- ", limit: 50).isEmpty)
        #expect(list.suggestions(for: "zielona", limit: 0).isEmpty)
    }

    @Test func theMainNameRanksBeforeOtherWordsThenPolishOrder() throws {
        let list = try StreetList.parse("""
        ul. Zofii Laskowej
        ul. Łąkowa
        ul. Laskowa
        ul. Ludwika Zamenhofa
        ul. Lutomierska
        ul. Łódzka
        ul. Lipowa
        """, file: "order.txt")
        // "l" starts the main name of all but Ludwika Zamenhofa (whose main name is Zamenhofa): they come
        // first in Polish order, ł after every l; then Zamenhofa, found by its first name.
        #expect(names(list.suggestions(for: "l", limit: 10)) ==
                ["ul. Laskowa", "ul. Zofii Laskowej", "ul. Lipowa", "ul. Lutomierska", "ul. Łąkowa", "ul. Łódzka", "ul. Ludwika Zamenhofa"])
        #expect(names(list.suggestions(for: "l", limit: 3)) == ["ul. Laskowa", "ul. Zofii Laskowej", "ul. Lipowa"])
        #expect(StreetList.polishSortKey("ąb").lexicographicallyPrecedes(StreetList.polishSortKey("b")))
        #expect(StreetList.polishSortKey("az").lexicographicallyPrecedes(StreetList.polishSortKey("ą")))
        #expect(StreetList.polishSortKey("lz").lexicographicallyPrecedes(StreetList.polishSortKey("ła")))
        #expect(StreetList.polishSortKey("zz").lexicographicallyPrecedes(StreetList.polishSortKey("źa")))
        #expect(StreetList.polishSortKey("źz").lexicographicallyPrecedes(StreetList.polishSortKey("ża")))
    }

    @Test func exactTellsAKnownStreetFromTypedText() throws {
        let list = try sample()
        #expect(list.exact("al. Tadeusza Kościuszki")?.line == 3)
        #expect(list.exact("AL TADEUSZA KOSCIUSZKI")?.name == "al. Tadeusza Kościuszki")
        #expect(list.exact("aleja Tadeusza Kościuszki")?.name == "al. Tadeusza Kościuszki")
        #expect(list.exact("tadeusza kościuszki")?.name == "al. Tadeusza Kościuszki")
        #expect(list.exact("Kościuszki") == nil)
        #expect(list.exact("ul. Tadeusza Kościuszki") == nil)
        #expect(list.exact("ul. Marszałkowska") == nil)
        #expect(list.exact("") == nil)
    }

    // MARK: - What a technician's editor writes

    @Test func crlfCrAndABomReadLikeLf() throws {
        let lf = try sample()
        let crlf = try StreetList.parse("\u{FEFF}" + Self.sample.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n", file: "sample.txt")
        let cr = try StreetList.parse(Self.sample.replacingOccurrences(of: "\n", with: "\r"), file: "sample.txt")
        #expect(crlf == lf)
        #expect(cr == lf)
        #expect(crlf.streets.first?.name == "ul. Piotrkowska")
    }

    @Test func theBundledFileReadsTheSameWithWindowsLineEndingsAndABom() throws {
        let text = try String(contentsOfFile: Self.bundledPath, encoding: .utf8)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("streets-crlf-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(("\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n")).utf8).write(to: URL(fileURLWithPath: path))
        #expect(try StreetList.read(path: path).streets.map(\.name) == StreetList.read(path: Self.bundledPath).streets.map(\.name))
    }

    @Test func whitespaceIsTrimmedAndCollapsedAndNamesAreNfc() throws {
        let list = try StreetList.parse("  al.   Tadeusza\tKościuszki  \n\n   \n# komentarz\n  # wcięty komentarz\nul. Z\u{0142}ota\nul. Go\u{0301}rna\n", file: "ws.txt")
        #expect(names(list.streets) == ["al. Tadeusza Kościuszki", "ul. Złota", "ul. Górna"])
        #expect(list.streets.map(\.line) == [1, 6, 7])
        #expect(list.streets[2].name.unicodeScalars.count == "ul. Górna".precomposedStringWithCanonicalMapping.unicodeScalars.count)
    }

    // MARK: - Hostile files

    @Test func anEmptyFileSaysThereAreNoStreets() throws {
        for text in ["", "\n\n", "# only a header\n# and more\n", "\u{FEFF}"] {
            let e = error(text)
            #expect(e?.problem.contains("no streets") == true, "\(text.debugDescription)")
            #expect(e?.file == "streets.txt")
        }
        let e = try readError([])
        #expect(e?.problem.contains("no streets") == true)
    }

    @Test func aNulByteIsRefusedWithItsLine() throws {
        let e = try readError(Array("ul. Piotrkowska\nul. Zło\u{0}ta\n".utf8))
        #expect(e?.line == 2)
        #expect(e?.problem.contains("control character (U+0000)") == true)
        #expect(error("ul. Piotrkowska\u{7}\n")?.line == 1)
        #expect(error("ul. Piotrkowska\n\n\u{1B}[31mul. Zła\n")?.line == 3)
    }

    @Test func aTenMegabyteFileIsRefusedBeforeReading() throws {
        let line = Array("ul. Piotrkowska\n".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10 << 20)
        while bytes.count < 10 << 20 { bytes.append(contentsOf: line) }
        let e = try readError(bytes)
        #expect(e?.problem.contains("more than the limit of \(StreetList.maxFileBytes)") == true, "\(String(describing: e))")
        #expect(e?.description.contains(".txt:") == true)
        // The same text handed in directly.
        #expect(error(String(decoding: bytes, as: UTF8.self))?.problem.contains("bytes, more than the limit") == true)
    }

    @Test func aFiveHundredCharacterLineIsRefusedWithItsLine() {
        let e = error("ul. Piotrkowska\nul. " + String(repeating: "ą", count: 496) + "\n")
        #expect(e?.line == 2)
        #expect(e?.problem.contains("500 characters, more than the limit of 120") == true)
        #expect(e?.description.hasPrefix("streets.txt: line 2: ") == true)
        // Exactly the limit is fine.
        #expect(error("ul. " + String(repeating: "a", count: 116)) == nil)
    }

    @Test func duplicatesAreRefusedWithBothLines() {
        let e = error("# header\nul. Piotrkowska\nul. Zielona\nul.  PIOTRKOWSKA \n")
        #expect(e?.line == 4)
        #expect(e?.problem.contains("already on line 2") == true)
        #expect(e?.problem.contains("remove one of the two lines") == true)
        // Polish letters fold, so these two would be one suggestion twice.
        #expect(error("ul. Łąkowa\nul. Lakowa\n")?.line == 2)
        // The same name with another type is another street.
        #expect(error("ul. Piotrkowska\npl. Piotrkowska\n") == nil)
    }

    @Test func invalidUtf8IsRefusedWithItsLine() throws {
        // "ul. Złota" from a Windows-1250 editor: ł is the single byte 0xB3.
        let e = try readError(Array("ul. Piotrkowska\nul. Zielona\nul. Z".utf8) + [0xB3] + Array("ota\n".utf8))
        #expect(e?.line == 3)
        #expect(e?.problem.contains("not UTF-8") == true)
        let overlong = try readError(Array("ul. A\n".utf8) + [0xC0, 0xAF, 0x0A])
        #expect(overlong?.line == 2)
    }

    @Test func aTypeWithoutANameIsRefused() {
        let e = error("ul. Piotrkowska\nul.\n")
        #expect(e?.line == 2)
        #expect(e?.problem.contains("only a type") == true)
        #expect(error("al. ...")?.line == 1)
    }

    @Test func tooManyStreetsAreRefused() {
        let text = (0...StreetList.maxStreets).map { "ul. Ulica \($0)" }.joined(separator: "\n")
        let e = error(text)
        #expect(e?.line == StreetList.maxStreets + 1)
        #expect(e?.problem.contains("more than \(StreetList.maxStreets) streets") == true)
    }

    @Test func aMissingFileIsNamed() {
        do {
            _ = try StreetList.read(path: "/nonexistent/streets.txt")
            Issue.record("read a missing file")
        } catch let e as StreetListError {
            #expect(e.file == "/nonexistent/streets.txt")
            #expect(e.problem.contains("cannot read"))
        } catch {
            Issue.record("\(error)")
        }
    }
}
