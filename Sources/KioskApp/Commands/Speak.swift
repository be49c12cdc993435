// `kiosk speak`: what speech mode says on a screen, to a WAV file, without a display or a sound card.
import ArgumentParser
import Foundation
import KioskCore
import KioskSpeech
import KioskUI

struct Speak: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write what speech mode says on a screen to a WAV file (16-bit PCM, mono), headless.")

    @ParentCommand var root: KioskCommand

    @Option(help: "Screen, as for `kiosk render`: \(screenNames.joined(separator: ", ")).")
    var screen: String

    @Option(help: "Language: pl, en or uk.")
    var lang: Language = .pl

    @Option(help: "Screen size WIDTHxHEIGHT: the reading order follows the layout.")
    var size = ScreenSize.portrait

    @Option(help: "Where to write the WAV file.")
    var out: String

    @Flag(help: "Also print each piece said, one per line.")
    var text = false

    func run() throws {
        // Speech is on, as a resident who asked for it hears the screen (its switch says "on").
        let (kiosk, _) = try headlessKiosk(root, screen: screen, lang: lang, size: size.size) { $0.send(.toggleSpeech) }
        try navigate(kiosk, to: screen, category: nil, article: nil)
        let pieces = kiosk.engine.screenNarration
        guard !pieces.isEmpty else { throw OneLineFailure("\(screen): the screen has nothing to say") }
        let synth: Synthesizer
        do { synth = try Synthesizer.shared() } catch { throw OneLineFailure("\(error)") }
        var audio: [[Int16]] = []
        var voice = ""
        for p in pieces {
            do {
                let spoken = try synth.synthesize(p, language: lang, wordsPerMinute: kiosk.engine.state.speech.wordsPerMinute)
                voice = spoken.voice
                audio.append(SpeechAudio.applyGain(spoken.samples, decibels: kiosk.engine.state.speech.gainDecibels))
            } catch {
                throw OneLineFailure("\(screen) (\(lang.rawValue)): \(error)")
            }
        }
        let samples = SpeechAudio.join(audio, sampleRate: synth.sampleRate)
        do {
            try SpeechAudio.wav(samples, sampleRate: synth.sampleRate).write(to: URL(fileURLWithPath: out))
        } catch {
            throw OneLineFailure("\(out): cannot write the WAV file (\(error.localizedDescription)); check the folder exists and is writable")
        }
        if text { for p in pieces { print(p) } }
        let seconds = Double(samples.count) / Double(synth.sampleRate)
        print("\(screen) (\(lang.rawValue), voice \(voice)): \(pieces.count) pieces, \(String(format: "%.1f", seconds)) s -> \(out)")
    }
}
