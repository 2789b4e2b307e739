//! What the C rules (and K004) share: the leaf of every certificate file they judge and the
//! request of every `request:` entry, each once per file, located where a user fixes it.

mod client_auth_eku_missing;
mod non_rsa_key;
mod rsa_key_size_unsupported;
mod rsa_key_too_small;
mod server_auth_eku_missing;
mod weak_signature;

pub use client_auth_eku_missing::ClientAuthEkuMissing;
pub use non_rsa_key::NonRsaKey;
pub use rsa_key_size_unsupported::RsaKeySizeUnsupported;
pub use rsa_key_too_small::RsaKeyTooSmall;
pub use server_auth_eku_missing::ServerAuthEkuMissing;
pub use weak_signature::WeakSignature;

use super::Context;
use crate::derive::{any_material, Field, Reference, Scope};
use crate::diagnostic::Location;
use crate::fix::Fix;
use crate::model::certs::{leaf_index, CertFacts, Eku, KeyAlgorithm, RequestFacts};
use crate::model::topology::Use;

/// The leaf of a certificate file: named by an entry's `file` (Edge or reverse proxy), or found
/// by the walk and named by no topology.
pub struct LeafRef<'a> {
    pub cert: &'a CertFacts,
    /// The `file:` references of the file, in plan order; empty for an unreferenced file.
    pub refs: Vec<&'a Reference>,
    /// The first reference's `file:` value, or the certificate in the file.
    pub location: Location,
    /// The file as the user wrote it (in the topology) or as found.
    pub name: String,
}

impl LeafRef<'_> {
    /// `certificate <file> (CN <cn>)`, or `CA certificate <cn> in <file>`.
    pub fn describe(&self) -> String {
        let cn = printable(
            self.cert
                .subject_cn
                .as_deref()
                .unwrap_or(&self.cert.subject),
        );
        if self.cert.is_ca {
            format!("CA certificate {cn} in {}", self.name)
        } else {
            format!("certificate {} (CN {cn})", self.name)
        }
    }
}

/// A name from a certificate, with control characters escaped (a hostile CN must not reach
/// the terminal as is).
pub fn printable(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The request of a `request:` entry, once per request file.
pub struct RequestRef<'a> {
    pub request: &'a RequestFacts,
    /// The `request:` references of the file, in plan order (never empty).
    pub refs: Vec<&'a Reference>,
    pub location: Location,
    pub name: String,
}

impl RequestRef<'_> {
    pub fn describe(&self) -> String {
        match &self.request.subject_cn {
            Some(cn) => format!("request {} (CN {})", self.name, printable(cn)),
            None => format!("request {}", self.name),
        }
    }
}

/// A key or signature fact, said of a certificate or of a request.
pub enum Judged<'r, 'a> {
    Cert(&'r LeafRef<'a>),
    Request(&'r RequestRef<'a>),
}

impl Judged<'_, '_> {
    pub fn key(&self) -> &KeyAlgorithm {
        match self {
            Judged::Cert(c) => &c.cert.key,
            Judged::Request(r) => &r.request.key,
        }
    }
    pub fn eku(&self) -> Option<Eku> {
        match self {
            Judged::Cert(c) => c.cert.eku,
            Judged::Request(r) => r.request.eku,
        }
    }
    pub fn location(&self) -> Location {
        match self {
            Judged::Cert(c) => c.location.clone(),
            Judged::Request(r) => r.location.clone(),
        }
    }
    pub fn describe(&self) -> String {
        match self {
            Judged::Cert(c) => c.describe(),
            Judged::Request(r) => r.describe(),
        }
    }
    pub fn refs(&self) -> &[&Reference] {
        match self {
            Judged::Cert(c) => &c.refs,
            Judged::Request(r) => &r.refs,
        }
    }
    /// A note that a request's defect would be issued into the certificate.
    pub fn request_note(&self) -> &'static str {
        match self {
            Judged::Cert(_) => "",
            Judged::Request(_) => "; a certificate issued from it would have it too",
        }
    }
}

/// The leaf of every certificate file named by an entry's `file` (Edge and reverse proxy),
/// located at its first reference; with `unreferenced`, also the leaf of every certificate file
/// no topology names (trust files `ca_bundle`/`public_roots` are neither), located in the file.
pub fn leaves<'c, 'a>(cx: &'c Context<'a>, unreferenced: bool) -> Vec<&'c LeafRef<'a>> {
    cx.crypto_leaves()
        .iter()
        .filter(|l| unreferenced || !l.refs.is_empty())
        .collect()
}

