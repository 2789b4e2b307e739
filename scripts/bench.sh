#!/usr/bin/env bash
# Benchmark: edgelint on a generated repository of thousands of files, against the time it
# takes just to read them (`cat`), plus the bundled example and, when present, zlint's corpus.
# Usage: scripts/bench.sh [FILES]   (default 3000 certificate files, 300 topology files)
# Prints the median of 7 runs of each command, in milliseconds.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3000}
cargo build --release -q
bin=$PWD/target/release/edgelint
# BENCH_REPO=DIR keeps the generated repository there (for a profiler); default: a temp dir.
if [ -n "${BENCH_REPO:-}" ]; then
  repo=$BENCH_REPO
  rm -rf "$repo" && mkdir -p "$repo"
else
  repo=$(mktemp -d)
  trap 'rm -rf "$repo"' EXIT
fi

# A repository: n PEM/DER certificate files, one topology per 10 of them (PKCS#12 files
# would measure PBKDF2, not edgelint, so the generated repository uses PEM and DER).
forms=(fixtures/certs/edge-external.crt fixtures/certs/edge-external.der
  fixtures/certs/edge-external-chain.pem fixtures/certs/edge-internal.crt)
for ((i = 0; i < n; i++)); do
  f=${forms[$((i % 4))]}
  mkdir -p "$repo/site$((i / 10))/certs"
  cp "$f" "$repo/site$((i / 10))/certs/cert$i.${f##*.}"
done
for ((s = 0; s < n / 10; s++)); do
  cat >"$repo/site$s/topology.yaml" <<YAML
version: 1
sip_domains: [contoso.com, fabrikam.com]
edge_pools:
  - name: edge-$s
    internal_fqdn: edgepool.corp.contoso.com
    external: {access_edge: sip.contoso.com, web_conferencing_edge: webcon.contoso.com, av_edge: av.contoso.com}
    servers: [edge01.corp.contoso.com, edge02.corp.contoso.com]
    certificates:
      - {file: certs/cert$((s * 10 + 2)).pem, exportable: true, uses: [AccessEdgeExternal, DataEdgeExternal, AudioVideoAuthentication]}
      - {file: certs/cert$((s * 10 + 3)).crt, exportable: true, uses: [Internal]}
YAML
done

median_ms() { # command... -> median wall time of 7 runs, in ms
  local times=()
  "$@" >/dev/null 2>&1 || true
  for _ in 1 2 3 4 5 6 7; do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 4p
}

files=$(find "$repo" -type f | wc -l)
echo "generated repository: $files files"
echo "read every file (cat):          $(median_ms sh -c "find '$repo' -type f -exec cat {} + >/dev/null") ms"
echo "edgelint check (json):          $(median_ms "$bin" check "$repo" --format json --now 2026-11-26T12:00:00Z) ms"
echo "edgelint check example:         $(median_ms env EDGE_PFX_PASSWORD=Secret123 "$bin" check examples/contoso --now 2026-11-26T12:00:00Z) ms"
if [ -d ../shared/real-world/zlint-testdata ]; then
  echo "edgelint check zlint corpus:    $(median_ms "$bin" check ../shared/real-world/zlint-testdata --format json --now 2026-11-26T12:00:00Z) ms"
fi
