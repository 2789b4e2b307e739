//! Part of **derive**: to which root a leaf certificate chains, built from the certificates of
//! its own file, the topology's `trust.ca_bundle` and `trust.public_roots`, and the bundled
//! public root store (Mozilla's, through `webpki-roots`, so no network is needed). Each link is
//! a subject/issuer name match whose signature verifies with the issuer's key (x509-parser's
//! `verify`, on ring). A signature ring cannot verify (an algorithm it lacks, such as MD5, or
//! an RSA key outside the sizes it takes for the algorithm: [`ring_cannot_judge`]) leaves the
//! link to the name match; C004 and C001 report such algorithms and keys on the leaves.
//!
//! Before the chains are built, the first link of every leaf (leaf to the certificate named as
//! its issuer) is *screened*: the RSA signatures of many leaves by one issuer key are checked
//! together ([`screen`]), and what the screen proves is remembered as verified. Links it does
//! not settle are checked one by one as above.

mod montgomery;
mod screen;

use x509_parser::prelude::FromDer;
use x509_parser::x509::SubjectPublicKeyInfo;

use crate::model::certs::CertFacts;
use crate::model::der;

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

/// The parts of a certificate a chain needs, sliced from its DER (whole TLVs) without parsing
/// the rest: most links are known from earlier chains or runs, and need no parsing at all.
struct Light<'a> {
    facts: &'a CertFacts,
    parts: der::CertParts<'a>,
}

fn light(c: &CertFacts) -> Option<Light<'_>> {
    Some(Light {
        facts: c,
        parts: der::cert_parts(&c.der)?,
    })
}

/// The certificates a chain may take its links from, in the order they are tried: the leaf's
/// own file, then `trust.ca_bundle`, then `trust.public_roots`.
fn candidates<'c>(
    own: &'c [CertFacts],
    trust: &'c TrustSources<'_>,
) -> impl Iterator<Item = &'c CertFacts> + 'c {
    own.iter()
        .chain(trust.organisation.iter().copied())
        .chain(trust.public.iter().copied())
}

/// Of `candidates`, in order, those named as `current`'s issuer, other than `current` itself:
/// a chain takes the first whose key verifies `current`'s signature. Only a candidate whose
/// subject reads as the issuer is sliced (equal names read alike); the others are never looked
/// into.
fn named_issuers<'c, 'l>(
    current: &'l Light<'_>,
    candidates: impl Iterator<Item = &'c CertFacts> + 'l,
) -> impl Iterator<Item = Light<'c>> + 'l
where
    'c: 'l,
{
    candidates
        .filter(|c| c.subject == current.facts.issuer)
        .filter_map(light)
        .filter(|c| c.parts.subject == current.parts.issuer && c.parts.raw != current.parts.raw)
}

impl Light<'_> {
    /// Does `spki` (a whole SubjectPublicKeyInfo) verify this certificate's signature?
    fn signed_by(&self, spki: &[u8]) -> bool {
        let key = link_key(self.facts.fingerprint(), spki);
        if let Some(v) = verified().get_mut(&key).map(|(v, used)| {
            *used = true;
            *v
        }) {
            return v;
        }
        let v = verify(&self.parts.signed, spki);
        verified().insert(key, (v, true));
        LEARNED.store(true, std::sync::atomic::Ordering::Relaxed);
        v
    }
    fn self_signed(&self) -> bool {
        self.parts.subject == self.parts.issuer && self.signed_by(self.parts.spki)
    }
}

/// The key of a link in [`Verified`]: SHA-256 of the certificate's fingerprint (computed once
/// per certificate and shared with the rules that print it, rather than its DER) and the
/// issuer's key. Every chain of a repository usually ends in the same CA and root links: the
/// keys of the links this thread looks up most are kept, not hashed again for every chain.
fn link_key(fingerprint: &str, spki: &[u8]) -> [u8; 32] {
    /// (fingerprint, key info, link key, when last looked up).
    type Recent = Vec<(String, Vec<u8>, [u8; 32], u64)>;
    const KEPT: usize = 4;
    thread_local! {
        static RECENT: std::cell::RefCell<(Recent, u64)> = const {
            std::cell::RefCell::new((Vec::new(), 0))
        };
    }
    RECENT.with_borrow_mut(|(recent, clock)| {
        *clock += 1;
        if let Some(hit) = recent
            .iter_mut()
            .find(|(f, s, _, _)| f == fingerprint && s == spki)
        {
            hit.3 = *clock;
            return hit.2;
        }
        let key: [u8; 32] = {
            use sha2::Digest;
            let mut h = sha2::Sha256::new();
            h.update(fingerprint.as_bytes());
            h.update(spki);
            h.finalize().into()
        };
        // A leaf's link is looked up once: it replaces the entry looked up longest ago, and
        // the CA and root links, looked up by every chain, stay.
        if recent.len() < KEPT {
            recent.push((String::new(), Vec::new(), key, 0));
        }
        let oldest = recent
            .iter_mut()
            .min_by_key(|(_, _, _, used)| *used)
            .expect("at least one entry");
        oldest.0.clear();
        oldest.0.push_str(fingerprint);
        oldest.1.clear();
        oldest.1.extend_from_slice(spki);
        oldest.2 = key;
        oldest.3 = *clock;
        key
    })
}

