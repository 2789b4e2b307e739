//! Part of **derive** (chains): many certificates' RSA signatures by one issuer key checked
//! together, for a fraction of the cost of checking each.
//!
//! An RSA PKCS#1 v1.5 signature `s` of a certificate is valid when `sᵉ mod n` equals `m`, the
//! padded digest of the certificate's signed part. For signatures s₁…s_k by one key, the
//! *screen* checks the product instead: (s₁·…·s_k)ᵉ = m₁·…·m_k (mod n), the product test that
//! Bellare, Garay and Rabin call screening ("Fast batch verification for modular
//! exponentiation and digital signatures", 1998). It costs two Montgomery multiplications per
//! signature and two exponentiations per batch, where checking each signature costs an
//! exponentiation (and ring, which edgelint uses for that, works out the key's constants again
//! every time).
//!
//! What the screen promises, and what it does not:
//! - a batch of valid signatures passes;
//! - a batch with exactly one invalid signature fails: its product differs from the valid one
//!   (unless some mᵢ shares a factor with n, which would factor the key);
//! - several signatures damaged independently (a flipped bit, a truncated file, another key's
//!   signature) make the batch fail except by a coincidence of negligible probability;
//! - invalid signatures *made* to cancel out pass: anyone holding two certificates of a CA can
//!   multiply one signature by some c and the other by c⁻¹, or swap two signatures, and both
//!   certificates then chain although a check of each would refuse them. The verdict on such a
//!   pair also depends on which other leaves share its batch. A linter is no defence against
//!   the author of the files it reads (who can as well suppress a finding), so edgelint takes
//!   this; a tool that must resist forged files has to check each signature.
//!
//! A batch that fails is halved and each half screened again, so one bad signature does not
//! send thousands of good ones to be checked one by one; whatever the screen does not settle
//! (both halves failing, fewer than [`SMALLEST_BATCH`], an algorithm or key it does not handle)
//! is left to the ordinary check, signature by signature. The screen handles only what ring
//! verifies as RSA PKCS#1 v1.5 with SHA-256, SHA-384 or SHA-512, and uses a key only after ring
//! has verified with it one of the first few signatures of the issuer's group the screen can
//! claim (so ring accepts the key as the screen reads it).

use sha2::Digest;

use super::montgomery::Modulus;
use crate::model::der::{self, SignedParts};

/// A batch smaller than this is not worth the key's constants and an exponentiation of its
/// own (together about what ring takes for eight signatures): its signatures are checked one
/// by one.
pub const SMALLEST_BATCH: usize = 8;

/// How many of a group's signatures ring may check before the key is given up on.
const CONFIRMATIONS: usize = 3;

/// The key an issuer signs with, ready for the screen.
pub struct IssuerKey {
    modulus: Modulus,
    exponent: u64,
    /// The length of a signature, and of `n`, in bytes.
    len: usize,
}

/// A signature and the number it must raise to, as words of the key's modulus.
#[cfg_attr(test, derive(Clone))]
pub struct Claim {
    signature: Vec<u64>,
    expected: Vec<u64>,
}

