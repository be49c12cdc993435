// Reading a service catalogue file (format "lckm-services/1") from outside: limits, and errors that name the
// file, the service and the field so a technician can fix the source. Any error refuses the whole file.
import Foundation

public struct ServiceCatalogError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var serviceCode: String?
    public var field: String?
    public var problem: String

    public init(file: String, serviceCode: String? = nil, field: String? = nil, problem: String) {
        self.file = file; self.serviceCode = serviceCode; self.field = field; self.problem = problem
    }

    public var description: String {
        var at = file
        if let serviceCode { at += ": service \"\(serviceCode)\"" }
        if let field { at += (serviceCode == nil ? ": " : ", ") + "field \"\(field)\"" }
        return "\(at): \(problem)"
    }
}

public enum ServiceCatalogFile {
    public static let format = "lckm-services/1"

    public struct Limits: Sendable {
        public var maxFileBytes = 8 << 20
        public var maxServices = 500
        public var maxUnits = 100
        public var maxGroups = 100
        public var maxAttributes = 30
        public var maxValues = 100
        public var maxKeywords = 50
        public var maxNameCharacters = 120
        public var maxTextCharacters = 4_000
        public init() {}
    }

    public static func read(path: String, limits: Limits = Limits()) throws -> ServiceCatalog {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, let data = FileManager.default.contents(atPath: path) else {
            throw ServiceCatalogError(file: path, problem: "cannot read the file (missing or no permission)")
        }
        guard size <= limits.maxFileBytes else {
            throw ServiceCatalogError(file: path, problem: "file is \(size) bytes, more than the limit of \(limits.maxFileBytes)")
        }
        return try parse(data, file: path, limits: limits)
    }

