// Samples after synthesis: the volume step applied, pieces joined with pauses, and written as a WAV file
// (what `kiosk speak` leaves for a tester to listen to).
import Foundation

public enum SpeechAudio {
    /// Samples scaled by `decibels` (0 or less), clipped to 16 bits.
    public static func applyGain(_ samples: [Int16], decibels: Double) -> [Int16] {
        let k = pow(10, min(0, decibels) / 20)
        return samples.map { Int16(max(-32768, min(32767, (Double($0) * k).rounded()))) }
    }

    /// Pieces one after another with `pause` seconds of silence between them.
    public static func join(_ pieces: [[Int16]], sampleRate: Int, pause: Double = 0.35) -> [Int16] {
        let gap = [Int16](repeating: 0, count: Int(Double(sampleRate) * pause))
        var out: [Int16] = []
        for (i, p) in pieces.enumerated() {
            if i > 0 { out += gap }
            out += p
        }
        return out
    }

    /// Root mean square level in dBFS (−∞ for silence).
    public static func level(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return -.infinity }
        let sum = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        let rms = (sum / Double(samples.count)).squareRoot()
        return rms > 0 ? 20 * log10(rms / 32768) : -.infinity
    }

    /// A canonical 44-byte-header RIFF WAVE file: PCM, mono, 16-bit little-endian.
    public static func wav(_ samples: [Int16], sampleRate: Int) -> Data {
        var d = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        let dataBytes = UInt32(samples.count * 2)
        d.append(contentsOf: Array("RIFF".utf8)); u32(36 + dataBytes)
        d.append(contentsOf: Array("WAVE".utf8))
        d.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(UInt32(sampleRate)); u32(UInt32(sampleRate * 2)); u16(2); u16(16)
        d.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        samples.withUnsafeBufferPointer { buf in
            for s in buf { u16(UInt16(bitPattern: s)) }
        }
        return d
    }
}
