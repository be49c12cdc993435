#!/usr/bin/env bash
# Start-up benchmark: the static release build, `kiosk bench` three times (first frame on the dummy driver
# and, when xvfb is installed, under a real X11 window; article-screen frame times; memory), then one
# `strace -f -tt` of a start under Xvfb (out/startup.strace) with the gaps that matter summarised.
# Usage: scripts/bench-startup.sh [RUNS] [STARTS]   (default 3 runs of 9 starts; quote medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
starts="${2:-9}"
swift build -c release --static-swift-stdlib --product kiosk >/dev/null
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)/kiosk"
mkdir -p out
for i in $(seq "$runs"); do
  echo "== run $i of $runs"
  "$bin" bench --starts "$starts" --frames 600
done

command -v strace >/dev/null || { echo "strace not installed: no trace"; exit 0; }
command -v Xvfb >/dev/null || { echo "xvfb not installed: no trace"; exit 0; }
db="$(mktemp -d)/kiosk.sqlite"
"$bin" --db "$db" render --screen home --out /dev/null >/dev/null 2>&1 || true # fills the database first
Xvfb -displayfd 3 -screen 0 1080x1920x24 -nolisten tcp 3>out/xvfb.display 2>/dev/null &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s out/xvfb.display ] && break; sleep 0.1; done
display=":$(cat out/xvfb.display)"
# Twice: the first start of a new kiosk fills the font choice; the second is the one every boot sees.
for _ in 1 2; do
  env -u SDL_VIDEODRIVER DISPLAY="$display" SDL_FRAMEBUFFER_ACCELERATION=0 \
    strace -f -tt -e trace=openat,execve -o out/startup.strace "$bin" --db "$db" run --windowed --size 1080x1920 --bench-first-frame >/dev/null
done
awk '
  function ms(t,  a) { split(t, a, ":"); return (a[1] * 3600 + a[2] * 60 + a[3]) * 1000 }
  / execve\(/ && !t0 { t0 = ms($2) }
  /openat\(/ && !/ENOENT/ && /\.so/ { lib = ms($2) }
  /openat\(/ && !/ENOENT/ && !/\.so/ && !/ld\.so\.cache/ && !first { first = ms($2); firstfile = $4 }
  /openat\(/ && /fonts\.conf|conf\.avail|conf\.d/ { fc++ }
  /openat\(/ && /\.tt[fc]"/ && !/ENOENT/ { ttf++ }
  /openat\(/ && /synonyms/ { syn++ }
  /smaps_rollup/ { frame = ms($2) }
  END {
    printf "exec to last library mapped: %.1f ms (strace adds its own delay)\n", lib - t0
    printf "exec to first file the kiosk opens: %.1f ms (%s)\n", first - t0, firstfile
    printf "fontconfig configuration files opened: %d; font files opened: %d; synonym list opened: %d\n", fc, ttf, syn
    printf "exec to first frame (under strace): %.1f ms\n", frame - t0
  }' out/startup.strace
