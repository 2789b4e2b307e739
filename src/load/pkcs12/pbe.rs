//! Password-based cryptography of PKCS#12: the PKCS#12 key derivation (RFC 7292 appendix B),
//! its MAC, the PKCS#12 PBE schemes (appendix C: 3DES, 2-key 3DES, RC2-128, RC2-40, RC4-128,
//! RC4-40), PBES2 with PBKDF2 (RFC 8018: HMAC-SHA-1/-224/-256/-384/-512 PRFs; AES-128/192/256-CBC,
//! DES-EDE3-CBC, DES-CBC and RC2-CBC), PBES1 with SHA-1 (DES-CBC, RC2-64) and PBMAC1 (RFC 9579).
//!
//! Every iteration count is checked before any work is done: zero is an error, more than
//! `MAX_ITERATIONS` is refused with the count in the message.

use super::ber::{self, BerError, Element};
use super::iterated;
use cipher::{block_padding::Pkcs7, BlockCipherDecrypt, BlockModeDecrypt, InnerIvInit, KeyInit};
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512, Sha512_224, Sha512_256};

/// The most iterations of a key derivation that edgelint computes (about a second of SHA-1).
pub const MAX_ITERATIONS: u64 = 1_000_000;
/// The most key-derivation iterations one opening may compute in all: the MAC and every
/// decryption, for every password form tried. Each scheme is capped at `MAX_ITERATIONS`; this
/// caps a file of many encrypted parts.
pub const MAX_TOTAL_ITERATIONS: u64 = 4_000_000;
/// Longest salt read: real files use 8 to 32 bytes; the PKCS#12 KDF's cost grows with it.
pub const MAX_SALT: usize = 1024;

/// Why a decryption or MAC did not go through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PbeError {
    /// Bad padding, or a MAC that does not match: the password is wrong (or the data damaged).
    Failed,
    /// A well-formed structure that edgelint does not compute (algorithm, limit).
    Unsupported(String),
    /// A structure that breaks the standard (zero iterations, wrong lengths).
    Malformed(String),
}

impl From<BerError> for PbeError {
    fn from(e: BerError) -> Self {
        PbeError::Malformed(e.0)
    }
}

/// The password in the forms the schemes take. PKCS#12's own KDF takes a BMPString with two
/// trailing zero bytes, or, for the *null* password, no bytes at all; PBES2 and PBMAC1 take the
/// UTF-8 bytes.
#[derive(Clone)]
pub struct Password {
    /// `None`: the null password (zero-length KDF input).
    pub bmp: Option<Vec<u8>>,
    pub utf8: Vec<u8>,
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password itself.
        f.write_str(if self.bmp.is_none() {
            "Password(null)"
        } else {
            "Password(..)"
        })
    }
}

impl Password {
    /// The forms to try for a password, in OpenSSL's order: an empty password is first the
    /// null password, then the empty BMPString; a non-ASCII one is first UTF-16, then each
    /// UTF-8 byte widened to 16 bits (what OpenSSL before 1.1.0 wrote).
    pub fn candidates(password: &str) -> Vec<Password> {
        let utf8 = password.as_bytes().to_vec();
        if password.is_empty() {
            return vec![
                Password {
                    bmp: None,
                    utf8: Vec::new(),
                },
                Password {
                    bmp: Some(vec![0, 0]),
                    utf8,
                },
            ];
        }
        let mut bmp: Vec<u8> = password
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        bmp.extend_from_slice(&[0, 0]);
        let mut out = vec![Password {
            bmp: Some(bmp),
            utf8: utf8.clone(),
        }];
        if !password.is_ascii() {
            let mut widened: Vec<u8> = password.bytes().flat_map(|b| [0, b]).collect();
            widened.extend_from_slice(&[0, 0]);
            out.push(Password {
                bmp: Some(widened),
                utf8,
            });
        }
        out
    }

    fn bmp(&self) -> &[u8] {
        self.bmp.as_deref().unwrap_or(&[])
    }
}

/// The hash functions the schemes name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha512_224,
    Sha512_256,
}

