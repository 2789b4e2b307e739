//! X.509 certificates and PKCS#10 requests → the facts every rule reads, extracted once.

use x509_parser::certification_request::X509CertificationRequest;
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use x509_parser::x509::SubjectPublicKeyInfo;

use std::sync::Arc;

use crate::model::certs::*;

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

/// A name as x509-parser's `Display` writes it (`CN=a, O=b`, ` + ` between the attributes
/// of one RDN), written into one string: `Display` allocates several strings per attribute,
/// and every certificate has two names. Anything but a text attribute of a known type takes
/// `Display` itself. This copies x509-parser 0.18's format: when x509-parser is upgraded,
/// `names_read_as_x509_parser_writes_them` tells whether it still does.
fn name_text(name: &x509_parser::x509::X509Name<'_>) -> String {
    let registry = x509_parser::objects::oid_registry();
    let mut out = String::with_capacity(name.as_raw().len());
    for rdn in name.iter() {
        if !out.is_empty() {
            out.push_str(", ");
        }
        for (i, attr) in rdn.iter().enumerate() {
            let (Ok(abbrev), Ok(value)) = (
                x509_parser::objects::oid2abbrev(attr.attr_type(), registry),
                attr.as_str(),
            ) else {
                return name.to_string();
            };
            if i > 0 {
                out.push_str(" + ");
            }
            out.push_str(abbrev);
            out.push('=');
            out.push_str(value);
        }
    }
    out
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

/// The facts of a certificate, read from its DER. A CA certificate read before in this
/// process (the issuing and root certificates that every PKCS#12 file and bundle of a
/// repository carries, thousands of times over) is not parsed again: its facts are copied,
/// with its DER shared.
pub fn cert_facts(der: &[u8], pos: FilePos) -> Result<CertFacts, String> {
    if let Some(known) = known_ca_certificates::get(der) {
        return Ok(CertFacts {
            pos,
            ..CertFacts::clone(&known)
        });
    }
    let facts = parse_cert_facts(der, pos)?;
    if facts.is_ca {
        known_ca_certificates::remember(&facts);
    }
    Ok(facts)
}

/// CA certificates' facts by DER, for [`cert_facts`], for the whole process (an `edgelint
/// server` keeps it between runs). Bounded by what it holds, not by how many: a repository has a
/// handful of CA certificates of a few kilobytes each, a hostile one thousands, or a 16 MiB
/// DER file (bytes after a certificate are ignored by the parser). A DER above
/// `MAX_DER_BYTES` is never kept, and a table that would hold more than `MAX_KEPT_BYTES` of DER
/// starts again.
mod known_ca_certificates {
    use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

    use crate::fast_hash::FastMap;
    use crate::model::certs::CertFacts;

    pub(super) const MAX_DER_BYTES: usize = 16 * 1024;
    const MAX_KEPT_BYTES: usize = 4 * 1024 * 1024;

    #[derive(Default)]
    struct Known {
        by_der: FastMap<Arc<[u8]>, Arc<CertFacts>>,
        der_bytes: usize,
    }

    static KNOWN: LazyLock<Mutex<Known>> = LazyLock::new(Default::default);

    fn known() -> MutexGuard<'static, Known> {
        KNOWN.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The facts kept for this DER (shared: the caller copies them outside the lock).
    pub(super) fn get(der: &[u8]) -> Option<Arc<CertFacts>> {
        if der.len() > MAX_DER_BYTES {
            return None;
        }
        known().by_der.get(der).cloned()
    }

    pub(super) fn remember(facts: &CertFacts) {
        let size = facts.der.len();
        if size > MAX_DER_BYTES {
            return;
        }
        let mut known = known();
        if known.der_bytes + size > MAX_KEPT_BYTES {
            *known = Known::default();
        }
        if known
            .by_der
            .insert(facts.der.clone(), Arc::new(facts.clone()))
            .is_none()
        {
            known.der_bytes += size;
        }
    }
}

fn parse_cert_facts(der: &[u8], pos: FilePos) -> Result<CertFacts, String> {
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
        subject: name_text(cert.subject()),
        issuer: name_text(cert.issuer()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_is_exact() {
        assert_eq!(bit_len(&[0x00, 0x80, 0x00]), 16);
        assert_eq!(bit_len(&[0x01, 0xff]), 9);
        assert_eq!(bit_len(&[0, 0]), 0);
    }

    fn der_of(pem: &str) -> Vec<u8> {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        crate::load::certificate::decode_base64(body.as_bytes()).unwrap()
    }

    #[test]
    fn a_ca_certificate_read_again_has_the_same_facts_at_its_own_place() {
        let der = der_of(include_str!("../../../fixtures/public/isrg-root-x1.pem"));
        let first = cert_facts(&der, FilePos::START).unwrap();
        assert!(first.is_ca);
        let at = FilePos { line: 7, width: 3 };
        let again = cert_facts(&der, at).unwrap();
        assert_eq!(again.pos, at);
        assert_eq!(
            again,
            CertFacts {
                pos: at,
                ..parse_cert_facts(&der, at).unwrap()
            }
        );
        // The copy shares the first one's DER instead of holding its own.
        assert!(Arc::ptr_eq(&first.der, &again.der));
    }

    /// Every certificate of the fixtures, DER.
    fn fixture_certificates() -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut folders = vec![std::path::PathBuf::from("fixtures")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(folder).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let blocks = crate::load::certificate::pem::scan_pem(&bytes, &mut Vec::new());
                let ders = blocks
                    .iter()
                    .filter(|b| b.label == "CERTIFICATE")
                    .filter_map(|b| crate::load::certificate::decode_base64(&b.body));
                out.extend(ders);
                if blocks.is_empty() && X509Certificate::from_der(&bytes).is_ok() {
                    out.push(bytes);
                }
            }
        }
        out
    }

    #[test]
    fn names_read_as_x509_parser_writes_them() {
        let certs = fixture_certificates();
        assert!(certs.len() > 40, "{}", certs.len());
        for der in certs {
            let Ok((_, cert)) = X509Certificate::from_der(&der) else {
                continue;
            };
            for name in [cert.subject(), cert.issuer()] {
                assert_eq!(name_text(name), name.to_string());
            }
        }
    }

    #[test]
    fn a_ca_certificate_with_bytes_after_it_beyond_the_bound_is_not_kept() {
        let mut der = der_of(include_str!("../../../fixtures/public/isrg-root-x1.pem"));
        der.resize(known_ca_certificates::MAX_DER_BYTES + 1, 0);
        let facts = cert_facts(&der, FilePos::START).unwrap();
        assert!(facts.is_ca);
        assert!(known_ca_certificates::get(&der).is_none());
    }

    #[test]
    fn a_leaf_certificate_is_not_kept() {
        let der = der_of(include_str!("../../../fixtures/certs/self-signed.crt"));
        let facts = cert_facts(&der, FilePos::START).unwrap();
        assert!(!facts.is_ca);
        assert!(known_ca_certificates::get(&der).is_none());
    }
}
