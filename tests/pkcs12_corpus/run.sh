#!/usr/bin/env bash
# PKCS#12 files made by other tools, opened by OpenSSL and by edgelint (tests/pkcs12_corpus.rs).
#
# Downloads pyca/cryptography's test vectors (the `cryptography-vectors` wheel from PyPI, pinned
# below by version and SHA-256: pyca's own PKCS#12 files and NIST's PKITS PKCS#12 files) into
# target/pkcs12-corpus/ once, then runs the ignored corpus test on them. For every PKCS#12 file
# the test asks OpenSSL which of the passwords "", "cryptography" and "password" opens it (with
# -legacy when RC2 needs it), and checks that edgelint opens it with the same password and reads
# the same certificates (subject and SHA-256 of each); then it runs `edgelint check` on a
# topology naming every file with the variable holding its password and expects no T003 or
# T004. It prints the counts.
#
# Called by .ci/run. Requirements: python3 with pip (download, unzip), OpenSSL 3.x CLI, cargo.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=50.0.2
sha256=51641f03a3eb4edbe9fb68e3a3574d25f86aa502d06391fffa886330d02778a0
wheel=cryptography_vectors-$version-py3-none-any.whl
dest=$root/target/pkcs12-corpus
tree=$dest/cryptography-vectors-$version

if [ ! -d "$tree/cryptography_vectors" ]; then
    mkdir -p "$dest"
    if [ ! -f "$dest/$wheel" ]; then
        printf 'pkcs12-corpus: downloading cryptography-vectors %s from PyPI\n' "$version"
        python3 -m pip download --quiet --no-deps --only-binary :all: \
            "cryptography-vectors==$version" -d "$dest"
    fi
    echo "$sha256  $dest/$wheel" | sha256sum --check --quiet
    rm -rf "$tree.partial"
    python3 -m zipfile -e "$dest/$wheel" "$tree.partial"
    mv "$tree.partial" "$tree"
fi
cd "$root"
EDGELINT_PKCS12_CORPUS="$tree/cryptography_vectors" \
    cargo test --quiet --test pkcs12_corpus -- --ignored --nocapture
