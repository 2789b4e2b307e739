#!/usr/bin/env bash
# gen-fixtures.sh - (re)generate the certificate fixtures used by the test
# suite and the example repository.
#
# What it makes (all from scratch, every run):
#   fixtures/certs/          a throw-away test PKI (Contoso Test Root CA ->
#                            Contoso Test Issuing CA) and Edge Server leaf
#                            certificates in every container the linter reads:
#                            PEM, DER, PKCS#8 (plain and encrypted), PKCS#12
#                            (OpenSSL 3 default, -legacy, -nokeys), CRLF
#                            bundles with "Bag Attributes", CSRs (PEM, Windows
#                            "NEW CERTIFICATE REQUEST", DER), plus expired,
#                            not-yet-valid, expiring-soon, wrong-name and
#                            self-signed variants and an unrelated key.
#   fixtures/hostile/        malformed input: random bytes, bad base64,
#                            truncated DER/PFX, an empty PFX, junk between PEM
#                            blocks and an "openssl x509 -text" dump.
#   examples/contoso/certs/  a realistic example deployment (SIP domains
#                            contoso.com and fabrikam.com, Edge pool
#                            edgepool.corp.contoso.com) issued by its own CA.
#                            No CA private keys and no CSR key are shipped.
#
# Validity dates are fixed (openssl ca -startdate/-enddate) so that tests can
# assert on them; keys and serial numbers are random on each run.
# Every PKCS#12 file and encrypted key uses the password "Secret123".
#
# The outputs are committed to the repository, so the tests never need to run
# this generator (or have OpenSSL installed). Run it only to refresh them:
#     scripts/gen-fixtures.sh
# Requirements: OpenSSL 3.x CLI (default: /usr/bin/openssl, override with
# OPENSSL=...), coreutils, sed.
set -euo pipefail

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CERTS="$ROOT_DIR/fixtures/certs"
HOSTILE="$ROOT_DIR/fixtures/hostile"
EXAMPLE="$ROOT_DIR/examples/contoso/certs"

# OpenSSL check, $WORK, ossl, PASS, the `openssl ca` database and the ca_* helpers.
# shellcheck source=SCRIPTDIR/fixtures/lib/ca.sh disable=SC1091
. "$ROOT_DIR/scripts/fixtures/lib/ca.sh"
ca_init gen-fixtures

# make_ca <dir> <root-stem> <issuing-stem> <root CN> <issuing CN>
make_ca() {
  local d="$1" rs="$2" is="$3"
  mkdir -p "$d"
  cat >"$WORK/ext-ca.cnf" <<'EOF'
[ v3_root ]
basicConstraints       = critical, CA:TRUE
keyUsage               = critical, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always

[ v3_issuing ]
basicConstraints       = critical, CA:TRUE, pathlen:0
keyUsage               = critical, digitalSignature, keyCertSign, cRLSign
subjectKeyIdentifier   = hash
authorityKeyIdentifier = keyid:always
EOF
  ca_newkey "$d/$rs.key"
  ossl req -new -config "$WORK/req-plain.cnf" -key "$d/$rs.key" \
    -subj "/O=Contoso/CN=$4" -out "$WORK/$rs.csr"
  ca_sign "$WORK/$rs.csr" "$d/$rs.crt" 20200101000000Z 20400101000000Z \
    "$WORK/ext-ca.cnf" v3_root - "$d/$rs.key"
  ca_newkey "$d/$is.key"
  ossl req -new -config "$WORK/req-plain.cnf" -key "$d/$is.key" \
    -subj "/O=Contoso/CN=$5" -out "$WORK/$is.csr"
  ca_sign "$WORK/$is.csr" "$d/$is.crt" 20200101000000Z 20350101000000Z \
    "$WORK/ext-ca.cnf" v3_issuing "$d/$rs.crt" "$d/$rs.key"
}

# av.contoso.com too, so that the clean fixtures are quiet even under N004 (info).
EXT_NAMES="sip.contoso.com webcon.contoso.com sip.fabrikam.com av.contoso.com"
DEF_START=20260101000000Z
DEF_END=20271231235959Z
EKU_DEF="serverAuth, clientAuth"