impl Hash {
    /// By digest algorithm OID (the MAC's DigestInfo).
    pub fn from_digest_oid(oid: &[u8]) -> Option<Hash> {
        const NIST: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];
        if oid == [0x2b, 0x0e, 0x03, 0x02, 0x1a] {
            return Some(Hash::Sha1);
        }
        match oid.strip_prefix(NIST)? {
            [1] => Some(Hash::Sha256),
            [2] => Some(Hash::Sha384),
            [3] => Some(Hash::Sha512),
            [4] => Some(Hash::Sha224),
            [5] => Some(Hash::Sha512_224),
            [6] => Some(Hash::Sha512_256),
            _ => None,
        }
    }

    /// By HMAC OID (a PBKDF2 PRF, PBMAC1's message authentication scheme).
    pub fn from_hmac_oid(oid: &[u8]) -> Option<Hash> {
        const RSADSI_DIGEST: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02];
        match oid.strip_prefix(RSADSI_DIGEST)? {
            [7] => Some(Hash::Sha1),
            [8] => Some(Hash::Sha224),
            [9] => Some(Hash::Sha256),
            [10] => Some(Hash::Sha384),
            [11] => Some(Hash::Sha512),
            [12] => Some(Hash::Sha512_224),
            [13] => Some(Hash::Sha512_256),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha224 => "SHA-224",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
            Hash::Sha512_224 => "SHA-512/224",
            Hash::Sha512_256 => "SHA-512/256",
        }
    }

    pub fn output_len(self) -> usize {
        match self {
            Hash::Sha1 => 20,
            Hash::Sha224 | Hash::Sha512_224 => 28,
            Hash::Sha256 | Hash::Sha512_256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }

    fn block_len(self) -> usize {
        match self {
            Hash::Sha1 | Hash::Sha224 | Hash::Sha256 => 64,
            _ => 128,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(data).to_vec(),
            Hash::Sha224 => Sha224::digest(data).to_vec(),
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
            Hash::Sha512_224 => Sha512_224::digest(data).to_vec(),
            Hash::Sha512_256 => Sha512_256::digest(data).to_vec(),
        }
    }

    /// `digest` replaced by its own digest, `times` times over.
    fn rehash(self, digest: &mut Vec<u8>, times: u32) {
        match self {
            Hash::Sha1 => iterated::SHA1.rehash(digest, times),
            Hash::Sha256 => iterated::SHA256.rehash(digest, times),
            _ => {
                for _ in 0..times {
                    *digest = self.digest(digest);
                }
            }
        }
    }

    /// HMAC of `data` under `key`.
    pub fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
            let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        match self {
            Hash::Sha1 => run::<Hmac<Sha1>>(key, data),
            Hash::Sha224 => run::<Hmac<Sha224>>(key, data),
            Hash::Sha256 => run::<Hmac<Sha256>>(key, data),
            Hash::Sha384 => run::<Hmac<Sha384>>(key, data),
            Hash::Sha512 => run::<Hmac<Sha512>>(key, data),
            Hash::Sha512_224 => run::<Hmac<Sha512_224>>(key, data),
            Hash::Sha512_256 => run::<Hmac<Sha512_256>>(key, data),
        }
    }

    /// PBKDF2 with HMAC of this hash as PRF.
    pub fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        use pbkdf2::pbkdf2_hmac;
        match self {
            Hash::Sha1 => iterated::SHA1.pbkdf2_hmac(password, salt, iterations, out),
            Hash::Sha256 => iterated::SHA256.pbkdf2_hmac(password, salt, iterations, out),
            Hash::Sha224 => pbkdf2_hmac::<Sha224>(password, salt, iterations, out),
            Hash::Sha384 => pbkdf2_hmac::<Sha384>(password, salt, iterations, out),
            Hash::Sha512 => pbkdf2_hmac::<Sha512>(password, salt, iterations, out),
            Hash::Sha512_224 => pbkdf2_hmac::<Sha512_224>(password, salt, iterations, out),
            Hash::Sha512_256 => pbkdf2_hmac::<Sha512_256>(password, salt, iterations, out),
        }
    }
}

/// The purpose byte of the PKCS#12 KDF.
#[derive(Debug, Clone, Copy)]
pub enum KeyId {
    Key = 1,
    Iv = 2,
    Mac = 3,
}

