#!/usr/bin/env bash
# tests/pytest_lsp/run.sh: `edgelint server` under the client capabilities that pytest-lsp
# (PyPI) captured from real editors (Neovim 0.6 to 0.11, VS Code, Emacs): diagnostics, hover,
# code actions, an unsaved edit, completion, through pygls's own protocol implementation.
# pytest-lsp and its dependencies are pinned in requirements.txt and installed once into
# target/pytest-lsp/venv (again when the pins change).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=target/pytest-lsp/venv
REQUIREMENTS=tests/pytest_lsp/requirements.txt
if [ ! -x "$VENV/bin/pytest" ] || ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps -r "$REQUIREMENTS"
  cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi
cargo build --quiet
EDGELINT="$(realpath "${CARGO_TARGET_DIR:-target}/debug/edgelint")"
export EDGELINT
cd tests/pytest_lsp
exec "../../$VENV/bin/python" -m pytest -p no:cacheprovider -q "$@"
