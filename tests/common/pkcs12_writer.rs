//! A small PKCS#12 writer for fixtures OpenSSL 3 will not make (a PBES2 with an HMAC-SHA-1 PRF,
//! indefinite-length BER, a key that does not match its certificate) and for hostile test
//! input. Used by tests/generate_fixtures.rs and the reader's unit tests
//! (src/load/pkcs12/tests.rs); every fixture it makes is checked with OpenSSL by the script
//! that asks for it. The PKCS#12 KDF is passed in (`Spec::kdf`), so this file needs only the
//! RustCrypto crates.
#![allow(dead_code)]

use cipher::{block_padding::Pkcs7, BlockModeEncrypt, KeyIvInit};

/// `fn(password BMPString bytes, salt, id, iterations, length)`: the PKCS#12 KDF with SHA-1.
pub type Kdf = fn(&[u8], &[u8], u8, u32, usize) -> Vec<u8>;

/// How bags are protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protect {
    /// In the clear (a keyBag; certificates in a `data` ContentInfo).
    None,
    /// PBES2, PBKDF2 with HMAC-SHA-1 or HMAC-SHA-256, AES-256-CBC.
    Pbes2Aes256 { sha1_prf: bool },
}

#[derive(Clone, Debug)]
pub struct Spec {
    pub kdf: Kdf,
    pub password: String,
    /// PKCS#8 DER of the key, if any.
    pub key: Option<Vec<u8>>,
    /// DER certificates; the first one gets the key's localKeyId.
    pub certs: Vec<Vec<u8>>,
    pub key_protect: Protect,
    pub cert_protect: Protect,
    pub iterations: u32,
    /// MAC iterations; `None`: no MAC.
    pub mac_iterations: Option<u32>,
    /// Microsoft CSP name attribute on the key bag.
    pub csp: Option<String>,
    pub friendly_name: Option<String>,
    /// Indefinite lengths for every SEQUENCE, SET and [0], and constructed OCTET STRINGs in
    /// 64-byte segments for the ContentInfo contents (BER as Java and some Windows tools
    /// write it).
    pub ber: bool,
    /// The MAC keyed with the null password (no bytes) instead of a BMPString, as pyca's
    /// and Windows' files without a password are (then `password` must be empty).
    pub null_password: bool,
    /// PBMAC1 (RFC 9579: PBKDF2-HMAC-SHA-256 keying HMAC-SHA-256) instead of the PKCS#12 MAC.
    pub pbmac1: bool,
    /// Fixed salts and IVs make the output reproducible (fixtures stay byte-identical).
    pub seed: u8,
}

impl Spec {
    pub fn new(kdf: Kdf) -> Spec {
        Spec {
            kdf,
            password: "Secret123".into(),
            key: None,
            certs: Vec::new(),
            key_protect: Protect::Pbes2Aes256 { sha1_prf: false },
            cert_protect: Protect::Pbes2Aes256 { sha1_prf: false },
            iterations: 2048,
            mac_iterations: Some(2048),
            csp: None,
            friendly_name: None,
            ber: false,
            null_password: false,
            pbmac1: false,
            seed: 1,
        }
    }
}

pub fn len(out: &mut Vec<u8>, n: usize) {
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().position(|&x| x != 0).unwrap();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
}

/// A definite-length TLV.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    len(&mut out, content.len());
    out.extend_from_slice(content);
    out
}

struct W {
    ber: bool,
}

impl W {
    /// A constructed element: indefinite length in BER mode.
    fn cons(&self, tag: u8, parts: &[Vec<u8>]) -> Vec<u8> {
        let body = parts.concat();
        if self.ber {
            let mut out = vec![tag, 0x80];
            out.extend_from_slice(&body);
            out.extend_from_slice(&[0, 0]);
            out
        } else {
            tlv(tag, &body)
        }
    }
    fn seq(&self, parts: &[Vec<u8>]) -> Vec<u8> {
        self.cons(0x30, parts)
    }
    fn set(&self, parts: &[Vec<u8>]) -> Vec<u8> {
        self.cons(0x31, parts)
    }
    fn explicit0(&self, inner: Vec<u8>) -> Vec<u8> {
        self.cons(0xa0, &[inner])
    }
    /// An OCTET STRING: constructed from 64-byte segments in BER mode.
    fn octets(&self, data: &[u8]) -> Vec<u8> {
        if self.ber && data.len() > 64 {
            let parts: Vec<Vec<u8>> = data.chunks(64).map(|c| tlv(0x04, c)).collect();
            self.cons(0x24, &parts)
        } else {
            tlv(0x04, data)
        }
    }
    /// `[0] IMPLICIT OCTET STRING` (EncryptedContentInfo's content).
    fn implicit0_octets(&self, data: &[u8]) -> Vec<u8> {
        if self.ber && data.len() > 64 {
            let parts: Vec<Vec<u8>> = data.chunks(64).map(|c| tlv(0x04, c)).collect();
            self.cons(0xa0, &parts)
        } else {
            tlv(0x80, data)
        }
    }
}