/// RFC 7292 appendix B.2: `n` bytes from the password (BMPString with its two zero bytes, or
/// empty for the null password), the salt and the iteration count.
pub fn pkcs12_kdf(
    hash: Hash,
    password: &[u8],
    salt: &[u8],
    id: KeyId,
    iterations: u32,
    n: usize,
) -> Vec<u8> {
    let (u, v) = (hash.output_len(), hash.block_len());
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let len = v * src.len().div_ceil(v);
        src.iter().copied().cycle().take(len).collect()
    };
    let mut i_block = fill(salt);
    i_block.extend(fill(password));
    let d = vec![id as u8; v];
    let mut out = Vec::with_capacity(n + u);
    loop {
        let mut a = hash.digest(&[d.as_slice(), &i_block].concat());
        hash.rehash(&mut a, iterations.saturating_sub(1));
        out.extend_from_slice(&a);
        if out.len() >= n {
            out.truncate(n);
            return out;
        }
        // B = A repeated to v bytes; every v-byte block of I becomes (I_j + B + 1) mod 2^(8v).
        let b: Vec<u8> = a.iter().copied().cycle().take(v).collect();
        for chunk in i_block.chunks_mut(v) {
            let mut carry = 1u16;
            for k in (0..v).rev() {
                let sum = u16::from(chunk[k]) + u16::from(b[k]) + carry;
                chunk[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
}

/// The key-derivation work left for one opening (`MAX_TOTAL_ITERATIONS`).
#[derive(Debug)]
pub struct Budget {
    left: u64,
    total: u64,
}

impl Budget {
    pub fn new(total: u64) -> Budget {
        Budget { left: total, total }
    }

    /// Take `n` iterations from the budget before computing them.
    pub fn spend(&mut self, n: u64) -> Result<(), PbeError> {
        if n > self.left {
            return Err(PbeError::Unsupported(format!(
                "its key derivations ask for more than {} iterations in all, the most that edgelint computes for one file",
                thousands(self.total)
            )));
        }
        self.left -= n;
        Ok(())
    }
}

/// An iteration count checked against the limit; `what` names it in messages.
pub fn iterations(e: &Element<'_>, what: &str) -> Result<u32, PbeError> {
    let n = e.unsigned(what).map_err(|err| PbeError::Malformed(err.0))?;
    if n == 0 {
        return Err(PbeError::Malformed(format!("{what} is 0")));
    }
    if n > MAX_ITERATIONS {
        return Err(PbeError::Unsupported(format!(
            "{what} is {}, more than the {} that edgelint computes",
            thousands(n),
            thousands(MAX_ITERATIONS)
        )));
    }
    Ok(n as u32)
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn salt<'a>(e: &Element<'a>, what: &str) -> Result<std::borrow::Cow<'a, [u8]>, PbeError> {
    let s = e.octets()?;
    if s.len() > MAX_SALT {
        return Err(PbeError::Unsupported(format!(
            "{what} salt is {} bytes, more than the {MAX_SALT} that edgelint reads",
            s.len()
        )));
    }
    Ok(s)
}

/// An AlgorithmIdentifier: (OID, parameters).
fn algorithm<'a>(e: &Element<'a>) -> Result<(&'a [u8], Option<Element<'a>>), PbeError> {
    let e = e.expect(ber::SEQUENCE, "algorithm identifier")?;
    let mut items = e.children();
    let oid = items
        .next()
        .ok_or_else(|| PbeError::Malformed("empty algorithm identifier".into()))??
        .oid()?;
    let params = items.next().transpose()?;
    Ok((oid, params))
}

/// Dotted form of an OID's content octets, for messages.
pub fn dotted(oid: &[u8]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut acc: u64 = 0;
    for (i, &b) in oid.iter().enumerate() {
        acc = acc.saturating_mul(128) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let (first, second) = match acc {
                    0..=39 => (0, acc),
                    40..=79 => (1, acc - 40),
                    _ => (2, acc - 80),
                };
                parts.push(first.to_string());
                parts.push(second.to_string());
            } else {
                parts.push(acc.to_string());
            }
            acc = 0;
        } else if i == oid.len() - 1 {
            parts.push("?".into());
        }
    }
    parts.join(".")
}

const PKCS12_PBE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
const PKCS5: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
const PBKDF2: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c];
/// id-PBMAC1, RFC 9579.
pub const PBMAC1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0e];

