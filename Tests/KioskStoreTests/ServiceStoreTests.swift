import Foundation
import KioskCore
import Testing
@testable import KioskStore

func sampleCatalog(_ codes: [String]) -> ServiceCatalog {
    let unit = CityUnit(id: "zdit", name: Localized(pl: "Zarząd Dróg i Transportu"))
    let group = ServiceGroup(id: "drogi", name: Localized(pl: "Drogi i chodniki"))
    let services = codes.map { code in
        CityService(code: code, name: Localized(pl: "Dziura \(code)", en: "Pothole \(code)", uk: "Вибоїна \(code)"),
                    description: Localized(pl: "Opis"), group: "drogi", unit: "zdit", keywords: ["dziura"], dangerous: code.hasSuffix("1"),
                    attributes: [ServiceAttribute(code: "wielkosc", datatype: .number, required: true, order: 1,
                                                  description: Localized(pl: "Średnica w cm"))])
    }
    return ServiceCatalog(units: [unit], groups: [group], services: services)
}

@Suite struct ServiceStore {
    @Test func aCatalogueIsReplacedWholeAndReadInItsOrder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-svc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try KioskStore(path: dir + "/k.sqlite")
        #expect(try !store.servicesImported())
        try store.importServices(sampleCatalog(["d-3", "d-1", "d-2"]), source: "a.json")
        #expect(try store.serviceCatalog().services.map(\.code) == ["d-3", "d-1", "d-2"])
        #expect(try store.serviceCatalog() == sampleCatalog(["d-3", "d-1", "d-2"]))
        try store.importServices(sampleCatalog(["d-9"]), source: "b.json")
        #expect(try store.serviceCatalog().services.map(\.code) == ["d-9"])
        #expect(try store.servicesImported())
        // A catalogue that breaks the database's rules (a service of an unknown unit; GRDB enforces foreign keys)
        // leaves the old one.
        var broken = sampleCatalog(["d-5"])
        broken.services[0].unit = "nowhere"
        #expect(throws: (any Error).self) { try store.importServices(broken, source: "c.json") }
        #expect(try store.serviceCatalog().services.map(\.code) == ["d-9"])
    }
}
