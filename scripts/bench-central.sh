#!/usr/bin/env bash
# kiosk-central POST requests/s with 50 concurrent kiosks (keep-alive HTTP/1.1, each POST a new idempotency key)
# and the latency percentiles, on a release build with a fresh database (synchronous=FULL, one fsync a request).
# Env: CLIENTS (50), SECONDS_RUN (10), CONFIG (release; debug for a quick look), SKIP_BUILD=1 to use an existing build.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
clients="${CLIENTS:-50}"; duration="${SECONDS_RUN:-10}"
config="${CONFIG:-release}"
if [ "${SKIP_BUILD:-0}" != 1 ]; then (cd "$root" && swift build -c "$config" --product kiosk-central >/dev/null); fi
bin="$root/.build/$config/kiosk-central"
work=$(mktemp -d); trap '[ -n "${pid:-}" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
key=$("$bin" keys add --db "$work/c.sqlite" bench-01)
"$bin" serve --db "$work/c.sqlite" --port "$port" --quiet 2>"$work/server.log" & pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/open311/v2/services.json" -o /dev/null && break; sleep 0.1; done
python3 - "$port" "$key" "$clients" "$duration" <<'PY'
import asyncio, sys, time, uuid, urllib.parse
port, key, clients, duration = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
lat, codes = [], {}
def body():
    return urllib.parse.urlencode({"api_key": key, "service_code": "zgo-przepelnione", "lat": "51.7592", "long": "19.456",
        "address_string": "Piotrkowska 104, Łódź", "description": "Przepełniony kosz przy przystanku",
        "attribute[rodzaj]": "uliczny", "attribute[kiosk_idempotency_key]": str(uuid.uuid4()),
        "attribute[kiosk_ticket]": "BENCH"}).encode()
async def client(deadline):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    while time.monotonic() < deadline:
        b = body()
        t0 = time.monotonic()
        w.write(b"POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\n" % len(b) + b)
        await w.drain()
        status = int((await r.readline()).split()[1]); n = 0
        while True:
            line = await r.readline()
            if line in (b"\r\n", b""): break
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length": n = int(v)
        await r.readexactly(n)
        lat.append(time.monotonic() - t0); codes[status] = codes.get(status, 0) + 1
    w.close()
async def main():
    start = time.monotonic()
    await asyncio.gather(*(client(start + duration) for _ in range(clients)))
    return time.monotonic() - start
elapsed = asyncio.run(main())
lat.sort()
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"bench-central: {clients} clients, {len(lat)} POSTs in {elapsed:.1f}s = {len(lat)/elapsed:.0f} requests/s; "
      f"p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, max {lat[-1]*1000:.1f} ms; statuses {codes}")
if set(codes) != {200}: sys.exit(1)
PY
rows=$("$bin" requests list --db "$work/c.sqlite" --limit 1000000 | wc -l)
echo "bench-central: rows stored $rows"