/// The signature check itself (x509-parser's `verify_signature`, on ring), on the signed
/// parts sliced with the chain's other parts: the certificate was parsed when it was loaded,
/// and parsing it whole again (names, extensions) for every link cost more than slicing.
fn verify(parts: &der::SignedParts<'_>, spki: &[u8]) -> bool {
    let Some((spki, verdict)) = ring_verdict(parts, spki) else {
        return false;
    };
    match verdict {
        Ok(()) => true,
        Err(x509_parser::error::X509Error::SignatureUnsupportedAlgorithm) => true,
        // ring refuses some key sizes for some digests; the name match stands then.
        Err(_) => ring_cannot_judge(&spki, parts.algorithm),
    }
}

/// Whether ring itself verifies the signature: no allowance for what it cannot judge.
fn ring_verifies(parts: &der::SignedParts<'_>, spki: &[u8]) -> bool {
    matches!(ring_verdict(parts, spki), Some((_, Ok(()))))
}

/// ring's verdict on the signature, with the key it read; `None` when a part does not parse.
fn ring_verdict<'k>(
    parts: &der::SignedParts<'_>,
    spki: &'k [u8],
) -> Option<(
    SubjectPublicKeyInfo<'k>,
    Result<(), x509_parser::error::X509Error>,
)> {
    use x509_parser::asn1_rs::BitString;
    use x509_parser::x509::AlgorithmIdentifier;
    let (_, algorithm) = AlgorithmIdentifier::from_der(parts.algorithm).ok()?;
    let (_, signature) = BitString::from_der(parts.signature).ok()?;
    let (_, spki) = SubjectPublicKeyInfo::from_der(spki).ok()?;
    let verdict = x509_parser::verify::verify_signature(&spki, &algorithm, &signature, parts.tbs);
    Some((spki, verdict))
}

/// SHA-256 of (certificate fingerprint, issuer key) → whether the key verifies the
/// certificate's signature (a digest, not the two DERs: thousands of leaves would otherwise be
/// copied), and whether a chain of this run asked. Results are remembered: the same CA links
/// recur in every chain of a repository, and an RSA verification is the costliest step of the
/// rules. The cache keeps them between runs ([`remember_links`], [`links_used`]).
type Verified = crate::fast_hash::FastMap<[u8; 32], (bool, bool)>;

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

/// Whether ring refused the RSA key for its size rather than the signature
/// ([`ring_modulus_bytes`]: 2,048 to 8,192 bits for SHA-2 and RSASSA-PSS, from 1,024 for
/// SHA-1). Its error does not tell the two apart, so the size does; the name match stands for
/// a key it refuses. (x509-parser's `key_size` assumes a leading zero byte, and so
/// called a 2,041- to 2,047-bit key, or any key for SHA-1 under 2,048 bits, unjudgeable.)
fn ring_cannot_judge(spki: &SubjectPublicKeyInfo<'_>, algorithm: &[u8]) -> bool {
    use x509_parser::oid_registry::{OID_PKCS1_SHA1WITHRSA, OID_SHA1_WITH_RSA};
    let Ok(x509_parser::public_key::PublicKey::RSA(key)) = spki.parsed() else {
        return false;
    };
    let modulus = without_leading_zeros(key.modulus);
    if modulus.is_empty() {
        return false; // a modulus of zero is no key: nothing verifies with it
    }
    let sha1 = x509_parser::x509::AlgorithmIdentifier::from_der(algorithm).is_ok_and(|(_, a)| {
        a.algorithm == OID_PKCS1_SHA1WITHRSA || a.algorithm == OID_SHA1_WITH_RSA
    });
    !ring_modulus_bytes(sha1).contains(&modulus.len())
}

