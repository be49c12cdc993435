#!/usr/bin/env bash
# Third-party checks of kiosk-central that nobody here wrote: schemathesis driven by the Open311 community's
# GeoReport v2 swagger (response_format pinned to json, then xml), then by our own openapi/kiosk-central.yaml,
# must find zero server errors and zero schema violations, and the PyPI `georeport` client must read services, definitions and requests in JSON and XML.
# Needs: pip install -r scripts/python-requirements.txt; a built kiosk-central (swift build).
# Env: KIOSK_CENTRAL (binary), SCHEMATHESIS_MAX_EXAMPLES (default 20), KEEP=1 keeps the work folder.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
swagger="${OPEN311_SWAGGER:-$root/../shared/fixtures/open311/schema/swagger.json}"
[ -f "$swagger" ] || swagger="$root/shared/fixtures/open311/schema/swagger.json"
[ -f "$swagger" ] || { echo "open311-thirdparty: swagger.json not found (set OPEN311_SWAGGER)" >&2; exit 2; }
bin="${KIOSK_CENTRAL:-$root/.build/debug/kiosk-central}"
[ -x "$bin" ] || { echo "open311-thirdparty: no kiosk-central at $bin; run swift build" >&2; exit 2; }
command -v schemathesis >/dev/null || { echo "open311-thirdparty: schemathesis missing; pip install -r scripts/python-requirements.txt" >&2; exit 2; }
python3 -c 'import georeport' 2>/dev/null || { echo "open311-thirdparty: georeport missing; pip install -r scripts/python-requirements.txt" >&2; exit 2; }
examples="${SCHEMATHESIS_MAX_EXAMPLES:-20}"

