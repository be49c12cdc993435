// Every on-screen string, keyed by ID, per language (Strings/Catalog+*.swift). Layout code never holds text of its own.

public enum StringKey: String, Sendable, CaseIterable {
    case cityName, centreName, homeGreeting, homeHint
    case tileKB, tileKBHint, tileSearch, tileSearchHint, tileReport, tileReportHint, tileTicket, tileTicketHint
    case comingSoon, comingSoonDetail, helpline
    case languagePolish, languageEnglish, languageUkrainian, languageSwitchLabel
    case navBack, navHome
    case categoriesTitle, categoriesHint, articlesTitle, articleCount
    case articleOnlyInPolish, articleWrittenOn, articleResponsible, articleGone
    case sectionHowTo, sectionDocuments, sectionFees, sectionProcessingTime, sectionPlace
    case sectionAdditionalInfo, sectionAppeal, sectionLegalBasis, sectionReuse
    case idleTitle, idleDetail, idleMoreTime
    case emptyKnowledgeBase, emptyCategory, loading, noticeOK, comingSoonTitle
    case searchTitle, searchHint, searchPlaceholder, searchClear, searchDidYouMean, searchNothing, searchBrowse
    case searchCall, searchCut, searchRelaxed, searchFieldLabel, keySpace, keyBackspace, searchResultsLabel
    case roleDialog, stateSelected
    case largeTextOn, largeTextOff, largeTextLabel, stateOn, stateOff
    case leaveTitle, leaveDetail, leaveStay, leaveConfirm
    case fieldTooLong, fieldRefusedCharacters, fieldDigitsOnly, fieldPhoneOnly, fieldEmailOnly, fieldCounter, fieldCharacters
    case roleTextField, stateFocused, keyShift, keyLatin, keyCyrillic, articleQRCaption
    // Reporting a problem and its ticket.
    case reportTitle, reportStep, reportServiceHint, reportServiceSearch, reportServicePlaceholder, reportServiceNothing, reportUnit, reportNext
    case reportThreatTitle, reportThreatDetail, reportThreatYes, reportThreatNo, emergencyTitle, emergencyDetail, emergencyGuard, emergencyNothingFiled
    case emergencyHome, reportLocationTitle, reportLocationHere, reportLocationStreet, reportLocationLandmark, reportStreetLabel, reportStreetPlaceholder, reportNumberLabel
    case reportNumberPlaceholder, reportLandmarkLabel, reportLandmarkPlaceholder, reportDetailsTitle, reportDescriptionLabel, reportDescriptionPlaceholder, reportRequired, reportOptional
    case reportNow, datetimeMask, answerRequired, answerNotANumber, answerTooLarge, answerIncompleteDate, answerNoSuchDate, answerDateInFuture
    case answerUnknownStreet, reportFixAbove, reportContactTitle, reportContactDetail, privacyTitle, privacyNotice, reportConsent, reportSkip
    case emailLabel, emailPlaceholder, phoneLabel, phonePlaceholder, contactNeedOne, emailInvalid, phoneInvalid, reportReviewTitle
    case reviewService, reviewPlace, reviewDetails, reviewContact, reviewAnonymous, reviewUnit, reportSubmit, reportSaving
    case reportSaveFailed, ticketTitle, ticketNumberLabel, ticketWhatNext, ticketQueued, ticketKeep, ticketQRCaption, ticketPrint
    case ticketPrinting, ticketPrinted, ticketPrintFailed, ticketNoPrinter, ticketDone, searchReport, stateChosen, stateNotChosen, answerDateTooOld
    case receiptWhatNext, receiptKeep, reportServiceTitle, reportLandmarkOnTicket
    case articlePrintShort, articlePrint, checklistPrinting, checklistPrinted, checklistFailed, checklistTitle, checklistFooter
    // Checking a ticket, and reports already filed nearby.
    case lookupHint, lookupPlaceholder, lookupSubmit, lookupChecking, lookupInvalid, lookupNumberShown, lookupStatusLabel
    case lookupStatusOpen, lookupStatusClosed, lookupNoteLabel, lookupUnitLabel, lookupUpdated, lookupSavedNotSent, lookupSavedOn
    case lookupSentUnknown, lookupSentOn, lookupRefused, lookupNotFound, lookupUnreachable
    case duplicateTitle, duplicateHint, duplicateSame, duplicateNew, duplicatePick, duplicateReported, reportCheckingNearby
    case joinedTitle, joinedNothingFiled, stateUnavailable, fieldTicketOnly
    // Staff maintenance: the PIN pad and the dashboard.
    case maintPinTitle, maintPinHint, maintPinDelete, maintPinOK, maintPinDigits, maintPinChecking, maintPinWrong, maintPinWait, maintPinThrottled, maintPinNotSet, maintPinUnavailable, maintTitle, maintAutoLeave, maintLeave, maintSyncNow, maintRefresh, maintRunning, maintDone, maintFailed, maintReading
    case maintKioskID, maintPlace, maintVersion, maintServer, maintLastRound, maintLastSync, maintKB, maintOutbox, maintOldest, maintRefused, maintPrinter, maintDisk, maintUptime, maintErrors, maintNone, maintNever, maintNotConfigured, maintReachable, maintUnreachable, maintRefusedItems, maintPrintOK, maintPrintFailed, maintNoPrintYet, maintPinDeleteKey, maintPinOKKey, maintRestart
    case maintRetention, maintTestPrint, maintReloadConfig, maintOutOfServiceOn, maintOutOfServiceOff, maintOutOfServiceNow, maintRetry, maintDiscard, maintDiscardQuestion, maintDiscardYes, maintDiscardNo, outOfServiceTitle, outOfServiceBody, startProblemStaff
    // Accessibility: speech, contrast, the statement, and the words speech adds to labels.
    case a11ySpeech, a11ySpeechLabel, a11yContrast, a11yContrastLabel, a11yStatement, a11yStatementTitle, a11yStatementIntro, a11yStatementSpeech, a11yStatementKeypad, a11yStatementLook, a11yStatementTime, a11yStatementHelp, a11yVolumeDown, a11yVolumeUp, a11yRateDown, a11yRateUp, a11ySpeechControls, a11ySpeechLevel, roleButton, speechHint, speechStarted, a11yPause, a11yResume, speechReceipt, spokenPolish, spokenEnglish, spokenUkrainian

