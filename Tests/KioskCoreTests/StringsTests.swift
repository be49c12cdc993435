// The string catalogue: every key in every language, same placeholders, CLDR plurals, dates, safe fill-in.
import Foundation
import Testing
@testable import KioskCore

private let nbsp = "\u{00A0}"

private func date(_ iso: String) throws -> LocalDate { try #require(LocalDate(iso: iso)) }

/// The placeholders of every variant of a message, or the first brace problem in it.
private func placeholders(_ m: Message) -> Result<Set<String>, TemplateProblem> {
    var all: Set<String> = []
    if case let .plural(selector, _) = m { all.insert(selector) }
    for text in m.variants {
        switch MessageTemplate.placeholders(text) {
        case let .success(names): all.formUnion(names)
        case let .failure(problem): return .failure(problem)
        }
    }
    return .success(all)
}

@Suite struct CatalogueCompleteness {
    @Test func everyKeyHasAMessageInEveryLanguage() {
        for language in Language.allCases {
            let catalogue = Catalog.messages(language)
            for key in StringKey.allCases {
                guard let message = catalogue[key] else {
                    Issue.record("\(key) is missing from the \(language) catalogue")
                    continue
                }
                // The one empty message: Polish needs no "only in Polish" note.
                if key == .articleOnlyInPolish && language == .pl { continue }
                #expect(message.variants.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty },
                        "\(key) is empty in \(language)")
            }
        }
    }

    @Test func theOnlyInPolishNoteIsEmptyInPolishAndSaidInTheOthers() {
        #expect(Strings.text(.articleOnlyInPolish, .pl) == "")
        #expect(Strings.text(.articleOnlyInPolish, .en) == "The full description below is available in Polish only.")
        #expect(Strings.text(.articleOnlyInPolish, .uk) == "Повний опис нижче доступний лише польською мовою.")
    }

    @Test func placeholdersAreTheKeysArgumentsAndTheSameInEveryLanguage() {
        for key in StringKey.allCases {
            var polish: Set<String>?
            for language in Language.allCases {
                guard let message = Catalog.messages(language)[key] else { continue } // reported above
                switch placeholders(message) {
                case let .failure(problem):
                    Issue.record("\(key) in \(language): \(problem)")
                case let .success(names):
                    let unknown = names.subtracting(key.arguments).subtracting(CityFacts.placeholderNames)
                    #expect(unknown.isEmpty, "\(key) in \(language) has unknown placeholders \(unknown.sorted())")
                    let absent = key.arguments.subtracting(names)
                    #expect(absent.isEmpty, "\(key) in \(language) never shows \(absent.sorted())")
                    if let polish {
                        #expect(names == polish, "\(key): \(language) has \(names.sorted()), Polish \(polish.sorted())")
                    } else {
                        polish = names
                    }
                }
            }
        }
    }

    @Test func pluralMessagesGiveExactlyTheCategoriesTheirLanguageUses() {
        for language in Language.allCases {
            for (key, message) in Catalog.messages(language) {
                guard case let .plural(selector, forms) = message else { continue }
                let needed = Set(PluralRule.categories(language))
                let given = Set(forms.keys)
                #expect(needed.subtracting(given).isEmpty,
                        "\(key) in \(language) lacks \(needed.subtracting(given).map(\.rawValue).sorted())")
                #expect(given.subtracting(needed).isEmpty,
                        "\(key) in \(language) has \(given.subtracting(needed).map(\.rawValue).sorted()), never chosen")
                #expect(key.arguments.contains(selector), "\(key) in \(language) chooses on {\(selector)}, not an argument")
            }
        }
    }

    @Test func aPluralFormSharedBySeveralNumbersShowsTheNumber() {
        // Ukrainian "one" is 1, 21, 31…: "стаття" alone would be wrong for 21.
        for language in Language.allCases {
            var numbersPerCategory: [PluralCategory: Int] = [:]
            for n in 0...1000 { numbersPerCategory[PluralRule.category(n, language), default: 0] += 1 }
            for (key, message) in Catalog.messages(language) {
                guard case let .plural(selector, forms) = message else { continue }
                for (category, text) in forms where (numbersPerCategory[category] ?? 0) > 1 {
                    #expect(text.contains("{\(selector)}"), "\(key) \(category) in \(language) hides the number")
                }
            }
        }
    }

    @Test func noMessageHoldsTheCitysNumberOrNamesItself() {
        for language in Language.allCases {
            for (key, message) in Catalog.messages(language) {
                for text in message.variants {
                    let digits = String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
                    #expect(!digits.contains("6384444"), "\(key) in \(language) writes the helpline; use {helpline}")
                    #expect(!digits.contains("638"), "\(key) in \(language) writes part of a city number")
                    for fact in [CityFacts.lodz.cityOffice, CityFacts.lodz.centre] {
                        #expect(!text.contains(fact[language]), "\(key) in \(language) writes \"\(fact[language])\"; use its placeholder")
                    }
                }
            }
        }
    }

    @Test func languageButtonsAreEachInTheirOwnLanguage() {
        for shown in Language.allCases {
            #expect(Strings.text(.languagePolish, shown) == "Polski")
            #expect(Strings.text(.languageEnglish, shown) == "English")
            #expect(Strings.text(.languageUkrainian, shown) == "Українська")
        }
    }

    @Test func ukrainianMessagesAreTranslatedNotCopied() {
        // Names, and symbols that read the same in every script (A+, ABC/АБВ, 12/120, ⌫ and OK on the PIN pad).
        let sameEverywhere: Set<StringKey> = [.languagePolish, .languageEnglish, .languageUkrainian, .cityName, .centreName,
                                              .largeTextOn, .largeTextOff, .keyLatin, .keyCyrillic, .fieldCounter,
                                              .maintPinDeleteKey, .maintPinOKKey]
        let polishOnly = Set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
        for key in StringKey.allCases where !sameEverywhere.contains(key) {
            for text in Catalog.uk[key]?.variants ?? [] {
                let words = MessageTemplate.fill(text) { _ in "" }
                #expect(words.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "\(key) in uk: \"\(text)\" is not Ukrainian")
                // The search hint's examples are Polish on purpose: the index holds no Ukrainian yet.
                // So are Łódź's own names: the city office's address, a park.
                if ![.searchHint, .privacyNotice, .reportLandmarkPlaceholder].contains(key) {
                    #expect(!words.contains { polishOnly.contains($0) }, "\(key) in uk holds Polish letters")
                }
            }
            for text in Catalog.en[key]?.variants ?? [] where ![.privacyNotice, .reportLandmarkPlaceholder].contains(key) {
                #expect(!text.contains { polishOnly.contains($0) }, "\(key) in en holds Polish letters")
                #expect(!text.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) }, "\(key) in en holds Cyrillic")
            }
        }
    }
}

