#!/usr/bin/env bash
# Benchmark (docs/development.md#benchmark, figures in docs/performance.md): edgelint on a
# generated repository, side by side with its floors, in one run.
#
#   scripts/bench.sh [small|medium|large|N] [RUNS] [--breakdown]    (default: large, 5 runs)
#
# The repository is made by examples/bench (deterministic: 4, 200 or 2,000 deployments, or N)
# into target/bench/<size>/ once. Each round runs, in turn:
#   parse floor   walk + parse every YAML and certificate-like file, no checks, 2 threads
#                 (`bench floor parse`: edgelint's walker and parsers)
#   cold          edgelint check --format json, its cache folder removed first
#   warm          the same again, reading the cache the cold run wrote
#   read floor    walk + read every byte once, 2 threads (`bench floor read`)
# and prints the median wall time and peak RSS of each (/usr/bin/time), and the median of
# the per-round ratios cold/parse floor and warm/read floor. With --breakdown, each round also
# runs three cold runs that each leave one part of the work out, to show what that part costs
# next to the parse floor: without the A rules (the only ones that verify chain signatures),
# with --no-cache (nothing written), and with T001 alone (loading and the cache, almost no
# rule work and no report).
set -euo pipefail
cd "$(dirname "$0")/.."
breakdown=false
positional=()
for arg in "$@"; do
  case $arg in
  --breakdown) breakdown=true ;;
  *) positional+=("$arg") ;;
  esac
done
size=${positional[0]:-large}
runs=${positional[1]:-5}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q --bin edgelint --example bench
bin=$target/release/edgelint
gen=$target/release/examples/bench
repo=target/bench/$size
if [ ! -f "$repo/.complete" ]; then
  rm -rf "$repo"
  "$gen" generate "$size" "$repo"
  touch "$repo/.complete"
fi
cache=target/bench/cache-$size
export EDGE_PFX_PASSWORD=Secret123
now=2026-11-26T12:00:00Z

# measure NAME COMMAND...: append "wall_seconds peak_kb" to $out/NAME.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
measure() {
  local name=$1
  shift
  local t0 t1
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%M' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || true
  t1=$EPOCHREALTIME
  if grep -q panicked "$out/stderr"; then
    cat "$out/stderr" >&2
    exit 1
  fi
  # Wall time from the shell's clock (microseconds; /usr/bin/time's %e has 10 ms steps),
  # peak RSS from the last line of /usr/bin/time's (it writes "Command exited with non-zero
  # status 1" before it).
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$out/time")" \
    >>"$out/$name"
}
check=("$bin" check "$repo" --format json --now "$now" --cache-dir "$cache")

for ((i = 0; i < runs; i++)); do
  measure parse "$gen" floor parse "$repo"
  rm -rf "$cache"
  measure cold "${check[@]}"
  measure warm "${check[@]}"
  measure read "$gen" floor read "$repo"
  if $breakdown; then
    rm -rf "$cache"
    measure no_chains "${check[@]}" --ignore A
    measure no_cache "$bin" check "$repo" --format json --now "$now" --no-cache
    rm -rf "$cache"
    measure load_only "${check[@]}" --select T001
  fi
done

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall() { cut -d' ' -f1 "$out/$1" | median; }
rss_mb() { cut -d' ' -f2 "$out/$1" | median | awk '{ printf "%.0f", $1 / 1024 }'; }
ratio() { paste -d' ' "$out/$1" "$out/$2" | awk '{ r = 0; if ($3 > 0) r = $1 / $3; print r }' | median; }

files=$(find "$repo" -type f ! -name .complete | wc -l)
bytes=$(find "$repo" -type f ! -name .complete -printf '%s\n' | awk '{ s += $1 } END { print s }')
printf 'repository: %s, %d files, %.1f MB; %d runs, medians; %s, %d cores\n' \
  "$repo" "$files" "$(echo "$bytes" | awk '{ print $1 / 1e6 }')" "$runs" \
  "$(uname -m)" "$(nproc)"
printf '%-22s %9s %10s %18s\n' "" "wall" "peak RSS" "ratio"
printf '%-22s %8.3fs %7s MB\n' "parse floor" "$(wall parse)" "$(rss_mb parse)"
printf '%-22s %8.3fs %7s MB %10.2fx parse floor\n' "edgelint check, cold" "$(wall cold)" \
  "$(rss_mb cold)" "$(ratio cold parse)"
printf '%-22s %8.3fs %7s MB\n' "read floor" "$(wall read)" "$(rss_mb read)"
printf '%-22s %8.3fs %7s MB %10.2fx read floor\n' "edgelint check, warm" "$(wall warm)" \
  "$(rss_mb warm)" "$(ratio warm read)"
if $breakdown; then
  echo "cold runs with one part left out, against the parse floor of the same rounds:"
  printf '%-22s %8.3fs %7s MB %10.2fx parse floor\n' "  without A rules" "$(wall no_chains)" \
    "$(rss_mb no_chains)" "$(ratio no_chains parse)"
  printf '%-22s %8.3fs %7s MB %10.2fx parse floor\n' "  with --no-cache" "$(wall no_cache)" \
    "$(rss_mb no_cache)" "$(ratio no_cache parse)"
  printf '%-22s %8.3fs %7s MB %10.2fx parse floor\n' "  T001 alone" "$(wall load_only)" \
    "$(rss_mb load_only)" "$(ratio load_only parse)"
fi
