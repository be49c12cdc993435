// The font the kiosk shows is the one asked for, has every letter residents read, and is opened once.
import CFontconfig
import CSDL2
import Foundation
import KioskUI
import Testing
@testable import KioskCore
@testable import KioskSDL

private func tempFolder() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-font-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

/// Installed on this machine (fonts-dejavu-extra): Polish letters but no Cyrillic.
private let mathFaceInstalled: Bool = {
    guard FcInit() != 0, let m = FontLocator.match("DejaVu Math TeX Gyre", bold: false) else { return false }
    return m.families.contains("DejaVu Math TeX Gyre")
}()

// fontconfig's default configuration is process-wide; these tests only read it.
@Suite(.serialized) struct FontChoice {
    @Test func aPatternNamingAFamilyThatIsNotInstalledIsSaidWithTheKeyAndTheFaceUsed() throws {
        var said: [String] = []
        let files = try FontLocator.locate(pattern: "Kiosk Nonexistent Grotesk:lang=pl", cache: nil) { said.append($0) }
        #expect(said.count == 1)
        let line = try #require(said.first)
        #expect(line.contains("font.pattern"))
        #expect(line.contains("\"Kiosk Nonexistent Grotesk\""))
        #expect(line.contains(files.regular), "names the face shown instead")
        #expect(files.notes == said)
    }

    @Test(arguments: ["sans-serif:lang=pl", "DejaVu Sans", "dejavusans:lang=uk", "Kiosk Nonexistent Grotesk,DejaVu Sans"])
    func aGenericOrInstalledFamilyIsNoFallback(pattern: String) throws {
        var said: [String] = []
        let files = try FontLocator.locate(pattern: pattern, cache: nil) { said.append($0) }
        #expect(said.isEmpty, "\(pattern): \(said)")
        #expect(files.family == "DejaVu Sans")
        #expect(files.bold != nil && files.bold != files.regular)
    }

    @Test(.enabled(if: mathFaceInstalled, "needs fonts-dejavu-extra (DejaVu Math TeX Gyre: Polish letters, no Cyrillic)"))
    func aFaceWithoutUkrainianLettersIsRefused() throws {
        let error = #expect(throws: FontError.self) {
            try FontLocator.locate(pattern: "DejaVu Math TeX Gyre", cache: nil) { _ in }
        }
        let text = try #require(error?.description)
        #expect(text.contains("Ukrainian letters"))
        #expect(!text.contains("Polish letters"), "the face has them")
        #expect(text.contains("font.pattern") && text.contains("DejaVuMathTeXGyre.ttf"))
    }

    @Test func everyRequiredLetterIsCheckedOnTheRealCharset() throws {
        // The charset of the real default face, with letters taken out one group at a time.
        #expect(FcInit() != 0)
        let pat = try #require(FcNameParse("DejaVu Sans"))
        defer { FcPatternDestroy(pat) }
        _ = FcConfigSubstitute(nil, pat, FcMatchPattern)
        FcDefaultSubstitute(pat)
        var result = FcResultNoMatch
        let found = try #require(FcFontMatch(nil, pat, &result))
        defer { FcPatternDestroy(found) }
        var cs: OpaquePointer?
        #expect(FcPatternGetCharSet(found, FC_CHARSET, 0, &cs) == FcResultMatch)
        let full = try #require(cs)
        #expect(FontCoverage.missing { FcCharSetHasChar(full, $0) != 0 }.isEmpty, "DejaVu Sans covers all")
        for (letter, group) in [("ł", "Polish letters"), ("Ż", "Polish letters"), ("ґ", "Ukrainian letters"), ("Щ", "Ukrainian letters"), ("⌂", "signs the screens use")] {
            // A charset of its own: the face's is a constant of fontconfig's cache and cannot be edited.
            let copy = try #require(FcCharSetCreate())
            defer { FcCharSetDestroy(copy) }
            #expect(FcCharSetMerge(copy, full, nil) != 0)
            #expect(FcCharSetDelChar(copy, letter.unicodeScalars.first?.value ?? 0) != 0)
            let missing = FontCoverage.missing { FcCharSetHasChar(copy, $0) != 0 }
            #expect(missing.map(\.group.name) == [group], "\(letter)")
            #expect(missing.first?.missing == [Character(letter)])
        }
    }

    @Test func everyLetterTheCataloguesShowIsCheckedAtStart() {
        let checked = Set(FontCoverage.required.flatMap(\.characters))
        for language in Language.allCases {
            for (key, message) in Catalog.messages(language) {
                for text in message.variants {
                    let unchecked = text.filter { !$0.isASCII && !checked.contains($0) }
                    #expect(unchecked.isEmpty, "\(language) \(key): \(unchecked) would not be checked in the font")
                }
            }
        }
    }

    @Test func theRequiredLettersIncludeUkrainianAndBasicCyrillic() {
        let uk = Set(FontCoverage.ukrainian.characters)
        for c in "АЯаяЁ" where c != "Ё" { #expect(uk.contains(c)) }
        for c in "іїєґІЇЄҐ" { #expect(uk.contains(c)) }
        #expect(Set(FontCoverage.polish.characters).isSuperset(of: "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"))
    }

    @Test func everySizeIsReadThroughOneDescriptorPerFile() throws {
        let files = try FontLocator.locate(pattern: "sans-serif:lang=pl", cache: nil) { _ in }
        let bold = try #require(files.bold)
        func descriptors(_ path: String) throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path
            }.count
        }
        let before = (try descriptors(files.regular), try descriptors(bold))
        let book = try FontBook(files: files)
        for size in [20, 26, 31, 38, 44, 52, 60] {
            _ = book.width(of: "Zażółć gęślą jaźń", font: FontSpec(size: size))
            _ = book.width(of: "Зареєструватися", font: FontSpec(size: size, bold: true))
        }
        #expect(book.openFaces >= 14)
        // TTF_OpenFont keeps a descriptor per size: 7 sizes would hold 7 of each file.
        #expect(try descriptors(files.regular) - before.0 == 1)
        #expect(try descriptors(bold) - before.1 == 1)
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        #expect(!maps.contains(files.regular), "read, not mapped: touched pages would count in the kiosk's memory")
        withExtendedLifetime(book) {}
    }

    @Test func textMeasuresTheSameThroughTheSharedFileAsThroughTTFOpenFont() throws {
        let files = try FontLocator.locate(pattern: "sans-serif:lang=pl", cache: nil) { _ in }
        let book = try FontBook(files: files)
        for size in [24, 38, 61] {
            let direct = try #require(TTF_OpenFont(files.regular, Int32(size)))
            defer { TTF_CloseFont(direct) }
            TTF_SetFontHinting(direct, TTF_HINTING_LIGHT)
            for text in ["Zażółć gęślą jaźń", "Добрий день! Чим можемо допомогти?", "„Łódź” – 3 grudnia 2026 …"] {
                var w: Int32 = 0, h: Int32 = 0
                _ = TTF_SizeUTF8(direct, text, &w, &h)
                #expect(book.width(of: Substring(text), font: FontSpec(size: size)) == Double(w), "\(size): \(text)")
            }
            #expect(book.lineHeight(font: FontSpec(size: size)) == Double(TTF_FontLineSkip(direct)))
        }
    }
}