@Suite struct MessageSyntax {
    @Test func theCheckerFindsBrokenBraces() {
        #expect(MessageTemplate.placeholders("Za {seconds} s, {helpline}") == .success(["seconds", "helpline"]))
        #expect(MessageTemplate.placeholders("bez nawiasów") == .success([]))
        #expect(MessageTemplate.placeholders("Za {seconds s") == .failure(.unclosedBrace("Za {seconds s")))
        #expect(MessageTemplate.placeholders("Za seconds} s") == .failure(.strayClosingBrace("Za seconds} s")))
        #expect(MessageTemplate.placeholders("Za {} s") == .failure(.badPlaceholderName("")))
        #expect(MessageTemplate.placeholders("Za { seconds} s") == .failure(.badPlaceholderName(" seconds")))
        #expect(MessageTemplate.placeholders("Za {a{b} s") == .failure(.badPlaceholderName("a{b")))
        #expect(MessageTemplate.placeholders("{1st}") == .failure(.badPlaceholderName("1st")))
        #expect(MessageTemplate.placeholders("{sekundę}") == .failure(.badPlaceholderName("sekundę")))
    }
}

@Suite struct PluralRules {
    static let samples = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112]

    @Test func polish() {
        let expected: [PluralCategory] = [.many, .one, .few, .few, .many, .many, .many, .many, .many, .few, .many, .many, .many, .many]
        #expect(Self.samples.map { PluralRule.category($0, .pl) } == expected)
    }

    @Test func ukrainian() {
        let expected: [PluralCategory] = [.many, .one, .few, .few, .many, .many, .many, .many, .one, .few, .many, .one, .many, .many]
        #expect(Self.samples.map { PluralRule.category($0, .uk) } == expected)
    }

    @Test func english() {
        let expected: [PluralCategory] = [.other, .one, .other, .other, .other, .other, .other, .other, .other, .other, .other, .other, .other, .other]
        #expect(Self.samples.map { PluralRule.category($0, .en) } == expected)
    }

    @Test func negativeNumbersTakeTheirMagnitudesCategory() {
        #expect(PluralRule.category(-1, .pl) == .one)
        #expect(PluralRule.category(-22, .pl) == .few)
        #expect(PluralRule.category(-21, .uk) == .one)
        #expect(PluralRule.category(Int.min, .uk) == .many) // ...808: no overflow taking the magnitude
    }

    @Test func articleCountsReadRight() {
        func count(_ n: Int, _ l: Language) -> String { Strings.text(.articleCount, l, ["count": .number(n)]) }
        #expect(count(1, .pl) == "1 artykuł")
        #expect(count(3, .pl) == "3 artykuły")
        #expect(count(5, .pl) == "5 artykułów")
        #expect(count(12, .pl) == "12 artykułów")
        #expect(count(22, .pl) == "22 artykuły")
        #expect(count(0, .pl) == "0 artykułów")
        #expect(count(1, .en) == "1 article")
        #expect(count(2, .en) == "2 articles")
        #expect(count(1, .uk) == "1 стаття")
        #expect(count(3, .uk) == "3 статті")
        #expect(count(11, .uk) == "11 статей")
        #expect(count(21, .uk) == "21 стаття")
        #expect(count(25, .uk) == "25 статей")
        #expect(count(12_345, .pl) == "12\(nbsp)345 artykułów")
    }

    @Test func theCutNoticeAgreesWithItsLimit() {
        func cut(_ n: Int, _ l: Language) -> String { Strings.text(.searchCut, l, ["limit": .number(n)]) }
        #expect(cut(120, .pl) == "Zapytanie skrócono do 120 znaków.")
        #expect(cut(1, .pl) == "Zapytanie skrócono do 1 znaku.")
        #expect(cut(120, .en) == "The query was cut to 120 characters.")
        #expect(cut(121, .uk) == "Запит скорочено до 121 символу.")
        #expect(cut(120, .uk) == "Запит скорочено до 120 символів.")
    }
}

