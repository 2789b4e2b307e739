//! Fixtures that OpenSSL refuses or is unable to make, written with tests/common/pkcs12_writer.rs.
//! `scripts/gen-fixtures.sh` runs `mismatched_key_pfx`; `scripts/fixtures/pkcs12.sh` runs the
//! others with the inputs it made (EDGELINT_GEN_* variables) and checks each output with
//! OpenSSL. The outputs are committed.

#[path = "common/pkcs12_writer.rs"]
mod pkcs12_writer;

use pkcs12_writer::{Protect, Spec};
use std::path::{Path, PathBuf};

fn pem_bodies(path: &Path) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut body: Option<String> = None;
    for l in text.lines() {
        if l.starts_with("-----BEGIN") {
            body = Some(String::new());
        } else if l.starts_with("-----END") {
            let b = body.take().unwrap();
            out.push(edgelint::load::certificate::decode_base64(b.as_bytes()).unwrap());
        } else if let Some(b) = body.as_mut() {
            b.push_str(l);
        }
    }
    out
}

fn pem_body(path: &Path) -> Vec<u8> {
    pem_bodies(path).remove(0)
}

fn kdf(password: &[u8], salt: &[u8], id: u8, iterations: u32, n: usize) -> Vec<u8> {
    use edgelint::load::pkcs12::pbe::{pkcs12_kdf, Hash, KeyId};
    let id = match id {
        1 => KeyId::Key,
        2 => KeyId::Iv,
        _ => KeyId::Mac,
    };
    pkcs12_kdf(Hash::Sha1, password, salt, id, iterations, n)
}

fn var(name: &str) -> PathBuf {
    PathBuf::from(
        std::env::var_os(name)
            .unwrap_or_else(|| panic!("{name} is not set: run scripts/fixtures/pkcs12.sh")),
    )
}

/// A PKCS#12 file whose private key does not belong to its certificate (K002).
#[test]
#[ignore = "regenerates a committed fixture"]
fn mismatched_key_pfx() {
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/certs");
    let mut spec = Spec::new(kdf);
    spec.key = Some(pem_body(&certs.join("other.key")));
    spec.certs = vec![pem_body(&certs.join("edge-external.crt"))];
    spec.friendly_name = Some("mismatched".into());
    std::fs::write(
        certs.join("mismatched-key.pfx"),
        pkcs12_writer::write(&spec),
    )
    .unwrap();
}

/// The key and certificates named by EDGELINT_GEN_KEY (PKCS#8 PEM) and EDGELINT_GEN_CERTS
/// (PEM, leaf first), for the generators below.
fn spec_from_env() -> Spec {
    let mut spec = Spec::new(kdf);
    spec.key = Some(pem_body(&var("EDGELINT_GEN_KEY")));
    spec.certs = pem_bodies(&var("EDGELINT_GEN_CERTS"));
    spec
}

/// PBES2 with AES-256-CBC and the HMAC-SHA-1 PRF for the key and the certificates, SHA-1 MAC:
/// what OpenSSL 1.1 wrote with `-keypbe AES-256-CBC -certpbe AES-256-CBC` (OpenSSL 3 always
/// picks HMAC-SHA-256).
#[test]
#[ignore = "regenerates a committed fixture (scripts/fixtures/pkcs12.sh)"]
fn aes256_sha1_prf_pfx() {
    let mut spec = spec_from_env();
    spec.key_protect = Protect::Pbes2Aes256 { sha1_prf: true };
    spec.cert_protect = Protect::Pbes2Aes256 { sha1_prf: true };
    spec.seed = 2;
    std::fs::write(
        var("EDGELINT_GEN_OUT_SHA1_PRF"),
        pkcs12_writer::write(&spec),
    )
    .unwrap();
}

/// Indefinite-length BER throughout (constructed OCTET STRINGs too), with the key bag's
/// Microsoft CSP name naming a CNG Key Storage Provider (K004).
#[test]
#[ignore = "regenerates a committed fixture (scripts/fixtures/pkcs12.sh)"]
fn ber_ksp_pfx() {
    let mut spec = spec_from_env();
    spec.ber = true;
    spec.csp = Some("Microsoft Software Key Storage Provider".into());
    spec.friendly_name = Some("ber-ksp".into());
    spec.seed = 3;
    std::fs::write(var("EDGELINT_GEN_OUT_BER"), pkcs12_writer::write(&spec)).unwrap();
}

/// Hostile PKCS#12 files for fixtures/hostile (EDGELINT_GEN_HOSTILE names the folder): each
/// must end in a T003 finding that says what is wrong, without a hang.
#[test]
#[ignore = "regenerates committed fixtures (scripts/fixtures/pkcs12.sh)"]
fn hostile_pfx() {
    let dir = var("EDGELINT_GEN_HOSTILE");
    let base = || {
        let mut spec = spec_from_env();
        spec.iterations = 1;
        spec.mac_iterations = Some(1);
        spec.seed = 4;
        spec
    };
    // A MAC key derivation of 2,000,000 iterations.
    let mut spec = base();
    spec.mac_iterations = Some(2_000_000);
    std::fs::write(
        dir.join("pkcs12-mac-iterations.pfx"),
        pkcs12_writer::write(&spec),
    )
    .unwrap();
    // A MAC iteration count of 0.
    let mut spec = base();
    spec.mac_iterations = Some(0);
    std::fs::write(
        dir.join("pkcs12-mac-zero-iterations.pfx"),
        pkcs12_writer::write(&spec),
    )
    .unwrap();
    // No MAC, and PBKDF2 asking for 1,500,000 iterations.
    let mut spec = base();
    spec.mac_iterations = None;
    spec.iterations = 1_500_000;
    std::fs::write(
        dir.join("pkcs12-pbe-iterations.pfx"),
        pkcs12_writer::write(&spec),
    )
    .unwrap();
    // Indefinite-length SEQUENCEs nested 10,000 deep.
    let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000)
        .flatten()
        .collect();
    std::fs::write(dir.join("pkcs12-deep-nesting.pfx"), deep).unwrap();
}
