//! Certificate-like files → facts: PEM bundles, DER certificates, PKCS#10 requests, private
//! keys, PKCS#7 bundles and PKCS#12 archives. Every failure becomes a `FileProblem` and the
//! rest of the file is still read.

use std::sync::Arc;
use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::model::certs::*;

/// What a binary file is read as, by its extension (topology.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    Certificate,
    Request,
    Pkcs12,
    Pkcs7,
    Key,
}

pub fn binary_kind(path: &std::path::Path) -> BinaryKind {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "pfx" | "p12" => BinaryKind::Pkcs12,
        "csr" | "req" => BinaryKind::Request,
        "p7b" | "p7c" => BinaryKind::Pkcs7,
        "key" => BinaryKind::Key,
        _ => BinaryKind::Certificate,
    }
}

pub fn looks_like_pem(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"-----BEGIN ").is_some()
}

/// Standard base64 with padding; white space is skipped. (A plain table decoder: the
/// constant-time one of the RustCrypto crates cost a third of a run on large corpora.)
pub fn decode_base64(text: &[u8]) -> Option<Vec<u8>> {
    const INVALID: u8 = 0xff;
    static TABLE: [u8; 256] = {
        let mut t = [INVALID; 256];
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut i = 0;
        while i < 64 {
            t[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        t
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    // Fast path: whole quantums of four alphabet characters (PEM bodies arrive without white
    // space); the rest, padding and white space go through the general loop below.
    let mut chunks = text.chunks_exact(4);
    let mut rest = &text[..0];
    for (n, q) in chunks.by_ref().enumerate() {
        let v = [
            TABLE[q[0] as usize],
            TABLE[q[1] as usize],
            TABLE[q[2] as usize],
            TABLE[q[3] as usize],
        ];
        if v.contains(&INVALID) {
            rest = &text[n * 4..];
            break;
        }
        let w =
            u32::from(v[0]) << 18 | u32::from(v[1]) << 12 | u32::from(v[2]) << 6 | u32::from(v[3]);
        out.extend_from_slice(&[(w >> 16) as u8, (w >> 8) as u8, w as u8]);
    }
    if rest.is_empty() {
        rest = chunks.remainder();
    }
    let (mut acc, mut bits, mut padding) = (0u32, 0u32, 0usize);
    for &c in rest {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            b'=' => {
                padding += 1;
                continue;
            }
            _ => {}
        }
        let v = TABLE[c as usize];
        if v == INVALID || padding > 0 {
            return None;
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Leftover bits must be padding's zero bits; no more than two `=`.
    (padding <= 2 && bits < 6 && acc == 0).then_some(out)
}

/// Read a file's content (no passwords involved).
pub fn load(path: std::path::PathBuf, display: Arc<str>, bytes: &[u8]) -> CertFile {
    let kind = binary_kind(&path);
    if kind == BinaryKind::Pkcs12 {
        let mut f = CertFile::empty(path, display, FileFormat::Pkcs12);
        if bytes.is_empty() {
            f.problems
                .push(problem(FilePos::START, "empty PKCS#12 file".into()));
        }
        return f;
    }
    if looks_like_pem(bytes) {
        let mut f = CertFile::empty(path, display, FileFormat::Pem);
        read_pem(&mut f, bytes);
        return f;
    }
    let format = if kind == BinaryKind::Pkcs7 {
        FileFormat::Pkcs7
    } else {
        FileFormat::Der
    };
    let mut f = CertFile::empty(path, display, format);
    if bytes.is_empty() {
        f.problems
            .push(problem(FilePos::START, "empty file".into()));
        return f;
    }
    match kind {
        BinaryKind::Request => match request_facts(bytes, FilePos::START) {
            Ok(r) => f.requests.push(r),
            Err(e) => f.problems.push(problem(
                FilePos::START,
                format!("not a DER certificate request: {e}"),
            )),
        },
        BinaryKind::Pkcs7 => read_pkcs7(&mut f, bytes, FilePos::START),
        BinaryKind::Key => read_key_der(&mut f, bytes, FilePos::START),
        _ => match cert_facts(bytes, FilePos::START) {
            Ok(c) => f.certs.push(c),
            Err(e) => f.problems.push(problem(
                FilePos::START,
                format!("not a DER certificate: {e}"),
            )),
        },
    }
    f
}

fn problem(pos: FilePos, message: String) -> FileProblem {
    FileProblem { pos, message }
}

struct PemBlock {
    label: String,
    pos: FilePos,
    encrypted_header: bool,
    body: Vec<u8>,
}

fn pem_marker<'a>(line: &'a [u8], kind: &[u8]) -> Option<&'a [u8]> {
    line.strip_prefix(kind)?.strip_suffix(b"-----")
}

/// A forgiving PEM scanner: text outside blocks is ignored, CRLF is accepted, and a broken
/// block does not hide the blocks after it.
fn scan_pem(bytes: &[u8], problems: &mut Vec<FileProblem>) -> Vec<PemBlock> {
    let mut blocks = Vec::new();
    let mut open: Option<PemBlock> = None;
    for (i, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw.trim_ascii();
        if open.is_none() && !line.starts_with(b"-----") {
            continue;
        }
        if let Some(label) = pem_marker(line, b"-----BEGIN ") {
            let pos = FilePos {
                line: i + 1,
                width: String::from_utf8_lossy(raw.strip_suffix(b"\r").unwrap_or(raw))
                    .chars()
                    .count(),
            };
            if let Some(b) = open.take() {
                problems.push(problem(
                    b.pos,
                    format!("PEM block `{}` has no END line", b.label),
                ));
            }
            open = Some(PemBlock {
                label: String::from_utf8_lossy(label).into_owned(),
                pos,
                encrypted_header: false,
                body: Vec::new(),
            });
        } else if let Some(label) = pem_marker(line, b"-----END ") {
            match open.take() {
                Some(b) if b.label.as_bytes() == label => blocks.push(b),
                Some(b) => problems.push(problem(
                    b.pos,
                    format!(
                        "PEM block `{}` ends with `END {}`",
                        b.label,
                        String::from_utf8_lossy(label)
                    ),
                )),
                None => {}
            }
        } else if let Some(b) = open.as_mut() {
            if b.body.is_empty() && line.contains(&b':') {
                // RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: ...`).
                b.encrypted_header |= memchr::memmem::find(line, b"ENCRYPTED").is_some();
            } else {
                b.body.extend_from_slice(line);
            }
        }
    }
    if let Some(b) = open {
        problems.push(problem(
            b.pos,
            format!("PEM block `{}` is truncated (no END line)", b.label),
        ));
    }
    blocks
}

fn read_pem(f: &mut CertFile, bytes: &[u8]) {
    let blocks = scan_pem(bytes, &mut f.problems);
    if blocks.is_empty() && f.problems.is_empty() {
        f.problems
            .push(problem(FilePos::START, "no PEM block found".into()));
    }
    for b in blocks {
        let der = match decode_base64(&b.body) {
            Some(d) => d,
            None => {
                f.problems.push(problem(
                    b.pos,
                    format!("PEM block `{}` is not valid base64", b.label),
                ));
                continue;
            }
        };
        match b.label.as_str() {
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
                match cert_facts(&der, b.pos) {
                    Ok(c) => f.certs.push(c),
                    Err(e) => f
                        .problems
                        .push(problem(b.pos, format!("certificate does not parse: {e}"))),
                }
            }
            "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => match request_facts(&der, b.pos) {
                Ok(r) => f.requests.push(r),
                Err(e) => f.problems.push(problem(
                    b.pos,
                    format!("certificate request does not parse: {e}"),
                )),
            },
            "PRIVATE KEY" => match public_from_pkcs8(&der) {
                Ok(pk) => f.keys.push(KeyFacts {
                    pos: b.pos,
                    encrypted: false,
                    public_key: pk,
                }),
                Err(e) => f
                    .problems
                    .push(problem(b.pos, format!("private key does not parse: {e}"))),
            },
            "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
                if b.encrypted_header {
                    f.keys.push(KeyFacts {
                        pos: b.pos,
                        encrypted: true,
                        public_key: None,
                    });
                    continue;
                }
                let derived = if b.label.starts_with("RSA") {
                    rsa_public(&der)
                } else {
                    ec_public(&der)
                };
                match derived {
                    Ok(pk) => f.keys.push(KeyFacts {
                        pos: b.pos,
                        encrypted: false,
                        public_key: Some(pk),
                    }),
                    Err(e) => f
                        .problems
                        .push(problem(b.pos, format!("private key does not parse: {e}"))),
                }
            }
            "ENCRYPTED PRIVATE KEY" => {
                use pkcs8::der::Decode;
                match pkcs8::EncryptedPrivateKeyInfoRef::from_der(&der) {
                    Ok(_) => f.keys.push(KeyFacts {
                        pos: b.pos,
                        encrypted: true,
                        public_key: None,
                    }),
                    Err(e) => f.problems.push(problem(
                        b.pos,
                        format!("encrypted private key does not parse: {e}"),
                    )),
                }
            }
            "PKCS7" => read_pkcs7(f, &der, b.pos),
            // CRLs, public keys, parameters: legal in a bundle, not ours to check.
            _ => {}
        }
    }
}