work=$(mktemp -d)
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; [ "${KEEP:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
base="http://127.0.0.1:$port/open311/v2"
key=$("$bin" keys add --db "$work/c.sqlite" schemathesis-01)
staff_key=$("$bin" keys add --db "$work/c.sqlite" --staff schemathesis-staff)
"$bin" serve --db "$work/c.sqlite" --port "$port" --quiet 2>"$work/server.log" & pid=$!
for _ in $(seq 1 100); do curl -sf "$base/services.json" -o /dev/null && break; sleep 0.1; done
curl -sf "$base/services.json" -o /dev/null || { echo "open311-thirdparty: server did not start: $(tail -3 "$work/server.log")" >&2; exit 1; }

# A few real requests first, so GET requests and the definitions have something to return.
for i in 1 2 3; do
  curl -sf -X POST "$base/requests.json" --data-urlencode "api_key=$key" --data-urlencode service_code=zgo-przepelnione \
    --data-urlencode lat=51.759$i --data-urlencode long=19.456 --data-urlencode "address_string=Piotrkowska 10$i, Łódź" \
    --data-urlencode "description=Przepełniony kosz nr $i" --data-urlencode 'attribute[rodzaj]=uliczny' \
    --data-urlencode "attribute[kiosk_ticket]=SCH-$i" -o /dev/null
done

# schemathesis has no XML deserializer: this one maps GeoReport XML onto the JSON shape the swagger's schemas
# describe (list roots and wrappers become arrays, typed fields get their types, empty elements are absent), so
# the XML answers are schema-checked too rather than skipped.
mkdir -p "$work/hooks"
cat >"$work/hooks/open311_xml.py" <<'PY'
import xml.etree.ElementTree as ET
import schemathesis

LIST_ROOTS = {"services", "service_requests", "errors"}
WRAPPERS = {"attributes", "values", "endpoints", "formats"}
BOOLS = {"metadata", "variable", "required"}
INTS = {"order", "code"}
FLOATS = {"lat", "long"}

def scalar(el):
    text = (el.text or "").strip()
    if el.tag in BOOLS:
        return {"true": True, "false": False}.get(text, text)
    if el.tag in INTS and el.tag != "code" or (el.tag == "code" and text.isdigit()):
        try: return int(text)
        except ValueError: return text
    if el.tag in FLOATS:
        try: return float(text)
        except ValueError: return text
    return el.text or ""

def convert(el):
    kids = list(el)
    if el.tag in WRAPPERS:
        return [convert(k) for k in kids]
    if not kids:
        return scalar(el)
    out = {}
    for k in kids:
        if len(k) == 0 and not (k.text or "").strip() and k.tag not in WRAPPERS:
            continue
        out[k.tag] = convert(k)
    return out

@schemathesis.deserializer("text/xml", "application/xml")
def open311_xml(ctx, response):
    root = ET.fromstring(response.content)
    if root.tag in LIST_ROOTS:
        return [convert(k) for k in root]
    return convert(root)
PY

# One schemathesis run with the checks and settings all three share: $1 names its files in $work
# (schemathesis-$1.toml in, schemathesis-$1.log and junit-$1.xml out), $2 is the document, $3 the base URL;
# its exit status is left in rc.
fuzz() {
  set +e
  (cd "$work" && schemathesis --config-file "$work/schemathesis-$1.toml" --no-color run "$2" --url "$3" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --max-examples "$examples" --workers 2 --seed 311 --generation-database none \
    --suppress-health-check all --request-timeout 20 \
    --report junit --report-junit-path "$work/junit-$1.xml") >"$work/schemathesis-$1.log" 2>&1
  rc=$?
  set -e
}

# Operations, failed checks and schemathesis's own errors, from its JUnit report.
junit_counts() {
  python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
try:
    r = ET.parse(sys.argv[1]).getroot()
except Exception as e:
    print("no report (%s)" % e); sys.exit(0)
suites = [r] if r.tag == "testsuite" else list(r.iter("testsuite"))
print("operations=%d failed_operations=%d tool_errors=%d" % (sum(int(s.get("tests", 0)) for s in suites),
      sum(int(s.get("failures", 0)) for s in suites), sum(int(s.get("errors", 0)) for s in suites)))
PY
}

status=0
summary=""
for fmt in json xml; do
  cat >"$work/schemathesis-$fmt.toml" <<EOF
[auth.openapi.api_key]
api_key = "$key"

[parameters]
"path.response_format" = "$fmt"
EOF
  # The swagger's single-request path is `/request/{id}` (sic): kiosk-central serves it as an alias.
  PYTHONPATH="$work/hooks" SCHEMATHESIS_HOOKS=open311_xml fuzz "$fmt" "$swagger" "$base"
  counts=$(junit_counts "$work/junit-$fmt.xml")
  cases=$(grep -Eo '[0-9]+ generated, [0-9]+ passed' "$work/schemathesis-$fmt.log" | tail -1 || echo "?")
  line="schemathesis response_format=$fmt: $counts test_cases=$cases exit=$rc"
  echo "$line"
  summary="$summary$line"$'\n'
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "----- schemathesis ($fmt) output -----"; tail -80 "$work/schemathesis-$fmt.log"
  fi
done
# Our own document (openapi/kiosk-central.yaml): Open311 as we serve it and our additions (the signed feed, the
# heartbeat, tickets, the fleet view), with a kiosk's and a staff member's keys. A failed check fails; an error
# of schemathesis itself (its generator has crashed on a deep schema) is shown, and the server must still answer.
cat >"$work/schemathesis-own.toml" <<EOF
[auth.openapi.kioskBearer]
bearer = "$key"

[auth.openapi.staffBearer]
bearer = "$staff_key"
EOF
fuzz own "$root/openapi/kiosk-central.yaml" "http://127.0.0.1:$port"
own=$(junit_counts "$work/junit-own.xml")
cases=$(grep -Eo '[0-9]+ generated, [0-9]+ (passed|found)' "$work/schemathesis-own.log" | tail -1 || echo "?")
echo "schemathesis openapi/kiosk-central.yaml: $own test_cases=$cases exit=$rc"
if ! echo "$own" | grep -q "failed_operations=0 "; then
  status=1; echo "----- schemathesis (own document) output -----"; tail -80 "$work/schemathesis-own.log"
elif [ "$rc" -ne 0 ]; then
  echo "(schemathesis reported errors of its own, no failed check:)"
  grep -E "^_{5,}|Error:|^Runtime Error" "$work/schemathesis-own.log" | grep -v "^ *|" | cut -c1-160 | head -6
fi
curl -sf "$base/services.json" -o /dev/null || { echo "open311-thirdparty: the server stopped answering"; status=1; }

if grep -q "internal error" "$work/server.log"; then
  echo "open311-thirdparty: the server logged internal errors:"; grep "internal error" "$work/server.log" | head -5; status=1
fi

# The georeport client, a real Open311 client from PyPI, in both formats.
python3 - "$base" <<'PY' || status=1
import sys
from georeport import GeoReport
base = sys.argv[1]
for fmt in ("json", "xml"):
    g = GeoReport(base, jurisdiction="lodz.pl", output_format=fmt)
    services = g.get_service_list()
    services = services if isinstance(services, list) else [services]
    assert len(services) > 10, f"{fmt}: {len(services)} services"
    codes = [s["service_code"] for s in services]
    assert "zgo-przepelnione" in codes, f"{fmt}: codes {codes[:5]}"
    d = g.get_service_definition("zgo-przepelnione")
    attrs = d["attributes"]
    attrs = attrs["attribute"] if isinstance(attrs, dict) else attrs
    attrs = attrs if isinstance(attrs, list) else [attrs]
    assert any(a["code"] == "rodzaj" for a in attrs), f"{fmt}: definition {d}"
    reqs = g.get_service_requests(service_code="zgo-przepelnione", status="open")
    reqs = reqs if isinstance(reqs, list) else [reqs]
    assert len(reqs) == 3, f"{fmt}: {len(reqs)} requests"
    one = g.get_service_request(reqs[0]["service_request_id"])
    assert one["service_request_id"] == reqs[0]["service_request_id"], f"{fmt}: {one}"
    assert "email" not in one and "phone" not in one
    print(f"georeport {fmt}: services={len(services)} definition_attributes={len(attrs)} requests={len(reqs)} single=ok")
PY
[ "$status" -eq 0 ] && echo "open311-thirdparty: ok" || echo "open311-thirdparty: FAILED"
exit "$status"