fn cbc_decrypt<C: BlockCipherDecrypt + KeyInit>(
    cipher: C,
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, PbeError> {
    let mode = cbc::Decryptor::<C>::inner_iv_slice_init(cipher, iv)
        .map_err(|_| PbeError::Malformed("the IV has the wrong length".into()))?;
    let mut buf = data.to_vec();
    let len = mode
        .decrypt_padded::<Pkcs7>(&mut buf)
        .map_err(|_| PbeError::Failed)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

fn cbc_with<C: BlockCipherDecrypt + KeyInit>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, PbeError> {
    let cipher = C::new_from_slice(key)
        .map_err(|_| PbeError::Malformed("the key has the wrong length".into()))?;
    cbc_decrypt(cipher, iv, data)
}

fn rc4(key: &[u8], data: &[u8]) -> Vec<u8> {
    use rc4::StreamCipher;
    let mut c = <rc4::Rc4 as KeyInit>::new_from_slice(key).expect("RC4 takes 1 to 256 bytes");
    let mut buf = data.to_vec();
    c.apply_keystream(&mut buf);
    buf
}

fn rc2_cbc(key: &[u8], effective_bits: usize, iv: &[u8], data: &[u8]) -> Result<Vec<u8>, PbeError> {
    cbc_decrypt(
        rc2::Rc2::new_with_eff_key_len(key, effective_bits),
        iv,
        data,
    )
}

/// Decrypt `data` with the algorithm `alg` (an AlgorithmIdentifier) and a password form.
/// `what` names the encrypted thing in messages.
pub fn decrypt(
    alg: &Element<'_>,
    data: &[u8],
    password: &Password,
    what: &str,
    budget: &mut Budget,
) -> Result<Vec<u8>, PbeError> {
    let (oid, params) = algorithm(alg)?;
    let params = || {
        params.ok_or_else(|| PbeError::Malformed(format!("{what}: encryption parameters missing")))
    };
    if let Some(&[n]) = oid.strip_prefix(PKCS12_PBE) {
        // pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER }
        let p = params()?.expect(ber::SEQUENCE, "PKCS#12 PBE parameters")?;
        let [s, it] = p.items()?[..] else {
            return Err(PbeError::Malformed(format!(
                "{what}: PKCS#12 PBE parameters are not (salt, iterations)"
            )));
        };
        let s = salt(&s, what)?;
        let it = iterations(&it, &format!("{what}'s PBE iteration count"))?;
        // Two derivations: the key and the IV.
        budget.spend(2 * u64::from(it))?;
        let pw = password.bmp();
        let key = |len| pkcs12_kdf(Hash::Sha1, pw, &s, KeyId::Key, it, len);
        let iv = || pkcs12_kdf(Hash::Sha1, pw, &s, KeyId::Iv, it, 8);
        return match n {
            1 => Ok(rc4(&key(16), data)),
            2 => Ok(rc4(&key(5), data)),
            3 => cbc_with::<des::TdesEde3>(&key(24), &iv(), data),
            4 => cbc_with::<des::TdesEde2>(&key(16), &iv(), data),
            5 => rc2_cbc(&key(16), 128, &iv(), data),
            6 => rc2_cbc(&key(5), 40, &iv(), data),
            _ => Err(unsupported_algorithm(oid, what)),
        };
    }
    match oid.strip_prefix(PKCS5) {
        // PBES1 with SHA-1: pbeWithSHA1AndDES-CBC (10), pbeWithSHA1AndRC2-CBC (11).
        Some(&[n @ (10 | 11)]) => {
            let p = params()?.expect(ber::SEQUENCE, "PBES1 parameters")?;
            let [s, it] = p.items()?[..] else {
                return Err(PbeError::Malformed(format!(
                    "{what}: PBES1 parameters are not (salt, iterations)"
                )));
            };
            let s = salt(&s, what)?;
            if s.len() != 8 {
                return Err(PbeError::Malformed(format!(
                    "{what}: PBES1 salt is {} bytes, not 8",
                    s.len()
                )));
            }
            let it = iterations(&it, &format!("{what}'s PBE iteration count"))?;
            budget.spend(u64::from(it))?;
            let mut t = Hash::Sha1.digest(&[password.utf8.as_slice(), &s].concat());
            for _ in 1..it {
                t = Hash::Sha1.digest(&t);
            }
            let (key, iv) = t.split_at(8);
            let iv = &iv[..8];
            if n == 10 {
                cbc_with::<des::Des>(key, iv, data)
            } else {
                rc2_cbc(key, 64, iv, data)
            }
        }
        // PBES2.
        Some(&[13]) => pbes2(&params()?, data, password, what, budget),
        _ => Err(unsupported_algorithm(oid, what)),
    }
}

fn unsupported_algorithm(oid: &[u8], what: &str) -> PbeError {
    let name = match oid {
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, n] => match n {
            1 => Some("pbeWithMD2AndDES-CBC"),
            3 => Some("pbeWithMD5AndDES-CBC"),
            4 => Some("pbeWithMD2AndRC2-CBC"),
            6 => Some("pbeWithMD5AndRC2-CBC"),
            _ => None,
        },
        _ => None,
    };
    PbeError::Unsupported(match name {
        Some(n) => format!("{what} is encrypted with {n}, which edgelint does not read"),
        None => format!(
            "{what} is encrypted with algorithm {}, which edgelint does not read",
            dotted(oid)
        ),
    })
}

/// PBKDF2 parameters: salt, iterations, key length if given, PRF.
type Pbkdf2Params<'a> = (std::borrow::Cow<'a, [u8]>, u32, Option<usize>, Hash);