fn read_key_der(f: &mut CertFile, der: &[u8], pos: FilePos) {
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

/// Exact bit length of a big-endian unsigned integer (x509-parser counts whole bytes).
fn bit_len(be: &[u8]) -> usize {
    match be.iter().position(|&b| b != 0) {
        Some(i) => (be.len() - i) * 8 - be[i].leading_zeros() as usize,
        None => 0,
    }
}

fn curve_name(oid: &str) -> String {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256".into(),
        "1.3.132.0.34" => "P-384".into(),
        "1.3.132.0.35" => "P-521".into(),
        o => o.into(),
    }
}

fn key_algorithm(spki: &SubjectPublicKeyInfo<'_>) -> KeyAlgorithm {
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => KeyAlgorithm::Rsa {
            bits: bit_len(rsa.modulus),
        },
        Ok(PublicKey::EC(_)) => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.as_oid().ok())
                .map(|o| curve_name(&o.to_id_string()))
                .unwrap_or_else(|| "unknown curve".into());
            KeyAlgorithm::Ec { curve }
        }
        _ => KeyAlgorithm::Other {
            oid: spki.algorithm.algorithm.to_id_string(),
        },
    }
}

fn dns_names<'a>(names: &[GeneralName<'a>]) -> Vec<String> {
    names
        .iter()
        .filter_map(|g| match g {
            GeneralName::DNSName(d) => Some(d.to_string()),
            _ => None,
        })
        .collect()
}