    public static func parse(_ data: Data, file: String, limits: Limits = Limits()) throws -> ServiceCatalog {
        func fail(_ field: String?, _ problem: String, code: String? = nil) -> ServiceCatalogError {
            ServiceCatalogError(file: file, serviceCode: code, field: field, problem: problem)
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail(nil, "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")); check the export")
        }
        guard let top = root as? [String: Any] else { throw fail(nil, "the top level must be an object") }
        let known: Set<String> = ["format", "units", "groups", "services", "$comment"]
        if let odd = top.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(odd, "unknown key; known keys: format, units, groups, services")
        }
        guard (top["format"] as? String) == format else { throw fail("format", "expected \"\(format)\"") }

        var r = Reader(file: file, limits: limits, code: nil)
        let units = try r.list(top, "units", max: limits.maxUnits).enumerated().map { i, u in
            CityUnit(id: try r.id(u, "units[\(i)].id"), name: try r.localized(u, "units[\(i)].name", max: limits.maxNameCharacters))
        }
        let groups = try r.list(top, "groups", max: limits.maxGroups).enumerated().map { i, g in
            ServiceGroup(id: try r.id(g, "groups[\(i)].id"), name: try r.localized(g, "groups[\(i)].name", max: limits.maxNameCharacters))
        }
        for (what, ids) in [("units", units.map(\.id)), ("groups", groups.map(\.id))] {
            if let twice = Dictionary(grouping: ids, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw fail(what, "the id \"\(twice)\" appears twice")
            }
        }
        var services: [CityService] = []
        var seen = Set<String>()
        for (i, raw) in try r.list(top, "services", max: limits.maxServices).enumerated() {
            r.code = nil
            let code = try r.id(raw, "services[\(i)].service_code", key: "service_code")
            r.code = code
            guard seen.insert(code).inserted else { throw fail("service_code", "appears twice", code: code) }
            let allowed: Set<String> = ["service_code", "service_name", "description", "group", "unit", "keywords", "dangerous", "attributes"]
            if let odd = raw.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw fail(odd, "unknown key; known keys: \(allowed.sorted().joined(separator: ", "))", code: code)
            }
            let group = try r.string(raw, "group", max: 64)
            guard groups.contains(where: { $0.id == group }) else { throw fail("group", "\"\(group)\" is not one of groups", code: code) }
            let unit = try r.string(raw, "unit", max: 64)
            guard units.contains(where: { $0.id == unit }) else { throw fail("unit", "\"\(unit)\" is not one of units", code: code) }
            guard let keywords = raw["keywords"] as? [Any], !keywords.isEmpty, keywords.count <= limits.maxKeywords else {
                throw fail("keywords", "expected a list of 1–\(limits.maxKeywords) words residents type", code: code)
            }
            let words = try keywords.map { k -> String in
                guard let s = k as? String else { throw fail("keywords", "every keyword must be text", code: code) }
                return try r.checked("keywords", s, max: limits.maxNameCharacters)
            }
            guard let dangerous = raw["dangerous"] as? Bool ?? (raw["dangerous"] == nil ? false : nil) else {
                throw fail("dangerous", "expected true or false", code: code)
            }
            let attributes = try (raw["attributes"] == nil ? [] : r.list(raw, "attributes", max: limits.maxAttributes))
                .enumerated().map { j, a in try r.attribute(a, index: j) }
            if let twice = Dictionary(grouping: attributes.map(\.code), by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw fail("attributes", "the code \"\(twice)\" appears twice", code: code)
            }
            services.append(CityService(
                code: code, name: try r.localized(raw, "service_name", max: limits.maxNameCharacters),
                description: try r.localized(raw, "description", max: limits.maxTextCharacters), group: group, unit: unit,
                keywords: words, dangerous: dangerous, attributes: attributes.sorted { $0.order < $1.order }))
        }
        guard !services.isEmpty else { throw fail("services", "no services: residents could report nothing; check the export") }
        return ServiceCatalog(units: units, groups: groups, services: services)
    }

    /// Field readers that name the service and field in every error.
    struct Reader {
        let file: String
        let limits: Limits
        var code: String?

        func fail(_ field: String, _ problem: String) -> ServiceCatalogError {
            ServiceCatalogError(file: file, serviceCode: code, field: field, problem: problem)
        }

        func list(_ obj: [String: Any], _ key: String, max: Int) throws -> [[String: Any]] {
            guard let v = obj[key] as? [Any] else { throw fail(key, "missing; expected a list") }
            guard v.count <= max else { throw fail(key, "\(v.count) items, more than the limit of \(max)") }
            return try v.map { item in
                guard let o = item as? [String: Any] else { throw fail(key, "every item must be an object") }
                return o
            }
        }

        /// 1–64 of a–z, 0–9, `-` and `_`: it goes into URLs, element IDs and the central server's records.
        func id(_ obj: [String: Any], _ field: String, key: String = "id") throws -> String {
            guard let s = obj[key] as? String, (1...64).contains(s.count),
                  s.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
                throw fail(field, "expected 1–64 of a–z, 0–9, - and _")
            }
            return s
        }

        func string(_ obj: [String: Any], _ key: String, max: Int) throws -> String {
            guard let s = obj[key] as? String else { throw fail(key, "missing; expected text") }
            return try checked(key, s, max: max)
        }

        /// No control characters, something visible, within the limit.
        func checked(_ field: String, _ s: String, max: Int) throws -> String {
            guard s.count <= max else { throw fail(field, "\(s.count) characters, more than the limit of \(max)") }
            if let bad = s.unicodeScalars.first(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
                throw fail(field, "contains the control character U+\(String(bad.value, radix: 16, uppercase: true)); remove it")
            }
            guard VisibleText.hasVisibleCharacters(s) else { throw fail(field, "empty or only invisible characters") }
            return s
        }

        /// {"pl", "en", "uk"}: Polish required, the others fall back to it.
        func localized(_ obj: [String: Any], _ field: String, max: Int) throws -> Localized {
            let key = field.split(separator: ".").last.map(String.init) ?? field
            guard let d = obj[key] as? [String: Any] else { throw fail(field, "expected {\"pl\": …, \"en\": …, \"uk\": …}") }
            if let odd = d.keys.sorted().first(where: { !["pl", "en", "uk"].contains($0) }) {
                throw fail("\(field).\(odd)", "unknown language; languages: pl, en, uk")
            }
            guard let pl = d["pl"] as? String else { throw fail("\(field).pl", "missing; Polish is required") }
            func other(_ l: String) throws -> String? {
                guard let v = d[l] else { return nil }
                guard let s = v as? String else { throw fail("\(field).\(l)", "expected text") }
                return try checked("\(field).\(l)", s, max: max)
            }
            return Localized(pl: try checked("\(field).pl", pl, max: max), en: try other("en"), uk: try other("uk"))
        }

        func attribute(_ a: [String: Any], index j: Int) throws -> ServiceAttribute {
            let at = "attributes[\(j)]"
            let allowed: Set<String> = ["code", "datatype", "required", "order", "description", "values", "variable", "datatype_description"]
            if let odd = a.keys.sorted().first(where: { !allowed.contains($0) }) { throw fail("\(at).\(odd)", "unknown key") }
            let code = try id(a, "\(at).code", key: "code")
            guard let dt = (a["datatype"] as? String).flatMap(AttributeDatatype.init(rawValue:)) else {
                throw fail("\(at).datatype", "expected one of \(AttributeDatatype.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let required = a["required"] as? Bool else { throw fail("\(at).required", "expected true or false") }
            guard let order = a["order"] as? Int, (1...1000).contains(order) else { throw fail("\(at).order", "expected a whole number from 1 to 1000") }
            let description = try localized(a, "\(at).description", max: limits.maxNameCharacters * 2)
            var values: [AttributeValue] = []
            if dt.isList {
                let raw = try list(a, "values", max: limits.maxValues)
                guard raw.count >= 2 else { throw fail("\(at).values", "a list needs at least two values") }
                values = try raw.enumerated().map { k, v in
                    // Keys name the options' element IDs (report.attr.CODE.KEY), so they keep to the ID characters.
                    guard let key = v["key"] as? String, (1...64).contains(key.count), key != "now",
                          key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) else {
                        throw fail("\(at).values[\(k)].key", "expected 1–64 of a–z, 0–9, - and _ (not \"now\")")
                    }
                    return AttributeValue(key: key, name: try localized(v, "\(at).values[\(k)].name", max: limits.maxNameCharacters))
                }
                if let twice = Dictionary(grouping: values.map(\.key), by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                    throw fail("\(at).values", "the key \"\(twice)\" appears twice")
                }
            } else if a["values"] != nil {
                throw fail("\(at).values", "only singlevaluelist and multivaluelist have values")
            }
            return ServiceAttribute(code: code, datatype: dt, required: required, order: order, description: description, values: values)
        }
    }
}
