import Foundation
import KioskCore
import KioskSDL
import KioskTesting
import KioskUI
import Testing
@testable import KioskApp

/// Its own fonts: the other layout suite's FontBook serves one thread.
nonisolated(unsafe) let syncScreenFonts: Result<FontBook, Error> = Result {
    try SDLSystem.start(headless: true)
    return try openFonts(KioskConfig())
}

/// Answers a lookup with a long unit's note full of what servers send: markup, a long token, blank lines.
final class LongNoteSync: KioskService, @unchecked Sendable {
    let kind = Effect.Kind.sync
    static let note = "Naprawiono, dziękujemy. <b>Uwaga</b> {helpline}\r\n\r\n\r\n" + String(repeating: "Prace potrwają do piątku, objazd ulicą Zieloną. ", count: 60)
        + "https://example.org/" + String(repeating: "x", count: 120)
    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        switch effect {
        case let .sync(.lookupTicket(number, token)):
            reply.send(.lookup(.answered(token: token, .server(ServerRequestStatus(
                serviceRequestID: "1", ticket: number, serviceName: String(repeating: "Bardzo długa nazwa usługi ", count: 6), status: "in_progress_by_contractor",
                statusNotes: Self.note, agency: "Zarząd Dróg i Transportu", address: "al. Tadeusza Kościuszki 100/102", updated: Date(timeIntervalSince1970: 1_796_122_800))))))
        case let .sync(.findNearby(q, token)):
            reply.send(.report(.nearbyFound(token: token, (0..<6).map { i in
                ServerRequestStatus(serviceRequestID: "\(i)", serviceCode: q.serviceCode, status: "open", address: "ul. Piotrkowska \(100 + i)",
                                    description: Self.note, requested: Date(timeIntervalSince1970: 1_796_122_800))
            })))
        default: return
        }
    }
}

@Suite(.serialized) struct SyncScreenLayout {
    static let sizes = [Size(width: 1080, height: 1920), Size(width: 1920, height: 1080), Size(width: 1280, height: 800)]
    static let screens = ["ticket-lookup", "ticket-lookup.server", "ticket-lookup.saved", "ticket-lookup.sent", "ticket-lookup.refused",
                          "ticket-lookup.not-found", "ticket-lookup.unreachable", "ticket-lookup.invalid", "report.duplicate", "ticket.joined",
                          "long-note", "long-duplicates"]

    func go(_ k: Kiosk, _ screen: String) throws {
        switch screen {
        case "long-note":
            k.engine.router.register(LongNoteSync(), clock: k.clock)
            try navigate(k, to: "ticket-lookup", category: nil, article: nil, query: DemoSync.number)
        case "long-duplicates":
            k.engine.router.register(LongNoteSync(), clock: k.clock)
            try navigate(k, to: "report.contact", category: nil, article: nil)
            k.engine.send(.report(.skipContact))
            k.engine.send(.report(.chooseDuplicate(2)))
        default:
            try navigate(k, to: screen, category: nil, article: nil)
        }
    }

    @Test(arguments: sizes)
    func theNewScreensFitInEveryLanguageAndInLargeText(size: Size) throws {
        let fonts = try syncScreenFonts.get()
        var problems: [String] = []
        for large in [false, true] {
            for lang in Language.allCases {
                for screen in Self.screens {
                    let (k, _) = try testKiosk(size: size, measurer: fonts)
                    k.engine.send(.setLanguage(lang))
                    if large { k.engine.send(.toggleLargeText) }
                    try go(k, screen)
                    let f = k.engine.frame()
                    let name = "\(screen) \(lang.rawValue) \(Int(size.width))x\(Int(size.height))\(large ? " large" : "")"
                    problems += LayoutCheck.problems(in: f, panel: k.engine.panel).map { "\(name): \($0)" }
                    // Where the note starts above the fold: lower down it is scrolled to, and checked in the unit tests.
                    if screen == "long-note", size.isPortrait, !large {
                        #expect(f.containsText("Naprawiono, dziękujemy. <b>Uwaga</b> {helpline}"), "\(name)")
                        #expect(k.engine.state.screen == .ticketLookup)
                    }
                }
            }
        }
        var seen = Set<String>()
        let distinct = problems.filter { seen.insert($0.replacingOccurrences(of: #"keyboard\.key\.\S+"#, with: "keyboard.key.X", options: .regularExpression)).inserted }
        #expect(distinct.isEmpty, Comment(rawValue: "\(distinct.count) problems:\n" + distinct.prefix(25).joined(separator: "\n")))
    }

    /// Pictures to look at (not compared): every new screen and answer, portrait, landscape and small, under /tmp.
    @Test func picturesOfTheNewScreens() throws {
        let fonts = try syncScreenFonts.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-sync-screens").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for size in Self.sizes {
            for (lang, large) in [(Language.pl, false), (.uk, true), (.en, false)] {
                for screen in Self.screens {
                    let (k, _) = try testKiosk(size: size, measurer: fonts)
                    k.engine.send(.setLanguage(lang))
                    if large { k.engine.send(.toggleLargeText) }
                    try go(k, screen)
                    let canvas = try OffscreenCanvas(size: size, fonts: fonts)
                    canvas.draw(k.engine.frame(), background: k.engine.theme.background)
                    try canvas.savePNG("\(dir)/\(screen)_\(lang.rawValue)\(large ? "-large" : "")_\(Int(size.width))x\(Int(size.height)).png")
                }
            }
        }
    }
}