fn pbkdf2_params<'a>(params: &Element<'a>, what: &str) -> Result<Pbkdf2Params<'a>, PbeError> {
    let p = params.expect(ber::SEQUENCE, "PBKDF2 parameters")?;
    let items = p.items()?;
    let mut it = items.iter();
    let s = it
        .next()
        .ok_or_else(|| PbeError::Malformed(format!("{what}: PBKDF2 parameters are empty")))?;
    if s.tag == ber::SEQUENCE {
        return Err(PbeError::Unsupported(format!(
            "{what}: PBKDF2 with a salt from another source (otherSource) is not read"
        )));
    }
    let s = salt(s, what)?;
    let n = iterations(
        it.next().ok_or_else(|| {
            PbeError::Malformed(format!("{what}: PBKDF2 iteration count missing"))
        })?,
        &format!("{what}'s PBKDF2 iteration count"),
    )?;
    let mut key_len = None;
    let mut prf = Hash::Sha1;
    for e in it {
        if e.tag == ber::INTEGER {
            let l = e.unsigned("PBKDF2 key length")?;
            if l == 0 || l > 64 {
                return Err(PbeError::Malformed(format!(
                    "{what}: PBKDF2 key length {l} is out of range"
                )));
            }
            key_len = Some(l as usize);
        } else {
            let (oid, _) = algorithm(e)?;
            prf = Hash::from_hmac_oid(oid).ok_or_else(|| {
                PbeError::Unsupported(format!(
                    "{what}: PBKDF2 pseudo-random function {} is not read",
                    dotted(oid)
                ))
            })?;
        }
    }
    Ok((s, n, key_len, prf))
}

/// A PBES2 cipher the reader knows.
#[derive(Clone, Copy)]
enum C {
    Aes128,
    Aes192,
    Aes256,
    Tdes,
    Des,
    Rc2(usize),
}

/// The PBES2 encryption scheme: the cipher, its natural key length and its IV.
fn pbes2_cipher(
    cipher_oid: &[u8],
    iv: &Element<'_>,
    what: &str,
) -> Result<(C, usize, Vec<u8>), PbeError> {
    const AES: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01];
    const DES_EDE3_CBC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x07];
    const RC2_CBC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x03, 0x02];
    const DES_CBC: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x07];
    Ok(match cipher_oid {
        o if o == [AES, &[2]].concat() => (C::Aes128, 16, iv.octets()?.to_vec()),
        o if o == [AES, &[22]].concat() => (C::Aes192, 24, iv.octets()?.to_vec()),
        o if o == [AES, &[42]].concat() => (C::Aes256, 32, iv.octets()?.to_vec()),
        DES_EDE3_CBC => (C::Tdes, 24, iv.octets()?.to_vec()),
        DES_CBC => (C::Des, 8, iv.octets()?.to_vec()),
        RC2_CBC => {
            // RC2-CBC-Parameter ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv }
            let items = iv.expect(ber::SEQUENCE, "RC2 parameters")?.items()?;
            let (version, iv) = match &items[..] {
                [iv] => (None, iv),
                [v, iv] => (Some(v.unsigned("RC2 parameter version")?), iv),
                _ => return Err(PbeError::Malformed(format!("{what}: bad RC2 parameters"))),
            };
            let bits = match version {
                None | Some(160) => 40,
                Some(120) => 64,
                Some(58) => 128,
                Some(v) if v >= 256 => v.min(1024) as usize,
                Some(v) => {
                    return Err(PbeError::Malformed(format!(
                        "{what}: RC2 parameter version {v} is not defined"
                    )))
                }
            };
            // Without a keyLength, RC2's key is as long as its effective bits say.
            (C::Rc2(bits), bits.div_ceil(8), iv.octets()?.to_vec())
        }
        o => {
            return Err(PbeError::Unsupported(format!(
                "{what}: PBES2 cipher {} is not read",
                dotted(o)
            )))
        }
    })
}

