// Third-party checks: schemathesis (driven by the Open311 community's swagger and by our own OpenAPI document)
// and the PyPI georeport client,
// through scripts/open311-thirdparty.sh against the built kiosk-central.
import Foundation
import Testing

@Suite struct ThirdPartyTests {
    @Test(.timeLimit(.minutes(5)))
    func schemathesisAndGeoreportFindNoServerErrorAndNoSchemaViolation() throws {
        let binary = try #require(centralBinary(), "no kiosk-central executable beside the test bundle; run `swift build --build-tests`")
        let r = try runProcess("/bin/bash", [repoRoot + "/scripts/open311-thirdparty.sh"], env: ["KIOSK_CENTRAL": binary])
        #expect(r.status == 0, "open311-thirdparty.sh failed (exit \(r.status)); needs pip install -r scripts/python-requirements.txt:\n\(r.stdout.suffix(6000))\n\(r.stderr.suffix(2000))")
        #expect(r.stdout.contains("schemathesis response_format=json"))
        #expect(r.stdout.contains("schemathesis response_format=xml"))
        #expect(r.stdout.contains("schemathesis openapi/kiosk-central.yaml: operations="))
        #expect(r.stdout.contains("georeport xml: services="))
        print(r.stdout.split(separator: "\n").filter { $0.hasPrefix("schemathesis") || $0.hasPrefix("georeport") }.joined(separator: "\n"))
    }
}
