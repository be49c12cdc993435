import Crypto
import Foundation
import KioskProtocol
import Testing

@Suite struct FeedEnvelopeTests {
    let key = Curve25519.Signing.PrivateKey()
    let now = Date(timeIntervalSince1970: 1_796_000_000)

    func payload(version: Int = 7, services: Data? = Data(#"{"format":"lckm-services/1"}"#.utf8)) -> FeedPayload {
        FeedPayload(kind: .snapshot, version: version, issued: now, expires: now.addingTimeInterval(86_400),
                    categories: Data(#"[{"id":"c","name":{"pl":"K"}}]"#.utf8),
                    articles: Data(#"[{"id":"a","title":"Ł\"ódź\\"}, {"id":"b"}]"#.utf8), services: services)
    }

    @Test func aSignedFeedReadsBackAsItsPayload() throws {
        let signed = try SignedFeed.sign(payload(), with: key)
        // The envelope is plain JSON any tool can read.
        let obj = try #require(try JSONSerialization.jsonObject(with: signed) as? [String: Any])
        #expect(obj["format"] as? String == SignedFeed.format && obj["key"] as? String == SignedFeed.keyID(key.publicKey))
        let p = try SignedFeed.verify(signed, keys: [key.publicKey], have: nil, now: now)
        #expect(p == payload())
        #expect(String(decoding: p.articles, as: UTF8.self) == #"[{"id":"a","title":"Ł\"ódź\\"}, {"id":"b"}]"#)
        #expect(try SignedFeed.verify(try SignedFeed.sign(payload(services: nil), with: key), keys: [key.publicKey], have: nil, now: now).services == nil)
    }

    /// A proxy or another server's JSON writer may escape "/" in base64 and reorder or space the members.
    @Test func anEnvelopeRewrittenByAJSONWriterStillVerifies() throws {
        let signed = try SignedFeed.sign(payload(), with: key)
        let obj = try #require(try JSONSerialization.jsonObject(with: signed) as? [String: Any])
        let rewritten = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted])
        #expect(try SignedFeed.verify(rewritten, keys: [key.publicKey], have: nil, now: now) == payload())
        let escaped = Data(String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "/", with: "\\/").utf8)
        #expect(try SignedFeed.verify(escaped, keys: [key.publicKey], have: nil, now: now) == payload())
    }

    @Test func hostileEnvelopesAreRefused() throws {
        let signed = String(decoding: try SignedFeed.sign(payload(), with: key), as: UTF8.self)
        let b64 = try #require(signed.split(separator: "\"").dropFirst(11).first.map(String.init)) // the payload's base64
        let cases: [(String, String)] = [
            ("<html>502 Bad Gateway</html>", "not a JSON envelope"),
            (String(signed.dropLast(40)), "not a JSON envelope"),
            (signed.replacingOccurrences(of: #""signature":"#, with: #""signature":"x","sig":"#), "no signature"),
            (signed.replacingOccurrences(of: #"{"format""#, with: #"{"payload":"e30=","format""#), "not a JSON envelope"),
            (signed.replacingOccurrences(of: b64, with: "!!!" + b64), "no payload"),
            (signed.replacingOccurrences(of: SignedFeed.format, with: "lckm-signed-feed/0"), "format"),
        ]
        for (doc, why) in cases {
            #expect(throws: FeedError.self, "\(why)") { try SignedFeed.verify(Data(doc.utf8), keys: [key.publicKey], have: nil, now: now) }
        }
        // A payload changed on the way.
        var bytes = try #require(Data(base64Encoded: b64))
        bytes[bytes.startIndex + 30] ^= 1
        let altered = signed.replacingOccurrences(of: b64, with: bytes.base64EncodedString())
        #expect(throws: FeedError.altered) { try SignedFeed.verify(Data(altered.utf8), keys: [key.publicKey], have: nil, now: now) }
    }

    @Test func malformedPayloadFieldsAreNamed() throws {
        func refusal(_ json: String) -> String {
            do { _ = try FeedPayload.decode(Data(json.utf8)); return "accepted" } catch { return "\(error)" }
        }
        let head = #""format":"lckm-feed/1","kind":"snapshot","version":3,"issued":"2026-12-01T10:00:00Z","expires":"2026-12-09T10:00:00Z""#
        #expect(refusal("{\(head),\"categories\":[],\"articles\":[]}") == "accepted")
        #expect(refusal("{\(head),\"categories\":[],\"articles\":{}}").contains("payload articles"))
        #expect(refusal("{\(head),\"categories\":\"x\",\"articles\":[]}").contains("payload categories"))
        #expect(refusal("{\(head),\"categories\":[],\"articles\":[],\"services\":[1]}").contains("payload services"))
        #expect(refusal("{\(head),\"categories\":[],\"articles\":[],\"deletedArticles\":[1]}").contains("deletedArticles"))
        #expect(refusal("{\(head),\"categories\":[],\"articles\":[],\"version\":4}").contains("not a JSON object")) // twice
        #expect(refusal("{\(head.replacingOccurrences(of: "3", with: "3.5")),\"categories\":[],\"articles\":[]}").contains("version"))
        #expect(refusal("{\(head),\"categories\":[],\"articles\":[}").contains("not a JSON object"))
        #expect(refusal(#"{"format":"lckm-feed/1"}"#).contains("kind"))
    }
}
