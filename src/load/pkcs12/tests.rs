//! The PKCS#12 reader against files OpenSSL made (fixtures/certs), files the test suite's
//! writer made (checked with OpenSSL by scripts/fixtures/pkcs12.sh), every PBE of
//! `openssl pkcs8 -topk8`, and hostile input.

use super::pbe::{self, Hash, KeyId, Password};
use super::*;
use std::path::{Path, PathBuf};

#[path = "../../../tests/common/pkcs12_writer.rs"]
mod writer;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap()
}

fn kdf(password: &[u8], salt: &[u8], id: u8, iterations: u32, n: usize) -> Vec<u8> {
    let id = match id {
        1 => KeyId::Key,
        2 => KeyId::Iv,
        _ => KeyId::Mac,
    };
    pbe::pkcs12_kdf(Hash::Sha1, password, salt, id, iterations, n)
}

/// The key and certificates of a fixture, opened with its password, for the writer.
fn material() -> (Vec<u8>, Vec<Vec<u8>>) {
    let o = open(&read("certs/edge-external.pfx"), "Secret123").unwrap();
    (o.keys[0].pkcs8.clone(), o.certs)
}

fn spec() -> writer::Spec {
    let (key, certs) = material();
    let mut s = writer::Spec::new(kdf);
    s.key = Some(key);
    s.certs = certs;
    s.iterations = 10;
    s.mac_iterations = Some(10);
    s
}

#[test]
fn openssl_files_open() {
    for (file, certs, keys) in [
        ("certs/edge-external.pfx", 3, 1),
        ("certs/edge-external-legacy.pfx", 3, 1),
        ("certs/edge-external-nokey.pfx", 3, 0),
        ("certs/crypto/ksp.pfx", 3, 1),
        ("certs/crypto/ksp-legacy.pfx", 3, 1),
        ("certs/pkcs12/nomac.pfx", 3, 1),
        ("certs/pkcs12/aes256-sha1-prf.pfx", 3, 1),
        ("certs/pkcs12/ber-ksp.pfx", 3, 1),
    ] {
        let o = open(&read(file), "Secret123").unwrap_or_else(|e| panic!("{file}: {e:?}"));
        assert_eq!((o.certs.len(), o.keys.len()), (certs, keys), "{file}");
        for k in &o.keys {
            crate::load::certificate::public_from_pkcs8(&k.pkcs8).unwrap();
        }
        assert_eq!(
            open(&read(file), "wrong"),
            Err(Error::WrongPassword),
            "{file}"
        );
        assert_eq!(open(&read(file), ""), Err(Error::WrongPassword), "{file}");
    }
    let o = open(&read("certs/pkcs12/nomac.pfx"), "Secret123").unwrap();
    assert_eq!(o.mac, MacStatus::Absent);
    let o = open(&read("certs/edge-external.pfx"), "Secret123").unwrap();
    assert_eq!(o.mac, MacStatus::Verified("HMAC-SHA-256".into()));
    let o = open(&read("certs/pkcs12/aes256-sha1-prf.pfx"), "Secret123").unwrap();
    assert_eq!(o.mac, MacStatus::Verified("HMAC-SHA-1".into()));
}

#[test]
fn an_empty_password_is_tried_as_null_and_as_empty() {
    // OpenSSL's `-passout pass:`.
    let o = open(&read("certs/pkcs12/empty-password.pfx"), "").unwrap();
    assert_eq!((o.certs.len(), o.keys.len()), (3, 1));
    assert_eq!(
        open(&read("certs/pkcs12/empty-password.pfx"), "x"),
        Err(Error::WrongPassword)
    );
    // A MAC keyed with the null password (pyca's and Windows' files without a password).
    let mut s = spec();
    s.password = String::new();
    s.null_password = true;
    let o = open(&writer::write(&s), "").unwrap();
    assert_eq!(o.keys.len(), 1);
    // The same with the empty BMPString.
    s.null_password = false;
    assert_eq!(open(&writer::write(&s), "").unwrap().certs.len(), 3);
    // No MAC and nothing encrypted: any password opens it.
    s.mac_iterations = None;
    s.key_protect = writer::Protect::None;
    s.cert_protect = writer::Protect::None;
    assert_eq!(open(&writer::write(&s), "anything").unwrap().keys.len(), 1);
}

