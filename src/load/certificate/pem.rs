//! PEM: a forgiving scanner (text outside blocks, CRLF, OpenSSL's `Bag Attributes`, and a
//! broken block does not hide the blocks after it), a fast base64 decoder, and each block read
//! by its label.

use super::keys::{ec_public, public_from_pkcs8, rsa_public};
use super::pkcs7::read_pkcs7;
use super::problem;
use super::x509::{cert_facts, request_facts};
use crate::model::certs::*;

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

pub(crate) struct PemBlock {
    pub label: String,
    pub pos: FilePos,
    pub encrypted_header: bool,
    pub body: Vec<u8>,
}

fn pem_marker<'a>(line: &'a [u8], kind: &[u8]) -> Option<&'a [u8]> {
    line.strip_prefix(kind)?.strip_suffix(b"-----")
}

/// A forgiving PEM scanner: text outside blocks is ignored, CRLF is accepted, and a broken
/// block does not hide the blocks after it.
pub(crate) fn scan_pem(bytes: &[u8], problems: &mut Vec<FileProblem>) -> Vec<PemBlock> {
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

pub(super) fn read_pem(f: &mut CertFile, bytes: &[u8]) {
    let blocks = scan_pem(bytes, &mut f.problems);
    if blocks.is_empty() && f.problems.is_empty() {
        f.problems
            .push(problem(FilePos::START, "no PEM block found".into()));
    }
    for b in blocks {
        match decode_base64(&b.body) {
            Some(der) => read_block(f, &b, &der),
            None => f.problems.push(problem(
                b.pos,
                format!("PEM block `{}` is not valid base64", b.label),
            )),
        }
    }
}

/// One decoded block, read by its label.
fn read_block(f: &mut CertFile, b: &PemBlock, der: &[u8]) {
    let failed = |what: &str, e: String| problem(b.pos, format!("{what} does not parse: {e}"));
    match b.label.as_str() {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            match cert_facts(der, b.pos) {
                Ok(c) => f.certs.push(c),
                Err(e) => f.problems.push(failed("certificate", e)),
            }
        }
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => match request_facts(der, b.pos) {
            Ok(r) => f.requests.push(r),
            Err(e) => f.problems.push(failed("certificate request", e)),
        },
        "PRIVATE KEY" => match public_from_pkcs8(der) {
            Ok(pk) => f.keys.push(key(b.pos, false, pk)),
            Err(e) => f.problems.push(failed("private key", e)),
        },
        "RSA PRIVATE KEY" | "EC PRIVATE KEY" if b.encrypted_header => {
            f.keys.push(key(b.pos, true, None));
        }
        "RSA PRIVATE KEY" | "EC PRIVATE KEY" => {
            let derived = if b.label.starts_with("RSA") {
                rsa_public(der)
            } else {
                ec_public(der)
            };
            match derived {
                Ok(pk) => f.keys.push(key(b.pos, false, Some(pk))),
                Err(e) => f.problems.push(failed("private key", e)),
            }
        }
        "ENCRYPTED PRIVATE KEY" => {
            use pkcs8::der::Decode;
            match pkcs8::EncryptedPrivateKeyInfoRef::from_der(der) {
                Ok(_) => f.keys.push(key(b.pos, true, None)),
                Err(e) => f
                    .problems
                    .push(failed("encrypted private key", e.to_string())),
            }
        }
        "PKCS7" => read_pkcs7(f, der, b.pos),
        // CRLs, public keys, parameters: legal in a bundle, not ours to check.
        _ => {}
    }
}

fn key(pos: FilePos, encrypted: bool, public_key: Option<Vec<u8>>) -> KeyFacts {
    KeyFacts {
        pos,
        encrypted,
        public_key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
