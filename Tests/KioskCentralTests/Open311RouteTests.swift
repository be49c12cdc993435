// Open311 endpoints of kiosk-central in JSON and XML, driven through the router and a live server.
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KioskCentral
import KioskProtocol
import Testing

@Suite struct Open311RouteTests {
    @Test func servicesListEveryDemoServiceInBothFormats() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/services.json?jurisdiction_id=lodz.pl", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                let list = r.list
                #expect(list.count >= 30)
                let bin = try #require(list.first { $0["service_code"] as? String == "zgo-przepelnione" })
                #expect(bin["metadata"] as? Bool == true)
                #expect(bin["type"] as? String == "realtime")
                #expect((bin["keywords"] as? String)?.contains(",") == true)
                #expect((bin["group"] as? String)?.isEmpty == false)
                #expect((bin["service_name"] as? String)?.isEmpty == false)
            }
            try await client.execute(uri: "/open311/v2/services.xml", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/xml") == true)
                #expect(r.text.hasPrefix("<?xml"))
                #expect(r.text.contains("<services><service><service_code>"))
                #expect(r.text.contains("<metadata>true</metadata>"))
            }
        }
    }

    @Test func serviceDefinitionHasTheAttributesAndUnknownCodesAre404() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/services/zgo-przepelnione.json", method: .get) { r in
                #expect(r.status == .ok)
                let d = try #require(r.json as? [String: Any])
                #expect(d["service_code"] as? String == "zgo-przepelnione")
                let attrs = try #require(d["attributes"] as? [[String: Any]])
                let rodzaj = try #require(attrs.first { $0["code"] as? String == "rodzaj" })
                #expect(rodzaj["datatype"] as? String == "singlevaluelist")
                #expect(rodzaj["required"] as? Bool == true)
                #expect(rodzaj["variable"] as? Bool == true)
                #expect(rodzaj["order"] is Int)
                #expect((rodzaj["values"] as? [[String: Any]])?.contains { $0["key"] as? String == "uliczny" } == true)
            }
            try await client.execute(uri: "/open311/v2/services/zgo-przepelnione.xml", method: .get) { r in
                #expect(r.text.contains("<service_definition><service_code>zgo-przepelnione</service_code><attributes><attribute>"))
                #expect(r.text.contains("<values><value><key>"))
            }
            try await client.execute(uri: "/open311/v2/services/no-such.json", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.firstError?.0 == 404)
            }
            try await client.execute(uri: "/open311/v2/services/no-such.xml", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.text.contains("<errors><error><code>404</code><description>"))
            }
            try await client.execute(uri: "/open311/v2/services/zgo-przepelnione.html", method: .get) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func discoveryNamesTheSpecificationAndFormats() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/discovery.json", method: .get) { r in
                let d = try #require(r.json as? [String: Any])
                let e = try #require((d["endpoints"] as? [[String: Any]])?.first)
                #expect(e["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
                #expect((e["formats"] as? [String])?.contains("application/json") == true)
            }
            try await client.execute(uri: "/open311/v2/discovery.xml", method: .get) { r in
                #expect(r.text.contains("<endpoints><endpoint><specification>"))
                #expect(r.text.contains("<formats><format>text/xml</format>"))
            }
        }
    }

    @Test func aFiledRequestIsListedAndFoundByIdAndTicketButNeverShowsContactData() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            let id = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                              body: ByteBuffer(string: binForm(key: f.key, idempotency: "k-1"))) { r -> String in
                #expect(r.status == .ok)
                let a = try #require(r.list.first)
                #expect(a["service_notice"] is String)
                #expect(a["account_id"] == nil)
                return try #require(a["service_request_id"] as? String)
            }
            try await client.execute(uri: "/open311/v2/requests/\(id).json", method: .get) { r in
                #expect(r.status == .ok)
                let req = try #require(r.list.first)
                #expect(req["service_request_id"] as? String == id)
                #expect(req["status"] as? String == "open")
                #expect(req["ticket"] as? String == "K01-250501-0001-X")
                #expect(req["lat"] as? Double == 51.7592)
                #expect(req["requested_datetime"] is String)
                #expect(!r.text.contains("jan@example.com"))
                #expect(!r.text.contains("600 000"))
            }
            try await client.execute(uri: "/open311/v2/request/\(id).xml", method: .get) { r in
                #expect(r.text.contains("<service_requests><request><service_request_id>\(id)</service_request_id>"))
                #expect(r.text.contains("<ticket>K01-250501-0001-X</ticket>"))
                #expect(!r.text.contains("jan@example.com"))
            }
            try await client.execute(uri: "/open311/v2/requests.json", method: .get) { r in
                #expect(r.list.count == 1)
            }
            try await client.execute(uri: "/open311/v2/requests.xml?status=open&service_code=zgo-przepelnione", method: .get) { r in
                #expect(r.text.contains("<service_request_id>\(id)</service_request_id>"))
            }
            try await client.execute(uri: "/open311/v2/requests.json?status=closed", method: .get) { r in
                #expect(r.list.isEmpty)
            }
            try await client.execute(uri: "/open311/v2/requests.json?service_request_id=999,\(id)", method: .get) { r in
                #expect(r.list.count == 1)
            }
            // Near here: 100 m away is found, 2 km away is not.
            try await client.execute(uri: "/open311/v2/requests.json?service_code=zgo-przepelnione&lat=51.7601&long=19.4560&radius=150", method: .get) { r in
                #expect(r.list.count == 1)
            }
            try await client.execute(uri: "/open311/v2/requests.json?lat=51.78&long=19.4560&radius=150", method: .get) { r in
                #expect(r.list.isEmpty)
            }
            try await client.execute(uri: "/open311/v2/requests.json?start_date=2001-01-01T00:00:00Z&end_date=2001-02-01T00:00:00Z", method: .get) { r in
                #expect(r.list.isEmpty)
            }
            try await client.execute(uri: "/open311/v2/requests/12345.json", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.firstError?.0 == 404)
            }
            try await client.execute(uri: "/kiosk/v1/tickets/K01-250501-0001-X", method: .get,
                                     headers: [.authorization: "Bearer \(f.key)"]) { r in
                #expect(r.list.first?["service_request_id"] as? String == id)
            }
            try await client.execute(uri: "/kiosk/v1/tickets/K01-250501-0001-X", method: .get) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/kiosk/v1/tickets/NOPE", method: .get, headers: [.authorization: "Bearer \(f.key)"]) { r in
                #expect(r.status == .notFound)
            }
        }
        _ = try f.store.setStatus(idOrTicket: "K01-250501-0001-X", status: "closed", note: "Opróżniono", now: Date())
        #expect(try f.store.requests(RequestFilter(statuses: ["closed"])).first?.statusNotes == "Opróżniono")
    }

    @Test func postFieldsInTheQueryStringAreAcceptedAsTheCommunitySwaggerSendsThem() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/requests.xml?" + binForm(key: f.key), method: .post) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("<service_requests><request><service_request_id>"))
                #expect(r.text.contains("<account_id/>"))
            }
        }
        #expect(try f.store.requestCount() == 1)
    }

    @Test func theSameKeyAndPayloadGetTheStoredAnswerAndAnotherPayloadIs422() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            let body = binForm(key: f.key, idempotency: "same-key")
            let first = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                                 body: ByteBuffer(string: body)) { $0.text }
            let again = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                                 body: ByteBuffer(string: body)) { r -> String in
                #expect(r.status == .ok)
                return r.text
            }
            #expect(first == again)
            // The same key in the header, the same fields: still the same request.
            var h = formHeaders
            h[try #require(HTTPField.Name("Idempotency-Key"))] = "hdr-key"
            let viaHeader = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: h,
                                                     body: ByteBuffer(string: binForm(key: f.key))) { $0.text }
            let viaHeaderAgain = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: h,
                                                          body: ByteBuffer(string: binForm(key: f.key))) { $0.text }
            #expect(viaHeader == viaHeaderAgain)
            #expect(viaHeader != first)
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: binForm(key: f.key, idempotency: "same-key", description: "Inny opis"))) { r in
                #expect(r.status == .unprocessableContent)
                #expect(r.firstError?.0 == 422)
            }
            // The XML answer to a retry is the same request.
            try await client.execute(uri: "/open311/v2/requests.xml", method: .post, headers: formHeaders, body: ByteBuffer(string: body)) { r in
                let id = (try #require(first.split(separator: "\"").dropFirst().first { Int($0) != nil }))
                #expect(r.text.contains("<service_request_id>\(id)</service_request_id>"))
            }
        }
        #expect(try f.store.requestCount() == 2)
    }

    @Test func keysAreKeptForTheConfiguredDaysThenPurged() throws {
        let f = try Fixture()
        let catalogFields = try FormURLEncoding.decode(binForm(key: f.key, idempotency: "old"))
        _ = catalogFields
        let req = NewServiceRequest(serviceCode: "zgo-przepelnione", serviceName: "x", agency: "a", serviceNotice: "n",
                                    description: nil, address: "a", addressID: nil, zipcode: nil, lat: nil, long: nil,
                                    mediaURL: nil, email: nil, phone: nil, firstName: nil, lastName: nil, deviceID: nil,
                                    kioskID: f.kiosk, ticket: nil, attributes: [:], requested: Date().addingTimeInterval(-31 * 86_400))
        _ = try f.store.fileRequest(req, idempotencyKey: "old", payloadHash: "h1", useToken: false)
        var recent = req
        recent.requested = Date()
        _ = try f.store.fileRequest(recent, idempotencyKey: "new", payloadHash: "h2", useToken: false)
        #expect(try f.store.purgeIdempotencyKeys(olderThan: Date().addingTimeInterval(-30 * 86_400)) == 1)
        // The recent key still deduplicates; the purged one files anew.
        #expect(try f.store.fileRequest(recent, idempotencyKey: "new", payloadHash: "h2", useToken: false).created == false)
        #expect(try f.store.fileRequest(req, idempotencyKey: "old", payloadHash: "h1", useToken: false).created == true)
    }

    @Test func anApiKeyIsRequiredAndChecked() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: binForm(key: nil))) { r in
                #expect(r.status == .forbidden)
                #expect(r.firstError?.0 == 403)
            }
            try await client.execute(uri: "/open311/v2/requests.xml", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: binForm(key: "not-a-key"))) { r in
                #expect(r.status == .forbidden)
                #expect(r.text.contains("<errors><error><code>403</code>"))
            }
        }
        #expect(try f.store.revokeKeys(matching: f.kiosk, now: Date()) == 1)
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: binForm(key: f.key))) { r in
                #expect(r.status == .forbidden)
            }
        }
        #expect(try f.store.requestCount() == 0)
    }

    /// Each hostile form: a spec error (never a 500) and nothing stored.
    @Test(arguments: [
        ("huge body", String(repeating: "a", count: 100_000), 400),
        ("bad %-escape", "service_code=%ZZ&api_key=KEY", 400),
        ("invalid UTF-8 escape", "service_code=%C3%28&api_key=KEY", 400),
        ("unknown service", "api_key=KEY&service_code=nope&lat=51.7&long=19.4", 400),
        ("no service code", "api_key=KEY&lat=51.7&long=19.4", 400),
        ("no location", "api_key=KEY&service_code=zgo-przepelnione&attribute%5Brodzaj%5D=uliczny", 400),
        ("lat not a number", "api_key=KEY&service_code=zgo-przepelnione&lat=abc&long=19.4&attribute%5Brodzaj%5D=uliczny", 400),
        ("lat out of range", "api_key=KEY&service_code=zgo-przepelnione&lat=91&long=19.4&attribute%5Brodzaj%5D=uliczny", 400),
        ("lat without long", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&attribute%5Brodzaj%5D=uliczny", 400),
        ("required attribute missing", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4", 400),
        ("list value not among the keys", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj%5D=xyz", 400),
        ("number attribute not a number", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj%5D=uliczny&attribute%5Bile%5D=dużo", 400),
        ("datetime attribute not ISO", "api_key=KEY&service_code=zgo-nieodebrane&lat=51.7&long=19.4&attribute%5Bfrakcja%5D%5B%5D=papier&attribute%5Btermin%5D=wczoraj", 400),
        ("control character", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj%5D=uliczny&description=a%00b", 400),
        ("escape character in the address", "api_key=KEY&service_code=zgo-przepelnione&address_string=%1B%5B31m&attribute%5Brodzaj%5D=uliczny", 400),
        ("description over 4000", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj%5D=uliczny&description=" + String(repeating: "x", count: 4001), 400),
        ("10,000 fields", (0..<10_000).map { "f\($0)=1" }.joined(separator: "&"), 400),
        ("a bracketless attribute code", "api_key=KEY&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj=uliczny", 400),
        ("unknown key", "api_key=WRONG&service_code=zgo-przepelnione&lat=51.7&long=19.4&attribute%5Brodzaj%5D=uliczny", 403),
    ])
    func hostileFormsGetASpecErrorAndStoreNothing(_ what: String, _ body: String, _ code: Int) async throws {
        let f = try Fixture()
        let text = body.replacingOccurrences(of: "api_key=KEY", with: "api_key=\(f.key)")
        try await f.app().test(.router) { client in
            for format in ["json", "xml"] {
                try await client.execute(uri: "/open311/v2/requests.\(format)", method: .post, headers: formHeaders,
                                         body: ByteBuffer(string: text)) { r in
                    #expect(Int(r.status.code) == code, "\(what): \(r.status) \(r.text.prefix(200))")
                    if format == "json" {
                        #expect(r.firstError?.0 == code, "\(what): \(r.text.prefix(200))")
                    } else {
                        #expect(r.text.contains("<errors><error><code>\(code)</code><description>"), "\(what): \(r.text.prefix(200))")
                    }
                }
            }
        }
        #expect(try f.store.requestCount() == 0, "\(what) stored a request")
    }

    @Test func wrongContentTypeAndBadQueriesAreRefused() async throws {
        let f = try Fixture()
        try await f.app().test(.router) { client in
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: [.contentType: "application/json"],
                                     body: ByteBuffer(string: "{\"service_code\":\"zgo-przepelnione\"}")) { r in
                #expect(r.status == .badRequest)
            }
            for q in ["start_date=yesterday", "status=pending", "lat=51.7", "lat=x&long=1", "radius=-1&lat=51&long=19", "a=%G0"] {
                try await client.execute(uri: "/open311/v2/requests.json?\(q)", method: .get) { r in
                    #expect(r.status == .badRequest, "\(q)")
                    #expect(r.firstError?.0 == 400, "\(q)")
                }
            }
            try await client.execute(uri: "/open311/v2/nothing-here.json", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.firstError?.0 == 404)
            }
        }
        #expect(try f.store.requestCount() == 0)
    }

    @Test func tokenModeAnswersATokenThatResolvesToTheId() async throws {
        let f = try Fixture(tokens: true)
        try await f.app().test(.router) { client in
            let token = try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                                 body: ByteBuffer(string: binForm(key: f.key))) { r -> String in
                let a = try #require(r.list.first)
                #expect(a["service_request_id"] == nil)
                return try #require(a["token"] as? String)
            }
            try await client.execute(uri: "/open311/v2/tokens/\(token).json", method: .get) { r in
                let a = try #require(r.list.first)
                #expect(a["token"] as? String == token)
                #expect(a["service_request_id"] is String)
            }
            try await client.execute(uri: "/open311/v2/tokens/\(token).xml", method: .get) { r in
                #expect(r.text.contains("<token>\(token)</token>"))
            }
            try await client.execute(uri: "/open311/v2/tokens/unknown.json", method: .get) { r in
                #expect(r.status == .notFound)
            }
        }
    }

    @Test func aLiveServerAnswersOverRealHTTP() async throws {
        let f = try Fixture()
        try await f.app().test(.live) { client in
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: binForm(key: f.key, idempotency: "live"))) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/open311/v2/requests.json", method: .post, headers: formHeaders,
                                     body: ByteBuffer(string: String(repeating: "x=1&", count: 40_000))) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/open311/v2/services.xml", method: .get) { r in
                #expect(r.status == .ok)
            }
        }
        #expect(try f.store.requestCount() == 1)
    }

    @Test func theWriterSyncsEveryCommit() throws {
        let f = try Fixture()
        #expect(try f.store.writerSynchronousMode() == 2)
    }
}
