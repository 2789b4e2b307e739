//! What the V rules share: every certificate of every file, located where a user fixes it.

mod certificate_expired;
mod certificate_expiring_soon;
mod certificate_not_yet_valid;

pub use certificate_expired::CertificateExpired;
pub use certificate_expiring_soon::CertificateExpiringSoon;
pub use certificate_not_yet_valid::CertificateNotYetValid;

use time::macros::format_description;
use time::OffsetDateTime;

use super::Context;
use crate::derive::{any_material, Field};
use crate::diagnostic::Location;
use crate::model::certs::{leaf_index, CertFacts, CertFile};

/// For a file that is a current certificate somewhere: how many (server, use) pairs it is
/// current for have a staged replacement, and the uses that have none (V003, R006).
#[derive(Debug, Default, Clone)]
pub struct Coverage {
    pub covered: usize,
    pub uncovered: std::collections::BTreeSet<crate::model::topology::Use>,
}

/// [`Coverage`] of every file named by a current entry, in one pass over the servers.
pub fn replacement_coverage<'a>(
    cx: &Context<'a>,
) -> crate::fast_hash::FastMap<&'a std::ffi::OsStr, Coverage> {
    // By the path's text, as the repository's files: a path's own hash walks its components.
    let mut out: crate::fast_hash::FastMap<&std::ffi::OsStr, Coverage> = Default::default();
    for sp in &cx.plan.servers {
        for (u, id) in &sp.current {
            let Some(file) = &cx.entry(*id).file else {
                continue;
            };
            let c = out.entry(file.resolved.as_os_str()).or_default();
            if sp.staged.contains_key(u) {
                c.covered += 1;
            } else {
                c.uncovered.insert(*u);
            }
        }
    }
    out
}

pub struct CertRef<'a> {
    pub file: &'a CertFile,
    pub cert: &'a CertFacts,
    pub is_leaf: bool,
    /// Referenced only as a staged (`roll`) certificate.
    pub staged_only: bool,
    pub location: Location,
    /// The file as the user wrote it (in the topology) or as found.
    pub name: String,
}

impl CertRef<'_> {
    pub fn describe(&self) -> String {
        let cn = self
            .cert
            .subject_cn
            .clone()
            .unwrap_or_else(|| self.cert.subject.clone());
        if self.cert.is_ca {
            format!("CA certificate {cn} in {}", self.name)
        } else {
            format!("certificate {} (CN {cn})", self.name)
        }
    }
}

pub fn date(t: OffsetDateTime) -> String {
    let f = format_description!("[year]-[month]-[day] [hour]:[minute]:[second] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_else(|_| t.to_string())
}

pub(super) fn certificates<'a>(cx: &Context<'a>) -> Vec<CertRef<'a>> {
    let mut out = Vec::new();
    for file in cx.repo.files.values() {
        let Some((certs, keys)) = any_material(file) else {
            continue;
        };
        let leaf = leaf_index(certs, &keys);
        let refs = cx.plan.references.get(file.path.as_os_str());
        let cert_refs: Vec<_> = refs
            .map(|r| {
                r.iter()
                    .filter(|r| {
                        matches!(r.field, Field::File | Field::CaBundle | Field::PublicRoots)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let staged_only = !cert_refs.is_empty()
            && cert_refs
                .iter()
                .all(|r| r.entry.is_some_and(|id| cx.entry(id).is_staged()));
        for (i, cert) in certs.iter().enumerate() {
            let (location, name) = match cert_refs.first() {
                Some(r) => (cx.at(r.topo, &r.span), r.written.clone()),
                None => (cx.in_file(file, cert.pos), file.display.to_string()),
            };
            out.push(CertRef {
                file,
                cert,
                is_leaf: Some(i) == leaf,
                staged_only,
                location,
                name,
            });
        }
    }
    out
}