fn common_name(name: &x509_parser::x509::X509Name<'_>) -> Option<String> {
    name.iter_common_name().next().map(|cn| match cn.as_str() {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(cn.as_slice()).into_owned(),
    })
}

/// x509-parser's errors are nom/asn1 debug texts; say what they mean.
fn describe(e: x509_parser::nom::Err<x509_parser::error::X509Error>) -> String {
    use x509_parser::error::X509Error;
    use x509_parser::nom::Err;
    match e {
        Err::Incomplete(_) => "the data is truncated".into(),
        Err::Error(X509Error::Der(d)) | Err::Failure(X509Error::Der(d)) => match d {
            x509_parser::der_parser::error::BerError::UnexpectedTag { .. } => {
                "not an X.509 structure (unexpected ASN.1 tag)".into()
            }
            x509_parser::der_parser::error::BerError::InvalidLength => {
                "invalid ASN.1 length".into()
            }
            other => format!("invalid DER ({other})"),
        },
        Err::Error(X509Error::NomError(x509_parser::nom::error::ErrorKind::Eof))
        | Err::Failure(X509Error::NomError(x509_parser::nom::error::ErrorKind::Eof)) => {
            "the data is truncated".into()
        }
        Err::Error(other) | Err::Failure(other) => other.to_string(),
    }
}