#[test]
fn key_providers_are_read_without_the_password_in_der_and_ber() {
    let providers = |f: &str| key_providers(&read(f)).unwrap();
    assert_eq!(
        providers("certs/crypto/ksp.pfx"),
        ["Microsoft Software Key Storage Provider"]
    );
    assert_eq!(
        providers("certs/crypto/ksp-legacy.pfx"),
        ["Microsoft Software Key Storage Provider"]
    );
    assert_eq!(
        providers("certs/crypto/legacy-csp.pfx"),
        ["Microsoft Enhanced RSA and AES Cryptographic Provider"]
    );
    assert_eq!(
        providers("certs/pkcs12/ber-ksp.pfx"),
        ["Microsoft Software Key Storage Provider"]
    );
    assert!(providers("certs/edge-external.pfx").is_empty());
    // Opened, the key carries it too.
    let o = open(&read("certs/pkcs12/ber-ksp.pfx"), "Secret123").unwrap();
    assert_eq!(
        o.keys[0].csp_name.as_deref(),
        Some("Microsoft Software Key Storage Provider")
    );
    assert_eq!(o.keys[0].friendly_name.as_deref(), Some("ber-ksp"));
    assert!(key_providers(&[0x30, 0x80, 0x02, 0x01, 0x03, 0x00, 0x00]).is_none());
    assert!(key_providers(&[]).is_none());
}

#[test]
fn ber_and_der_forms_read_alike() {
    let mut s = spec();
    s.csp = Some("Microsoft Platform Crypto Provider".into());
    let der = open(&writer::write(&s), "Secret123").unwrap();
    s.ber = true;
    let ber_file = writer::write(&s);
    assert_eq!(&ber_file[..2], &[0x30, 0x80]);
    let ber = open(&ber_file, "Secret123").unwrap();
    assert_eq!(der, ber);
    assert_eq!(
        key_providers(&ber_file).unwrap(),
        ["Microsoft Platform Crypto Provider"]
    );
}

/// PBMAC1 (RFC 9579) as the writer makes it: OpenSSL 3.0 does not write it (3.4 does, with
/// `-pbmac1_pbkdf2`), so this checks the plumbing, not interoperability.
#[test]
fn pbmac1_opens() {
    let mut s = spec();
    s.pbmac1 = true;
    let file = writer::write(&s);
    let o = open(&file, "Secret123").unwrap();
    assert_eq!(o.mac, MacStatus::Verified("PBMAC1 HMAC-SHA-256".into()));
    assert_eq!((o.certs.len(), o.keys.len()), (3, 1));
    assert_eq!(open(&file, "Secret12"), Err(Error::WrongPassword));
}

/// Every PBE that `openssl pkcs8 -topk8` writes, decrypted to the same PKCS#8 key.
#[test]
fn every_openssl_pbe_decrypts() {
    let dir = fixtures().join("certs/pkcs12/pbe");
    let plain = std::fs::read(dir.join("plain.bin")).unwrap();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name == "plain.bin" {
            continue;
        }
        let der = std::fs::read(&path).unwrap();
        let epki = ber::parse_all(&der).unwrap().items().unwrap();
        let data = epki[1].octets().unwrap();
        let pw = Password::candidates("Secret123").remove(0);
        let got = pbe::decrypt(
            &epki[0],
            &data,
            &pw,
            "the key",
            &mut pbe::Budget::new(1 << 40),
        )
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert_eq!(got, plain, "{name}");
        // Ciphertext cut short of a block: an error, not a panic.
        let cut = pbe::decrypt(
            &epki[0],
            &data[..data.len() - 1],
            &pw,
            "the key",
            &mut pbe::Budget::new(1 << 40),
        );
        assert!(name.contains("RC4") || cut.is_err(), "{name}");
        let wrong = Password::candidates("Secret124").remove(0);
        // RC4 has no padding to check: a wrong password gives garbage, not an error.
        if !name.contains("RC4") {
            assert!(
                pbe::decrypt(
                    &epki[0],
                    &data,
                    &wrong,
                    "the key",
                    &mut pbe::Budget::new(1 << 40)
                )
                .is_err_and(|e| e == pbe::PbeError::Failed)
                    || pbe::decrypt(
                        &epki[0],
                        &data,
                        &wrong,
                        "the key",
                        &mut pbe::Budget::new(1 << 40)
                    )
                    .is_ok_and(|p| p != plain),
                "{name}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, 34);
}

#[test]
fn limits_and_broken_structures_say_what_is_wrong() {
    let hostile = |f: &str| open(&read(&format!("hostile/{f}")), "Secret123");
    assert_eq!(
        hostile("pkcs12-mac-iterations.pfx"),
        Err(Error::Unsupported(
            "the MAC's iteration count is 2,000,000, more than the 1,000,000 that edgelint computes"
                .into()
        ))
    );
    assert_eq!(
        hostile("pkcs12-mac-zero-iterations.pfx"),
        Err(Error::Malformed("the MAC's iteration count is 0".into()))
    );
    assert_eq!(
        hostile("pkcs12-pbe-iterations.pfx"),
        Err(Error::Unsupported(
            "the encrypted data's PBKDF2 iteration count is 1,500,000, more than the 1,000,000 that edgelint computes".into()
        ))
    );
    assert_eq!(
        hostile("pkcs12-deep-nesting.pfx"),
        Err(Error::Malformed(
            "ASN.1 nested deeper than 32 levels".into()
        ))
    );
    // The limits hold whatever the password.
    assert!(matches!(
        open(&read("hostile/pkcs12-mac-iterations.pfx"), ""),
        Err(Error::Unsupported(_))
    ));

    // A MAC whose length does not fit its hash, a MAC structure that is not one.
    let file = read("certs/pkcs12/aes256-sha1-prf.pfx");
    let pfx = ber::parse_all(&file).unwrap();
    let items = pfx.items().unwrap();
    let rebuild = |mac: Vec<u8>| writer::tlv(0x30, &[items[0].raw, items[1].raw, &mac].concat());
    assert!(matches!(
        open(&rebuild(writer::tlv(0x04, b"junk")), "Secret123"),
        Err(Error::Malformed(m)) if m.starts_with("the MAC structure is broken")
    ));
    let short_mac = writer::tlv(
        0x30,
        &[
            writer::tlv(
                0x30,
                &[
                    writer::tlv(
                        0x30,
                        &[writer::oid(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]), vec![5, 0]].concat(),
                    ),
                    writer::tlv(0x04, &[0; 19]),
                ]
                .concat(),
            ),
            writer::tlv(0x04, &[1; 8]),
            writer::int(1),
        ]
        .concat(),
    );
    assert_eq!(
        open(&rebuild(short_mac), "Secret123"),
        Err(Error::Malformed(
            "the MAC structure is broken: the MAC is 19 bytes, SHA-1 gives 20".into()
        ))
    );
    // Public-key integrity mode.
    let signed = writer::tlv(
        0x30,
        &[
            writer::int(3),
            writer::tlv(
                0x30,
                &writer::oid(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02]),
            ),
        ]
        .concat(),
    );
    assert!(matches!(open(&signed, ""), Err(Error::Unsupported(m)) if m.contains("signedData")));
}

