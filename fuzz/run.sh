#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] [TARGET ...]: build the fuzz targets and run each for SECONDS (default
# 60), seeded from the repository's fixtures. Works with a nightly toolchain when one is
# installed, else on stable (RUSTC_BOOTSTRAP=1, no sanitizer: `-s none`). cargo-fuzz is
# installed into target/tools on first use. Crashes land in fuzz/artifacts/<target>/; the
# script then fails. Each crash input belongs in tests/fuzz-regressions/<target>/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(topology topology_xml report plan certificate pkcs12 key config rule_pack lsp cache_entry chains)
fi
ROOT="$PWD"
TOOLS="$ROOT/target/tools"
if [ ! -x "$TOOLS/bin/cargo-fuzz" ]; then
  cargo install cargo-fuzz --locked --version 0.13.2 --root "$TOOLS"
fi
export PATH="$TOOLS/bin:$PATH"
export CARGO_TARGET_DIR="$ROOT/target/fuzz"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  FUZZ=(cargo +nightly fuzz)
else
  export RUSTC_BOOTSTRAP=1
  FUZZ=(cargo fuzz)
fi

CORPUS="$ROOT/target/fuzz-corpus"
seed() { # seed <target> <files...>
  local dir="$CORPUS/$1"; shift
  mkdir -p "$dir"
  local f
  for f in "$@"; do cp -f "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"; done
}
mapfile -t yaml < <(find fixtures examples -name '*.yaml' -type f | LC_ALL=C sort)
seed topology "${yaml[@]}"
seed report "${yaml[@]}"
seed plan "${yaml[@]}"
mapfile -t xml < <(find fixtures/import -type f \( -name '*.xml' -o -name '*.tbxml' \) | LC_ALL=C sort)
seed topology_xml "${xml[@]}"
mapfile -t pfx < <(find fixtures -name '*.pfx' -o -name '*.p12' | LC_ALL=C sort)
seed pkcs12 "${pfx[@]}"
mapfile -t keys < <(find fixtures examples -name '*.key' -type f | LC_ALL=C sort)
seed key "${keys[@]}"
mapfile -t tomls < <(find fixtures examples -name '*.toml' -type f | LC_ALL=C sort)
seed config "${tomls[@]}"
seed rule_pack rules/builtin/*.yaml examples/rule-pack/*.yaml fixtures/selection/pack.yaml
# The lsp target reads editor sessions (one JSON-RPC message per line) over each topology.
python3 fuzz/seed_lsp.py "$CORPUS/lsp" "${yaml[@]}"
# The certificate target reads the first byte as the extension (pem crt der csr p7b key).
mkdir -p "$CORPUS/certificate"
i=0
while IFS= read -r f; do
  case "${f##*.}" in
    pem) b=0 ;; crt|cer) b=1 ;; der) b=2 ;; csr|req) b=3 ;; p7b|p7c) b=4 ;; key) b=5 ;; *) continue ;;
  esac
  { printf "\\$(printf '%03o' "$b")"; cat "$f"; } >"$CORPUS/certificate/seed-$i"
  i=$((i + 1))
done < <(find fixtures examples -type f \( -name '*.pem' -o -name '*.crt' -o -name '*.cer' -o -name '*.der' -o -name '*.csr' -o -name '*.req' -o -name '*.p7b' -o -name '*.key' \) | LC_ALL=C sort)

# The chains target reads a bundle: the fixtures' chain files, and leaves of the fixtures'
# issuing CA together with it (eight or more by one key, so the signature screen runs).
seed chains fixtures/certs/ca/chain.pem fixtures/certs/edge-external-chain.pem \
  fixtures/certs/authority/edge-internal-full-chain.pem
cat fixtures/certs/ca/issuing.crt fixtures/c001-unreferenced/*.crt fixtures/certs/names/*.crt \
  fixtures/certs/review/*.crt >"$CORPUS/chains/seed-issuing-ca-leaves.pem"

# The cache_entry target: the shards a run over the example and the fixtures writes (first
# byte 1: a shard's records after its header), each entry alone (first byte 0), and records
# of the stat index (first byte 2; a fresh clone's files are too new to be recorded, so they
# are made here: path length, path, 48 bytes of status, 32 of digest).
cache_seeds="$CARGO_TARGET_DIR/cache-seeds"
rm -rf "$cache_seeds"
for tree in examples/contoso fixtures/t004 fixtures/k004; do
  EDGE_PFX_PASSWORD=Secret123 cargo run -q -- check "$tree" --cache-dir "$cache_seeds/$(basename "$tree")" \
    --now 2026-11-26T12:00:00Z >/dev/null 2>&1 || true
done
mkdir -p "$CORPUS/cache_entry"
python3 - "$cache_seeds" "$CORPUS/cache_entry" <<'PY'
import pathlib, struct, sys
out = pathlib.Path(sys.argv[2])
for i, shard in enumerate(sorted(pathlib.Path(sys.argv[1]).glob("*/facts-*.bin"))):
    records = shard.read_bytes()[48:]
    (out / f"seed-shard-{i}").write_bytes(b"\x01" + records)
    at = 0
    while at + 40 <= len(records):
        n = struct.unpack("<Q", records[at + 32 : at + 40])[0]
        (out / f"seed-entry-{i}-{at}").write_bytes(b"\x00" + records[at + 40 : at + 40 + n])
        at += 40 + n + 16
stats = b""
for i, path in enumerate([b"/repo/certs/edge.pfx", b"/repo/certs/internal.crt", b""]):
    stats += struct.pack("<I", len(path)) + path + bytes(range(i, i + 48)) + bytes([i]) * 32
(out / "seed-stats").write_bytes(b"\x02" + stats)
# A topology tree (first byte 3): the text "a: b\n", a zero byte, its mapping of one pair.
node = lambda tag, start, end, n: bytes([tag]) + struct.pack("<III", start, end, n)
tree = node(3, 0, 4, 1) + node(0, 0, 1, 1) + b"a" + node(0, 3, 4, 1) + b"b"
(out / "seed-tree").write_bytes(b"\x03" + b"a: b\n" + b"\x00" + tree)
PY

cd fuzz
"${FUZZ[@]}" build -s none -O 2>&1 | tail -n 3
failed=0
for t in "${TARGETS[@]}"; do
  log="$CARGO_TARGET_DIR/$t.log"
  mkdir -p "artifacts/$t"
  if "${FUZZ[@]}" run -s none -O "$t" "$CORPUS/$t" -- \
      -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
      >"$log" 2>&1; then
    status=ok
  else
    status=CRASH
    failed=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
  echo "fuzz: $t: $status, $runs executions in ${SECONDS_EACH}s ($cov)"
  if [ "$status" != ok ]; then tail -n 30 "$log"; fi
done
exit "$failed"