/// The lengths of an RSA modulus, in bytes without leading zeros, that ring verifies with:
/// 2,048 to 8,192 bits (it counts whole bytes), from 1,024 bits for SHA-1.
fn ring_modulus_bytes(sha1: bool) -> std::ops::RangeInclusive<usize> {
    if sha1 {
        128..=1024
    } else {
        256..=1024
    }
}

/// A big-endian number without its leading zero bytes.
fn without_leading_zeros(be: &[u8]) -> &[u8] {
    let start = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    &be[start..]
}

fn same_certificate(a: &Light<'_>, b: &CertFacts) -> bool {
    a.parts.raw == &*b.der
}

/// The bundled anchors named `issuer`: each key as a whole SubjectPublicKeyInfo.
fn bundled_anchor_for<'a>(issuer: &[u8]) -> impl Iterator<Item = Vec<u8>> + 'a {
    let issuer = der::contents(issuer).to_vec();
    webpki_roots::TLS_SERVER_ROOTS
        .iter()
        .filter(move |a| *a.subject == *issuer)
        .filter_map(|a| wrap_sequence(&a.subject_public_key_info))
}

/// A bundled anchor's key, re-wrapped in its SEQUENCE (the store keeps the contents only).
fn wrap_sequence(c: &[u8]) -> Option<Vec<u8>> {
    let mut der = vec![0x30];
    match c.len() {
        n if n < 0x80 => der.push(n as u8),
        n if n <= 0xff => der.extend([0x81, n as u8]),
        n if n <= 0xffff => der.extend([0x82, (n >> 8) as u8, n as u8]),
        _ => return None,
    }
    der.extend_from_slice(c);
    Some(der)
}

fn is_bundled_root(p: &Light<'_>) -> bool {
    let subject = der::contents(p.parts.subject);
    let spki = der::contents(p.parts.spki);
    webpki_roots::TLS_SERVER_ROOTS
        .iter()
        .any(|a| *a.subject == *subject && *a.subject_public_key_info == *spki)
}

/// A leaf whose chain is to be built: the certificate, the certificates of its file, and what
/// its topology trusts (the arguments of [`chain_end`]).
pub type ChainStart<'a> = (&'a CertFacts, &'a [CertFacts], &'a TrustSources<'a>);

/// A link to screen: its key in [`Verified`] and the signed parts of its certificate.
type ScreenLink<'a> = ([u8; 32], der::SignedParts<'a>);

