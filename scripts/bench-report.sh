#!/usr/bin/env bash
# Filing a report, measured: the durable commit, send → ticket on screen, and ticket → receipt accepted by a
# private cupsd on loopback (raw queue to a socket listener standing in for a port-9100 thermal printer).
# Usage: scripts/bench-report.sh [RUNS] (default 3). Quote medians and p99; this machine is shared and noisy.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
swift build -c release --product kiosk >/dev/null
K=$(swift build -c release --show-bin-path)/kiosk
t=$(mktemp -d); trap 'kill $(cat "$t/cupsd.pid" 2>/dev/null) $(cat "$t/sink.pid" 2>/dev/null) 2>/dev/null; sleep 0.3; rm -rf "$t"' EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
sink=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
# The printer: accepts each job's bytes and drops them.
python3 - "$sink" <<'PY' & echo $! >"$t/sink.pid"
import socket, sys, threading
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
def drain(c):
    while c.recv(65536): pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=drain, args=(c,), daemon=True).start()
PY
# A private cupsd (../shared/platform-notes.md): its own ServerRoot, loopback only, job history kept so a
# print can be confirmed.
mkdir -p "$t"/{conf,spool/tmp,cache,state,log}
chmod 0755 "$t" # cupsd runs backends as lp: they must reach the spool
chmod 0777 "$t/spool" "$t/spool/tmp"
cat >"$t/conf/cups-files.conf" <<CONF
ServerRoot $t/conf
RequestRoot $t/spool
TempDir $t/spool/tmp
CacheDir $t/cache
StateDir $t/state
ServerBin /usr/lib/cups
AccessLog $t/log/access_log
ErrorLog $t/log/error_log
PageLog $t/log/page_log
FileDevice Yes
$( [ "$(id -u)" = 0 ] && printf 'User lp\nGroup lp\nSystemGroup root\n' || printf 'SystemGroup %s\n' "$(id -gn)")
CONF
cat >"$t/conf/cupsd.conf" <<CONF
Listen 127.0.0.1:$port
Browsing No
$(grep -v '^#' "$(dirname "$0")/../cups/cupsd-kiosk.conf")
<Location />
  Order allow,deny
  Allow 127.0.0.1
</Location>
<Policy default>
  <Limit All>
    Order allow,deny
    Allow all
  </Limit>
</Policy>
CONF
/usr/sbin/cupsd -f -c "$t/conf/cupsd.conf" -s "$t/conf/cups-files.conf" & echo $! >"$t/cupsd.pid"
for _ in $(seq 50); do lpstat -h "127.0.0.1:$port" -r >/dev/null 2>&1 && break; sleep 0.1; done
lpadmin -h "127.0.0.1:$port" -p bench80 -E -v "socket://127.0.0.1:$sink" -m raw 2>/dev/null
printf '{"printer": {"queue": "bench80", "kind": "escpos80", "server": "127.0.0.1:%s"}}\n' "$port" >"$t/kiosk.json"
for i in $(seq "$runs"); do
  echo "== run $i"
  SDL_VIDEODRIVER=dummy "$K" --config "$t/kiosk.json" bench --report --bench-dir "$t" 2>"$t/bench.err" || { tail -3 "$t/bench.err"; tail -5 "$t/log/error_log"; exit 1; }
done
