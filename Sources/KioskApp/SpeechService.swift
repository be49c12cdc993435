// Speech output as a service: the engine's `say`, `stop` and `pause` on their own queue. Each piece is
// synthesised and queued for playback in turn, so a new request (the resident moved on) waits at most for
// one piece and the old speech never finishes over the new.
import Foundation
import KioskCore
import KioskSDL
import KioskSpeech
import KioskUI

final class SpeechService: KioskService, @unchecked Sendable {
    let kind = Effect.Kind.speech
    /// False headless: requests are only recorded (scripts and tests read them), nothing is synthesised.
    let plays: Bool
    private let lock = NSLock()
    private var generation = 0
    private var audio: AudioOut?
    private var audioFailed = false
    private var record: [SpeechRequest] = []
    static let recordLimit = 500

    init(plays: Bool) { self.plays = plays }

    /// What was asked of speech so far, oldest first (at most the last 500 requests).
    var requests: [SpeechRequest] { lock.withLock { record } }

    /// Every piece said so far, in order.
    var spokenPieces: [String] {
        requests.flatMap { r -> [String] in if case let .say(p, _, _) = r { return p } else { return [] } }
    }

    func handle(_ effect: Effect, reply: Reply, context: ServiceContext) {
        guard case let .speech(request) = effect else { return }
        let current = lock.withLock { () -> Int in
            record.append(request)
            if record.count > Self.recordLimit { record.removeFirst(record.count - Self.recordLimit) }
            generation += 1
            return generation
        }
        guard plays else { return }
        switch request {
        case .stop:
            audio?.clear()
        case let .pause(paused):
            audio?.pause(paused)
        case let .say(pieces, language, settings):
            audio?.clear()
            // Paused stays paused: what is new waits in the queue until the resident goes on.
            audio?.pause(settings.paused)
            speak(pieces[...], language: language, settings: settings, generation: current, context: context)
        }
    }

    /// Synthesises the first piece, queues it, and leaves the rest for the queue's next turn, after any newer request.
    private func speak(_ pieces: ArraySlice<String>, language: Language, settings: SpeechSettings, generation g: Int, context: ServiceContext) {
        guard let piece = pieces.first, lock.withLock({ generation == g }) else { return }
        do {
            let synth = try Synthesizer.shared()
            guard let out = try output(sampleRate: synth.sampleRate) else { return }
            let spoken = try synth.synthesize(piece, language: language, wordsPerMinute: settings.wordsPerMinute)
            guard lock.withLock({ generation == g }) else { return }
            out.enqueue(SpeechAudio.applyGain(spoken.samples, decibels: settings.gainDecibels)
                        + [Int16](repeating: 0, count: synth.sampleRate / 4))
        } catch {
            Log.warning("speech: \(error)")
            return
        }
        let rest = pieces.dropFirst()
        guard !rest.isEmpty else { return }
        context.next { self.speak(rest, language: language, settings: settings, generation: g, context: context) }
    }

    /// The sound output, opened on first use; a kiosk without one goes on silently after one warning.
    private func output(sampleRate: Int) throws -> AudioOut? {
        if let audio { return audio }
        guard !audioFailed else { return nil }
        do {
            audio = try AudioOut(sampleRate: sampleRate)
        } catch {
            audioFailed = true
            Log.warning("speech: \(error); speech mode stays silent (a unit needs DeviceAllow=char-alsa rw)")
        }
        return audio
    }
}
