#!/usr/bin/env bash
# The `edgelint` wheel (python/pyproject.toml) end to end, offline but for the first tool install:
#   1. scripts/build-wheel.sh builds the wheel and the sdist into target/wheel/dist (maturin from
#      PyPI, pinned; it packs the `cargo build --release` binary); the sdist holds what a build
#      needs (build.rs, src/, rules/docs, rules/builtin, Cargo.lock) and no tests or fixtures;
#   2. the wheel installed into a fresh virtual environment gives an `edgelint` whose --version
#      is Cargo.toml's and whose output on the example equals tests/snapshots' (exit 1);
#   3. the pre-commit hook `edgelint` (language: python: the root shim, which pulls the wheel),
#      through tests/precommit/run.sh with PIP_NO_INDEX=1 and PIP_FIND_LINKS=target/wheel/dist
#      (the wheel and a setuptools wheel for the shim's build): a defective plan fails, a clean
#      one passes, each first install under 30 s.
# target/wheel/dist then also serves tests/action/run.py (the action's wheel path).
#
# Called by .ci/run. Environment: CARGO_TARGET_DIR (default this project's target/).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
dist=$root/target/wheel/dist
setuptools=setuptools==80.9.0 # what pip's isolated build of the root shim installs

say() { printf 'wheel: %s\n' "$*"; }
fail() {
    printf 'wheel: FAIL: %s\n' "$*" >&2
    exit 1
}
passed=0

# --- 1. build -------------------------------------------------------------------------------------
version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$root/Cargo.toml" | head -n 1)
wheel=$(bash "$root/scripts/build-wheel.sh" "$dist" | tail -n 1)
say "built $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KiB)"
sdist=$dist/edgelint-$version.tar.gz
[[ -f $sdist ]] || fail "no sdist $sdist"
listing=$(tar -tzf "$sdist" | sed "s#^edgelint-$version/##")
for f in pyproject.toml python/pyproject.toml Cargo.toml Cargo.lock README.md build.rs src/main.rs \
    rules/docs/N002.md rules/builtin; do
    grep -q "^$f" <<<"$listing" || fail "the sdist lacks $f"
done
if grep -E '^(fixtures|tests|fuzz|examples|scripts|\.github|\.ci)/' <<<"$listing" | head -n 3 | grep .; then
    fail "the sdist holds test material (above)"
fi
say "sdist: $(wc -l <<<"$listing") files, $(du -k "$sdist" | cut -f1) KiB, no tests or fixtures"
passed=$((passed + 1))

# --- 2. a fresh virtual environment ---------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edgelint-wheel.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"${PYTHON:-python3}" -m venv "$tmp/venv"
start=$EPOCHREALTIME
env -u PIP_FIND_LINKS "$tmp/venv/bin/python" -m pip install --quiet --no-index --no-deps "$wheel"
took=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
got=$("$tmp/venv/bin/edgelint" --version)
say "installed into an empty venv in ${took}s: $got"
[[ $got == "edgelint $version" ]] || fail "--version is '$got', Cargo.toml says $version"
expected=$(sed '1,/^---$/d' "$root/tests/snapshots/example__concise_output_of_the_example.snap")
rc=0
out=$(cd "$root" && env -u EDGELINT_PFX_PASSWORD EDGE_PFX_PASSWORD=Secret123 NO_COLOR=1 \
    "$tmp/venv/bin/edgelint" check examples/contoso --format concise --now 2026-11-26T12:00:00Z) || rc=$?
[[ $rc == 1 ]] || fail "the example: exit $rc, expected 1"
[[ $out == "$expected" ]] || fail "the example's output differs from tests/snapshots:
$(diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out") || true)"
say "the example: exit 1, output equal to the snapshot"
passed=$((passed + 1))

# --- 3. the pre-commit hook, offline --------------------------------------------------------------
if ! compgen -G "$dist/setuptools-*.whl" >/dev/null; then
    say "downloading $setuptools (the root shim's build backend) into ${dist#"$root"/}"
    env -u PIP_FIND_LINKS -u PIP_NO_INDEX "${PYTHON:-python3}" -m pip download --quiet --no-deps \
        --only-binary :all: "$setuptools" -d "$dist"
fi
EDGELINT_PRECOMMIT_HOOKS=edgelint EDGELINT_PRECOMMIT_WHEELHOUSE=$dist bash "$root/tests/precommit/run.sh"
passed=$((passed + 1))

say "$passed passed, 0 failed"
