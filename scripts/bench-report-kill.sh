#!/usr/bin/env bash
# kill -9 while the real kiosk files reports through its UI under a script, more often than CI does (200):
# every ticket the screen showed ("ticket N shown" on stdout) must be saved exactly once, and
# PRAGMA integrity_check must say ok. Usage: scripts/bench-report-kill.sh [KILLS] (default 1000).
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-1000}
swift build -c release --product kiosk >/dev/null
K=$(swift build -c release --show-bin-path)/kiosk
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
# One filing of the first listed service (it asks the threat question), 400 times over.
python3 - "$t/file.script" <<'PY'
import sys
one = """expect-screen home
tap home.report
tap report.service.item.0
tap report.threat.no
tap report.location.here
tap report.next
tap report.description
type "Przewrócone drzewo blokuje chodnik."
tap report.next
tap report.contact.skip
tap report.submit
expect-screen ticket
tap ticket.done
"""
open(sys.argv[1], "w").write(one * 400)
PY
SDL_VIDEODRIVER=dummy "$K" --db "$t/k.sqlite" render --screen home --out "$t/first.png" >/dev/null 2>&1 # fills the database once
SDL_VIDEODRIVER=dummy python3 - "$K" "$t/k.sqlite" "$t/file.script" "$kills" <<'PY'
import json, random, sqlite3, subprocess, sys, time
K, db, script, kills = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
shown = []
for _ in range(kills):
    p = subprocess.Popen([K, "--db", db, "run", "--headless", "--script", script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.05, 0.5)); p.kill(); out, _ = p.communicate()
    for line in out.decode(errors="replace").split("\n")[:-1]:   # the last, cut line was never said
        w = line.split(" ")
        if len(w) == 3 and w[0] == "ticket" and w[2] == "shown": shown.append(w[1])
r = json.loads(subprocess.run([K, "--db", db, "outbox", "list", "--json"], capture_output=True, text=True, check=True).stdout)
saved = [i["ticket"] for i in r["items"]]
ok = sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0]
lost = set(shown) - set(saved); doubled = len(saved) - len(set(saved))
print(f"kills={kills} shown={len(shown)} saved={len(saved)} lost={len(lost)} doubled={doubled} integrity={ok}")
sys.exit(0 if not lost and not doubled and len(shown) == len(set(shown)) and ok == "ok" else 1)
PY