/// Every leaf, referenced or not (computed once per run: see `Context::crypto_leaves`).
pub(super) fn all_leaves<'a>(cx: &Context<'a>) -> Vec<LeafRef<'a>> {
    let unreferenced = true;
    let mut out = Vec::new();
    for &file in cx.files_in_order() {
        let refs: Vec<&Reference> = cx
            .plan
            .references
            .get(file.path.as_os_str())
            .map(|r| r.iter().collect())
            .unwrap_or_default();
        let file_refs: Vec<&Reference> = refs
            .iter()
            .copied()
            .filter(|r| r.field == Field::File && r.entry.is_some())
            .collect();
        if !file_refs.is_empty() {
            // The first reference whose password opens the file decides the leaf.
            let found = file_refs
                .iter()
                .find_map(|r| cx.leaf(r.entry?).map(|leaf| (*r, leaf)));
            if let Some((r, cert)) = found {
                out.push(LeafRef {
                    cert,
                    location: cx.at(r.topo, &r.span),
                    name: r.written.clone(),
                    refs: file_refs,
                });
            }
            continue;
        }
        let trust = refs
            .iter()
            .any(|r| matches!(r.field, Field::CaBundle | Field::PublicRoots));
        if !unreferenced || trust {
            continue;
        }
        let Some((certs, keys)) = any_material(file) else {
            continue;
        };
        let Some(i) = leaf_index(certs, &keys) else {
            continue;
        };
        let cert = &certs[i];
        out.push(LeafRef {
            cert,
            refs: Vec::new(),
            location: cx.in_file(file, cert.pos),
            name: file.display.to_string(),
        });
    }
    out
}

/// The request of every file named by an entry's `request:`, located at its first reference.
pub fn requests<'c, 'a>(cx: &'c Context<'a>) -> &'c [RequestRef<'a>] {
    cx.crypto_requests()
}

/// Every request an entry names (computed once per run: see `Context::crypto_requests`).
pub(super) fn all_requests<'a>(cx: &Context<'a>) -> Vec<RequestRef<'a>> {
    let mut out = Vec::new();
    for &file in cx.files_in_order() {
        let Some(refs) = cx.plan.references.get(file.path.as_os_str()) else {
            continue;
        };
        let refs: Vec<&Reference> = refs
            .iter()
            .filter(|r| r.field == Field::Request && r.entry.is_some())
            .collect();
        let (Some(first), Some(request)) = (refs.first(), file.requests.first()) else {
            continue;
        };
        if file.read_error.is_some() {
            continue;
        }
        out.push(RequestRef {
            request,
            location: cx.at(first.topo, &first.span),
            name: first.written.clone(),
            refs,
        });
    }
    out
}

/// Leaves and requests together, for the rules that judge both (C001-C003).
pub fn leaves_and_requests<'r, 'a>(
    leaves: &'r [&'r LeafRef<'a>],
    requests: &'r [RequestRef<'a>],
) -> impl Iterator<Item = Judged<'r, 'a>> {
    leaves
        .iter()
        .map(|l| Judged::Cert(l))
        .chain(requests.iter().map(Judged::Request))
}

/// Request-CsCertificate's `-KeyAlg` name of a key, when it has one.
pub fn key_alg_name(key: &KeyAlgorithm) -> Option<&'static str> {
    match key {
        KeyAlgorithm::Rsa { .. } => Some("RSA"),
        KeyAlgorithm::Ec { curve } => match curve.as_str() {
            "P-256" => Some("ECDH_P256"),
            "P-384" => Some("ECDH_P384"),
            "P-521" => Some("ECDH_P521"),
            _ => None,
        },
        KeyAlgorithm::Other { .. } => None,
    }
}

/// A readable name for a key algorithm that is neither RSA nor EC.
pub fn other_key_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.3.101.110" => "X25519",
        "1.3.101.111" => "X448",
        "1.2.840.10040.4.1" => "DSA",
        "1.2.643.7.1.1.1.1" | "1.2.643.7.1.1.1.2" => "GOST R 34.10-2012",
        _ => return None,
    })
}

/// The request that replaces a certificate with one whose key has `bits` bits: the request
/// for the role of the first entry naming the file (its pool's names, its uses).
pub fn replacement_fix(cx: &Context<'_>, refs: &[&Reference], bits: u32) -> Option<Fix> {
    let id = refs.first()?.entry?;
    let (_, t) = crate::derive::topology_of(cx.repo, id.topo);
    let pool = match id.scope {
        Scope::Pool { pool } | Scope::Server { pool, .. } => Some(&t.edge_pools[pool]),
        Scope::ReverseProxy => None,
    };
    let mut request = crate::derive::needs::request_for_entry(t, pool, cx.entry(id))?;
    request.key_size = bits;
    Some(Fix::new(request))
}

/// Does any entry naming the file assign it to `OAuthTokenIssuer`?
pub fn assigned_to_oauth(cx: &Context<'_>, refs: &[&Reference]) -> bool {
    refs.iter()
        .filter_map(|r| r.entry)
        .any(|id| cx.entry(id).has_use(Use::OAuthTokenIssuer))
}

/// A command that requests a replacement with a 2048-bit RSA key, for a file no entry names.
pub fn rsa_2048_command() -> &'static str {
    "openssl req -new -newkey rsa:2048 -keyout <key> -out <request>.csr (or Request-CsCertificate -New -Type <uses> -KeySize 2048 -PrivateKeyExportable $true on a Lync server)"
}
