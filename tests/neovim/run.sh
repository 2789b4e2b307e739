#!/usr/bin/env bash
# tests/neovim/run.sh: edgelint server end to end in a real editor, Neovim run headless
# (Debian's package, installed when absent: 0.7.2 on Debian 12). tests/neovim/e2e.lua opens
# a copy of the example, compares the diagnostics with `edgelint check`, hovers, applies a
# suppression, edits the unsaved buffer, breaks the YAML, checks columns after non-ASCII
# text and shuts the server down (status 0). Prints one `ok:` line per step.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v nvim >/dev/null; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
nvim --version | head -n 1
cargo build --quiet
EDGELINT="$(realpath "${CARGO_TARGET_DIR:-target}/debug/edgelint")"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cp -r examples/contoso/. "$WORK/"
cat >"$WORK/wide.yaml" <<'YAML'
version: 1
sip_domains: [contoso.com]
edge_pools:
  - name: p
    internal_fqdn: edgepool.corp.contoso.com
    external:
      access_edge: sip.contoso.com
      web_conferencing_edge: webcon.contoso.com
      av_edge: av.contoso.com
    servers: ["ed😀ge", edge01]
YAML
EXPECTED="$(EDGE_PFX_PASSWORD=Secret123 "$EDGELINT" check --format json --fail-on never --now 2026-11-26T12:00:00Z "$WORK/topology.yaml" \
  | python3 -c 'import json,sys; print(",".join(d["code"] for d in json.load(sys.stdin)["diagnostics"]))')"
export EDGELINT WORK EXPECTED EDGE_PFX_PASSWORD=Secret123
timeout 120 nvim --headless --noplugin -n -i NONE -u tests/neovim/e2e.lua
echo "neovim: 1 passed, 0 failed"
