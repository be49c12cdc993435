// Open311Decoding against the real answers of San Francisco, Chicago, Toronto and Gießen (../shared/fixtures/open311).
import Foundation
import KioskCore
import Testing
@testable import KioskProtocol

enum Fixtures {
    /// `/work/shared/fixtures/open311` beside the checkout, as the project's other fixtures.
    static let open311 = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/fixtures/open311")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: open311.appendingPathComponent(name))
    }

    /// sf/403.xml is a whole HTTP response as captured: the body is what follows the blank line.
    static func httpBody(_ name: String) throws -> (status: Int, body: Data) {
        let raw = try data(name)
        let text = String(decoding: raw, as: UTF8.self)
        let parts = text.components(separatedBy: "\n\n")
        let status = Int(parts[0].split(separator: " ")[1]) ?? 0
        return (status, Data(parts.dropFirst().joined(separator: "\n\n").utf8))
    }
}

@Suite("Open311 decoding of real servers' answers")
struct Open311FixtureDecodingTests {
    @Test("every fixture file is read by the decoder for its kind")
    func everyFixtureIsRead() throws {
        let kinds: [String: (Data) throws -> Int] = [
            "403.xml": { try Open311Decoding.errors($0, defaultCode: 403).count },
            "get_service_request.xml": { try Open311Decoding.requests($0).count },
            "get_service_request_not_found.xml": { try Open311Decoding.errors($0).count },
            "post_service_request.xml": { try Open311Decoding.postAnswers($0).count },
            "request_id_from_token.xml": { try Open311Decoding.tokenAnswers($0).count },
            "service_definition.xml": { try Open311Decoding.serviceDefinition($0).attributes.count },
            "service_requests.xml": { try Open311Decoding.requests($0).count },
            "service_requests_empty.xml": { try Open311Decoding.requests($0).count + 1 },
            "services.xml": { try Open311Decoding.services($0).count },
            "requests_many.xml": { try Open311Decoding.requests($0).count },
            "requests_single.xml": { try Open311Decoding.requests($0).count },
            "service_list.json": { try Open311Decoding.services($0).count },
            "service_requests.json": { try Open311Decoding.requests($0).count },
            "services_giessen.xml": { try Open311Decoding.services($0).count },
        ]
        var seen = 0
        for folder in ["sf", "chicago-toronto-giessen"] {
            let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.open311.appendingPathComponent(folder).path)
            for file in files.sorted() {
                let read = try #require(kinds[file], "fixture \(folder)/\(file) has no decoder in this test: add it")
                let body = file == "403.xml" ? try Fixtures.httpBody("\(folder)/\(file)").body : try Fixtures.data("\(folder)/\(file)")
                #expect(try read(body) > 0, "\(folder)/\(file)")
                seen += 1
            }
        }
        #expect(seen == kinds.count)
    }

    @Test("SF: a bare <error> after the HTTP head gives the status as its code")
    func sfBareError() throws {
        let (status, body) = try Fixtures.httpBody("sf/403.xml")
        #expect(status == 403)
        let errors = try Open311Decoding.errors(body, defaultCode: status)
        #expect(errors == [Open311Error(code: 403, description: "Invalid api_key received -- can't proceed with create_request.")])
        let refused = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(body) }
        #expect(refused?.found.contains("Invalid api_key") == true)
    }

    @Test("SF: one request, empty elements as missing, values trimmed")
    func sfRequest() throws {
        let r = try #require(try Open311Decoding.requests(Fixtures.data("sf/get_service_request.xml")).first)
        #expect(r.serviceRequestID == "638344")
        #expect(r.status == "closed")
        #expect(r.statusNotes == "Duplicate request.")
        #expect(r.serviceCode == "006")
        #expect(r.description == nil && r.agencyResponsible == nil && r.serviceNotice == nil)
        #expect(r.lat == 37.762221815 && r.long == -122.4651145)
        #expect(r.mediaURL == "http://open311.city.gov.s3.amazonaws.com/requests/media/638344.rss")
        #expect(r.addressID == "545483" && r.zipcode == "94122")
        let status = ServerRequestStatus(from: r)
        #expect(status.requested == Open311Date.parse("2010-04-14T14:37:38Z"))
        #expect(status.isClosed)
    }

    @Test("SF: the 404 error list, and a request decoder that says it got an error")
    func sfNotFound() throws {
        let body = try Fixtures.data("sf/get_service_request_not_found.xml")
        #expect(try Open311Decoding.errors(body) == [Open311Error(code: 404, description: "Service request not found with id or token not-an-id")])
        let e = #expect(throws: Open311DecodingError.self) { try Open311Decoding.requests(body) }
        #expect(e?.found.contains("404") == true)
    }

    @Test("SF: POST answer with a multi-line notice and an empty account_id")
    func sfPost() throws {
        let a = try #require(try Open311Decoding.postAnswers(Fixtures.data("sf/post_service_request.xml")).first)
        #expect(a.serviceRequestID == "293944")
        #expect(a.serviceNotice?.hasPrefix("The City will inspect") == true)
        #expect(a.accountID == nil && a.token == nil)
    }

    @Test("SF: a token resolved to its id")
    func sfToken() throws {
        #expect(try Open311Decoding.tokenAnswers(Fixtures.data("sf/request_id_from_token.xml"))
            == [Open311PostAnswer(serviceRequestID: "638344", token: "12345")])
    }

    @Test("SF: <attribute> directly under the root of a service definition")
    func sfDefinition() throws {
        let d = try Open311Decoding.serviceDefinition(Fixtures.data("sf/service_definition.xml"))
        #expect(d.serviceCode == "DMV66")
        #expect(d.attributes == [Open311Attribute(variable: true, code: "WHISHETN", datatype: "singlevaluelist", required: true,
                                                  datatypeDescription: "", order: 1, description: "What is the ticket/tag/DL number?",
                                                  values: [.init(key: "123", name: "Ford"), .init(key: "124", name: "Chrysler")])])
    }

    @Test("SF: request list, empty list, and 36 services under a namespaced root")
    func sfLists() throws {
        #expect(try Open311Decoding.requests(Fixtures.data("sf/service_requests.xml")).map(\.serviceRequestID) == ["638344", "638349"])
        #expect(try Open311Decoding.requests(Fixtures.data("sf/service_requests_empty.xml")).isEmpty)
        let services = try Open311Decoding.services(Fixtures.data("sf/services.xml"))
        #expect(services.count == 36)
        #expect(services[0].serviceCode == "001" && services[0].group == "Litter Receptacles" && !services[0].metadata)
        #expect(services[0].keywords.isEmpty)
        #expect(services[0].description.hasSuffix("Violators will be cited."))
    }

    @Test("Toronto: long numeric ids kept exactly, <description/> and <updated_datetime/> missing")
    func toronto() throws {
        let rs = try Open311Decoding.requests(Fixtures.data("chicago-toronto-giessen/requests_many.xml"))
        #expect(rs.map(\.serviceRequestID) == ["101005420892", "101005420894"])
        #expect(rs[0].description == nil && rs[0].updatedDatetime == nil && rs[0].zipcode == nil && rs[0].mediaURL == nil)
        #expect(rs[0].lat == 43.691104288 && rs[0].long == -79.272306875)
        #expect(ServerRequestStatus(from: rs[0]).updated == nil)
        #expect(try Open311Decoding.requests(Fixtures.data("chicago-toronto-giessen/requests_single.xml")).count == 1)
    }

    @Test("Chicago: JSON services with keywords as one string, requests with missing optional fields")
    func chicago() throws {
        let s = try Open311Decoding.services(Fixtures.data("chicago-toronto-giessen/service_list.json"))
        #expect(s.count == 3 && s.allSatisfy(\.metadata))
        #expect(s[0].keywords == ["lorem", "ipsum", "dolor"])
        let r = try Open311Decoding.requests(Fixtures.data("chicago-toronto-giessen/service_requests.json"))
        #expect(r.map(\.serviceRequestID) == ["14-01100669", "14-01100627"])
        #expect(r[0].statusNotes == nil && r[1].statusNotes == "Locked")
        #expect(r[0].lat == 41.858724777757864)
    }

    @Test("Gießen: is_array root, German names intact")
    func giessen() throws {
        let s = try Open311Decoding.services(Fixtures.data("chicago-toronto-giessen/services_giessen.xml"))
        #expect(s.count == 8)
        #expect(s.map(\.serviceName).contains("Straßen- und Gehwegschäden"))
        #expect(s.first { $0.serviceCode == "012" }?.keywords == ["graffiti", "paintings"])
    }
}