impl IssuerKey {
    /// The RSA key in a whole SubjectPublicKeyInfo, ready for the screen, if the screen
    /// handles it and ring verifies with it one of the first [`CONFIRMATIONS`] signatures of
    /// `signed` the screen can claim. That check makes ring the judge of the key's encoding:
    /// ring refuses what x509-parser, which reads it here, lets through (a negative exponent,
    /// bytes after the key), and then nothing is screened with the key. (More than one is
    /// tried so that one bad certificate does not send its CA's thousands to ring.)
    pub fn confirmed_by_ring<'s>(
        spki: &[u8],
        signed: impl IntoIterator<Item = &'s SignedParts<'s>>,
    ) -> Option<IssuerKey> {
        let key = IssuerKey::new(spki)?;
        let confirmed = signed
            .into_iter()
            .filter(|s| key.claim(s).is_some())
            .take(CONFIRMATIONS)
            .any(|s| super::ring_verifies(s, spki));
        confirmed.then_some(key)
    }

    /// The RSA key in a whole SubjectPublicKeyInfo, if the screen handles it: a modulus of 256
    /// to 1,024 bytes (ring's 2,048 to 8,192 bits, which it counts in whole bytes) and an odd
    /// exponent from 3 to 2³³ − 1.
    fn new(spki: &[u8]) -> Option<IssuerKey> {
        use x509_parser::prelude::FromDer;
        use x509_parser::public_key::PublicKey;
        let (_, spki) = x509_parser::x509::SubjectPublicKeyInfo::from_der(spki).ok()?;
        let Ok(PublicKey::RSA(rsa)) = spki.parsed() else {
            return None;
        };
        let n = super::without_leading_zeros(rsa.modulus);
        let e = super::without_leading_zeros(rsa.exponent);
        if !super::ring_modulus_bytes(false).contains(&n.len()) || e.is_empty() || e.len() > 5 {
            return None;
        }
        let exponent = e.iter().fold(0u64, |a, &b| a << 8 | u64::from(b));
        if exponent < 3 || exponent & 1 == 0 || exponent >= 1 << 33 {
            return None;
        }
        Some(IssuerKey {
            modulus: Modulus::new(n)?,
            exponent,
            len: n.len(),
        })
    }

    /// What the screen needs of one certificate's signature, if it handles its algorithm:
    /// the signature as a number below `n`, and the padded digest it must raise to.
    pub fn claim(&self, signed: &SignedParts<'_>) -> Option<Claim> {
        let digest_info = digest_info(signed.algorithm, signed.tbs)?;
        let (0x03, _, bits, _) = der::tlv(signed.signature)? else {
            return None;
        };
        // No unused bits, and exactly as long as the modulus (ring refuses other lengths).
        let (0, signature) = bits.split_first()? else {
            return None;
        };
        if signature.len() != self.len || signature.iter().all(|&b| b == 0) {
            return None;
        }
        // EMSA-PKCS1-v1_5: 00 01 FF…FF 00 DigestInfo.
        let mut padded = vec![0xffu8; self.len];
        padded[0] = 0;
        padded[1] = 1;
        let start = self.len - digest_info.len();
        padded[start - 1] = 0;
        padded[start..].copy_from_slice(&digest_info);
        Some(Claim {
            signature: self.modulus.element(signature)?,
            expected: self.modulus.element(&padded)?,
        })
    }

    /// Settle what can be settled of `claims` (all by this key): `true` where the screen
    /// proved the signature, `false` where the ordinary check must decide.
    pub fn screen(&self, claims: &[Claim]) -> Vec<bool> {
        let mut proven = vec![false; claims.len()];
        if claims.len() >= SMALLEST_BATCH {
            if self.passes(claims) {
                proven.fill(true);
            } else {
                self.halve(claims, &mut proven);
            }
        }
        proven
    }

    /// For a batch that failed: screen its halves, and go on into the half that failed while
    /// the other passes. When both fail, several signatures are bad (a CA re-keyed, say), and
    /// checking them one by one costs less than halving on.
    fn halve(&self, claims: &[Claim], proven: &mut [bool]) {
        if claims.len() < 2 * SMALLEST_BATCH {
            return;
        }
        let mid = claims.len() / 2;
        let (left, right) = claims.split_at(mid);
        let (left_proven, right_proven) = proven.split_at_mut(mid);
        match (self.passes(left), self.passes(right)) {
            (true, false) => {
                left_proven.fill(true);
                self.halve(right, right_proven);
            }
            (false, true) => {
                right_proven.fill(true);
                self.halve(left, left_proven);
            }
            // Both passing would make the whole pass: only both failing is left.
            _ => {}
        }
    }

    /// The product test on one batch.
    fn passes(&self, claims: &[Claim]) -> bool {
        let m = &self.modulus;
        let mut signatures = m.one().to_vec();
        let mut expected = m.one().to_vec();
        let mut tmp = vec![0u64; m.limbs()];
        for c in claims {
            m.mul(&signatures, &c.signature, &mut tmp);
            std::mem::swap(&mut signatures, &mut tmp);
            m.mul(&expected, &c.expected, &mut tmp);
            std::mem::swap(&mut expected, &mut tmp);
        }
        // With k claims, `signatures` is the Montgomery form of S = s₁…s_k·R⁻ᵏ and `expected`
        // that of M = m₁…m_k·R⁻ᵏ. (s₁…s_k)ᵉ = m₁…m_k is then Sᵉ·R^(k(e−1)) = M, and R^(k(e−1))
        // is R raised in Montgomery form (whose form is R² mod n).
        let Some(correction) = (claims.len() as u64).checked_mul(self.exponent - 1) else {
            return false;
        };
        let lhs = m.pow(&signatures, self.exponent);
        let r_power = m.pow(m.r_squared(), correction);
        m.mul(&lhs, &r_power, &mut tmp);
        tmp == expected
    }
}

