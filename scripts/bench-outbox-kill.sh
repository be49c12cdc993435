#!/usr/bin/env bash
# The outbox under kill -9, longer than CI runs it: KILLS kills at random moments while test submissions are
# saved; every ticket printed (as the screen shows it, after the commit) must be in the database exactly once,
# and PRAGMA integrity_check must say ok. Usage: scripts/bench-outbox-kill.sh [KILLS] (default 500).
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-500}
swift build -c release --product kiosk >/dev/null
K=$(swift build -c release --show-bin-path)/kiosk
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
python3 - "$K" "$t/k.sqlite" "$kills" <<'PY'
import json, random, sqlite3, subprocess, sys, time
K, db, kills = sys.argv[1], sys.argv[2], int(sys.argv[3])
shown = []
for _ in range(kills):
    p = subprocess.Popen([K, "--db", db, "outbox", "fill", "--count", "1000000"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.02, 0.15)); p.kill(); out, _ = p.communicate()
    shown += [l for l in out.decode(errors="replace").split("\n")[:-1] if l]   # the last, cut line was never shown
r = json.loads(subprocess.run([K, "--db", db, "outbox", "list", "--json"], capture_output=True, text=True, check=True).stdout)
saved = [i["ticket"] for i in r["items"]]
ok = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
lost = set(shown) - set(saved); doubled = len(saved) - len(set(saved))
print(f"kills={kills} shown={len(shown)} saved={len(saved)} lost={len(lost)} doubled={doubled} integrity={ok}")
sys.exit(0 if not lost and not doubled and ok == "ok" else 1)
PY
