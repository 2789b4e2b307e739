#!/usr/bin/env bash
# tests/vscode/package.sh: the VS Code extension (editors/vscode) packaged with vsce, as the
# Marketplace would take it: `npm ci` of its pinned dependencies (vscode-languageclient), then
# `vsce package`; the .vsix must hold the manifest, the script and the language client, carry
# Cargo.toml's version, and the script must parse. vsce (npm, pinned by package-lock.json) is
# installed once into ${CARGO_TARGET_DIR:-target}/vscode-tools. Without node and npm (or with
# EDGELINT_SKIP_NODE=1) it says SKIPPED and passes, as the other npm-based tests do.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ -n "${EDGELINT_SKIP_NODE:-}" ] || ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  echo "vscode: SKIPPED (no node/npm)"
  exit 0
fi
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
tools="$target/vscode-tools"
lock_sum="$(cksum <tests/vscode/package-lock.json)"
if [ ! -f "$tools/.lock-sum" ] || [ "$(cat "$tools/.lock-sum")" != "$lock_sum" ]; then
  rm -rf "$tools"
  mkdir -p "$tools"
  cp tests/vscode/package.json tests/vscode/package-lock.json "$tools/"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" >"$tools/.lock-sum"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r editors/vscode/. "$work/"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
node --check "$work/extension.js"
(cd "$work" && "$tools/node_modules/.bin/vsce" package --skip-license --out "$work/edgelint.vsix" >/dev/null)
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
python3 - "$work/edgelint.vsix" "$version" <<'PY'
import json, sys, zipfile
vsix, version = sys.argv[1], sys.argv[2]
names = zipfile.ZipFile(vsix).namelist()
for want in ["extension/package.json", "extension/extension.js", "extension/readme.md",
             "extension/node_modules/vscode-languageclient/node.js"]:
    assert want in names, f"{want} not in the .vsix: {names[:20]}"
manifest = json.loads(zipfile.ZipFile(vsix).read("extension/package.json"))
assert manifest["version"] == version, f"extension {manifest['version']}, Cargo.toml {version}"
assert manifest["main"] == "./extension.js"
print(f"vscode: packaged edgelint-{version}.vsix ({len(names)} files)")
PY
echo "vscode: 1 passed, 0 failed"
