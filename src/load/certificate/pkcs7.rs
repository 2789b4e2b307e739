//! PKCS#7 "certs-only" bundles (`.p7b`): the certificates of a SignedData, read with a small
//! DER walker.

use super::problem;
use super::x509::cert_facts;
use crate::model::certs::*;

/// Minimal DER reader: (tag, content, rest).
pub(super) fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
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
pub(super) fn pkcs7_certs(der: &[u8]) -> Option<Vec<&[u8]>> {
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

pub(super) fn read_pkcs7(f: &mut CertFile, der: &[u8], pos: FilePos) {
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
    fn tlv_rejects_truncation() {
        assert!(tlv(&[0x30, 0x05, 0x01]).is_none());
        assert!(tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_none());
        assert!(pkcs7_certs(&[0x30, 0x00]).is_none());
    }
}