/// The DigestInfo of the signed part for the signature algorithm `algorithm` (a whole
/// AlgorithmIdentifier), when it is RSA PKCS#1 v1.5 with SHA-256, SHA-384 or SHA-512.
fn digest_info(algorithm: &[u8], tbs: &[u8]) -> Option<Vec<u8>> {
    // sha{256,384,512}WithRSAEncryption: 1.2.840.113549.1.1.{11,12,13}.
    const RSA_PKCS1: [u8; 8] = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01];
    let (0x30, _, identifier, _) = der::tlv(algorithm)? else {
        return None;
    };
    let (0x06, _, oid, _) = der::tlv(identifier)? else {
        return None;
    };
    let (&last, prefix) = oid.split_last()?;
    if prefix != RSA_PKCS1 {
        return None;
    }
    // The DigestInfo header (SEQUENCE { AlgorithmIdentifier { hash OID, NULL }, OCTET
    // STRING }) of RFC 8017 section 9.2, note 1, then the digest.
    let (hash_oid_last, digest): (u8, Vec<u8>) = match last {
        0x0b => (0x01, sha2::Sha256::digest(tbs).to_vec()),
        0x0c => (0x02, sha2::Sha384::digest(tbs).to_vec()),
        0x0d => (0x03, sha2::Sha512::digest(tbs).to_vec()),
        _ => return None,
    };
    let len = digest.len() as u8;
    let mut out = vec![
        0x30,
        0x11 + len,
        0x30,
        0x0d,
        0x06,
        0x09,
        0x60,
        0x86,
        0x48,
        0x01,
        0x65,
        0x03,
        0x04,
        0x02,
        hash_oid_last,
        0x05,
        0x00,
        0x04,
        len,
    ];
    out.extend_from_slice(&digest);
    Some(out)
}

#[cfg(test)]
impl IssuerKey {
    fn modulus_words(&self) -> Vec<u64> {
        self.modulus.words().to_vec()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};

    /// The DER of the first PEM block of a fixture.
    fn pem(name: &str) -> Vec<u8> {
        let path = format!("{}/fixtures/certs/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read(path).unwrap();
        x509_parser::pem::parse_x509_pem(&text).unwrap().1.contents
    }

    fn spki(cert: &str) -> Vec<u8> {
        der::cert_parts(&pem(cert)).unwrap().spki.to_vec()
    }

    pub(in crate::derive::chain) const SHA256_WITH_RSA: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00,
    ];
    pub(in crate::derive::chain) const SHA1_WITH_RSA: [u8; 15] = [
        0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
    ];

    /// A made-up signed part and its signature (a whole BIT STRING).
    struct Signed {
        tbs: Vec<u8>,
        signature: Vec<u8>,
    }

