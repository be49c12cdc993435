// Open311Decoding: the quirks other servers have (accepted) and hostile or broken answers (refused with a reason).
import Foundation
import KioskCore
import Testing
@testable import KioskProtocol

private func d(_ s: String) -> Data { Data(s.utf8) }

@Suite("Open311 decoding tolerates real servers' quirks")
struct Open311QuirkDecodingTests {
    @Test("a UTF-8 byte-order mark before JSON and before XML")
    func byteOrderMark() throws {
        let json = Data([0xEF, 0xBB, 0xBF]) + d(#"[{"service_code":"A","service_name":"Dziura","metadata":false}]"#)
        #expect(try Open311Decoding.services(json, format: .json).map(\.serviceCode) == ["A"])
        let xml = Data([0xEF, 0xBB, 0xBF]) + d("<?xml version=\"1.0\"?><services><service><service_code>B</service_code></service></services>")
        #expect(try Open311Decoding.services(xml).map(\.serviceName) == ["B"])
    }

    @Test("booleans as \"true\"/\"false\" strings and as 0/1; numbers as strings; numeric ids")
    func looseScalars() throws {
        let s = try Open311Decoding.services(d(#"[{"service_code":7,"service_name":"X","metadata":"true"},{"service_code":"8","service_name":"Y","metadata":0}]"#))
        #expect(s.map(\.serviceCode) == ["7", "8"])
        #expect(s.map(\.metadata) == [true, false])
        let r = try Open311Decoding.requests(d(#"[{"service_request_id":638344,"status":"open","lat":"51.76","long":"19.45"}]"#))
        #expect(r[0].serviceRequestID == "638344" && r[0].lat == 51.76 && r[0].long == 19.45)
        let def = try Open311Decoding.serviceDefinition(d(#"{"service_code":"A","attributes":[{"code":"x","datatype":"string","required":"1","order":"2","variable":"false","description":"?"}]}"#))
        #expect(def.attributes[0].required && def.attributes[0].order == 2 && !def.attributes[0].variable)
    }

    @Test("attributes inside an <attributes> wrapper read the same as attributes under the root")
    func attributesWrapper() throws {
        let wrapped = d("""
        <service_definition><service_code>A</service_code><attributes>
        <attribute><code>size</code><datatype>singlevaluelist</datatype><required>true</required><order>1</order><description>Jak duża?</description>
        <values><value><key>s</key><name>mała</name></value></values></attribute>
        <attribute><code>note</code><datatype>text</datatype><required>false</required><order>2</order><description>Uwagi</description></attribute>
        </attributes></service_definition>
        """)
        let bare = d("""
        <service_definition><service_code>A</service_code>
        <attribute><code>size</code><datatype>singlevaluelist</datatype><required>true</required><order>1</order><description>Jak duża?</description>
        <values><value><key>s</key><name>mała</name></value></values></attribute>
        <attribute><code>note</code><datatype>text</datatype><required>false</required><order>2</order><description>Uwagi</description></attribute>
        </service_definition>
        """)
        let a = try Open311Decoding.serviceDefinition(wrapped), b = try Open311Decoding.serviceDefinition(bare)
        #expect(a == b)
        #expect(a.attributes.map(\.code) == ["size", "note"])
        #expect(a.attributes[0].values == [Open311AttributeValue(key: "s", name: "mała")])
    }

    @Test("unknown fields, nulls and missing optional fields; a JSON object wrapping the list")
    func extrasAndNulls() throws {
        let r = try Open311Decoding.requests(d(#"{"service_requests":[{"service_request_id":"1","status":"open","status_notes":null,"x_extra":{"a":[1,2]},"lat":null}]}"#))
        #expect(r == [Open311Request(serviceRequestID: "1", status: "open")])
        let one = try Open311Decoding.requests(d(#"{"service_request_id":"2","status":"closed"}"#))
        #expect(one.map(\.serviceRequestID) == ["2"])
    }

    @Test("errors: the spec's list, one JSON object, XML <errors>, a bare <error>")
    func errorShapes() throws {
        #expect(try Open311Decoding.errors(d(#"[{"code":400,"description":"service_code missing"}]"#)) == [Open311Error(code: 400, description: "service_code missing")])
        #expect(try Open311Decoding.errors(d(#"{"code":"403","description":"bad key"}"#)) == [Open311Error(code: 403, description: "bad key")])
        #expect(try Open311Decoding.errors(d("<error>nope</error>"), defaultCode: 401) == [Open311Error(code: 401, description: "nope")])
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d(#"[{"code":400,"description":"bad lat"}]"#)) }
        #expect(e?.found.contains("bad lat") == true)
    }

    @Test("XML asked for, JSON sent (and the other way round): what the body is wins")
    func formatMismatch() throws {
        #expect(try Open311Decoding.requests(d(#"[{"service_request_id":"1","status":"open"}]"#), format: .xml).count == 1)
        #expect(try Open311Decoding.requests(d("<service_requests><request><token>t</token></request></service_requests>"), format: .json)
            .map(\.token) == ["t"])
    }

    @Test("text is cleaned: control characters removed, newlines kept, bidi overrides removed, cut at the limit")
    func textCleaning() throws {
        let r = try Open311Decoding.requests(d(#"[{"service_request_id":"1","status":"open","status_notes":"a\u0000b\u001bc\nd\u202Eevil"}]"#))
        #expect(r[0].statusNotes == "abc\ndevil")
        let long = String(repeating: "ż", count: 25_000)
        let cut = try Open311Decoding.requests(d(#"[{"service_request_id":"1","status":"open","description":"\#(long)"}]"#))
        #expect(cut[0].description?.count == 10_000)
        let xml = try Open311Decoding.requests(d("<service_requests><request><service_request_id>1</service_request_id><status_notes>x&#x9;y<![CDATA[<b>z</b>]]></status_notes></request></service_requests>"))
        #expect(xml[0].statusNotes == "x y<b>z</b>")
    }
}

@Suite("Open311 decoding refuses hostile and broken answers with a reason")
struct Open311HostileDecodingTests {
    @Test("an HTML page where JSON was expected names itself")
    func html() {
        let e = #expect(throws: Open311DecodingError.self) {
            try Open311Decoding.requests(d("<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"), format: .json)
        }
        #expect(e?.found.contains("HTML") == true)
        #expect(e?.expected.contains("JSON") == true)
        #expect(e?.excerpt.contains("502 Bad Gateway") == true)
    }

    @Test("wrong top-level types", arguments: [#""hello""#, "42", "true", #"{"foo":1,"bar":[2]}"#, "[1,2]", "null"])
    func wrongTopLevel(_ body: String) {
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d(body)) }
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.services(d(body)) }
    }

    @Test("a body that is neither JSON nor XML, and an empty body")
    func neither() {
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d("Service Unavailable")) }
        #expect(e?.description.contains("Service Unavailable") == true)
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d("  \n")) }
    }

    @Test("a truncated body, JSON and XML")
    func truncated() throws {
        let json = d(#"[{"service_request_id":"1","status":"open"},{"service_request_id":"2","sta"#)
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(json) }
        #expect(e?.found.contains("truncated") == true)
        let xml = try Fixtures.data("sf/service_requests.xml").prefix(700)
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(Data(xml)) }
    }

    @Test("deep nesting is refused quickly, JSON and XML")
    func deepNesting() {
        let started = Date()
        let json = d(String(repeating: "[", count: 200_000))
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(json) }
        #expect(e?.found.contains("nested deeper") == true)
        let xml = d(String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000))
        let x = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(xml) }
        #expect(x?.found.contains("nested deeper") == true)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("billion laughs: entity declarations are refused before anything expands")
    func billionLaughs() {
        var dtd = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">" }
        dtd += "]><service_requests><request><service_request_id>&lol9;</service_request_id></request></service_requests>"
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d(dtd)) }
        #expect(e?.found.contains("DOCTYPE") == true)
    }

    @Test("an external entity (XXE) never reads a local file")
    func externalEntity() {
        let xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><service_requests><request><service_request_id>&x;</service_request_id></request></service_requests>"
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d(xxe)) }
        // Even past the DOCTYPE check, the parser itself must not resolve it.
        #expect(throws: (any Error).self) { try XMLTree.parse(d("<r>&x;</r>")) }
    }

    @Test("huge numbers: out-of-range coordinates and 1e999 dropped, a 1,000-digit number refused")
    func hugeNumbers() throws {
        let r = try Open311Decoding.requests(d(#"[{"service_request_id":"1","status":"open","lat":1e999,"long":"-500","order":1e300}]"#))
        #expect(r[0].lat == nil && r[0].long == nil)
        let def = try Open311Decoding.serviceDefinition(d(#"{"service_code":"A","attributes":[{"code":"x","order":1e300}]}"#))
        #expect(def.attributes[0].order == 1)
        let digits = String(repeating: "9", count: 1_000)
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(d(#"[{"service_request_id":\#(digits)}]"#)) }
    }

    @Test("invalid UTF-8 is refused, JSON and XML")
    func invalidUTF8() {
        var json = d(#"[{"service_request_id":"1","status":""#)
        json.append(contentsOf: [0xC3, 0x28, 0xFF])
        json.append(d(#""}]"#))
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(json) }
        #expect(e?.found.contains("UTF-8") == true)
        var xml = d("<service_requests><request><service_request_id>")
        xml.append(contentsOf: [0xFF, 0xFE, 0xC3])
        xml.append(d("</service_request_id></request></service_requests>"))
        #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(xml) }
    }

    @Test("limits: bytes over the caller's cap, more than 10,000 items")
    func limits() {
        let big = d("[" + String(repeating: " ", count: 2_000) + "]")
        let e = #expect(throws: Open311DecodingError.self) {
            try Open311Decoding.requests(big, limits: .init(maxBytes: 1_000))
        }
        #expect(e?.found.contains("larger than 1000 bytes") == true)
        let many = d("[" + Array(repeating: #"{"service_request_id":"1","status":"open"}"#, count: 10_001).joined(separator: ",") + "]")
        let m = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(many, limits: .init(maxBytes: 1 << 22)) }
        #expect(m?.found.contains("more than 10000 items") == true)
    }

    @Test("items without their identifying field are refused with the item's number")
    func missingKey() {
        let e = #expect(throws: Open311DecodingError.self) {
            try Open311Decoding.services(d(#"[{"service_code":"A"},{"service_name":"no code"}]"#))
        }
        #expect(e?.found.contains("item 2 without service_code") == true)
    }
}
