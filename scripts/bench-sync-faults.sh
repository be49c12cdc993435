#!/usr/bin/env bash
# The fault test at full size: N submissions (default 1000) from the real kiosk sync through the fault proxy
# (30 % of requests refused, 503, hung, dropped after the server committed, slow or truncated) to the real
# kiosk-central; passes only if the server ends with exactly one request per submission and the outbox is
# empty. CI runs the same test with 200. Usage: scripts/bench-sync-faults.sh [N] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
export KIOSK_FAULT_SUBMISSIONS="${1:-1000}" KIOSK_FAULT_SEED="${2:-20261202}" SDL_VIDEODRIVER=dummy
swift build --build-tests >/dev/null
swift test --skip-build --filter SyncUnderFaults 2>&1 | grep -E "SyncUnderFaults:|✘|passed after|failed after"