    /// The arguments a caller passes for this message, the same in every language (a test holds
    /// each catalogue to it). City facts such as `{helpline}` are not among them: Strings fills those.
    public var arguments: Set<String> {
        switch self {
        case .articleCount: return ["count"]
        case .articleWrittenOn: return ["date"]
        case .idleDetail: return ["seconds"]
        case .searchDidYouMean: return ["suggestion"]
        case .searchNothing: return ["query"]
        case .searchCut: return ["limit"]
        case .fieldTooLong: return ["field", "limit"]
        case .fieldRefusedCharacters, .fieldDigitsOnly, .fieldPhoneOnly, .fieldEmailOnly, .fieldTicketOnly: return ["field"]
        case .fieldCounter: return ["count", "limit"]
        case .fieldCharacters: return ["count"]
        case .a11ySpeechLevel: return ["volume", "volumes", "rate", "rates"]
        case .answerDateTooOld: return ["years"]
        case .reportStep: return ["step", "total"]
        case .reportServiceNothing: return ["query"]
        case .reportUnit, .reviewUnit, .ticketWhatNext: return ["unit"]
        case .answerTooLarge: return ["max"]
        case .searchReport: return ["service"]
        case .lookupUpdated, .lookupSavedOn, .lookupSentOn, .duplicateReported: return ["date"]
        case .lookupNumberShown, .lookupNotFound, .lookupUnreachable: return ["number"]
        case .maintPinDigits, .maintPinWrong: return ["count"]
        case .maintPinWait, .maintPinThrottled: return ["time"]
        case .maintDiscardQuestion: return ["ticket"]
        default: return []
        }
    }
}

public enum Strings {
    /// A value for a named placeholder `{name}` of a message; a number also chooses the plural form.
    public enum Argument: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
        case number(Int)
        case text(String)
        case date(LocalDate)
        public init(integerLiteral v: Int) { self = .number(v) }
        public init(stringLiteral v: String) { self = .text(v) }
    }

    /// The message for `key` in `language` with its placeholders filled: from `args` first, then
    /// from the city's facts. Numbers and dates are written the language's way.
    public static func text(_ key: StringKey, _ language: Language, _ args: [String: Argument] = [:]) -> String {
        text(key, language, args, facts: .lodz)
    }

    public static func text(_ key: StringKey, _ language: Language, _ args: [String: Argument],
                            facts: CityFacts) -> String {
        // A key missing from a catalogue fails the tests; on a kiosk, Polish is better than nothing.
        guard let message = Catalog.messages(language)[key] ?? Catalog.pl[key] else { return "{\(key.rawValue)}" }
        let template: String
        switch message {
        case let .text(t):
            template = t
        case let .plural(selector, forms):
            let category: PluralCategory
            if case let .number(n)? = args[selector] { category = PluralRule.category(n, language) } else { category = .other }
            template = forms[category] ?? forms[.other] ?? ""
        }
        return MessageTemplate.fill(template) { name in
            if let a = args[name] { return format(a, language) }
            return facts.value(name, language)
        }
    }

    /// The arguments `key` needs that `args` lacks (for tests of the screens that call it).
    public static func missingArguments(_ key: StringKey, _ args: [String: Argument]) -> Set<String> {
        key.arguments.subtracting(args.keys)
    }

    /// A date as residents read it ("3 grudnia 2026", "3 December 2026", "3 грудня 2026").
    public static func date(_ d: LocalDate, _ language: Language) -> String { DateText.long(d, language) }

    /// A whole number with the language's digit grouping ("10 000", "10,000").
    public static func number(_ n: Int, _ language: Language) -> String { NumberText.grouped(n, language) }

    static func format(_ a: Argument, _ language: Language) -> String {
        switch a {
        case let .number(n): return number(n, language)
        case let .text(t): return t
        case let .date(d): return date(d, language)
        }
    }
}