pub fn oid(content: &[u8]) -> Vec<u8> {
    tlv(0x06, content)
}

pub fn int(n: u64) -> Vec<u8> {
    let b = n.to_be_bytes();
    let skip = b.iter().position(|&x| x != 0).unwrap_or(7);
    let mut c = b[skip..].to_vec();
    if c[0] & 0x80 != 0 {
        c.insert(0, 0);
    }
    tlv(0x02, &c)
}

const DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];
const ENCRYPTED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06];
const PBES2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d];
const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
const HMAC_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09];
const AES256_CBC: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2a];
const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
const BAG: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01];
const X509: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01];
const FRIENDLY_NAME: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14];
const LOCAL_KEY_ID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15];
const CSP_NAME: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x11, 0x01];

fn bmp(s: &str) -> Vec<u8> {
    tlv(
        0x1e,
        &s.encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect::<Vec<u8>>(),
    )
}

/// Deterministic "random" bytes.
fn filler(seed: u8, salt: u8, n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| {
            (i as u8)
                .wrapping_mul(31)
                .wrapping_add(seed.wrapping_mul(17))
                .wrapping_add(salt)
        })
        .collect()
}

/// PBES2 (PBKDF2, AES-256-CBC): (AlgorithmIdentifier, ciphertext).
fn pbes2(w: &W, spec: &Spec, sha1_prf: bool, plain: &[u8], salt_tag: u8) -> (Vec<u8>, Vec<u8>) {
    let salt = filler(spec.seed, salt_tag, 8);
    let iv = filler(spec.seed, salt_tag.wrapping_add(100), 16);
    let mut key = [0u8; 32];
    if sha1_prf {
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(
            spec.password.as_bytes(),
            &salt,
            spec.iterations,
            &mut key,
        );
    } else {
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
            spec.password.as_bytes(),
            &salt,
            spec.iterations,
            &mut key,
        );
    }
    let enc = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv).unwrap();
    let mut buf = plain.to_vec();
    let n = buf.len();
    buf.resize(n + 16, 0);
    let ct = enc.encrypt_padded::<Pkcs7>(&mut buf, n).unwrap().to_vec();
    // PBKDF2-params: hmacWithSHA1 is the DEFAULT and left out, as OpenSSL 1.1 wrote it.
    let mut kdf_params = vec![w.octets(&salt), int(u64::from(spec.iterations))];
    if !sha1_prf {
        kdf_params.push(w.seq(&[oid(HMAC_SHA256), tlv(0x05, &[])]));
    }
    let alg = w.seq(&[
        oid(PBES2),
        w.seq(&[
            w.seq(&[oid(PBKDF2), w.seq(&kdf_params)]),
            w.seq(&[oid(AES256_CBC), w.octets(&iv)]),
        ]),
    ]);
    (alg, ct)
}

fn content_info_data(w: &W, inner: &[u8]) -> Vec<u8> {
    w.seq(&[oid(DATA), w.explicit0(w.octets(inner))])
}

/// The PFX.
pub fn write(spec: &Spec) -> Vec<u8> {
    let w = W { ber: spec.ber };
    let local_key_id = filler(spec.seed, 7, 20);
    let mut infos = Vec::new();
    if let Some(info) = cert_safe(&w, spec, &local_key_id) {
        infos.push(info);
    }
    if let Some(key) = &spec.key {
        infos.push(key_safe(&w, spec, key, &local_key_id));
    }
    let auth_safe = w.seq(&infos);
    let mut pfx = vec![int(3), content_info_data(&w, &auth_safe)];
    if let Some(iterations) = spec.mac_iterations {
        pfx.push(mac_data(&w, spec, &auth_safe, iterations));
    }
    w.seq(&pfx)
}

