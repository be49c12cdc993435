import Foundation
import Testing
@testable import KioskCore

@Suite struct JSONSlicesTests {
    func text(_ d: Data) -> String { String(decoding: d, as: UTF8.self) }

    @Test func membersAreTheValuesBytesAsWritten() throws {
        let doc = Data(#"  {"a": [1, {"b": "]}"}], "c\u00f3" : "x\"y\\", "n": -1.5e3, "t": true, "z": null, "o": {}}  "#.utf8)
        let m = try JSONSlices.members(doc)
        #expect(m.map(\.key) == ["a", "có", "n", "t", "z", "o"])
        #expect(m.map { text($0.value) } == [#"[1, {"b": "]}"}]"#, #""x\"y\\""#, "-1.5e3", "true", "null", "{}"])
        #expect(try JSONSlices.string(m[1].value) == #"x"y\"#)
    }

    @Test func elementsOfAnArrayAndOfASlice() throws {
        let doc = Data(#"{"list": [ {"id": "a"}, "s", [], 0 ] }"#.utf8)
        let list = try #require(try JSONSlices.members(doc).first?.value)
        let e = try JSONSlices.elements(list) // a slice whose indices do not start at 0
        #expect(e.map(text) == [#"{"id": "a"}"#, #""s""#, "[]", "0"])
        #expect(try JSONSlices.elements(Data("[]".utf8)).isEmpty)
        #expect(try JSONSlices.members(Data("\u{FEFF}{}".utf8)).isEmpty) // a byte order mark
    }

    @Test(arguments: [
        "", "   ", "[1]", "{", "{\"a\"", "{\"a\":", "{\"a\": 1", "{\"a\": 1,}", "{\"a\" 1}", "{a: 1}", "{\"a\": tru}",
        "{\"a\": 01}", "{\"a\": 1.}", "{\"a\": -}", "{\"a\": 1e}", "{\"a\": [}", "{\"a\": [1}", "{\"a\": {]}", "{\"a\": \"x}",
        "{\"a\": \"\u{01}\"}", "{\"a\": \"\\q\"}", "{\"a\": 1} x", "{\"a\": 1}{}", "{\"a\": 1, \"a\": 2}", "{\"a\": 1 2}",
        "{\"a\": \"\\", "{\"a\": [null1 null]}", "{\"a\": {\"b\" 1}}", "{\"a\": [1,]}", "{\"a\": {1: 2}}",
        "{\"a\": \"\\u12\"}", "{\"a\": \"\\uZZZZ\"}",
    ])
    func malformedObjectsAreRefusedWithAnOffset(_ doc: String) {
        #expect(throws: JSONSliceError.self) { try JSONSlices.members(Data(doc.utf8)) }
    }

    /// Strings are skipped eight bytes at a time: a quote, an escape or a control character at any place
    /// around those blocks, and Polish letters beside them, are still found where a byte-wise scan finds them.
    @Test func stringsAreReadAlikeAtEveryOffsetOfTheEightByteBlocks() throws {
        for length in 0..<28 {
            for at in 0...length {
                let plain = String(repeating: "a", count: at) + "ż" + String(repeating: "b", count: length - at)
                for (inner, expected) in [(plain, plain), (plain + "\\\"x", plain + "\"x"), ("x\\n" + plain, "x\n" + plain)] {
                    let doc = Data("[\"\(inner)\", 1]".utf8)
                    let parts = try JSONSlices.elements(doc)
                    #expect(parts.count == 2, "\(inner)")
                    #expect(try JSONSlices.string(parts[0]) == expected, "\(inner)")
                }
                var raw = Array("[\"\(String(repeating: "c", count: length))\"]".utf8)
                raw[2 + at - (at == length ? 1 : 0)] = 0x09 // a raw tab: a control character JSON forbids in a string
                if length > 0 { #expect(throws: (any Error).self) { try JSONSlices.elements(Data(raw)) } }
            }
        }
    }

    @Test func nestingIsBounded() throws {
        let ok = String(repeating: "[", count: JSONSlices.maxDepth) + String(repeating: "]", count: JSONSlices.maxDepth)
        #expect(try JSONSlices.elements(Data("[\(ok)]".utf8)).count == 1)
        let bomb = String(repeating: "[", count: 100_000)
        let e = #expect(throws: JSONSliceError.self) { try JSONSlices.members(Data("{\"a\": \(bomb)}".utf8)) }
        #expect(e?.problem.contains("nested deeper") == true)
    }

    @Test func invalidUTF8InAKeyIsRefused() {
        var doc = Data(#"{""#.utf8)
        doc.append(contentsOf: [0xC3, 0x28])
        doc.append(contentsOf: Data(#"": 1}"#.utf8))
        #expect(throws: JSONSliceError.self) { try JSONSlices.members(doc) }
    }

    /// Whatever the scanner accepts, the standard parser reads to the same members.
    @Test func agreesWithJSONSerializationOnRandomDocuments() throws {
        var rng = SplitMix64(state: 20261202)
        let pieces = ["{", "}", "[", "]", ",", ":", "\"", "\"k\"", "\"v\\\"\"", "1", "-0.5", "true", "null", " ", "\"ł\"", "\\",
                      "\"\\u00f3\"", "e5", "0"]
        var accepted = 0
        for _ in 0..<5_000 {
            var s = "{\"a\":"
            for _ in 0..<Int.random(in: 1...12, using: &rng) { s += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
            s += "}"
            let data = Data(s.utf8)
            let members: [(key: String, value: Data)]
            do { members = try JSONSlices.members(data) } catch let e as JSONSliceError {
                // And the other way round: what the standard parser reads, the scanner reads, but for a repeated
                // key and a comma before a closing bracket, which RFC 8259 does not allow and Foundation's does.
                let compact = s.filter { $0 != " " }
                if !e.problem.contains("twice"), !compact.contains(",}"), !compact.contains(",]") {
                    #expect((try? JSONSerialization.jsonObject(with: data)) == nil, "refused \(s): \(e)")
                }
                continue
            }
            let reference = try #require(try? JSONSerialization.jsonObject(with: data) as? [String: Any], "accepted \(s)")
            #expect(Set(members.map(\.key)) == Set(reference.keys), "\(s)")
            for m in members {
                #expect((try? JSONSerialization.jsonObject(with: m.value, options: [.fragmentsAllowed])) != nil, "\(s): \(text(m.value))")
            }
            accepted += 1
        }
        #expect(accepted > 50)
    }
}