pub fn cert_facts(der: &[u8], pos: FilePos) -> Result<CertFacts, String> {
    let (_, cert) = X509Certificate::from_der(der).map_err(describe)?;
    let mut extension_error = None;
    let san_dns = match cert.subject_alternative_name() {
        Ok(Some(san)) => dns_names(&san.value.general_names),
        Ok(None) => Vec::new(),
        Err(e) => {
            extension_error = Some(format!("subject alternative name: {e}"));
            Vec::new()
        }
    };
    let eku = match cert.extended_key_usage() {
        Ok(e) => e.map(|e| Eku {
            server_auth: e.value.server_auth,
            client_auth: e.value.client_auth,
            any: e.value.any,
        }),
        Err(e) => {
            extension_error.get_or_insert(format!("extended key usage: {e}"));
            None
        }
    };
    let crl_distribution_points = cert.extensions().iter().any(|e| {
        matches!(
            e.parsed_extension(),
            ParsedExtension::CRLDistributionPoints(_)
        )
    });
    let is_ca = cert
        .basic_constraints()
        .ok()
        .flatten()
        .is_some_and(|b| b.value.ca);
    let validity = cert.validity();
    Ok(CertFacts {
        pos,
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        subject_cn: common_name(cert.subject()),
        san_dns,
        extension_error,
        eku,
        key: key_algorithm(cert.public_key()),
        signature_oid: cert.signature_algorithm.algorithm.to_id_string(),
        not_before: validity.not_before.to_datetime(),
        not_after: validity.not_after.to_datetime(),
        crl_distribution_points,
        is_ca,
        self_issued: cert.subject().as_raw() == cert.issuer().as_raw(),
        public_key: cert.public_key().subject_public_key.data.to_vec(),
        der: Arc::from(der),
        sha256: std::sync::OnceLock::new(),
    })
}

pub fn request_facts(der: &[u8], pos: FilePos) -> Result<RequestFacts, String> {
    let (_, req) = X509CertificationRequest::from_der(der).map_err(describe)?;
    let info = &req.certification_request_info;
    let mut san_dns = Vec::new();
    let mut eku = None;
    if let Some(exts) = req.requested_extensions() {
        for e in exts {
            match e {
                ParsedExtension::SubjectAlternativeName(san) => {
                    san_dns.extend(dns_names(&san.general_names))
                }
                ParsedExtension::ExtendedKeyUsage(e) => {
                    eku = Some(Eku {
                        server_auth: e.server_auth,
                        client_auth: e.client_auth,
                        any: e.any,
                    })
                }
                _ => {}
            }
        }
    }
    Ok(RequestFacts {
        pos,
        subject_cn: common_name(&info.subject),
        san_dns,
        eku,
        key: key_algorithm(&info.subject_pki),
        public_key: info.subject_pki.subject_public_key.data.to_vec(),
    })
}

fn rsa_public(pkcs1_der: &[u8]) -> Result<Vec<u8>, String> {
    use pkcs1::der::{Decode, Encode};
    let k = pkcs1::RsaPrivateKeyRef::from_der(pkcs1_der).map_err(|e| e.to_string())?;
    pkcs1::RsaPublicKeyRef {
        modulus: k.modulus,
        public_exponent: k.public_exponent,
    }
    .to_der()
    .map_err(|e| e.to_string())
}

