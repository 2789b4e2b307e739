//! Fixtures that OpenSSL refuses to make. Run by `scripts/gen-fixtures.sh` through
//! `cargo test --test generate_fixtures -- --ignored`; the outputs are committed.

use std::path::Path;

fn pem_body(path: &Path) -> Vec<u8> {
    let text = std::fs::read_to_string(path).unwrap();
    let body: String = text
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    edgelint::load::certificate::decode_base64(body.as_bytes()).unwrap()
}

/// A PKCS#12 file whose private key does not belong to its certificate (K002).
#[test]
#[ignore = "regenerates a committed fixture"]
fn mismatched_key_pfx() {
    let certs = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/certs");
    let key = p12_keystore::PrivateKey::from_der(&pem_body(&certs.join("other.key"))).unwrap();
    let leaf =
        p12_keystore::Certificate::from_der(&pem_body(&certs.join("edge-external.crt"))).unwrap();
    let chain = p12_keystore::PrivateKeyChain::new(vec![1u8, 2, 3, 4], key, [leaf]);
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        "mismatched",
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    let der = store.writer("Secret123").write().unwrap();
    std::fs::write(certs.join("mismatched-key.pfx"), der).unwrap();
}