fn pbes2(
    params: &Element<'_>,
    data: &[u8],
    password: &Password,
    what: &str,
    budget: &mut Budget,
) -> Result<Vec<u8>, PbeError> {
    // PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme }
    let p = params.expect(ber::SEQUENCE, "PBES2 parameters")?;
    let [kdf, scheme] = p.items()?[..] else {
        return Err(PbeError::Malformed(format!(
            "{what}: PBES2 parameters are not (key derivation, encryption scheme)"
        )));
    };
    let (kdf_oid, kdf_params) = algorithm(&kdf)?;
    if kdf_oid != PBKDF2 {
        let name = if kdf_oid == [0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04, 0x0b] {
            "scrypt".to_string()
        } else {
            dotted(kdf_oid)
        };
        return Err(PbeError::Unsupported(format!(
            "{what}: PBES2 key derivation {name} is not read (only PBKDF2)"
        )));
    }
    let kdf_params = kdf_params
        .ok_or_else(|| PbeError::Malformed(format!("{what}: PBKDF2 parameters missing")))?;
    let (s, n, key_len, prf) = pbkdf2_params(&kdf_params, what)?;
    let (cipher_oid, iv) = algorithm(&scheme)?;
    let iv =
        iv.ok_or_else(|| PbeError::Malformed(format!("{what}: the cipher's IV is missing")))?;
    let (c, natural_len, iv_bytes) = pbes2_cipher(cipher_oid, &iv, what)?;
    let len = match (c, key_len) {
        (C::Rc2(_), Some(l)) => l,
        (_, Some(l)) if l != natural_len => {
            return Err(PbeError::Malformed(format!(
                "{what}: PBKDF2 key length {l} does not fit the cipher ({natural_len} bytes)"
            )))
        }
        _ => natural_len,
    };
    budget.spend(u64::from(n))?;
    let mut key = vec![0u8; len];
    prf.pbkdf2(&password.utf8, &s, n, &mut key);
    match c {
        C::Aes128 => cbc_with::<aes::Aes128>(&key, &iv_bytes, data),
        C::Aes192 => cbc_with::<aes::Aes192>(&key, &iv_bytes, data),
        C::Aes256 => cbc_with::<aes::Aes256>(&key, &iv_bytes, data),
        C::Tdes => cbc_with::<des::TdesEde3>(&key, &iv_bytes, data),
        C::Des => cbc_with::<des::Des>(&key, &iv_bytes, data),
        C::Rc2(bits) => rc2_cbc(&key, bits, &iv_bytes, data),
    }
}

/// The MAC of a PFX: MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING,
/// iterations INTEGER DEFAULT 1 }, checked before any password is tried.
pub struct MacData<'a> {
    scheme: MacScheme<'a>,
    expected: std::borrow::Cow<'a, [u8]>,
    salt: std::borrow::Cow<'a, [u8]>,
    iterations: u32,
}

enum MacScheme<'a> {
    /// HMAC keyed by the PKCS#12 KDF (RFC 7292).
    Pkcs12(Hash),
    /// PBMAC1 (RFC 9579): HMAC keyed by PBKDF2.
    Pbmac1 {
        salt: std::borrow::Cow<'a, [u8]>,
        iterations: u32,
        key_len: usize,
        prf: Hash,
        hmac: Hash,
    },
}

/// PBMAC1 (RFC 9579): PBKDF2 parameters and the HMAC they key.
fn pbmac1_scheme<'a>(p: Element<'a>) -> Result<MacScheme<'a>, PbeError> {
    let bad = |m: &str| PbeError::Malformed(format!("the MAC structure is broken: {m}"));
    let [kdf, scheme] = p.expect(ber::SEQUENCE, "PBMAC1 parameters")?.items()?[..] else {
        return Err(bad("PBMAC1 parameters are not (key derivation, MAC)"));
    };
    let (kdf_oid, kdf_params) = algorithm(&kdf)?;
    if kdf_oid != PBKDF2 {
        return Err(PbeError::Unsupported(format!(
            "PBMAC1 key derivation {} is not read (only PBKDF2)",
            dotted(kdf_oid)
        )));
    }
    let (s, n, key_len, prf) = pbkdf2_params(
        &kdf_params.ok_or_else(|| bad("PBMAC1 without PBKDF2 parameters"))?,
        "the MAC",
    )?;
    let (mac_oid, _) = algorithm(&scheme)?;
    let hmac = Hash::from_hmac_oid(mac_oid).ok_or_else(|| {
        PbeError::Unsupported(format!(
            "PBMAC1 message authentication scheme {} is not read",
            dotted(mac_oid)
        ))
    })?;
    let key_len = key_len.ok_or_else(|| bad("PBMAC1's PBKDF2 has no key length"))?;
    Ok(MacScheme::Pbmac1 {
        salt: s,
        iterations: n,
        key_len,
        prf,
        hmac,
    })
}

