// What a resident set for speech output: on or off, paused, and the rate and volume steps. Kept until the
// idle reset, like large text; the synthesiser and the audio output read the numbers from here.

public struct SpeechSettings: Sendable, Equatable {
    public var on = false
    public var paused = false
    /// Index into `rates`.
    public var rateStep = SpeechSettings.defaultRate
    /// 0 is the quietest step, `volumeSteps - 1` full volume.
    public var volumeStep = SpeechSettings.defaultVolume

    public init() {}

    /// Words per minute, espeak-ng's scale (its default is 175).
    public static let rates = [110, 140, 175, 215, 260]
    public static let defaultRate = 2
    /// 3 dB a step over eight steps: 21 dB from the quietest to the loudest (EN 301 549 5.1.3.9 asks for a
    /// range of at least 18 dB).
    public static let volumeSteps = 8
    public static let decibelsPerStep = 3.0
    public static let defaultVolume = 5

    public var wordsPerMinute: Int { Self.rates[max(0, min(Self.rates.count - 1, rateStep))] }
    /// Gain against full scale, 0 dB at the top step.
    public var gainDecibels: Double { -Double(Self.volumeSteps - 1 - max(0, min(Self.volumeSteps - 1, volumeStep))) * Self.decibelsPerStep }

    public enum Control: String, Sendable, Equatable, CaseIterable {
        case louder, quieter, faster, slower
        /// Pauses, or goes on from where it paused.
        case pause
    }

    /// One step of a control; false when it is already at its end.
    @discardableResult
    public mutating func apply(_ c: Control) -> Bool {
        let before = self
        switch c {
        case .louder: volumeStep = min(Self.volumeSteps - 1, volumeStep + 1)
        case .quieter: volumeStep = max(0, volumeStep - 1)
        case .faster: rateStep = min(Self.rates.count - 1, rateStep + 1)
        case .slower: rateStep = max(0, rateStep - 1)
        case .pause: paused.toggle()
        }
        return self != before
    }
}