# fixtures/hostile also holds the scenario's `expected` file: remove only what is made here.
rm -rf "$CERTS" "$EXAMPLE" "$HOSTILE"/*.pem "$HOSTILE"/*.pfx "$HOSTILE"/*.cer
mkdir -p "$CERTS/ca" "$HOSTILE" "$EXAMPLE/ca"

# ---------------------------------------------------------------------------
# fixtures/certs
# ---------------------------------------------------------------------------
make_ca "$CERTS/ca" root issuing "Contoso Test Root CA" "Contoso Test Issuing CA"
cat "$CERTS/ca/issuing.crt" "$CERTS/ca/root.crt" >"$CERTS/ca/chain.pem"
ca_use_test_ca "$CERTS/ca" # CA_CRT, CA_KEY, CHAIN

# issue_pfx <stem> <CN> <"sans"> [start end]  -> <stem>.pfx with key + chain
issue_pfx() {
  local stem="$1" k="$WORK/$1.key" c="$WORK/$1.crt"
  ca_leaf "$k" "$c" "$2" "$3" "${4:-$DEF_START}" "${5:-$DEF_END}" "$EKU_DEF"
  ca_pfx "$CERTS/$stem.pfx" "$k" "$c" "$CHAIN"
}

# The main external Edge certificate in all of its forms.
ca_leaf "$CERTS/edge-external.key" "$CERTS/edge-external.crt" sip.contoso.com \
  "$EXT_NAMES" "$DEF_START" "$DEF_END" "$EKU_DEF"
cat "$CERTS/edge-external.crt" "$CHAIN" >"$CERTS/edge-external-chain.pem"
ca_pfx "$CERTS/edge-external.pfx" "$CERTS/edge-external.key" "$CERTS/edge-external.crt" "$CHAIN"
ca_pfx "$CERTS/edge-external-legacy.pfx" "$CERTS/edge-external.key" "$CERTS/edge-external.crt" "$CHAIN" -legacy
ossl pkcs12 -export -nokeys -in "$CERTS/edge-external.crt" -certfile "$CHAIN" \
  -passout "pass:$PASS" -out "$CERTS/edge-external-nokey.pfx"
ossl x509 -in "$CERTS/edge-external.crt" -outform DER -out "$CERTS/edge-external.der"

# Leaf + issuing CA as dumped by "openssl pkcs12 -nokeys" from a PFX that also
# holds the key (so the leaf carries localKeyID/friendlyName bag attributes),
# converted to CRLF line endings.
ca_pfx "$WORK/edge-external.pfx" "$CERTS/edge-external.key" "$CERTS/edge-external.crt" "$CA_CRT"
ossl pkcs12 -in "$WORK/edge-external.pfx" -nokeys -passin "pass:$PASS" -out "$WORK/bundle.pem"
sed 's/\r*$/\r/' "$WORK/bundle.pem" >"$CERTS/edge-external-bundle-crlf.pem"

# Name problems.
issue_pfx external-no-webcon sip.contoso.com "sip.contoso.com sip.fabrikam.com"
issue_pfx external-no-access webcon.contoso.com "webcon.contoso.com sip.fabrikam.com"
issue_pfx external-cn-not-in-san edge.contoso.com "$EXT_NAMES"

# Internal Edge interface (PEM key + cert, and the encrypted PKCS#8 form).
ca_leaf "$CERTS/edge-internal.key" "$CERTS/edge-internal.crt" edgepool.corp.contoso.com \
  edgepool.corp.contoso.com "$DEF_START" "$DEF_END" serverAuth
ossl pkcs8 -topk8 -v2 aes-256-cbc -in "$CERTS/edge-internal.key" \
  -passout "pass:$PASS" -out "$CERTS/edge-internal-enc.key"

# A/V authentication certificate.
issue_pfx av av.contoso.com av.contoso.com

# Date problems.
issue_pfx expired sip.contoso.com "$EXT_NAMES" 20240101000000Z 20250101000000Z
issue_pfx not-yet-valid sip.contoso.com "$EXT_NAMES" 20270101000000Z 20280101000000Z
issue_pfx expiring-soon sip.contoso.com "$EXT_NAMES" 20251210000000Z 20261210000000Z

# A key that matches nothing.
ca_newkey "$CERTS/other.key"

# Certificate request (lacks sip.fabrikam.com) in PEM, Windows PEM and DER.
ca_csr "$CERTS/edge-external-csr.key" "$CERTS/edge-external.csr" sip.contoso.com \
  "sip.contoso.com webcon.contoso.com" serverAuth
sed 's/-----\(BEGIN\|END\) CERTIFICATE REQUEST-----/-----\1 NEW CERTIFICATE REQUEST-----/' \
  "$CERTS/edge-external.csr" >"$CERTS/edge-external-new.csr"
ossl req -in "$CERTS/edge-external.csr" -outform DER -out "$CERTS/edge-external.req"

# Self-signed leaf (CA:FALSE, issuer == subject).
ca_newkey "$CERTS/self-signed.key"
ca_leaf -s "$CERTS/self-signed.key" "$CERTS/self-signed.crt" sip.contoso.com "$EXT_NAMES" \
  "$DEF_START" "$DEF_END" "$EKU_DEF"

# ---------------------------------------------------------------------------
# fixtures/hostile
# ---------------------------------------------------------------------------
# "Random" bytes from a fixed AES-CTR key stream, so that regenerating gives the same files.
noise() { head -c "$1" /dev/zero | "$OPENSSL" enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv "$2"; }
noise 4096 00000000000000000000000000000001 >"$HOSTILE/random.pem"
{
  echo "-----BEGIN CERTIFICATE-----"
  noise 768 00000000000000000000000000000002 | base64 -w 64
  echo "-----END CERTIFICATE-----"
} >"$HOSTILE/random-labelled.pem"
# Valid certificate body with "!!!" injected into the third base64 line.
sed '4s/^.../!!!/' "$CERTS/edge-external.crt" >"$HOSTILE/bad-base64.pem"
head -c 200 "$CERTS/edge-external.der" >"$HOSTILE/truncated.cer"
: >"$HOSTILE/empty.pfx"
pfx_size="$(stat -c %s "$CERTS/edge-external.pfx")"
head -c "$((pfx_size / 2))" "$CERTS/edge-external.pfx" >"$HOSTILE/truncated.pfx"
{
  cat "$CERTS/edge-external.crt"
  cat <<'EOF'
This line is junk that sits between two certificates.
# so is this one; the block below is a decoy and must be skipped
-----BEGIN CERTIFICATE-----
not base64 at all
-----END CERTIFICATE-----
trailing junk: Subject: CN=nobody.example, Issuer: CN=nobody
EOF
  cat "$CA_CRT"
} >"$HOSTILE/garbage-between.pem"
ossl x509 -in "$CERTS/edge-external.crt" -text -out "$HOSTILE/text-before.pem"

# ---------------------------------------------------------------------------
# examples/contoso/certs (own CA; CA keys and the CSR key stay in $WORK)
# ---------------------------------------------------------------------------
make_ca "$WORK/exca" contoso-root-ca contoso-issuing-ca "Contoso Root CA" "Contoso Issuing CA"
cp "$WORK/exca/contoso-root-ca.crt" "$WORK/exca/contoso-issuing-ca.crt" "$EXAMPLE/ca/"
cat "$WORK/exca/contoso-issuing-ca.crt" "$WORK/exca/contoso-root-ca.crt" >"$WORK/exca/chain.pem"
ca_use "$WORK/exca/contoso-issuing-ca.crt" "$WORK/exca/contoso-issuing-ca.key" "$WORK/exca/chain.pem"
EX_START=20260301000000Z
EX_END=20280301000000Z

# ex_pfx <stem> <CN> <"sans">  -> examples/.../<stem>.pfx with key + chain
ex_pfx() {
  ca_leaf "$WORK/ex-$1.key" "$WORK/ex-$1.crt" "$2" "$3" "$EX_START" "$EX_END" "$EKU_DEF"
  ca_pfx "$EXAMPLE/$1.pfx" "$WORK/ex-$1.key" "$WORK/ex-$1.crt" "$CHAIN"
}

ex_pfx edge-external sip.contoso.com "sip.contoso.com webcon.contoso.com sip.fabrikam.com"
ex_pfx edge02-external sip.contoso.com "sip.contoso.com sip.fabrikam.com"
ex_pfx av av.contoso.com av.contoso.com

ca_leaf "$WORK/ex-internal.key" "$WORK/ex-internal.crt" edgepool.corp.contoso.com \
  edgepool.corp.contoso.com 20251201000000Z 20261215000000Z serverAuth
cat "$WORK/ex-internal.crt" "$CA_CRT" >"$EXAMPLE/edge-internal.crt"
ossl pkcs8 -topk8 -v2 aes-256-cbc -in "$WORK/ex-internal.key" \
  -passout "pass:$PASS" -out "$EXAMPLE/edge-internal.key"

ca_leaf "$WORK/ex-rp.key" "$EXAMPLE/reverse-proxy.crt" webext.contoso.com \
  "webext.contoso.com meet.contoso.com dialin.contoso.com lyncdiscover.contoso.com lyncdiscover.fabrikam.com meet.fabrikam.com" \
  "$EX_START" "$EX_END" "$EKU_DEF"

ca_csr "$WORK/ex-webcon.key" "$EXAMPLE/webcon-2027.csr" sip.contoso.com \
  "sip.contoso.com webcon.contoso.com" serverAuth

# OpenSSL refuses to pack a key with a certificate it does not belong to; the test suite's
# PKCS#12 writer (tests/common/pkcs12_writer.rs) writes that one (K002's PFX fixture).
(cd "$(dirname "$0")/.." && cargo test -q --test generate_fixtures -- --ignored --exact mismatched_key_pfx >/dev/null)

# Per-family fixtures, signed by the CA made above (scripts/fixtures/*.sh).
for extra in "$(dirname "$0")"/fixtures/*.sh; do
  [ -e "$extra" ] && bash "$extra"
done

# Test material only: keep modes uniform regardless of what openssl chose.
chmod -R u=rwX,go=rX "$CERTS" "$HOSTILE" "$EXAMPLE"

# ---------------------------------------------------------------------------
echo "gen-fixtures: wrote $(find "$CERTS" "$HOSTILE" "$EXAMPLE" -type f | wc -l) files under" \
  "fixtures/certs, fixtures/hostile and examples/contoso/certs"