/// Many encrypted parts each within the per-scheme limit still cannot add up to a hang.
#[test]
fn total_key_derivation_work_is_bounded() {
    let mut s = spec();
    s.iterations = 100;
    s.mac_iterations = Some(100);
    let file = writer::write(&s);
    // MAC 100 + certificates 100 + key 100.
    assert!(open_within(&file, "Secret123", 300).is_ok());
    assert_eq!(
        open_within(&file, "Secret123", 299),
        Err(Error::Unsupported(
            "its key derivations ask for more than 299 iterations in all, the most that edgelint computes for one file".into()
        ))
    );
    // An empty password tries two forms: twice the MAC's cost before it fails.
    assert_eq!(open_within(&file, "", 200), Err(Error::WrongPassword));
    assert!(matches!(
        open_within(&file, "", 199),
        Err(Error::Unsupported(_))
    ));
}

#[test]
fn safe_contents_nesting_is_bounded() {
    // safeContentsBag inside safeContentsBag, 20 deep, in a data ContentInfo without a MAC.
    let bag_oid = writer::oid(&[BAG, &[6]].concat());
    let mut safe = writer::tlv(0x30, &[]);
    for _ in 0..20 {
        let bag = writer::tlv(0x30, &[bag_oid.clone(), writer::tlv(0xa0, &safe)].concat());
        safe = writer::tlv(0x30, &bag);
    }
    let info = |inner: &[u8]| {
        writer::tlv(
            0x30,
            &[
                writer::oid(DATA),
                writer::tlv(0xa0, &writer::tlv(0x04, inner)),
            ]
            .concat(),
        )
    };
    let auth_safe = writer::tlv(0x30, &info(&safe));
    let pfx = writer::tlv(0x30, &[writer::int(3), info(&auth_safe)].concat());
    assert_eq!(
        open(&pfx, ""),
        Err(Error::Malformed(
            "safe contents nested deeper than 8 levels".into()
        ))
    );
}

#[test]
fn truncated_and_flipped_files_never_panic() {
    let mut s = spec();
    s.ber = true;
    for file in [
        writer::write(&s),
        read("certs/edge-external-legacy.pfx"),
        read("certs/pkcs12/nomac.pfx"),
    ] {
        for cut in (0..file.len()).step_by(7) {
            assert!(open(&file[..cut], "Secret123").is_err());
            let _ = key_providers(&file[..cut]);
        }
        // Flipped bytes: any result but a panic.
        for at in (0..file.len()).step_by(13) {
            let mut f = file.clone();
            f[at] ^= 0x5a;
            let _ = open(&f, "Secret123");
            let _ = key_providers(&f);
        }
    }
}

#[test]
fn debug_output_shows_no_key_bytes() {
    let o = open(&read("certs/edge-external.pfx"), "Secret123").unwrap();
    let text = format!("{o:?}");
    assert!(text.contains("bytes>"));
    // The last bytes of an RSA PrivateKeyInfo: the CRT coefficient, in no certificate.
    let k = &o.keys[0].pkcs8;
    let hex: String = k[k.len() - 8..].iter().map(|b| format!("{b}, ")).collect();
    assert!(!text.contains(hex.trim_end_matches(", ")));
    assert_eq!(
        format!("{:?}", Password::candidates("Secret123")),
        "[Password(..)]"
    );
}