/// The certificates' SafeContents, plain or encrypted.
fn cert_safe(w: &W, spec: &Spec, local_key_id: &[u8]) -> Option<Vec<u8>> {
    let cert_bags: Vec<Vec<u8>> = spec
        .certs
        .iter()
        .enumerate()
        .map(|(i, der)| {
            let value = w.seq(&[oid(X509), w.explicit0(w.octets(der))]);
            let mut bag = vec![oid(&[BAG, &[3]].concat()), w.explicit0(value)];
            if i == 0 && spec.key.is_some() {
                bag.push(w.set(&[w.seq(&[oid(LOCAL_KEY_ID), w.set(&[w.octets(local_key_id)])])]));
            }
            w.seq(&bag)
        })
        .collect();
    if cert_bags.is_empty() {
        return None;
    }
    let safe = w.seq(&cert_bags);
    Some(match spec.cert_protect {
        Protect::None => content_info_data(w, &safe),
        Protect::Pbes2Aes256 { sha1_prf } => {
            let (alg, ct) = pbes2(w, spec, sha1_prf, &safe, 1);
            let enc = w.seq(&[int(0), w.seq(&[oid(DATA), alg, w.implicit0_octets(&ct)])]);
            w.seq(&[oid(ENCRYPTED_DATA), w.explicit0(enc)])
        }
    })
}

/// The key's SafeContents: a key bag or a shrouded one, with its attributes.
fn key_safe(w: &W, spec: &Spec, key: &[u8], local_key_id: &[u8]) -> Vec<u8> {
    let mut attrs = vec![w.seq(&[oid(LOCAL_KEY_ID), w.set(&[w.octets(local_key_id)])])];
    if let Some(name) = &spec.friendly_name {
        attrs.push(w.seq(&[oid(FRIENDLY_NAME), w.set(&[bmp(name)])]));
    }
    if let Some(csp) = &spec.csp {
        attrs.push(w.seq(&[oid(CSP_NAME), w.set(&[bmp(csp)])]));
    }
    let bag = match spec.key_protect {
        Protect::None => w.seq(&[
            oid(&[BAG, &[1]].concat()),
            w.explicit0(key.to_vec()),
            w.set(&attrs),
        ]),
        Protect::Pbes2Aes256 { sha1_prf } => {
            let (alg, ct) = pbes2(w, spec, sha1_prf, key, 2);
            let epki = w.seq(&[alg, w.octets(&ct)]);
            w.seq(&[oid(&[BAG, &[2]].concat()), w.explicit0(epki), w.set(&attrs)])
        }
    };
    content_info_data(w, &w.seq(&[bag]))
}

/// MacData: HMAC-SHA-1 keyed by the PKCS#12 KDF, or PBMAC1.
fn mac_data(w: &W, spec: &Spec, auth_safe: &[u8], iterations: u32) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    let salt = filler(spec.seed, 3, 8);
    if spec.pbmac1 {
        return pbmac1_data(w, spec, auth_safe, iterations, &salt);
    }
    let mut bmp_pw: Vec<u8> = spec
        .password
        .encode_utf16()
        .flat_map(|u| u.to_be_bytes())
        .collect();
    if !spec.null_password {
        bmp_pw.extend_from_slice(&[0, 0]);
    }
    let key = (spec.kdf)(&bmp_pw, &salt, 3, iterations, 20);
    let mut mac = <hmac::Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(auth_safe);
    let digest = mac.finalize().into_bytes().to_vec();
    w.seq(&[
        w.seq(&[w.seq(&[oid(SHA1), tlv(0x05, &[])]), w.octets(&digest)]),
        w.octets(&salt),
        int(u64::from(iterations)),
    ])
}

/// MacData with PBMAC1 (RFC 9579): HMAC-SHA-256 keyed by PBKDF2-HMAC-SHA-256.
fn pbmac1_data(w: &W, spec: &Spec, auth_safe: &[u8], iterations: u32, salt: &[u8]) -> Vec<u8> {
    use hmac::{KeyInit, Mac};
    const PBMAC1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e];
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(spec.password.as_bytes(), salt, iterations, &mut key);
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(auth_safe);
    let digest = mac.finalize().into_bytes().to_vec();
    let hmac_sha256 = w.seq(&[oid(HMAC_SHA256), tlv(0x05, &[])]);
    let params = w.seq(&[
        w.seq(&[
            oid(PBKDF2),
            w.seq(&[
                w.octets(salt),
                int(u64::from(iterations)),
                int(32),
                hmac_sha256.clone(),
            ]),
        ]),
        hmac_sha256,
    ]);
    w.seq(&[
        w.seq(&[w.seq(&[oid(PBMAC1), params]), w.octets(&digest)]),
        w.octets(b"NOT USED"),
        int(1),
    ])
}