fn ec_public(sec1_der: &[u8]) -> Result<Vec<u8>, String> {
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
            Some(k) if u64::from(k.iteration_count) > super::pkcs12::pbe::MAX_ITERATIONS => {
                return Err(UnlockError::Unsupported(format!(
                    "its PBKDF2 iteration count is {}, more than the {} that edgelint computes",
                    super::pkcs12::pbe::thousands(k.iteration_count.into()),
                    super::pkcs12::pbe::thousands(super::pkcs12::pbe::MAX_ITERATIONS)
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

/// Open every `ENCRYPTED PRIVATE KEY` block of a PEM file with a password.
pub fn unlock_pem_keys(bytes: &[u8], password: &str) -> Result<Unlocked, UnlockError> {
    let mut ignored = Vec::new();
    let mut out = Unlocked::default();
    for b in scan_pem(bytes, &mut ignored) {
        if b.label != "ENCRYPTED PRIVATE KEY" {
            continue;
        }
        let der =
            decode_base64(&b.body).ok_or_else(|| UnlockError::Corrupt("invalid base64".into()))?;
        let public_key = decrypt_pkcs8(&der, password)?;
        out.keys.push(KeyFacts {
            pos: b.pos,
            encrypted: true,
            public_key,
        });
    }
    Ok(out)
}

/// Open a PKCS#12 archive (src/load/pkcs12).
pub fn unlock_pkcs12(bytes: &[u8], password: &str) -> Result<Unlocked, UnlockError> {
    use super::pkcs12::{self, Error as E};
    let opened = pkcs12::open(bytes, password).map_err(|e| match e {
        E::WrongPassword => UnlockError::WrongPassword,
        E::Malformed(m) => UnlockError::Corrupt(m),
        E::Unsupported(m) => UnlockError::Unsupported(m),
    })?;
    let mut out = Unlocked {
        key_providers: opened
            .keys
            .iter()
            .filter_map(|k| k.csp_name.clone())
            .collect(),
        ..Unlocked::default()
    };
    for c in &opened.certs {
        match cert_facts(c, FilePos::START) {
            Ok(f) => out.certs.push(f),
            Err(e) => out.problems.push(problem(
                FilePos::START,
                format!("a certificate in the PKCS#12 file does not parse: {e}"),
            )),
        }
    }
    for k in &opened.keys {
        match public_from_pkcs8(&k.pkcs8) {
            Ok(pk) => out.keys.push(KeyFacts {
                pos: FilePos::START,
                encrypted: false,
                public_key: pk,
            }),
            Err(e) => out.problems.push(problem(
                FilePos::START,
                format!("the private key in the PKCS#12 file does not parse: {e}"),
            )),
        }
    }
    Ok(out)
}

/// Minimal DER reader: (tag, content, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |a, &b| (a << 8) | b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The certificates of a PKCS#7 SignedData ("certs-only" `.p7b`).
fn pkcs7_certs(der: &[u8]) -> Option<Vec<&[u8]>> {
    const SIGNED_DATA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    let (0x30, content_info, _) = tlv(der)? else {
        return None;
    };
    let (0x06, oid, rest) = tlv(content_info)? else {
        return None;
    };
    if oid != SIGNED_DATA {
        return None;
    }
    let (0xa0, explicit, _) = tlv(rest)? else {
        return None;
    };
    let (0x30, signed_data, _) = tlv(explicit)? else {
        return None;
    };
    let (_, _version, rest) = tlv(signed_data)?;
    let (_, _digests, rest) = tlv(rest)?;
    let (_, _encap, mut rest) = tlv(rest)?;
    let mut out = Vec::new();
    if let Some((0xa0, certs, _)) = tlv(rest) {
        let mut set = certs;
        while !set.is_empty() {
            let (tag, _, next) = tlv(set)?;
            let whole = &set[..set.len() - next.len()];
            if tag == 0x30 {
                out.push(whole);
            }
            set = next;
        }
        rest = &[];
    }
    let _ = rest;
    Some(out)
}

fn read_pkcs7(f: &mut CertFile, der: &[u8], pos: FilePos) {
    match pkcs7_certs(der) {
        Some(certs) if !certs.is_empty() => {
            for c in certs {
                match cert_facts(c, pos) {
                    Ok(c) => f.certs.push(c),
                    Err(e) => f.problems.push(problem(
                        pos,
                        format!("a certificate in the PKCS#7 bundle does not parse: {e}"),
                    )),
                }
            }
        }
        Some(_) => f
            .problems
            .push(problem(pos, "PKCS#7 bundle holds no certificate".into())),
        None => f
            .problems
            .push(problem(pos, "not a PKCS#7 SignedData structure".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_is_exact() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01, 0xff]), 9);
        assert_eq!(bit_len(&[0, 0]), 0);
    }

    #[test]
    fn pem_scanner_survives_broken_blocks() {
        let text = b"junk\r\n-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
        let mut problems = Vec::new();
        let blocks = scan_pem(text, &mut problems);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].pos.line, 4);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].pos.line, 2);
    }

    #[test]
    fn base64_decodes_and_rejects() {
        assert_eq!(decode_base64(b"QUJD").unwrap(), b"ABC");
        assert_eq!(decode_base64(b"QUI=\r\n").unwrap(), b"AB");
        assert_eq!(decode_base64(b"QQ==").unwrap(), b"A");
        assert!(decode_base64(b"QU!D").is_none());
        assert!(decode_base64(b"QQ==QQ==").is_none());
        assert!(decode_base64(b"QR==").is_none());
    }

    #[test]
    fn tlv_rejects_truncation() {
        assert!(tlv(&[0x30, 0x05, 0x01]).is_none());
        assert!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(pkcs7_certs(&[0x30, 0x00]).is_none());
    }
}
