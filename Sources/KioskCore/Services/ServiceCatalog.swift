// The catalogue of problems a resident can report, as Open311 GeoReport v2 services and service definitions,
// each naming the municipal unit that is competent for it.

/// A municipal unit that handles reports (Zarząd Dróg i Transportu, Straż Miejska…).
public struct CityUnit: Sendable, Equatable, Codable {
    public var id: String
    public var name: Localized
    public init(id: String, name: Localized) { self.id = id; self.name = name }
}

/// A topic residents think in; the report screen groups services by it (Open311 `group`).
public struct ServiceGroup: Sendable, Equatable, Codable {
    public var id: String
    public var name: Localized
    public init(id: String, name: Localized) { self.id = id; self.name = name }
}

/// Open311 attribute datatypes, all six.
public enum AttributeDatatype: String, Sendable, Equatable, Codable, CaseIterable {
    case string, number, datetime, text, singlevaluelist, multivaluelist
    public var isList: Bool { self == .singlevaluelist || self == .multivaluelist }
}

public struct AttributeValue: Sendable, Equatable, Codable {
    public var key: String
    public var name: Localized
    public init(key: String, name: Localized) { self.key = key; self.name = name }
}

/// One question of a service definition (Open311 `attribute`).
public struct ServiceAttribute: Sendable, Equatable, Codable {
    public var code: String
    public var datatype: AttributeDatatype
    public var required: Bool
    public var order: Int
    /// The question as the resident reads it.
    public var description: Localized
    /// Only for the two list datatypes.
    public var values: [AttributeValue]

    public init(code: String, datatype: AttributeDatatype, required: Bool, order: Int, description: Localized,
                values: [AttributeValue] = []) {
        self.code = code; self.datatype = datatype; self.required = required; self.order = order
        self.description = description; self.values = values
    }
}

/// A problem a resident can report (Open311 `service` with its definition).
public struct CityService: Sendable, Equatable, Codable {
    public var code: String
    public var name: Localized
    public var description: Localized
    public var group: String
    public var unit: String
    /// Words residents type for it; the search pipeline finds the service by them and by its name.
    public var keywords: [String]
    /// Its subject can be dangerous (a fallen tree on a road, an open manhole): the kiosk asks the threat
    /// question first and sends a resident in danger to 112 instead of filing.
    public var dangerous: Bool
    /// In `order`.
    public var attributes: [ServiceAttribute]

    /// Open311 `metadata`: whether the service has a definition with questions.
    public var hasQuestions: Bool { !attributes.isEmpty }

    public init(code: String, name: Localized, description: Localized, group: String, unit: String, keywords: [String],
                dangerous: Bool, attributes: [ServiceAttribute]) {
        self.code = code; self.name = name; self.description = description; self.group = group; self.unit = unit
        self.keywords = keywords; self.dangerous = dangerous; self.attributes = attributes
    }
}

public struct ServiceCatalog: Sendable, Equatable, Codable {
    public var units: [CityUnit]
    public var groups: [ServiceGroup]
    /// In the order residents see them: grouped by topic, groups in their order.
    public var services: [CityService]

    public init(units: [CityUnit], groups: [ServiceGroup], services: [CityService]) {
        self.units = units; self.groups = groups; self.services = services
    }

    public func unit(_ id: String) -> CityUnit? { units.first { $0.id == id } }
}
