#!/usr/bin/env bash
# Installs the Debian packages the kiosk builds and runs with (SDL2, SDL2_ttf, SDL2_image, fontconfig,
# SQLite, DejaVu fonts, CUPS) and the Python checkers of the tests. Needs root; safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=$(for p in $(cat "$here/debian-packages.txt"); do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
# The third-party Open311 checkers the tests run against kiosk-central (schemathesis, the georeport client).
if [ -f "$here/python-requirements.txt" ]; then
  python3 -m pip install -q --disable-pip-version-check -r "$here/python-requirements.txt"
fi
