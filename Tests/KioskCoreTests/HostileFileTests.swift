import Foundation
import Testing
@testable import KioskCore

/// A small deterministic generator, so a failing mutation can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let assetsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../assets").standardized

/// Mutations an attacker or a broken export makes: flipped bytes, cut files, swapped values, deep nesting.
func mutate(_ data: Data, _ rng: inout SplitMix64) -> Data {
    var bytes = [UInt8](data)
    switch rng.next() % 5 {
    case 0:
        for _ in 0..<(1 + Int(rng.next() % 8)) where !bytes.isEmpty { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
    case 1:
        bytes = Array(bytes.prefix(Int(rng.next() % UInt64(max(1, bytes.count)))))
    case 2:
        let text = String(decoding: bytes, as: UTF8.self)
        let swaps = [("true", "\"true\""), ("false", "1"), ("\"pl\"", "\"PL\""), ("[", "[["), ("\"order\": 1", "\"order\": 1e309"),
                     ("\"", "\"\\u0000"), ("\"required\"", "\"required\": null, \"x\"")]
        let (a, b) = swaps[Int(rng.next() % UInt64(swaps.count))]
        if let r = text.range(of: a) { bytes = Array(text.replacingCharacters(in: r, with: b).utf8) }
    case 3:
        bytes = Array(repeating: UInt8(ascii: "["), count: 5_000) + bytes
    default:
        let i = Int(rng.next() % UInt64(max(1, bytes.count)))
        bytes.insert(contentsOf: Array("\u{202E}\u{200B}\u{0007}".utf8), at: min(i, bytes.count))
    }
    return Data(bytes)
}

@Suite struct HostileCatalogueFiles {
    @Test func mutatedServiceFilesAreReadOrRefusedNeverCrash() throws {
        let demo = try Data(contentsOf: assetsFolder.appendingPathComponent("services/demo-services.json"))
        #expect(try ServiceCatalogFile.parse(demo, file: "demo").services.count >= 24)
        var rng = SplitMix64(state: 2026_12_01)
        var refused = 0
        for _ in 0..<300 {
            do { _ = try ServiceCatalogFile.parse(mutate(demo, &rng), file: "m.json") } catch let e as ServiceCatalogError {
                refused += 1
                #expect(e.file == "m.json" && !e.problem.isEmpty)
            }
        }
        #expect(refused > 150) // most mutations break something, and each is refused with a reason
    }

    @Test func mutatedKnowledgeBaseFilesAreReadOrRefusedNeverCrash() throws {
        let demo = try Data(contentsOf: assetsFolder.appendingPathComponent("kb/demo-kb.json"))
        var rng = SplitMix64(state: 42)
        var refused = 0
        for _ in 0..<150 {
            do { _ = try KnowledgeBaseFile.parse(mutate(demo, &rng), file: "m.json") } catch let e as KnowledgeBaseError {
                refused += 1
                #expect(e.file == "m.json" && !e.problem.isEmpty)
            }
        }
        #expect(refused > 75)
    }
}