@Suite(.serialized) struct FontChoiceCacheRules {
    @Test func theLastChoiceIsReusedWithItsNotes() throws {
        let cache = FontChoiceCache(file: try tempFolder() + "/sub/font-choice.txt")
        var first: [String] = [], second: [String] = []
        let a = try FontLocator.locate(pattern: "Kiosk Nonexistent Grotesk", cache: cache) { first.append($0) }
        #expect(FileManager.default.fileExists(atPath: cache.file))
        let hit = try #require(cache.lookup(pattern: "Kiosk Nonexistent Grotesk"))
        #expect(hit == a)
        let b = try FontLocator.locate(pattern: "Kiosk Nonexistent Grotesk", cache: cache) { second.append($0) }
        #expect(a == b)
        #expect(second == first && second.count == 1, "the fallback is said at every start, cached or not")
        #expect(cache.lookup(pattern: "DejaVu Sans") == nil, "another pattern is another question")
    }

    @Test func aChangedOrRemovedFontFileMeansAskingFontconfigAgain() throws {
        let dir = try tempFolder()
        let real = try FontLocator.locate(pattern: "DejaVu Sans", cache: nil) { _ in }
        let copy = dir + "/Face.ttf"
        try FileManager.default.copyItem(atPath: real.regular, toPath: copy)
        let cache = FontChoiceCache(file: dir + "/font-choice.txt")
        var files = FontFiles(regular: copy)
        files.family = "DejaVu Sans"
        cache.store(files, pattern: "X")
        #expect(cache.lookup(pattern: "X") == files)
        // Same size, new time: an upgraded package writes a new file.
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, copy, &times, 0) == 0)
        #expect(cache.lookup(pattern: "X") == nil)
        cache.store(files, pattern: "X")
        #expect(cache.lookup(pattern: "X") != nil)
        try FileManager.default.removeItem(atPath: copy)
        #expect(cache.lookup(pattern: "X") == nil)
    }

    @Test func theChoiceWatchesFontconfigsConfigurationAndFontFolders() throws {
        _ = try FontLocator.locate(pattern: "DejaVu Sans", cache: nil) { _ in }
        let watched = Set(FontLocator.configurationInputs())
        #expect(watched.contains("/etc/fonts/fonts.conf"))
        #expect(watched.contains("/etc/fonts/conf.d"), "a new rule file changes the folder")
        #expect(watched.contains("/usr/share/fonts/truetype/dejavu"), "a font added beside changes the folder")
    }

    @Test(arguments: [
        "", "garbage\n", "kiosk-font-choice 1\nregular\tnot-a-number\t/x.ttf\n",
        "kiosk-font-choice 1\nwhat\tever\n", "kiosk-font-choice 1\n" + String(repeating: "note\tx\n", count: 50_000),
        "kiosk-font-choice 1\nregular\t0\t/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf\n", // no key: never trusted
    ])
    func aDamagedCacheIsIgnoredAndRewritten(content: String) throws {
        let cache = FontChoiceCache(file: try tempFolder() + "/font-choice.txt")
        try content.write(toFile: cache.file, atomically: true, encoding: .utf8)
        #expect(cache.lookup(pattern: "sans-serif:lang=pl") == nil)
        let files = try FontLocator.locate(pattern: "sans-serif:lang=pl", cache: cache) { _ in }
        #expect(cache.lookup(pattern: "sans-serif:lang=pl") == files)
    }
}
