//! Part of **derive**: to which root a leaf certificate chains, built from the certificates of
//! its own file, the topology's `trust.ca_bundle` and `trust.public_roots`, and the bundled
//! public root store (Mozilla's, through `webpki-roots`, so no network is needed). Each link is
//! a subject/issuer name match whose signature verifies with the issuer's key (x509-parser's
//! `verify`, on ring). A signature algorithm ring cannot verify (MD5, MD2, SHA-256 from a
//! 1024-bit key) leaves the link to the name match: C004/C001 report those weaknesses.

use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::model::certs::CertFacts;

/// Where a chain ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainEnd {
    /// The leaf is its own issuer.
    SelfSigned,
    /// A root of the bundled store or of `trust.public_roots`.
    PublicRoot { root: String },
    /// A root listed in `trust.ca_bundle`: the organisation's own PKI.
    OrganisationRoot { root: String },
    /// A self-signed root found in the certificate's own file only.
    UnknownRoot { root: String },
    /// No certificate issued the last link; `issuer` is the missing issuer's name.
    Incomplete { issuer: String, after: String },
}

/// The certificates a chain may be built from, besides the leaf's own file.
pub struct TrustSources<'a> {
    pub organisation: Vec<&'a CertFacts>,
    pub public: Vec<&'a CertFacts>,
}

/// DER contents of a TLV (the value without tag and length).
fn contents(der: &[u8]) -> &[u8] {
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

struct Parsed<'a> {
    cert: X509Certificate<'a>,
}

impl Parsed<'_> {
    fn subject(&self) -> &[u8] {
        self.cert.subject().as_raw()
    }
    fn issuer(&self) -> &[u8] {
        self.cert.issuer().as_raw()
    }
    fn name(&self) -> String {
        self.cert.subject().to_string()
    }
    /// Does `spki` verify this certificate's signature? Results are remembered: the same CA
    /// links recur in every chain of a repository, and an RSA verification is the costliest
    /// step of a run.
    fn signed_by(&self, spki: &SubjectPublicKeyInfo<'_>) -> bool {
        let key: [u8; 32] = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update((self.cert.as_raw().len() as u64).to_le_bytes());
            h.update(self.cert.as_raw());
            h.update(spki.raw);
            h.finalize().into()
        };
        if let Some(v) = verified().get_mut(&key).map(|(v, used)| {
            *used = true;
            *v
        }) {
            return v;
        }
        let v = match self.cert.verify_signature(Some(spki)) {
            Ok(()) => true,
            Err(x509_parser::error::X509Error::SignatureUnsupportedAlgorithm) => true,
            // ring refuses some key sizes for some digests; the name match stands then.
            Err(_) => ring_cannot_judge(spki),
        };
        verified().insert(key, (v, true));
        LEARNED.store(true, std::sync::atomic::Ordering::Relaxed);
        v
    }
    fn self_signed(&self) -> bool {
        self.subject() == self.issuer() && self.signed_by(self.cert.public_key())
    }
}

/// SHA-256 of (certificate, issuer key) → whether the key verifies the certificate's signature
/// (a digest, not the two DERs: thousands of leaves would otherwise be copied), and whether a
/// chain of this run asked. Results are remembered: the same CA links recur in every chain of a
/// repository, and an RSA verification is the costliest step of the rules. The cache keeps
/// them between runs ([`remember_links`], [`links_used`]).
type Verified = std::collections::HashMap<[u8; 32], (bool, bool)>;

static VERIFIED: std::sync::LazyLock<std::sync::Mutex<Verified>> =
    std::sync::LazyLock::new(Default::default);
/// A verification was made (not only looked up) since the last [`remember_links`].
static LEARNED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn verified() -> std::sync::MutexGuard<'static, Verified> {
    VERIFIED.lock().unwrap_or_else(|e| e.into_inner())
}

/// Verification results known from an earlier run (the cache), by the digest `signed_by`
/// computes.
pub fn remember_links(known: impl IntoIterator<Item = ([u8; 32], bool)>) {
    let mut v = verified();
    for (key, ok) in known {
        v.entry(key).or_insert((ok, false));
    }
    LEARNED.store(false, std::sync::atomic::Ordering::Relaxed);
}

/// The verification results chains used since [`remember_links`], sorted, and whether any
/// of them was made rather than remembered.
pub fn links_used() -> (Vec<([u8; 32], bool)>, bool) {
    let mut out: Vec<([u8; 32], bool)> = verified()
        .iter()
        .filter(|(_, (_, used))| *used)
        .map(|(k, (ok, _))| (*k, *ok))
        .collect();
    out.sort_unstable();
    (out, LEARNED.load(std::sync::atomic::Ordering::Relaxed))
}

/// ring verifies RSA PKCS#1 SHA-2 signatures only from keys of 2048 bits or more.
fn ring_cannot_judge(spki: &SubjectPublicKeyInfo<'_>) -> bool {
    matches!(spki.parsed(), Ok(x509_parser::public_key::PublicKey::RSA(r)) if r.key_size() < 2048)
}

fn parse(c: &CertFacts) -> Option<Parsed<'_>> {
    X509Certificate::from_der(&c.der)
        .ok()
        .map(|(_, cert)| Parsed { cert })
}

fn same_certificate(a: &Parsed<'_>, b: &CertFacts) -> bool {
    a.cert.as_raw() == &*b.der
}