/// Check the first link of many chains at once, before they are built: each leaf with the
/// certificate [`chain_end`] tries first as its issuer, screened by issuer key
/// ([`screen`]: two multiplications per signature instead of an exponentiation). The links
/// the screen proves are remembered as verified, so `chain_end` finds them known; any other
/// is left to `chain_end`'s own check. For certificates as CAs sign them this decides nothing
/// differently, only sooner; [`screen`] says which crafted signatures it would let through.
pub fn screen_first_links(starts: &[ChainStart<'_>]) {
    /// The most links screened as one batch: enough that a batch's two exponentiations are a
    /// small share of its work, few enough to share an issuer's links among the cores.
    const LARGEST_BATCH: usize = 512;
    let groups = first_links_by_issuer(starts);
    let keys: Vec<(screen::IssuerKey, &Vec<ScreenLink<'_>>)> = groups
        .iter()
        .filter(|(_, links)| links.len() >= screen::SMALLEST_BATCH)
        .filter_map(|(spki, links)| {
            let signed = links.iter().map(|(_, signed)| signed);
            Some((screen::IssuerKey::confirmed_by_ring(spki, signed)?, links))
        })
        .collect();
    // Batches of equal size, so that none is left too small to screen.
    let batches: Vec<(&screen::IssuerKey, &[ScreenLink<'_>])> = keys
        .iter()
        .flat_map(|(key, links)| {
            let size = links.len().div_ceil(links.len().div_ceil(LARGEST_BATCH));
            links.chunks(size).map(move |batch| (key, batch))
        })
        .collect();
    let proven = crate::parallel::par_map(&batches, |&(key, batch)| {
        let (links, claims): (Vec<[u8; 32]>, Vec<screen::Claim>) = batch
            .iter()
            .filter_map(|(link, signed)| Some((*link, key.claim(signed)?)))
            .unzip();
        let proven = key.screen(&claims);
        links
            .into_iter()
            .zip(proven)
            .filter_map(|(link, ok)| ok.then_some(link))
            .collect::<Vec<_>>()
    });
    let mut known = verified();
    let before = known.len();
    for link in proven.into_iter().flatten() {
        known.entry(link).or_insert((true, false));
    }
    if known.len() > before {
        LEARNED.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Forget every link verified in this process, as a fresh process would start: for the fuzz
/// target, whose inputs must each be screened afresh (and whose process would otherwise keep
/// every link of millions of inputs).
#[doc(hidden)]
pub fn forget_links() {
    verified().clear();
}

/// The first link of each chain not yet known, by the issuer key (a whole
/// SubjectPublicKeyInfo) it claims, in the order of `starts`.
fn first_links_by_issuer<'a>(starts: &[ChainStart<'a>]) -> Vec<(&'a [u8], Vec<ScreenLink<'a>>)> {
    // Slicing each leaf and digesting its link is spread over the cores; grouping is not.
    let links =
        crate::parallel::par_map(starts, |&(leaf, own, trust)| first_link(leaf, own, trust));
    let mut order: crate::fast_hash::FastMap<&[u8], usize> = Default::default();
    let mut out: Vec<(&[u8], Vec<ScreenLink<'a>>)> = Vec::new();
    let mut seen: crate::fast_hash::FastSet<[u8; 32]> = Default::default();
    let known = verified();
    for (spki, link) in links.into_iter().flatten() {
        if known.contains_key(&link.0) || !seen.insert(link.0) {
            continue;
        }
        let at = *order.entry(spki).or_insert_with(|| {
            out.push((spki, Vec::new()));
            out.len() - 1
        });
        out[at].1.push(link);
    }
    out
}

/// The first link [`chain_end`] checks for `leaf`: the key it claims (its own when its
/// subject and issuer read alike, else the first certificate named as its issuer) and the
/// link to screen.
fn first_link<'a>(
    leaf: &'a CertFacts,
    own: &'a [CertFacts],
    trust: &'a TrustSources<'a>,
) -> Option<(&'a [u8], ScreenLink<'a>)> {
    let current = light(leaf)?;
    let spki = if current.parts.subject == current.parts.issuer {
        current.parts.spki
    } else {
        named_issuers(&current, candidates(own, trust))
            .next()?
            .parts
            .spki
    };
    Some((
        spki,
        (link_key(leaf.fingerprint(), spki), current.parts.signed),
    ))
}

/// Build the chain of `leaf`, using `own` (the certificates of the leaf's file) and `trust`.
pub fn chain_end(leaf: &CertFacts, own: &[CertFacts], trust: &TrustSources<'_>) -> ChainEnd {
    let Some(mut current) = light(leaf) else {
        return ChainEnd::Incomplete {
            issuer: leaf.issuer.clone(),
            after: leaf.subject.clone(),
        };
    };
    let classify_root = |root: &Light<'_>, is_leaf: bool| {
        let name = root.facts.subject.clone();
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
        let next = named_issuers(&current, candidates(own, trust))
            .find(|c| current.signed_by(c.parts.spki));
        match next {
            Some(c) => {
                current = c;
                is_leaf = false;
            }
            None => {
                // The last link may be signed directly by a bundled root.
                let anchored =
                    bundled_anchor_for(current.parts.issuer).any(|spki| current.signed_by(&spki));
                let after = current.facts.subject.clone();
                let issuer = current.facts.issuer.clone();
                if anchored {
                    return ChainEnd::PublicRoot { root: issuer };
                }
                return ChainEnd::Incomplete { issuer, after };
            }
        }
    }
    ChainEnd::Incomplete {
        issuer: current.facts.issuer.clone(),
        after: current.facts.subject.clone(),
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
    fn a_remembered_link_key_is_the_digest_of_its_pair() {
        use sha2::Digest;
        let direct = |f: &str, s: &[u8]| -> [u8; 32] {
            let mut h = sha2::Sha256::new();
            h.update(f.as_bytes());
            h.update(s);
            h.finalize().into()
        };
        // Chains through one CA and root, each from its own leaf, then pairs never seen: hits
        // and replaced entries alike give each pair's own digest.
        for round in 0..20u8 {
            let leaf = format!("leaf-{round}");
            for (f, s) in [
                (leaf.as_str(), &b"ca key"[..]),
                ("ca", b"root key"),
                ("root", b"root key"),
                ("root", &[round; 3][..]),
            ] {
                assert_eq!(link_key(f, s), direct(f, s), "{f}");
            }
        }
    }

    #[test]
    fn a_root_of_the_bundled_store_is_public() {
        let root = facts(include_str!("../../../fixtures/public/isrg-root-x1.pem"));
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
        let leaf = facts(include_str!("../../../fixtures/certs/self-signed.crt"));
        let none = TrustSources {
            organisation: vec![],
            public: vec![],
        };
        assert_eq!(chain_end(&leaf, &[], &none), ChainEnd::SelfSigned);
    }

    #[test]
    fn screened_first_links_are_what_a_check_of_each_says() {
        // Leaves of the fixtures' issuing CA: RSA of 512 to 4,096 bits, EC and Ed25519 keys,
        // and signatures the screen does not claim (RSASSA-PSS, MD5).
        let names = [
            "c001-unreferenced/rsa1024.crt",
            "c001-unreferenced/rsa3072.crt",
            "c001-unreferenced/rsa4096.crt",
            "c001-unreferenced/rsa512.crt",
            "c001-unreferenced/ec-p256.crt",
            "c004-unreferenced/pss.crt",
            "c004-unreferenced/md5.crt",
            "certs/review/rp-wildcards.crt",
            "certs/review/rp-option3.crt",
            "certs/names/rp-complete.crt",
            "certs/names/rp-wildcard.crt",
            "certs/names/rp-wildcard-subject.crt",
            "certs/crypto/ed25519.crt",
            "certs/authority/edge-external-no-intermediate.pem",
        ];
        let leaves: Vec<CertFacts> = names
            .iter()
            .map(|name| {
                let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
                let text = std::fs::read(path).unwrap();
                let der = x509_parser::pem::parse_x509_pem(&text).unwrap().1.contents;
                crate::load::certificate::cert_facts(&der, FilePos::START).unwrap()
            })
            .collect();
        let issuing = facts(include_str!("../../../fixtures/certs/ca/issuing.crt"));
        let trust = TrustSources {
            organisation: vec![&issuing],
            public: vec![],
        };
        let starts: Vec<ChainStart<'_>> = leaves.iter().map(|l| (l, &[][..], &trust)).collect();
        screen_first_links(&starts);
        let issuer = light(&issuing).unwrap();
        for (name, leaf) in names.iter().zip(&leaves) {
            let key = link_key(leaf.fingerprint(), issuer.parts.spki);
            let known = verified().get(&key).map(|(ok, _)| *ok);
            let each = verify(&light(leaf).unwrap().parts.signed, issuer.parts.spki);
            assert!(each, "{}", leaf.subject);
            if name.starts_with("c004-unreferenced/") {
                // Not the screen's to judge: left to `chain_end`, which checks it when met.
                assert!(known.is_none() || known == Some(each), "{}", leaf.subject);
            } else {
                assert_eq!(known, Some(true), "{}", leaf.subject);
            }
        }
    }

    #[test]
    fn ring_is_taken_to_refuse_a_key_for_its_size_only_outside_its_sizes() {
        use super::screen::tests::{rsa_spki, SHA1_WITH_RSA, SHA256_WITH_RSA};
        let cannot_judge = |modulus_bytes: usize, top: u8, algorithm: &[u8]| {
            let mut n = vec![0xc5; modulus_bytes];
            n[0] = top;
            let spki = rsa_spki(&n, &[0x01, 0x00, 0x01]);
            let (_, spki) = SubjectPublicKeyInfo::from_der(&spki).unwrap();
            ring_cannot_judge(&spki, algorithm)
        };
        // 2,048 bits, and 2,041 (a top byte of 1): ring judges both for SHA-256.
        assert!(!cannot_judge(256, 0xc5, &SHA256_WITH_RSA));
        assert!(!cannot_judge(256, 0x01, &SHA256_WITH_RSA));
        assert!(cannot_judge(255, 0xc5, &SHA256_WITH_RSA));
        assert!(cannot_judge(128, 0xc5, &SHA256_WITH_RSA));
        // SHA-1 from 1,024 bits.
        assert!(!cannot_judge(128, 0xc5, &SHA1_WITH_RSA));
        assert!(cannot_judge(127, 0xc5, &SHA1_WITH_RSA));
        // Above 8,192 bits for either.
        assert!(!cannot_judge(1024, 0xc5, &SHA256_WITH_RSA));
        assert!(cannot_judge(1025, 0xc5, &SHA256_WITH_RSA));
    }
}
