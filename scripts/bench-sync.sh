#!/usr/bin/env bash
# Sync benchmarks on loopback with the release builds of kiosk and kiosk-central:
#   - full sync of a 10,000-article Knowledge Base (a signed snapshot fetched, checked, indexed, applied);
#   - an unchanged sync (the feed answered 304);
#   - an outbox flush of 1,000 submissions.
# Each is run RUNS times (default 5) on fresh copies; medians and the slowest run are printed.
# Usage: scripts/bench-sync.sh [ARTICLES] [SUBMISSIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
articles="${1:-10000}" submissions="${2:-1000}" runs="${3:-5}"
swift build -c release --product kiosk >/dev/null
swift build -c release --product kiosk-central >/dev/null
bin="$(swift build -c release --show-bin-path)"
K="$bin/kiosk" C="$bin/kiosk-central"
t=$(mktemp -d); trap 'kill ${cp:-0} 2>/dev/null || true; rm -rf "$t"' EXIT
export SDL_VIDEODRIVER=dummy; unset KIOSK_CONFIG KIOSK_API_KEY

# A Knowledge Base of ARTICLES public articles made from the demo's texts (new ids and titles).
python3 - "$articles" assets/kb/demo-kb.json "$t/kb.json" <<'PY'
import json, random, sys
n, src, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
d = json.load(open(src))
base = [a for a in d["articles"] if not a.get("internal") and not a.get("validTo")]
# A real Knowledge Base of that size has tens of thousands of distinct words, not the demo's few thousand:
# each article gets a sentence of 6 words drawn from 20,000 dictionary words, so the search index is not built
# from a handful of repeated texts.
try:
    stems = [l.split("/")[0].strip() for l in open("/usr/share/hunspell/pl_PL.dic", encoding="iso-8859-2").read().split("\n")[1:]]
    stems = [w for w in stems if w.isalpha() and w.islower()]
except OSError:
    stems = []
rng = random.Random(20261202)
stems = rng.sample(stems, min(20000, len(stems)))
arts = []
for i in range(n):
    a = dict(base[i % len(base)])
    a["id"] = f"gen-{i:05d}"
    a["title"] = {k: f"{v} ({i})" for k, v in a["title"].items()}
    a["related"] = []
    if stems:
        a["additionalInfo"] = (a.get("additionalInfo") or "") + "\nUwagi: " + " ".join(rng.choice(stems) for _ in range(6)) + "."
    arts.append(a)
json.dump({"format": d["format"], "categories": d["categories"], "articles": arts}, open(out, "w"), ensure_ascii=False)
PY
"$C" kb import --db "$t/c.sqlite" "$t/kb.json" >/dev/null
key=$("$C" keys add --db "$t/c.sqlite" bench-01)
feed=$("$C" feed-key --db "$t/c.sqlite")
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
"$C" serve --db "$t/c.sqlite" --port "$port" >"$t/c.log" 2>&1 & cp=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/open311/v2/services.json" -o /dev/null && break; sleep 0.1; done
cat >"$t/kiosk.json" <<JSON
{"kioskId": "bench-01", "server": {"url": "http://127.0.0.1:$port", "feedPublicKeys": ["$feed"]}}
JSON
export KIOSK_API_KEY="$key"
"$K" --db "$t/base.sqlite" --config "$t/kiosk.json" kb list >/dev/null   # a kiosk as installed: the demo data in it

ms() { python3 -c 'import sys,time,subprocess;t=time.perf_counter();r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);print(f"{(time.perf_counter()-t)*1000:.0f}" if r.returncode==0 else "FAIL")' "$@"; }
summary() { python3 -c 'import sys,statistics as s;v=[float(x) for x in sys.argv[2:] if x!="FAIL"];f=len(sys.argv)-2-len(v);print(f"{sys.argv[1]}: median {s.median(v):.0f} ms, slowest {max(v):.0f} ms over {len(v)} runs" + (f", {f} FAILED" if f else ""))' "$@"; }

full=(); same=(); flush=()
for r in $(seq 1 "$runs"); do
  cp "$t/base.sqlite" "$t/k$r.sqlite"
  full+=("$(ms "$K" --db "$t/k$r.sqlite" --config "$t/kiosk.json" sync now)")
  same+=("$(ms "$K" --db "$t/k$r.sqlite" --config "$t/kiosk.json" sync now)")
  "$K" --db "$t/k$r.sqlite" --config "$t/kiosk.json" outbox fill --count "$submissions" --service zzm-drzewo-zagrozenie --ticket-code "B$r" >/dev/null
  flush+=("$(ms "$K" --db "$t/k$r.sqlite" --config "$t/kiosk.json" sync now)")
done
n=$("$K" --db "$t/k1.sqlite" kb list | wc -l)
summary "full sync of $articles articles (kiosk shows $n)" "${full[@]}"
summary "unchanged sync (feed answered 304)" "${same[@]}"
summary "outbox flush of $submissions submissions" "${flush[@]}"
