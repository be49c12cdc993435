// The OpenAPI document of kiosk-central checked from outside: openapi-spec-validator, the path constants, and its
// JSON schemas against real Open311 answers, the community's schemas and what the shared Swift model encodes.
import Foundation
import KioskProtocol
import Testing

private let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
private let documentPath = repoRoot.appendingPathComponent("openapi/kiosk-central.yaml").path
private let fixtures = repoRoot.appendingPathComponent("../shared/fixtures/open311").standardized.path

/// Runs python3 with a script and arguments; the output is standard output and error together.
private func python(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", script] + arguments
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    let input = Pipe()
    p.standardInput = input
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    // Read before waiting: a full pipe would otherwise block python forever.
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Validates JSON instances (one JSON list of [schemaName, instance] on standard input) against the document's
/// schemas; prints one line per failure and exits 1 when there is one.
private let validateScript = #"""
import json, sys, yaml
from jsonschema import Draft202012Validator, FormatChecker
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
failures = 0
for name, instance in json.load(sys.stdin):
    v = Draft202012Validator({"$ref": "#/components/schemas/" + name, "components": doc["components"]},
                             format_checker=FormatChecker())
    for e in v.iter_errors(instance):
        failures += 1
        print(f"{name}: at {'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:300]}")
sys.exit(1 if failures else 0)
"""#

private func validate(_ cases: [(String, Any)]) throws -> (status: Int32, output: String) {
    let list: [[Any]] = cases.map { [$0.0, $0.1] }
    let data = try JSONSerialization.data(withJSONObject: list)
    return try python(validateScript, [documentPath], stdin: data)
}

@Suite struct OpenAPIDocumentTests {
    @Test func theDocumentIsValidOpenAPI() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-m", "openapi_spec_validator", documentPath]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "openapi-spec-validator refuses \(documentPath):\n\(text)")
    }

    /// Guards the check above: a validator that is missing or says OK to anything would pass it.
    @Test func theValidatorRefusesABrokenCopy() throws {
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: broken) }
        var text = try String(contentsOfFile: documentPath, encoding: .utf8)
        // A response without its required description, and a $ref to nothing.
        text = text.replacingOccurrences(of: "          description: Recorded.\n", with: "")
        text = text.replacingOccurrences(of: "#/components/schemas/Heartbeat\"", with: "#/components/schemas/NoSuchThing\"")
        try text.write(to: broken, atomically: true, encoding: .utf8)
        let (status, output) = try python("import runpy, sys; sys.argv = ['openapi_spec_validator', sys.argv[1]]; runpy.run_module('openapi_spec_validator', run_name='__main__')", [broken.path])
        #expect(status != 0, "openapi-spec-validator accepted a document with a broken response and $ref:\n\(output)")
    }

    private func documentPaths() throws -> [String] {
        let (status, output) = try python("import yaml, json, sys; print(json.dumps(sorted(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))['paths'])))", [documentPath])
        try #require(status == 0, "cannot read the paths of \(documentPath):\n\(output)")
        let paths = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String]
        return try #require(paths, "the paths of \(documentPath) are not a list of strings: \(output)")
    }

    @Test func everyPathConstantIsInTheDocument() throws {
        let paths = Set(try documentPaths())
        var wanted = [
            KioskAPI.feedPath, Heartbeat.path, KioskAPI.ticketsPath + "/{ticket}", KioskAPI.fleetPath, KioskAPI.fleetPath + ".html",
        ]
        for format in Open311.Format.allCases.map(\.rawValue) {
            for endpoint in ["discovery", "services", "services/{service_code}", "requests", "requests/{service_request_id}", "tokens/{token}"] {
                wanted.append("\(Open311.basePath)/\(endpoint).\(format)")
            }
        }
        for path in wanted {
            #expect(paths.contains(path), "\(documentPath) has no path \(path) (a constant of KioskAPI/Open311 names it)")
        }
        // And nothing in the document that the constants do not account for.
        let prefixes = [Open311.basePath + "/", KioskAPI.feedPath, Heartbeat.path, KioskAPI.ticketsPath + "/", KioskAPI.fleetPath]
        for path in paths {
            #expect(prefixes.contains { path == $0 || path.hasPrefix($0) }, "\(documentPath): path \(path) is under no KioskAPI/Open311 constant")
        }
    }

    private func fixture(_ relative: String) throws -> Any {
        let path = fixtures + "/" + relative
        let data = try #require(FileManager.default.contents(atPath: path), "missing fixture \(path) (../shared/fixtures/open311)")
        return try JSONSerialization.jsonObject(with: data)
    }

    @Test func theJSONSchemasAcceptTheRealOpen311Answers() throws {
        let (status, output) = try validate([
            ("Services", try fixture("chicago-toronto-giessen/service_list.json")),
            ("Requests", try fixture("chicago-toronto-giessen/service_requests.json")),
        ])
        #expect(status == 0, "the document's schemas refuse real Open311 answers:\n\(output)")
    }

    /// Hostile and broken variants of the real answers: our schemas and the community's georeport-v2 schemas
    /// must accept and refuse the same ones, so ours are neither looser nor stricter than the standard.
    @Test func theSchemasAgreeWithTheCommunitySchemas() throws {
        let script = #"""
import copy, json, pathlib, sys, yaml
from jsonschema import Draft202012Validator, Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
fx = pathlib.Path(sys.argv[2])
schemas = fx / "schema"
registry = Registry().with_resources(
    (p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8")), default_specification=DRAFT7))
    for p in schemas.glob("*.json") if p.name != "swagger.json")
def ours(name):
    return Draft202012Validator({"$ref": "#/components/schemas/" + name, "components": doc["components"]}, format_checker=FormatChecker())
def theirs(file):
    return Draft7Validator({"$ref": file}, registry=registry, format_checker=FormatChecker())
def variants(items, item_changes):
    out = [("as published", items)]
    for label, change in item_changes:
        v = copy.deepcopy(items); change(v[0]); out.append((label, v))
    return out
def drop(k): return lambda o: o.pop(k, None)
def put(k, x): return lambda o: o.__setitem__(k, x)
services = json.loads((fx / "chicago-toronto-giessen/service_list.json").read_text(encoding="utf-8"))
requests = json.loads((fx / "chicago-toronto-giessen/service_requests.json").read_text(encoding="utf-8"))
cases = [("Services", "services.json", v) for v in variants(services, [
    ("no service_code", drop("service_code")), ("no metadata", drop("metadata")),
    ("metadata as a string", put("metadata", "true")), ("type unknown", put("type", "sometimes")),
    ("service_code a number", put("service_code", 1)), ("description null", put("description", None)),
    ("an unknown field", put("x_extra", [1, 2])), ("keywords a list", put("keywords", ["a", "b"])),
])] + [("Requests", "requests.json", v) for v in variants(requests, [
    ("no service_request_id", drop("service_request_id")), ("numeric service_request_id", put("service_request_id", 14)),
    ("status pending", put("status", "pending")), ("no requested_datetime", drop("requested_datetime")),
    ("requested_datetime not a date", put("requested_datetime", "yesterday")), ("lat as a string", put("lat", "41.8")),
    ("lat null", put("lat", None)), ("status_notes with a script", put("status_notes", "<script>alert(1)</script>")),
    ("description over 4000", put("description", "x" * 4001)), ("an unknown field", put("x_extra", {"a": 1})),
])]
disagreements = 0
for name, file, (label, instance) in cases:
    a = ours(name).is_valid(instance); b = theirs(file).is_valid(instance)
    if a != b:
        disagreements += 1
        print(f"{name} {label}: ours {'accepts' if a else 'refuses'}, the community schema {'accepts' if b else 'refuses'}")
print(f"{len(cases)} cases, {disagreements} disagreements")
sys.exit(1 if disagreements else 0)
"""#
        let (status, output) = try python(script, [documentPath, fixtures])
        #expect(status == 0, "\(output)")
        #expect(output.contains("20 cases"), "the comparison did not run all its cases:\n\(output)")
    }

    /// The .xml answers use the element names of the JSON schemas: every element of the real XML answers is
    /// a property of the schema its parent maps to (or the item of a list property, for answers without the
    /// wrapper element, as San Francisco's service definition).
    @Test func theXMLElementNamesAreThoseOfTheRealAnswers() throws {
        let script = #"""
import pathlib, sys, yaml
import xml.etree.ElementTree as ET
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
schemas = doc["components"]["schemas"]
def resolve(s):
    while "$ref" in s: s = schemas[s["$ref"].split("/")[-1]]
    return s
def xml_name(s, default=None):
    return s.get("xml", {}).get("name", default)
by_root = {}
for name, s in schemas.items():
    if xml_name(s): by_root.setdefault(xml_name(s), []).append(resolve(s))
problems, checked = [], 0
def check(el, s, where):
    # <service_requests> is the root of requests, POST answers and token answers alike: any of them may fit.
    global checked, problems
    s = resolve(s)
    if s.get("type") == "array":
        item = resolve(s["items"])
        for child in el:
            if child.tag != xml_name(item, child.tag):
                problems.append(f"{where}: <{child.tag}> in <{el.tag}>, expected <{xml_name(item)}>")
            else:
                check(child, item, where)
        return
    props = s.get("properties", {})
    for child in el:
        checked += 1
        if child.tag in props:
            if len(child): check(child, props[child.tag], where)
            continue
        unwrapped = [p for p in props.values() if resolve(p).get("type") == "array" and xml_name(resolve(resolve(p)["items"])) == child.tag]
        if unwrapped:
            check(child, resolve(unwrapped[0])["items"], where)
        else:
            problems.append(f"{where}: <{child.tag}> in <{el.tag}> is not a property of the document's schema")
folder = pathlib.Path(sys.argv[2])
files = sorted(folder.glob("*/*.xml"))
for f in files:
    text = f.read_text(encoding="utf-8")
    text = text[text.index("<"):]  # sf/403.xml starts with the HTTP status line it was captured with
    root = ET.fromstring(text.encode("utf-8"))
    if root.tag not in by_root:
        problems.append(f"{f.name}: root <{root.tag}> is no schema's xml name"); continue
    if not len(root): continue
    outcomes = []
    for candidate in by_root[root.tag]:
        before, problems, seen = problems, [], checked
        check(root, candidate, f.name)
        outcomes.append((problems, checked - seen)); problems = before
    best = min(outcomes, key=lambda o: len(o[0]))
    problems += best[0]
print(f"{len(files)} files, {checked} elements checked")
for p in problems: print(p)
sys.exit(1 if problems or checked < 100 else 0)
"""#
        let (status, output) = try python(script, [documentPath, fixtures])
        #expect(status == 0, "\(output)")
    }

    /// The additions are hand-written on both ends: the document must describe what the shared model sends.
    @Test func theSchemasAcceptWhatTheSharedModelEncodes() throws {
        let now = Date(timeIntervalSince1970: 1_780_000_000)
        let full = Heartbeat(kioskID: "lodz-piotrkowska-104", softwareVersion: "1.4.0", sentAt: now, outboxDepth: 3,
                             oldestQueuedSeconds: 812.5, refused: 1, printerState: "fault", printerReasons: ["media-empty-error"],
                             lastSuccessfulSync: now.addingTimeInterval(-600), knowledgeBaseVersion: 42, freeDiskBytes: 9_000_000_000)
        let sparse = Heartbeat(kioskID: "k2", softwareVersion: "1.4.0", sentAt: now, outboxDepth: 0, oldestQueuedSeconds: nil,
                               refused: 0, printerState: "none", printerReasons: [], lastSuccessfulSync: nil,
                               knowledgeBaseVersion: nil, freeDiskBytes: nil)
        let delta = FeedPayload(kind: .delta, version: 43, since: 42, issued: now, expires: now.addingTimeInterval(86_400),
                                categories: Data(#"[{"id":"urzad","name":{"pl":"Urząd","en":"Office"}}]"#.utf8),
                                articles: Data(#"[{"id":"dowod","title":{"pl":"Dowód"}}]"#.utf8),
                                deletedArticles: ["stary"], services: Data(#"{"format":"lckm-services/1","services":[]}"#.utf8))
        let snapshot = FeedPayload(kind: .snapshot, version: 1, issued: now, expires: now.addingTimeInterval(86_400),
                                   categories: Data("[]".utf8), articles: Data("[]".utf8), services: nil)
        var cases: [(String, Any)] = []
        for h in [full, sparse] { cases.append(("Heartbeat", try JSONSerialization.jsonObject(with: h.encoded()))) }
        for p in [delta, snapshot] {
            let bytes = try p.encoded()
            cases.append(("FeedPayload", try JSONSerialization.jsonObject(with: bytes)))
            // The envelope as SignedFeed.sign writes it (a 64-byte signature, a 16-hex-digit key id).
            cases.append(("SignedFeed", ["format": SignedFeed.format, "key": "0123456789abcdef",
                                         "payload": bytes.base64EncodedString(),
                                         "signature": Data(repeating: 7, count: 64).base64EncodedString()]))
        }
        let (status, output) = try validate(cases)
        #expect(status == 0, "the document does not describe what KioskProtocol encodes:\n\(output)")

        // And it can fail: a delta without `since`, a heartbeat without its kiosk id.
        var noSince = try #require(try JSONSerialization.jsonObject(with: delta.encoded()) as? [String: Any])
        noSince["since"] = nil
        var noID = try #require(try JSONSerialization.jsonObject(with: full.encoded()) as? [String: Any])
        noID["kiosk_id"] = nil
        let (badStatus, badOutput) = try validate([("FeedPayload", noSince), ("Heartbeat", noID)])
        #expect(badStatus != 0 && badOutput.contains("since") && badOutput.contains("kiosk_id"),
                "the schemas accepted a delta without since or a heartbeat without kiosk_id:\n\(badOutput)")
    }
}
