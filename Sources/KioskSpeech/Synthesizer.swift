// Text in, audio out: espeak-ng in its synchronous retrieval mode, so the kiosk gets the samples and plays
// them itself. One voice per language (pl, en, uk); espeak-ng keeps global state, so every call is serialised.
import CEspeakNG
import Foundation
import KioskCore

public struct SpokenAudio: Sendable, Equatable {
    /// Mono 16-bit samples at `sampleRate`.
    public var samples: [Int16]
    public var sampleRate: Int
    /// The words espeak-ng reported speaking (its word events), in order: what was really said.
    public var words: [String]
    /// Where each reported word starts in the text, in Unicode scalars from 0 (espeak-ng's own positions; its
    /// lengths are less reliable: a number is reported as several overlapping words).
    public var wordStarts: [Int] = []
    /// The voice that spoke, as espeak-ng names it (its language identifier, e.g. "pl", "en", "uk").
    public var voice: String

    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }

    public init(samples: [Int16], sampleRate: Int, words: [String], voice: String) {
        self.samples = samples; self.sampleRate = sampleRate; self.words = words; self.voice = voice
    }
}

public enum SpeechError: Error, CustomStringConvertible {
    case unavailable(String)
    case noVoice(Language)
    case failed(String)
    case tooLong(Int)

    public var description: String {
        switch self {
        case let .unavailable(why): return "speech output is unavailable: \(why); install espeak-ng-data (Debian package libespeak-ng1 brings it)"
        case let .noVoice(l): return "espeak-ng has no voice for \"\(l.rawValue)\"; install espeak-ng-data"
        case let .failed(why): return "espeak-ng could not speak: \(why)"
        case let .tooLong(n): return "\(n) characters is too long to speak at once (at most \(Synthesizer.maxCharacters)); split it"
        }
    }
}

/// The one espeak-ng instance of the process.
public final class Synthesizer: @unchecked Sendable {
    /// One paragraph is spoken at a time; a longer text is a mistake upstream, not something to queue for minutes.
    public static let maxCharacters = 20_000

    private static let lock = NSLock()
    nonisolated(unsafe) private static var instance: Result<Synthesizer, SpeechError>?

    public let sampleRate: Int

    private init(sampleRate: Int) { self.sampleRate = sampleRate }

    /// Initialises espeak-ng once; later calls return the same instance or the same error.
    public static func shared() throws -> Synthesizer {
        try lock.withLock { () -> Result<Synthesizer, SpeechError> in
            if let instance { return instance }
            let rate = espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, nil, 0)
            let made: Result<Synthesizer, SpeechError> = rate > 0
                ? .success(Synthesizer(sampleRate: Int(rate)))
                : .failure(.unavailable("espeak_Initialize returned \(rate) (no espeak-ng-data folder?)"))
            if rate > 0 { espeak_SetSynthCallback(collect) }
            instance = made
            return made
        }.get()
    }

    /// espeak-ng's voice names for the kiosk's languages.
    public static func voiceName(_ l: Language) -> String {
        switch l {
        case .pl: return "pl"
        case .en: return "en"
        case .uk: return "uk"
        }
    }

    /// Speaks `text` in `language`'s voice at `wordsPerMinute` into samples.
    public func synthesize(_ text: String, language: Language, wordsPerMinute: Int = 175) throws -> SpokenAudio {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count <= Self.maxCharacters else { throw SpeechError.tooLong(scalars.count) }
        return try Self.lock.withLock {
            guard espeak_SetVoiceByName(Self.voiceName(language)) == EE_OK else { throw SpeechError.noVoice(language) }
            espeak_SetParameter(espeakRATE, Int32(max(80, min(450, wordsPerMinute))), 0)
            let voice = espeak_GetCurrentVoice().flatMap { v in v.pointee.languages.map { languagesField($0) } } ?? ""
            let sink = Collected()
            let box = Unmanaged.passRetained(sink)
            defer { box.release() }
            let bytes = Array(text.utf8) + [0]
            let status = bytes.withUnsafeBufferPointer { buf in
                espeak_Synth(buf.baseAddress, buf.count, 0, POS_CHARACTER, 0, UInt32(espeakCHARS_UTF8), nil, box.toOpaque())
            }
            guard status == EE_OK else { throw SpeechError.failed("espeak_Synth returned \(status.rawValue)") }
            espeak_Synchronize()
            let words = sink.words.compactMap { position, length -> String? in
                // Positions count characters from 1.
                let start = position - 1
                guard start >= 0, length > 0, start < scalars.count else { return nil }
                var s = String.UnicodeScalarView()
                s.append(contentsOf: scalars[start..<min(scalars.count, start + length)])
                return String(s)
            }
            var spoken = SpokenAudio(samples: sink.samples, sampleRate: sampleRate, words: words, voice: voice)
            spoken.wordStarts = sink.words.map { $0.0 - 1 }
            return spoken
        }
    }
}

/// espeak_VOICE.languages: a priority byte, then a language name, repeated; the first name is the voice's.
private func languagesField(_ p: UnsafePointer<CChar>) -> String {
    String(cString: p.advanced(by: 1))
}

/// Where the callback puts what espeak-ng produces for one call (passed as its user data).
private final class Collected {
    var samples: [Int16] = []
    var words: [(Int, Int)] = []
}

private let collect: @convention(c) (UnsafeMutablePointer<Int16>?, Int32, UnsafeMutablePointer<espeak_EVENT>?) -> Int32 = { wav, count, events in
    guard var e = events else { return 0 }
    var sink: Collected?
    while e.pointee.type != espeakEVENT_LIST_TERMINATED {
        if let user = e.pointee.user_data { sink = Unmanaged<Collected>.fromOpaque(user).takeUnretainedValue() }
        if e.pointee.type == espeakEVENT_WORD { sink?.words.append((Int(e.pointee.text_position), Int(e.pointee.length))) }
        e = e.advanced(by: 1)
    }
    // The terminator carries the user data too.
    if sink == nil, let user = e.pointee.user_data { sink = Unmanaged<Collected>.fromOpaque(user).takeUnretainedValue() }
    if let wav, count > 0 { sink?.samples.append(contentsOf: UnsafeBufferPointer(start: wav, count: Int(count))) }
    return 0 // go on
}