fn bundled_anchor_for<'a>(issuer: &[u8]) -> impl Iterator<Item = SubjectPublicKeyInfoOwned> + 'a {
    let issuer = contents(issuer).to_vec();
    webpki_roots::TLS_SERVER_ROOTS
        .iter()
        .filter(move |a| *a.subject == *issuer)
        .filter_map(|a| SubjectPublicKeyInfoOwned::from_contents(&a.subject_public_key_info))
}

/// A bundled anchor's key, re-wrapped in its SEQUENCE so that x509-parser reads it.
struct SubjectPublicKeyInfoOwned(Vec<u8>);

impl SubjectPublicKeyInfoOwned {
    fn from_contents(c: &[u8]) -> Option<Self> {
        let mut der = vec![0x30];
        match c.len() {
            n if n < 0x80 => der.push(n as u8),
            n if n <= 0xff => der.extend([0x81, n as u8]),
            n if n <= 0xffff => der.extend([0x82, (n >> 8) as u8, n as u8]),
            _ => return None,
        }
        der.extend_from_slice(c);
        Some(SubjectPublicKeyInfoOwned(der))
    }
    fn with<R>(&self, f: impl FnOnce(&SubjectPublicKeyInfo<'_>) -> R) -> Option<R> {
        SubjectPublicKeyInfo::from_der(&self.0)
            .ok()
            .map(|(_, s)| f(&s))
    }
}

fn is_bundled_root(p: &Parsed<'_>) -> bool {
    let subject = contents(p.subject());
    let spki = contents(p.cert.public_key().raw);
    webpki_roots::TLS_SERVER_ROOTS
        .iter()
        .any(|a| *a.subject == *subject && *a.subject_public_key_info == *spki)
}

/// Build the chain of `leaf`, using `own` (the certificates of the leaf's file) and `trust`.
pub fn chain_end(leaf: &CertFacts, own: &[CertFacts], trust: &TrustSources<'_>) -> ChainEnd {
    let Some(mut current) = parse(leaf) else {
        return ChainEnd::Incomplete {
            issuer: leaf.issuer.clone(),
            after: leaf.subject.clone(),
        };
    };
    let candidates: Vec<&CertFacts> = own
        .iter()
        .chain(trust.organisation.iter().copied())
        .chain(trust.public.iter().copied())
        .collect();
    let mut current_facts = leaf;
    let classify_root = |root: &Parsed<'_>, is_leaf: bool| {
        let name = root.name();
        if trust.public.iter().any(|c| same_certificate(root, c)) || is_bundled_root(root) {
            ChainEnd::PublicRoot { root: name }
        } else if trust.organisation.iter().any(|c| same_certificate(root, c)) {
            ChainEnd::OrganisationRoot { root: name }
        } else if is_leaf {
            ChainEnd::SelfSigned
        } else {
            ChainEnd::UnknownRoot { root: name }
        }
    };
    let mut is_leaf = true;
    // A chain longer than this is a loop or a hostile file.
    for _ in 0..16 {
        if current.self_signed() {
            return classify_root(&current, is_leaf);
        }
        let issuer = current.issuer().to_vec();
        // Only a candidate whose subject reads as this issuer can be it (equal names read
        // alike): the others are never parsed.
        let next = candidates
            .iter()
            .filter(|c| c.subject == current_facts.issuer)
            .filter_map(|c| parse(c).map(|p| (p, *c)))
            .find(|(p, _)| {
                p.subject() == issuer.as_slice()
                    && p.cert.as_raw() != current.cert.as_raw()
                    && current.signed_by(p.cert.public_key())
            });
        match next {
            Some((p, c)) => {
                current = p;
                current_facts = c;
                is_leaf = false;
            }
            None => {
                // The last link may be signed directly by a bundled root.
                let anchored = bundled_anchor_for(&issuer)
                    .any(|spki| spki.with(|s| current.signed_by(s)).unwrap_or(false));
                if anchored {
                    return ChainEnd::PublicRoot {
                        root: current.cert.issuer().to_string(),
                    };
                }
                return ChainEnd::Incomplete {
                    issuer: current.cert.issuer().to_string(),
                    after: current.name(),
                };
            }
        }
    }
    ChainEnd::Incomplete {
        issuer: current.cert.issuer().to_string(),
        after: current.name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::certs::FilePos;

    fn facts(pem: &str) -> CertFacts {
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = crate::load::certificate::decode_base64(body.as_bytes()).unwrap();
        crate::load::certificate::cert_facts(&der, FilePos::START).unwrap()
    }

    #[test]
    fn a_root_of_the_bundled_store_is_public() {
        let root = facts(include_str!("../../fixtures/public/isrg-root-x1.pem"));
        let none = TrustSources {
            organisation: vec![],
            public: vec![],
        };
        let end = chain_end(&root, std::slice::from_ref(&root), &none);
        assert!(
            matches!(end, ChainEnd::PublicRoot { ref root } if root.contains("ISRG Root X1")),
            "{end:?}"
        );
    }

    #[test]
    fn a_self_signed_leaf_is_self_signed() {
        let leaf = facts(include_str!("../../fixtures/certs/self-signed.crt"));
        let none = TrustSources {
            organisation: vec![],
            public: vec![],
        };
        assert_eq!(chain_end(&leaf, &[], &none), ChainEnd::SelfSigned);
    }

    #[test]
    fn contents_strips_tag_and_length() {
        assert_eq!(contents(&[0x30, 0x02, 0xaa, 0xbb]), &[0xaa, 0xbb]);
        assert_eq!(contents(&[0x30, 0x81, 0x01, 0xcc]), &[0xcc]);
    }
}
