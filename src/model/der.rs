//! A certificate's DER sliced without parsing it: the few parts chains and the cache need
//! again and again after x509-parser has read the certificate once, found by walking tags
//! and lengths. Nothing here trusts the bytes: every length is checked against what is left.

/// A DER TLV: (tag, the whole TLV, its contents, what follows it).
pub type Tlv<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);

/// The DER TLV at the start of `der`.
pub fn tlv(der: &[u8]) -> Option<Tlv<'_>> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |a, &b| a << 8 | usize::from(b));
        (len, &rest[n..])
    };
    let header = der.len() - rest.len();
    let whole = der.get(..header.checked_add(len)?)?;
    Some((tag, whole, &rest[..len], &der[whole.len()..]))
}

/// DER contents of a TLV (the value without tag and length).
pub fn contents(der: &[u8]) -> &[u8] {
    let Some((&_, rest)) = der.split_first() else {
        return der;
    };
    let Some((&first, rest)) = rest.split_first() else {
        return der;
    };
    if first < 0x80 {
        return rest;
    }
    let n = (first & 0x7f) as usize;
    rest.get(n..).unwrap_or(der)
}

/// The parts of a certificate a chain needs, each a whole TLV.
pub struct CertParts<'a> {
    /// The certificate itself (without anything after it).
    pub raw: &'a [u8],
    pub issuer: &'a [u8],
    pub subject: &'a [u8],
    pub spki: &'a [u8],
    /// What a signature check reads.
    pub signed: SignedParts<'a>,
}

/// The signed parts of a certificate, each a whole TLV.
pub struct SignedParts<'a> {
    pub tbs: &'a [u8],
    pub algorithm: &'a [u8],
    pub signature: &'a [u8],
}

pub fn cert_parts(der: &[u8]) -> Option<CertParts<'_>> {
    let (_, raw, cert, _) = tlv(der)?;
    let (_, tbs_whole, tbs, after_tbs) = tlv(cert)?;
    let (_, algorithm, _, after_algorithm) = tlv(after_tbs)?;
    let (_, signature, _, _) = tlv(after_algorithm)?;
    let (tag, _, _, mut rest) = tlv(tbs)?;
    if tag == 0xa0 {
        rest = tlv(rest)?.3; // the version came first: this was the serial number
    }
    let rest = tlv(rest)?.3; // signature algorithm
    let (_, issuer, _, rest) = tlv(rest)?;
    let rest = tlv(rest)?.3; // validity
    let (_, subject, _, rest) = tlv(rest)?;
    let (_, spki, _, _) = tlv(rest)?;
    Some(CertParts {
        raw,
        issuer,
        subject,
        spki,
        signed: SignedParts {
            tbs: tbs_whole,
            algorithm,
            signature,
        },
    })
}

/// The subjectPublicKey bits of a certificate: its key info's BIT STRING without the count
/// of unused bits, as x509-parser gives them.
pub fn subject_public_key(der: &[u8]) -> Option<&[u8]> {
    let (_, _, key_info, _) = tlv(cert_parts(der)?.spki)?;
    let after_algorithm = tlv(key_info)?.3;
    let (tag, _, bits, _) = tlv(after_algorithm)?;
    if tag != 0x03 {
        return None;
    }
    bits.get(1..)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DER of the first PEM block of a fixture.
    fn first_certificate(path: &str) -> Vec<u8> {
        let text = std::fs::read(path).unwrap();
        x509_parser::pem::parse_x509_pem(&text).unwrap().1.contents
    }

    #[test]
    fn the_key_bits_are_those_x509_parser_reads() {
        use x509_parser::prelude::{FromDer, X509Certificate};
        for name in [
            "edge-external.crt",
            "ca/issuing.crt",
            "self-signed.crt",
            "crypto/ed25519.crt",
            "crypto/root-sha1.crt",
        ] {
            let path = format!("{}/fixtures/certs/{name}", env!("CARGO_MANIFEST_DIR"));
            let der = first_certificate(&path);
            let (_, cert) = X509Certificate::from_der(&der).unwrap();
            let expected = cert.public_key().subject_public_key.data.as_ref();
            assert_eq!(subject_public_key(&der), Some(expected), "{name}");
        }
    }

    #[test]
    fn the_signed_parts_are_those_x509_parser_reads() {
        use x509_parser::prelude::{FromDer, X509Certificate};
        use x509_parser::x509::AlgorithmIdentifier;
        for name in ["edge-external.crt", "ca/root.crt", "crypto/ed25519.crt"] {
            let path = format!("{}/fixtures/certs/{name}", env!("CARGO_MANIFEST_DIR"));
            let der = first_certificate(&path);
            let (_, cert) = X509Certificate::from_der(&der).unwrap();
            let parts = cert_parts(&der).unwrap().signed;
            assert_eq!(parts.tbs, cert.tbs_certificate.as_ref(), "{name}");
            let (_, algorithm) = AlgorithmIdentifier::from_der(parts.algorithm).unwrap();
            assert_eq!(algorithm, cert.signature_algorithm, "{name}");
            let (_, bits) = x509_parser::asn1_rs::BitString::from_der(parts.signature).unwrap();
            assert_eq!(bits, cert.signature_value, "{name}");
        }
    }

    #[test]
    fn contents_strips_tag_and_length() {
        assert_eq!(contents(&[0x30, 0x02, 0xaa, 0xbb]), &[0xaa, 0xbb]);
        assert_eq!(contents(&[0x30, 0x81, 0x01, 0xcc]), &[0xcc]);
    }

    #[test]
    fn a_cut_certificate_has_no_parts() {
        let path = format!(
            "{}/fixtures/certs/edge-external.crt",
            env!("CARGO_MANIFEST_DIR")
        );
        let der = first_certificate(&path);
        for cut in [0, 1, 4, 100, der.len() / 2, der.len() - 1] {
            assert!(subject_public_key(&der[..cut]).is_none(), "cut at {cut}");
            assert!(cert_parts(&der[..cut]).is_none(), "cut at {cut}");
        }
    }
}
