// Speech's samples to the sound card through SDL's audio queue: the kiosk, not espeak-ng, owns playback, so
// it can stop at once (a new screen), pause and go on, and use the same device SDL already knows.
import CSDL2
import Foundation

public final class AudioOut: @unchecked Sendable {
    private let device: SDL_AudioDeviceID
    public let sampleRate: Int

    /// Opens the default output for mono 16-bit samples at `sampleRate`; throws with SDL's reason when there
    /// is no sound card (or, under systemd, no access to it: `DeviceAllow=char-alsa rw`).
    public init(sampleRate: Int) throws {
        if SDL_WasInit(SDL_INIT_AUDIO) == 0, SDL_InitSubSystem(SDL_INIT_AUDIO) != 0 {
            throw SDLError("SDL audio could not start")
        }
        var want = SDL_AudioSpec()
        want.freq = Int32(sampleRate)
        want.format = SDL_AudioFormat(AUDIO_S16SYS)
        want.channels = 1
        want.samples = 1024
        var have = SDL_AudioSpec()
        let id = SDL_OpenAudioDevice(nil, 0, &want, &have, 0)
        guard id != 0 else { throw SDLError("no sound output") }
        device = id
        self.sampleRate = sampleRate
        SDL_PauseAudioDevice(device, 0)
    }

    deinit { SDL_CloseAudioDevice(device) }

    public func enqueue(_ samples: [Int16]) {
        guard !samples.isEmpty else { return }
        samples.withUnsafeBytes { raw in _ = SDL_QueueAudio(device, raw.baseAddress, UInt32(raw.count)) }
    }

    /// Drops everything not yet played.
    public func clear() { SDL_ClearQueuedAudio(device) }

    public func pause(_ paused: Bool) { SDL_PauseAudioDevice(device, paused ? 1 : 0) }
}
