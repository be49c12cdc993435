#!/usr/bin/env bash
# Search benchmark: generates a Knowledge Base of 10,000 articles (from the demo's texts), imports it
# with the search index, and prints index build time, database size and latency per query.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product kiosk >/dev/null
"$(swift build -c release --show-bin-path)/kiosk" bench --search --articles "${1:-10000}"
