import Foundation
import Testing
@testable import KioskCore

/// A small valid catalogue; tests break one thing at a time.
func catalogJSON(services: String? = nil, units: String? = nil) -> String {
    let unitsJSON = units ?? #"[{"id": "zzm", "name": {"pl": "Zarząd Zieleni Miejskiej", "en": "Green Areas Authority", "uk": "Управління міської зелені"}}]"#
    let servicesJSON = services ?? #"""
    [{"service_code": "zzm-drzewo", "service_name": {"pl": "Przewrócone drzewo", "en": "Fallen tree", "uk": "Повалене дерево"},
      "description": {"pl": "Drzewo lub konar na chodniku.", "en": "A tree or branch on the pavement.", "uk": "Дерево або гілка на тротуарі."},
      "group": "zielen", "unit": "zzm", "keywords": ["drzewo", "konar"], "dangerous": true,
      "attributes": [
        {"code": "blokuje", "datatype": "singlevaluelist", "required": false, "order": 2,
         "description": {"pl": "Czy blokuje przejście?"}, "values": [{"key": "tak", "name": {"pl": "Tak"}}, {"key": "nie", "name": {"pl": "Nie"}}]},
        {"code": "opis", "datatype": "text", "required": false, "order": 1, "description": {"pl": "Szczegóły"}}
      ]}]
    """#
    return """
    {"format": "lckm-services/1", "units": \(unitsJSON),
     "groups": [{"id": "zielen", "name": {"pl": "Zieleń", "en": "Green areas", "uk": "Зелень"}}],
     "services": \(servicesJSON)}
    """
}

func parseCatalog(_ json: String) throws -> ServiceCatalog {
    try ServiceCatalogFile.parse(Data(json.utf8), file: "services.json")
}

@Suite struct ServiceCatalogFormat {
    @Test func aValidCatalogueReadsWithItsQuestionsInOrder() throws {
        let c = try parseCatalog(catalogJSON())
        #expect(c.services.count == 1)
        let s = try #require(c.services.first)
        #expect(s.dangerous && s.unit == "zzm" && s.name.uk == "Повалене дерево")
        #expect(s.attributes.map(\.code) == ["opis", "blokuje"]) // sorted by `order`
        #expect(s.attributes[1].values.map(\.key) == ["tak", "nie"])
        #expect(c.unit("zzm")?.name.pl == "Zarząd Zieleni Miejskiej")
    }

    @Test(arguments: [
        (#""dangerous": true"#, #""dangerous": "tak""#, "dangerous"),
        (#""unit": "zzm""#, #""unit": "zdit""#, "unit"),
        (#""group": "zielen""#, #""group": "drogi""#, "group"),
        (#""datatype": "text""#, #""datatype": "date""#, "attributes[1].datatype"),
        (#""order": 1"#, #""order": 0"#, "attributes[1].order"),
        (#""required": false, "order": 1"#, #""required": "no", "order": 1"#, "attributes[1].required"),
        (#""zzm-drzewo""#, #""ZZM Drzewo""#, "services[0].service_code"),
        (#""Przewrócone drzewo""#, #""\u200B\u3164""#, "service_name.pl"),
        (#""Przewrócone drzewo""#, #""Drzewo\u0007""#, "service_name.pl"),
        (#""keywords": ["drzewo", "konar"]"#, #""keywords": []"#, "keywords"),
        (#"{"key": "nie", "name": {"pl": "Nie"}}"#, #"{"key": "tak", "name": {"pl": "Nie"}}"#, "attributes[0].values"),
        (#""description": {"pl": "Szczegóły"}}"#, #""description": {"pl": "Szczegóły"}, "values": [{"key": "a", "name": {"pl": "A"}}, {"key": "b", "name": {"pl": "B"}}]}"#, "attributes[1].values"),
        (#""en": "Fallen tree""#, #""de": "Baum""#, "service_name.de"),
    ])
    func aBrokenServiceIsRefusedWholeNamingServiceAndField(good: String, bad: String, field: String) throws {
        let json = catalogJSON()
        #expect(json.contains(good), "test setup: \(good) not in the catalogue")
        do {
            _ = try parseCatalog(json.replacingOccurrences(of: good, with: bad))
            Issue.record("accepted \(bad)")
        } catch let e as ServiceCatalogError {
            #expect(e.file == "services.json")
            #expect(e.field == field, "\(e)")
            if field != "services[0].service_code" { #expect(e.serviceCode == "zzm-drzewo", "\(e)") }
        }
    }

    @Test func hostileFilesAreRefusedWithAReason() throws {
        for (json, says) in [
            ("", "not valid JSON"), ("[]", "top level"), (#"{"format": "lckm-kb/1"}"#, "lckm-services/1"),
            (catalogJSON(services: "[]"), "no services"),
            (catalogJSON().replacingOccurrences(of: #""format""#, with: #""formatt": 1, "format""#), "unknown key"),
            (catalogJSON(units: #"[{"id": "zzm", "name": {"pl": "A"}}, {"id": "zzm", "name": {"pl": "B"}}]"#), "appears twice"),
        ] {
            #expect(throws: ServiceCatalogError.self) { _ = try parseCatalog(json) }
            do { _ = try parseCatalog(json) } catch let e as ServiceCatalogError {
                #expect(e.description.contains(says), "\(e)")
            }
        }
        // Limits: a long name, many services.
        let long = String(repeating: "x", count: 200)
        #expect(throws: ServiceCatalogError.self) {
            _ = try parseCatalog(catalogJSON().replacingOccurrences(of: "Przewrócone drzewo", with: long))
        }
        var limits = ServiceCatalogFile.Limits()
        limits.maxServices = 0
        #expect(throws: ServiceCatalogError.self) {
            _ = try ServiceCatalogFile.parse(Data(catalogJSON().utf8), file: "s.json", limits: limits)
        }
    }
}
