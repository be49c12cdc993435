import Foundation
import KioskCore
import Testing
@testable import KioskSpeech

/// Real espeak-ng with its real voices: the synthesiser is what a blind resident hears.
@Suite(.serialized) struct SynthesizerTests {
    static let samples: [(Language, String)] = [
        (.pl, "Zgłoś problem, przycisk. Opis, pole tekstowe, 12 znaków."),
        (.en, "Report a problem, button. Description, text field, 12 characters."),
        (.uk, "Повідомити про проблему, кнопка. Опис, текстове поле, 12 символів."),
    ]

    @Test(arguments: samples)
    func eachLanguageSpeaksInItsOwnVoiceAndEveryWordIsSaid(language: Language, text: String) throws {
        let synth = try Synthesizer.shared()
        let spoken = try synth.synthesize(text, language: language)
        #expect(spoken.voice.hasPrefix(language.rawValue), "voice \(spoken.voice) for \(language.rawValue)")
        // What espeak-ng reported saying, word by word, is the text given.
        let given = Self.words(text)
        #expect(spoken.words.flatMap(Self.words) == given, "\(spoken.words)")
        #expect(spoken.duration > 0.12 * Double(given.count) && spoken.duration < 1.0 * Double(given.count), "\(spoken.duration) s for \(given.count) words")
        #expect(SpeechAudio.level(spoken.samples) > -35, "level \(SpeechAudio.level(spoken.samples)) dBFS")
    }

    static func words(_ s: String) -> [String] {
        s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    @Test func fasterSpeechIsShorter() throws {
        let synth = try Synthesizer.shared()
        let text = Self.samples[0].1
        let slow = try synth.synthesize(text, language: .pl, wordsPerMinute: SpeechSettings.rates.first ?? 110)
        let fast = try synth.synthesize(text, language: .pl, wordsPerMinute: SpeechSettings.rates.last ?? 260)
        #expect(fast.duration < slow.duration * 0.7, "\(fast.duration) s against \(slow.duration) s")
    }

    /// EN 301 549 5.1.3.9: the volume range is at least 18 dB, measured on the samples played.
    @Test func theVolumeStepsSpanMoreThanEighteenDecibels() throws {
        let spoken = try Synthesizer.shared().synthesize(Self.samples[0].1, language: .pl)
        var quiet = SpeechSettings(), loud = SpeechSettings()
        while quiet.apply(.quieter) {}
        while loud.apply(.louder) {}
        let low = SpeechAudio.level(SpeechAudio.applyGain(spoken.samples, decibels: quiet.gainDecibels))
        let high = SpeechAudio.level(SpeechAudio.applyGain(spoken.samples, decibels: loud.gainDecibels))
        #expect(high - low >= 18, "\(high - low) dB")
        #expect(loud.gainDecibels == 0 && SpeechAudio.applyGain(spoken.samples, decibels: 0) == spoken.samples)
    }

    @Test func aWAVFileIsCanonicalPCM() throws {
        let data = SpeechAudio.wav([0, 1000, -1000, 32767, -32768], sampleRate: 22050)
        #expect(data.count == 44 + 10)
        #expect(String(decoding: data[0..<4], as: UTF8.self) == "RIFF" && String(decoding: data[8..<16], as: UTF8.self) == "WAVEfmt ")
        func u16(_ at: Int) -> Int { Int(data[at]) | Int(data[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        #expect(u16(20) == 1 && u16(22) == 1 && u32(24) == 22050 && u16(34) == 16 && u32(40) == 10)
        #expect(u16(44 + 2) == 1000 && u16(44 + 6) == 32767)
    }

    /// Text from outside (an article) is spoken as text: markup, control characters and an empty string
    /// neither crash espeak-ng nor change its voice for the next piece.
    @Test func hostileTextIsSpokenAsText() throws {
        let synth = try Synthesizer.shared()
        for text in ["", "\u{0}\u{1}\u{7}", "<speak><voice name='en'>x</voice></speak>", "[[a]] %s %n \\", String(repeating: "ą", count: 2000)] {
            _ = try synth.synthesize(text, language: .pl)
        }
        #expect(try synth.synthesize("Dzień dobry", language: .pl).voice.hasPrefix("pl"))
        #expect(throws: SpeechError.self) { try synth.synthesize(String(repeating: "a", count: Synthesizer.maxCharacters + 1), language: .pl) }
    }
}
