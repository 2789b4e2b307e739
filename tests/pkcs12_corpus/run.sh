#!/usr/bin/env bash
# PKCS#12 files made by other tools, opened by OpenSSL and by edgelint (tests/pkcs12_corpus.rs).
#
# Downloads pyca/cryptography's test vectors (the `cryptography-vectors` wheel from PyPI,
# pinned below: pyca's own PKCS#12 files and NIST's PKITS PKCS#12 files) into
# target/pkcs12-corpus/ once, then runs the ignored corpus test on them. For every PKCS#12 file
# the test asks OpenSSL which of the passwords "", "cryptography" and "password" opens it, and
# checks that edgelint opens it with the same password and reads the same certificates
# (subject and SHA-256 of each); then it runs `edgelint check` on a topology naming every file
# with its password and expects no T003 or T004.
# Requirements: python3 with pip (download and unzip), OpenSSL 3.x CLI, cargo.
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=50.0.2
DEST="${CARGO_TARGET_DIR:-target}/pkcs12-corpus"
TREE="$DEST/cryptography-vectors-$VERSION"
if [ ! -d "$TREE/cryptography_vectors" ]; then
  mkdir -p "$DEST"
  python3 -m pip download --quiet --no-deps --only-binary :all: \
    "cryptography-vectors==$VERSION" -d "$DEST"
  rm -rf "$TREE.partial"
  python3 -m zipfile -e "$DEST/cryptography_vectors-$VERSION-py3-none-any.whl" "$TREE.partial"
  mv "$TREE.partial" "$TREE"
fi
EDGELINT_PKCS12_CORPUS="$(cd "$TREE/cryptography_vectors" && pwd)" \
  cargo test --quiet --test pkcs12_corpus -- --ignored --nocapture