impl<'a> MacData<'a> {
    pub fn parse(e: &Element<'a>) -> Result<MacData<'a>, PbeError> {
        let bad = |m: &str| PbeError::Malformed(format!("the MAC structure is broken: {m}"));
        let e = e
            .expect(ber::SEQUENCE, "MacData")
            .map_err(|_| bad("not a SEQUENCE"))?;
        let items = e.items()?;
        let (digest_info, mac_salt, iterations_e) = match &items[..] {
            [d, s] => (d, s, None),
            [d, s, i] => (d, s, Some(i)),
            _ => return Err(bad("it is not (digest, salt, iterations)")),
        };
        let di = digest_info
            .expect(ber::SEQUENCE, "DigestInfo")
            .map_err(|_| bad("the digest is not a SEQUENCE"))?
            .items()?;
        let [alg, digest] = di[..] else {
            return Err(bad("the digest is not (algorithm, value)"));
        };
        let (oid, params) = algorithm(&alg)?;
        let expected = digest
            .octets()
            .map_err(|_| bad("the MAC value is not an OCTET STRING"))?;
        let salt = salt(mac_salt, "the MAC's").map_err(|e| match e {
            PbeError::Malformed(m) => bad(&m),
            other => other,
        })?;
        let iterations = match iterations_e {
            None => 1,
            Some(i) => iterations(i, "the MAC's iteration count")?,
        };
        let scheme = if oid == PBMAC1 {
            pbmac1_scheme(params.ok_or_else(|| bad("PBMAC1 without parameters"))?)?
        } else {
            let hash = Hash::from_digest_oid(oid).ok_or_else(|| {
                PbeError::Unsupported(format!(
                    "the MAC algorithm {} is not read (SHA-1, SHA-2 and PBMAC1 are)",
                    dotted(oid)
                ))
            })?;
            MacScheme::Pkcs12(hash)
        };
        let (hash, name) = match &scheme {
            MacScheme::Pkcs12(h) => (h, h.name().to_string()),
            MacScheme::Pbmac1 { hmac, .. } => (hmac, format!("HMAC-{}", hmac.name())),
        };
        if expected.len() != hash.output_len() {
            return Err(bad(&format!(
                "the MAC is {} bytes, {name} gives {}",
                expected.len(),
                hash.output_len()
            )));
        }
        Ok(MacData {
            scheme,
            expected,
            salt,
            iterations,
        })
    }

    /// The algorithm, for messages.
    pub fn describe(&self) -> String {
        match &self.scheme {
            MacScheme::Pkcs12(h) => format!("HMAC-{}", h.name()),
            MacScheme::Pbmac1 { hmac, .. } => format!("PBMAC1 HMAC-{}", hmac.name()),
        }
    }

    /// The iterations one verification computes.
    pub fn cost(&self) -> u64 {
        match &self.scheme {
            MacScheme::Pkcs12(_) => u64::from(self.iterations),
            MacScheme::Pbmac1 { iterations, .. } => u64::from(*iterations),
        }
    }

    /// Whether the MAC over `content` matches under this password form.
    pub fn verifies(&self, content: &[u8], password: &Password) -> bool {
        let got = match &self.scheme {
            MacScheme::Pkcs12(hash) => {
                let key = pkcs12_kdf(
                    *hash,
                    password.bmp(),
                    &self.salt,
                    KeyId::Mac,
                    self.iterations,
                    hash.output_len(),
                );
                hash.hmac(&key, content)
            }
            MacScheme::Pbmac1 {
                salt,
                iterations,
                key_len,
                prf,
                hmac,
            } => {
                let mut key = vec![0u8; *key_len];
                prf.pbkdf2(&password.utf8, salt, *iterations, &mut key);
                hmac.hmac(&key, content)
            }
        };
        // Constant time is not at stake (no oracle), but costs nothing.
        got.len() == self.expected.len()
            && got
                .iter()
                .zip(self.expected.iter())
                .fold(0u8, |a, (x, y)| a | (x ^ y))
                == 0
    }

    /// Whether two password forms give the same key (PBMAC1 reads only the UTF-8 form).
    pub fn same_key(&self, a: &Password, b: &Password) -> bool {
        match self.scheme {
            MacScheme::Pkcs12(_) => a.bmp == b.bmp,
            MacScheme::Pbmac1 { .. } => a.utf8 == b.utf8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn password_forms() {
        let c = Password::candidates("");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].bmp, None);
        assert_eq!(c[1].bmp.as_deref(), Some(&[0u8, 0][..]));
        let c = Password::candidates("ab");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].bmp.as_deref(), Some(&[0, b'a', 0, b'b', 0, 0][..]));
        let c = Password::candidates("é");
        assert_eq!(c[0].bmp.as_deref(), Some(&[0x00, 0xe9, 0, 0][..]));
        assert_eq!(c[1].bmp.as_deref(), Some(&[0, 0xc3, 0, 0xa9, 0, 0][..]));
        assert_eq!(format!("{:?}", c[0]), "Password(..)");
    }

    /// The PKCS#12 KDF against vectors that OpenSSL's `PKCS12_key_gen_uni` gives (the same
    /// ones Bouncy Castle's PKCS12Test and the `pkcs12` crate test with): password "smeg",
    /// salt 0A58CF64530D823F, 1 iteration.
    #[test]
    fn pkcs12_kdf_matches_known_vectors() {
        let pw = Password::candidates("smeg").remove(0);
        let salt = hex("0A58CF64530D823F");
        assert_eq!(
            pkcs12_kdf(Hash::Sha1, pw.bmp(), &salt, KeyId::Key, 1, 24),
            hex("8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3")
        );
        assert_eq!(
            pkcs12_kdf(Hash::Sha1, pw.bmp(), &salt, KeyId::Iv, 1, 8),
            hex("79993DFE048D3B76")
        );
        // queeg, 1000 iterations.
        let pw = Password::candidates("queeg").remove(0);
        let salt = hex("05DEC959ACFF72F7");
        assert_eq!(
            pkcs12_kdf(Hash::Sha1, pw.bmp(), &salt, KeyId::Key, 1000, 24),
            hex("ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4")
        );
        assert_eq!(
            pkcs12_kdf(Hash::Sha1, pw.bmp(), &salt, KeyId::Iv, 1000, 8),
            hex("11DEDAD7758D4860")
        );
    }

    /// Vectors of the RustCrypto `pkcs12` crate's tests, checked there against OpenSSL's
    /// `PKCS12_key_gen_utf8`: a non-ASCII password, SHA-256 and SHA-512, outputs longer than
    /// one hash (the I-block update of step 6).
    #[test]
    fn pkcs12_kdf_matches_openssl_sha2_vectors() {
        let pw = Password::candidates("ge@äheim").remove(0);
        let salt = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let kdf = |h, id, it, n| pkcs12_kdf(h, pw.bmp(), &salt, id, it, n);
        assert_eq!(
            kdf(Hash::Sha256, KeyId::Key, 100, 32),
            hex("fae4d4957a3cc781e1180b9d4fb79c1e0c8579b746a3177e5b0768a3118bf863")
        );
        assert_eq!(
            kdf(Hash::Sha256, KeyId::Iv, 100, 20),
            hex("e5ff813bc6547de5155b14d2fada85b3201a9773")
        );
        assert_eq!(
            kdf(Hash::Sha256, KeyId::Mac, 1000, 32),
            hex("3f9113f05c30a996c4a516409bdac9d065f44296ccd52bb75de3fcfdbe2bf130")
        );
        assert_eq!(
            kdf(Hash::Sha256, KeyId::Key, 1000, 100),
            hex("2b95a0569b63f641fae1efca32e84db3699ab74540628ba66283b58cf5400527d8d0ebe2ccbf768c51c4d8fbd1bb156be06c1c59cbb69e44052ffc37376fdb47b2de7f9e543de9d096d8e5474b220410ff1c5d8bb7e5bc0f61baeaa12fd0da1d7a970172")
        );
        assert_eq!(
            kdf(Hash::Sha512, KeyId::Key, 100, 32),
            hex("b14a9f01bfd9dce4c9d66d2fe9937e5fd9f1afa59e370a6fa4fc81c1cc8ec8ee")
        );
    }

    #[test]
    fn iteration_counts_are_checked_first() {
        let int = |v: &[u8]| {
            let mut d = vec![ber::INTEGER, v.len() as u8];
            d.extend_from_slice(v);
            d
        };
        let e = int(&[0x00]);
        let r = iterations(&ber::parse_all(&e).unwrap(), "the count");
        assert_eq!(r, Err(PbeError::Malformed("the count is 0".into())));
        let e = int(&[0x1e, 0x84, 0x81]); // 2,000,001
        let r = iterations(&ber::parse_all(&e).unwrap(), "the count");
        assert_eq!(
            r,
            Err(PbeError::Unsupported(
                "the count is 2,000,001, more than the 1,000,000 that edgelint computes".into()
            ))
        );
        let e = int(&[0xff]);
        assert!(matches!(
            iterations(&ber::parse_all(&e).unwrap(), "the count"),
            Err(PbeError::Malformed(_))
        ));
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(dotted(PBMAC1), "1.2.840.113549.1.5.14");
        assert_eq!(dotted(&[0x2b, 0x0e, 0x03, 0x02, 0x1a]), "1.3.14.3.2.26");
        assert_eq!(dotted(&[0x88, 0x37, 0x03]), "2.999.3");
    }
}
