//! Private keys (PKCS#8, PKCS#1, SEC1; encrypted PKCS#8): the public key they hold, to match
//! them with their certificate. The key itself is never kept.

use super::problem;
use crate::model::certs::*;

pub(super) fn read_key_der(f: &mut CertFile, der: &[u8], pos: FilePos) {
    match public_from_pkcs8(der) {
        Ok(pk) => f.keys.push(KeyFacts {
            pos,
            encrypted: false,
            public_key: pk,
        }),
        Err(e) => f
            .problems
            .push(problem(pos, format!("not a DER private key: {e}"))),
    }
}

pub(super) fn rsa_public(pkcs1_der: &[u8]) -> Result<Vec<u8>, String> {
    use pkcs1::der::{Decode, Encode};
    let k = pkcs1::RsaPrivateKeyRef::from_der(pkcs1_der).map_err(|e| e.to_string())?;
    pkcs1::RsaPublicKeyRef {
        modulus: k.modulus,
        public_exponent: k.public_exponent,
    }
    .to_der()
    .map_err(|e| e.to_string())
}

pub(super) fn ec_public(sec1_der: &[u8]) -> Result<Vec<u8>, String> {
    use sec1::der::Decode;
    let k = sec1::EcPrivateKey::from_der(sec1_der).map_err(|e| e.to_string())?;
    k.public_key
        .map(<[u8]>::to_vec)
        .ok_or_else(|| "EC key without its public key".into())
}

/// The public key (as it appears in a certificate's subjectPublicKey) of a PKCS#8 key;
/// `Ok(None)` for algorithms whose public key we do not derive.
pub fn public_from_pkcs8(der: &[u8]) -> Result<Option<Vec<u8>>, String> {
    use pkcs8::der::Decode;
    let pki = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(|e| e.to_string())?;
    let key = pki.private_key.as_bytes();
    match pki.algorithm.oid.to_string().as_str() {
        "1.2.840.113549.1.1.1" => rsa_public(key).map(Some),
        "1.2.840.10045.2.1" => ec_public(key).map(Some),
        _ => Ok(None),
    }
}

/// Decrypt an `ENCRYPTED PRIVATE KEY` (PKCS#8, PBES2) and derive its public key.
pub fn decrypt_pkcs8(der: &[u8], password: &str) -> Result<Option<Vec<u8>>, UnlockError> {
    use pkcs8::der::Decode;
    let info = pkcs8::EncryptedPrivateKeyInfoRef::from_der(der)
        .map_err(|e| UnlockError::Corrupt(e.to_string()))?;
    // A hostile iteration count would make decryption hang: refused before any work.
    if let Some(p) = info.encryption_algorithm.pbes2() {
        match p.kdf.pbkdf2() {
            None => {
                return Err(UnlockError::Unsupported(
                    "its key derivation is not PBKDF2 (only PBKDF2 is read)".into(),
                ))
            }
            Some(k) if u64::from(k.iteration_count) > crate::load::pkcs12::pbe::MAX_ITERATIONS => {
                return Err(UnlockError::Unsupported(format!(
                    "its PBKDF2 iteration count is {}, more than the {} that edgelint computes",
                    crate::load::pkcs12::pbe::thousands(k.iteration_count.into()),
                    crate::load::pkcs12::pbe::thousands(crate::load::pkcs12::pbe::MAX_ITERATIONS)
                )))
            }
            Some(_) => {}
        }
    }
    let doc = info
        .decrypt(password)
        .map_err(|_| UnlockError::WrongPassword)?;
    public_from_pkcs8(doc.as_bytes()).map_err(UnlockError::Corrupt)
}
