#!/usr/bin/env bash
# Builds the `edgelint` wheel for this machine and the sdist (python/pyproject.toml: maturin,
# `bindings = "bin"`) into DIR (default target/wheel/dist), and prints the wheel's path last.
#
#   scripts/build-wheel.sh [DIR]
#
# maturin comes from PyPI, pinned in python/build-requirements.txt, installed once into
# target/wheel-venv. The binary is `cargo build --release --locked` (CARGO_TARGET_DIR honoured):
# maturin finds it up to date in the same target folder and only packs it, so after a release
# build the wheel takes about a second. Release wheels for every platform come from
# .github/workflows/release.yml, not from here.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/target/wheel/dist}
mkdir -p "$out"
out=$(cd "$out" && pwd)
venv=$root/target/wheel-venv
requirements=$root/python/build-requirements.txt

say() { printf 'build-wheel: %s\n' "$*" >&2; }

if ! cmp -s "$requirements" "$venv/requirements.txt"; then
    say "installing $(grep -v '^#' "$requirements" | paste -sd' ') into ${venv#"$root"/}"
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    # from PyPI itself: a find-links folder the machine may set has nothing to do with this
    env -u PIP_FIND_LINKS -u PIP_NO_INDEX "$venv/bin/python" -m pip install --quiet \
        --requirement "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi

version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)
start=$EPOCHREALTIME
cargo build --quiet --release --locked --bin edgelint --manifest-path "$root/Cargo.toml"
built=$EPOCHREALTIME
rm -f "$out"/edgelint-*.whl "$out"/edgelint-*.tar.gz
(cd "$root/python" && "$venv/bin/maturin" build --quiet --release --out "$out" >&2 &&
    # maturin 1.16's sdist prints this spurious line before it reads pyproject.toml's manifest-path
    "$venv/bin/maturin" sdist --out "$out" 2>&1 | grep -vx "error: manifest path \`Cargo.toml\` does not exist" >&2)
done_=$EPOCHREALTIME
wheel=$(find "$out" -maxdepth 1 -name "edgelint-$version-*.whl" | head -n 1)
[[ -n $wheel ]] || { say "no edgelint-$version wheel in $out"; exit 1; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
say "$(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB; cargo build --release $(secs "$start" "$built") s, maturin (wheel and sdist) $(secs "$built" "$done_") s"
echo "$wheel"