    impl Signed {
        fn parts(&self) -> SignedParts<'_> {
            SignedParts {
                tbs: &self.tbs,
                algorithm: &SHA256_WITH_RSA,
                signature: &self.signature,
            }
        }
        fn signature_bytes(&self) -> &[u8] {
            &self.signature[5..]
        }
        fn set_signature(&mut self, bytes: &[u8]) {
            self.signature = bit_string(bytes);
        }
    }

    fn bit_string(bytes: &[u8]) -> Vec<u8> {
        let len = bytes.len() + 1;
        let mut out = vec![0x03, 0x82, (len >> 8) as u8, len as u8, 0x00];
        out.extend_from_slice(bytes);
        out
    }

    /// `count` signed parts signed with the fixture key `key`.
    fn signed_by(key: &str, count: usize) -> Vec<Signed> {
        let key = RsaKeyPair::from_pkcs8(&pem(key)).unwrap();
        let rng = ring::rand::SystemRandom::new();
        (0..count)
            .map(|i| {
                let tbs = vec![0x04, 0x02, i as u8, (i >> 8) as u8];
                let mut signature = vec![0; key.public().modulus_len()];
                key.sign(&RSA_PKCS1_SHA256, &rng, &tbs, &mut signature)
                    .unwrap();
                Signed {
                    tbs,
                    signature: bit_string(&signature),
                }
            })
            .collect()
    }

    /// A SubjectPublicKeyInfo of rsaEncryption with modulus `n` and exponent `e`.
    pub(in crate::derive::chain) fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
        rsa_spki_then(n, e, &[])
    }

    /// The same, with `after` written after the RSAPublicKey, inside the BIT STRING.
    fn rsa_spki_then(n: &[u8], e: &[u8], after: &[u8]) -> Vec<u8> {
        fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
            let mut out = vec![tag];
            match contents.len() {
                len @ 0..0x80 => out.push(len as u8),
                len @ 0x80..0x100 => out.extend([0x81, len as u8]),
                len => out.extend([0x82, (len >> 8) as u8, len as u8]),
            }
            out.extend_from_slice(contents);
            out
        }
        // DER: a zero byte before a modulus whose top bit is set, none otherwise.
        let positive = |v: &[u8]| [&[0u8][..usize::from(v[0] >= 0x80)], v].concat();
        let key = tlv(0x30, &[tlv(0x02, &positive(n)), tlv(0x02, e)].concat());
        let algorithm = [
            0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05,
            0x00,
        ];
        let bits = [&[0u8][..], &key, after].concat();
        tlv(0x30, &[&algorithm[..], &tlv(0x03, &bits)].concat())
    }

    /// The screen's verdict on each (`false` for those it cannot claim: another key's
    /// signature may be above this key's modulus).
    fn screen(spki: &[u8], signed: &[Signed]) -> Vec<bool> {
        let key = IssuerKey::new(spki).unwrap();
        let claims: Vec<Option<Claim>> = signed.iter().map(|s| key.claim(&s.parts())).collect();
        let claimed: Vec<Claim> = claims.iter().flatten().map(Claim::clone).collect();
        let mut proven = key.screen(&claimed).into_iter();
        claims
            .iter()
            .map(|c| c.is_some() && proven.next().unwrap())
            .collect()
    }

    /// What ring, the ordinary check, says of each.
    fn ring_verdicts(spki: &[u8], signed: &[Signed]) -> Vec<bool> {
        signed
            .iter()
            .map(|s| super::super::verify(&s.parts(), spki))
            .collect()
    }

    #[test]
    fn valid_signatures_are_proven_together() {
        let issuer = spki("ca/issuing.crt");
        let signed = signed_by("ca/issuing.key", 37);
        assert_eq!(screen(&issuer, &signed), vec![true; 37]);
        assert_eq!(ring_verdicts(&issuer, &signed), vec![true; 37]);
    }

    #[test]
    fn a_bad_signature_is_left_to_the_ordinary_check_with_the_few_beside_it() {
        let issuer = spki("ca/issuing.crt");
        let mut signed = signed_by("ca/issuing.key", 37);
        let mut bad = signed[20].signature_bytes().to_vec();
        *bad.last_mut().unwrap() ^= 1;
        signed[20].set_signature(&bad);
        // 37 fails; of its halves 0..18 passes and 18..37 fails; then 27..37 passes and
        // 18..27 fails, and is left: halving it would make batches of fewer than 8.
        let expected: Vec<bool> = (0..37).map(|i| !(18..27).contains(&i)).collect();
        assert_eq!(screen(&issuer, &signed), expected);
        let ring = ring_verdicts(&issuer, &signed);
        assert_eq!(ring, (0..37).map(|i| i != 20).collect::<Vec<_>>());
    }

    #[test]
    fn links_to_the_wrong_key_are_all_left_to_the_ordinary_check() {
        // A re-keyed CA: the same name, signatures by another key.
        let issuer = spki("ca/issuing.crt");
        let signed = signed_by("other.key", 40);
        assert_eq!(screen(&issuer, &signed), vec![false; 40]);
        assert_eq!(ring_verdicts(&issuer, &signed), vec![false; 40]);
    }

    #[test]
    fn fewer_signatures_than_a_batch_are_left_to_the_ordinary_check() {
        let issuer = spki("ca/issuing.crt");
        let signed = signed_by("ca/issuing.key", SMALLEST_BATCH - 1);
        assert_eq!(screen(&issuer, &signed), vec![false; SMALLEST_BATCH - 1]);
    }

    #[test]
    fn signatures_made_to_cancel_out_pass_as_the_module_says() {
        // The screen's documented limit: s₁·c and s₂·c⁻¹ are both invalid, and their product is
        // that of two valid signatures. Both parts were still signed by the key.
        use num_bigint::BigUint;
        let issuer = spki("ca/issuing.crt");
        let mut signed = signed_by("ca/issuing.key", 8);
        let key = IssuerKey::new(&issuer).unwrap();
        let n = BigUint::from_bytes_le(
            &key.modulus_words()
                .iter()
                .flat_map(|w| w.to_le_bytes())
                .collect::<Vec<_>>(),
        );
        let c = BigUint::from(3u8);
        let c_inv = c.modinv(&n).unwrap();
        for (i, factor) in [(0, &c), (1, &c_inv)] {
            let s = BigUint::from_bytes_be(signed[i].signature_bytes()) * factor % &n;
            let mut bytes = s.to_bytes_be();
            while bytes.len() < key.len {
                bytes.insert(0, 0);
            }
            signed[i].set_signature(&bytes);
        }
        assert_eq!(screen(&issuer, &signed), vec![true; 8]);
        let ring = ring_verdicts(&issuer, &signed);
        assert_eq!(ring, (0..8).map(|i| i > 1).collect::<Vec<_>>());
    }

    #[test]
    fn only_rsa_pkcs1_with_sha2_from_keys_ring_accepts_is_claimed() {
        let key = IssuerKey::new(&spki("ca/issuing.crt")).unwrap();
        let signed = signed_by("ca/issuing.key", 1);
        assert!(key.claim(&signed[0].parts()).is_some());
        let sha1 = SignedParts {
            algorithm: &SHA1_WITH_RSA,
            ..signed[0].parts()
        };
        assert!(key.claim(&sha1).is_none());
        let short = bit_string(&signed[0].signature_bytes()[1..]);
        let short = SignedParts {
            signature: &short,
            ..signed[0].parts()
        };
        assert!(key.claim(&short).is_none());
        // A signature not below the modulus.
        let too_big = bit_string(&[0xff; 256]);
        let too_big = SignedParts {
            signature: &too_big,
            ..signed[0].parts()
        };
        assert!(key.claim(&too_big).is_none());
        // Keys the screen leaves to ring: an Ed25519 key, a damaged one, and RSA keys ring
        // refuses for these algorithms.
        let odd = |len: usize| {
            let mut n = vec![0xc5; len];
            n[len - 1] = 0x01;
            n
        };
        assert!(IssuerKey::new(&rsa_spki(&odd(256), &[0x01, 0x00, 0x01])).is_some());
        assert!(IssuerKey::new(&rsa_spki(&odd(128), &[0x01, 0x00, 0x01])).is_none());
        assert!(IssuerKey::new(&rsa_spki(&odd(1025), &[0x01, 0x00, 0x01])).is_none());
        assert!(IssuerKey::new(&rsa_spki(&[0xc4; 256], &[0x01, 0x00, 0x01])).is_none());
        assert!(IssuerKey::new(&rsa_spki(&odd(256), &[0x01])).is_none());
        assert!(IssuerKey::new(&rsa_spki(&odd(256), &[0x01, 0x00, 0x00])).is_none());
        assert!(IssuerKey::new(&rsa_spki(&odd(256), &[0x02, 0x00, 0x00, 0x00, 0x01])).is_none());
        assert!(IssuerKey::new(&spki("crypto/ed25519.crt")).is_none());
        assert!(IssuerKey::new(&spki("ca/issuing.crt")[..40]).is_none());
    }

    #[test]
    fn a_key_is_used_only_once_ring_has_verified_a_signature_with_it() {
        use x509_parser::prelude::FromDer;
        use x509_parser::public_key::PublicKey;
        let issuer = spki("ca/issuing.crt");
        let signed = signed_by("ca/issuing.key", 9);
        let parts: Vec<SignedParts<'_>> = signed.iter().map(Signed::parts).collect();
        assert!(IssuerKey::confirmed_by_ring(&issuer, &parts).is_some());
        // The same key with bytes after it: x509-parser reads it, ring refuses it.
        let (_, info) = x509_parser::x509::SubjectPublicKeyInfo::from_der(&issuer).unwrap();
        let Ok(PublicKey::RSA(rsa)) = info.parsed() else {
            panic!("the issuing CA's key is RSA")
        };
        let padded = rsa_spki_then(
            super::super::without_leading_zeros(rsa.modulus),
            rsa.exponent,
            &[0x05, 0x00],
        );
        assert!(IssuerKey::new(&padded).is_some());
        assert!(IssuerKey::confirmed_by_ring(&padded, &parts).is_none());
        // Bad first signatures: ring verifies the third, then the key is used; when it refuses
        // the first three, the group is left to ring.
        let mut signed = signed;
        for i in 0..3 {
            let mut bad = signed[i].signature_bytes().to_vec();
            bad[100] ^= 0x10;
            signed[i].set_signature(&bad);
            let parts: Vec<SignedParts<'_>> = signed.iter().map(Signed::parts).collect();
            let confirmed = IssuerKey::confirmed_by_ring(&issuer, &parts);
            assert_eq!(confirmed.is_some(), i < 2, "{} bad", i + 1);
        }
    }
}
