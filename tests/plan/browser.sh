#!/usr/bin/env bash
# tests/plan/browser.sh: the HTML report of `edgelint plan` in a real browser. Renders the
# example's report with headless Chromium (Debian's `chromium`, installed with apt-get when
# absent, which needs root, as CI has) and checks the screenshot: the page's size, text, the
# status colours of the tables and the timeline's bars. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT="$TARGET/plan-browser"
rm -rf "$OUT"
mkdir -p "$OUT"

cargo build -q
status=0
EDGE_PFX_PASSWORD=Secret123 "$TARGET/debug/edgelint" plan examples/contoso \
  --now 2026-11-26T12:00:00Z --html "$OUT/report.html" >/dev/null || status=$?
if [ "$status" -ne 1 ]; then
  echo "browser: edgelint plan exited $status, expected 1 (the example has defective certificates)" >&2
  exit 1
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "browser: installing Debian's chromium" >&2
  timeout 900 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 \
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# A fresh profile, no network service of the browser's own: the page must render from the
# file alone.
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$OUT/profile" --screenshot="$OUT/report.png" --window-size=1280,2000 \
  "file://$OUT/report.html" >"$OUT/chromium.log" 2>&1 || {
    tail -n 20 "$OUT/chromium.log" >&2
    exit 1
  }
timeout 120 python3 tests/plan/check_png.py "$OUT/report.png"