@Suite struct DatesAndNumbers {
    @Test func datesAsResidentsReadThem() throws {
        let d = try date("2026-12-03")
        #expect(Strings.date(d, .pl) == "3\(nbsp)grudnia\(nbsp)2026")
        #expect(Strings.date(d, .en) == "3\(nbsp)December\(nbsp)2026")
        #expect(Strings.date(d, .uk) == "3\(nbsp)грудня\(nbsp)2026")
        #expect(Strings.date(try date("2027-02-28"), .pl) == "28\(nbsp)lutego\(nbsp)2027")
        #expect(Strings.date(try date("2026-05-01"), .pl) == "1\(nbsp)maja\(nbsp)2026")
        #expect(Strings.date(try date("2026-10-15"), .pl) == "15\(nbsp)października\(nbsp)2026")
        #expect(Strings.date(try date("2026-01-09"), .uk) == "9\(nbsp)січня\(nbsp)2026")
    }

    @Test func everyMonthHasItsOwnNameInEveryLanguage() throws {
        for language in Language.allCases {
            let names = try (1...12).map { m in
                Strings.date(try #require(LocalDate(year: 2026, month: m, day: 1)), language)
            }
            #expect(Set(names).count == 12, "\(language)")
        }
    }

    @Test func theArticleFooterShowsTheDateInWords() throws {
        let d = try date("2026-12-03")
        #expect(Strings.text(.articleWrittenOn, .pl, ["date": .date(d)]) == "Informacja z dnia 3\(nbsp)grudnia\(nbsp)2026")
        #expect(Strings.text(.articleWrittenOn, .uk, ["date": .date(d)]) == "Інформація станом на 3\(nbsp)грудня\(nbsp)2026")
    }

    @Test func numbersAreGroupedTheLanguagesWay() {
        #expect(Strings.number(999, .en) == "999")
        #expect(Strings.number(1000, .en) == "1,000")
        #expect(Strings.number(1_234_567, .en) == "1,234,567")
        #expect(Strings.number(1000, .pl) == "1000")
        #expect(Strings.number(10_000, .pl) == "10\(nbsp)000")
        #expect(Strings.number(1000, .uk) == "1\(nbsp)000")
        #expect(Strings.number(-12_000, .uk) == "-12\(nbsp)000")
        #expect(Strings.number(0, .pl) == "0")
    }
}

@Suite struct FillIn {
    @Test func cityFactsAreFilledWithoutBeingPassed() {
        #expect(Strings.text(.helpline, .pl) == "Infolinia: 42\(nbsp)638-44-44")
        #expect(Strings.text(.helpline, .uk) == "Гаряча лінія: 42\(nbsp)638-44-44")
        #expect(Strings.text(.cityName, .pl) == "Urząd Miasta Łodzi")
        #expect(Strings.text(.centreName, .pl) == "Łódzkie Centrum Kontakt z Mieszkańcami")
        #expect(Strings.text(.centreName, .en) == "Łódź Contact Centre for Residents")
    }

    @Test func anotherCitysFactsReachEveryMessageThatNamesThem() {
        let other = CityFacts(helpline: "22 443 00 00", cityOffice: Localized(pl: "Urząd Testowy"), centre: Localized(pl: "Centrum Testowe"))
        for language in Language.allCases {
            for key in [StringKey.helpline, .comingSoonDetail, .emptyKnowledgeBase, .searchCall] {
                let text = Strings.text(key, language, [:], facts: other)
                #expect(text.contains("22 443 00 00") && !text.contains("638"), "\(key) in \(language): \(text)")
            }
            #expect(Strings.text(.cityName, language, [:], facts: other) == "Urząd Testowy") // Polish as the fallback
        }
    }

    @Test func whatIsPutInIsNeverExpandedAgain() {
        #expect(Strings.text(.searchNothing, .pl, ["query": "{helpline}"]) == "Nie znaleźliśmy artykułu dla „{helpline}”.")
        #expect(Strings.text(.searchDidYouMean, .en, ["suggestion": "{suggestion}"]) == "Did you mean: {suggestion}?")
        #expect(Strings.text(.searchNothing, .uk, ["query": "}{ {"]) == "За запитом «}{ {» статей не знайдено.")
        #expect(Strings.text(.searchNothing, .pl, ["query": ""]) == "Nie znaleźliśmy artykułu dla „”.")
    }

    @Test func aMissingArgumentStaysVisibleAndIsReported() {
        #expect(Strings.text(.idleDetail, .pl).hasPrefix("Za {seconds} s kiosk"))
        #expect(Strings.missingArguments(.idleDetail, [:]) == ["seconds"])
        #expect(Strings.missingArguments(.idleDetail, ["seconds": 20]).isEmpty)
        // Without the number the plural falls back to "other" and still shows where it is missing.
        #expect(Strings.text(.articleCount, .en) == "{count} articles")
        #expect(Strings.text(.articleCount, .pl, ["count": "dużo"]) == "dużo artykułu")
    }

    @Test func anArgumentNamedLikeAFactWinsOverTheFact() {
        #expect(Strings.text(.helpline, .en, ["helpline": "112"]) == "Helpline: 112")
    }

    @Test func everyMessageFilledWithItsArgumentsLeavesNoPlaceholder() throws {
        let day = try date("2026-12-03")
        for language in Language.allCases {
            for key in StringKey.allCases {
                var args: [String: Strings.Argument] = [:]
                for name in key.arguments { args[name] = name == "date" ? .date(day) : .number(7) }
                for n in [1, 2, 5, 21] where key.arguments.contains("count") || key.arguments.contains("limit") {
                    for name in key.arguments where name != "date" { args[name] = .number(n) }
                    let text = Strings.text(key, language, args)
                    #expect(!text.contains("{") && !text.contains("}"), "\(key) in \(language) with \(n): \(text)")
                }
                let text = Strings.text(key, language, args)
                #expect(!text.contains("{") && !text.contains("}"), "\(key) in \(language): \(text)")
            }
        }
    }
}
