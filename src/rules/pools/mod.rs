//! What P002-P004 share: the servers of a pool compared by the SHA-256 fingerprint of the leaf
//! of their current certificate for some uses. The pool's own entry is the reference; without
//! a readable one, the first server's. A file that cannot be read is skipped (T002-T004).

mod pool_av_certificate_differs;
mod pool_external_certificate_differs;
mod pool_internal_certificate_differs;
mod use_unassigned;

pub use pool_av_certificate_differs::PoolAvCertificateDiffers;
pub use pool_external_certificate_differs::PoolExternalCertificateDiffers;
pub use pool_internal_certificate_differs::PoolInternalCertificateDiffers;
pub use use_unassigned::UseUnassigned;

use std::collections::BTreeMap;

use super::{Context, DiagnosticExt, Findings, RuleMeta};
use crate::derive::{material, pool_servers, EntryId, Scope};
use crate::model::certs::CertFacts;
use crate::model::topology::Use;

struct Current<'a> {
    entry: EntryId,
    leaf: &'a CertFacts,
    fingerprint: String,
}

fn describe(cx: &Context<'_>, id: EntryId, leaf: &CertFacts, fingerprint: &str) -> String {
    let written = cx
        .entry(id)
        .file
        .as_ref()
        .map_or_else(String::new, |f| f.written.value.clone());
    let cn = leaf.subject_cn.as_deref().unwrap_or(&leaf.subject);
    format!("{written} (CN {cn}, SHA-256 {}...)", &fingerprint[..16])
}

/// One finding per server entry whose certificate for `uses` differs from the pool's.
pub(super) fn check_pools(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    uses: &[Use],
    what: &str,
    out: &mut Findings,
) {
    for (ti, tf) in cx.repo.topologies.iter().enumerate() {
        let Some(t) = &tf.topology else { continue };
        for (pi, pool) in t.edge_pools.iter().enumerate() {
            // (differing entry, reference entry) -> uses
            let mut found: BTreeMap<(EntryId, EntryId), Vec<Use>> = BTreeMap::new();
            let mut leaves: BTreeMap<EntryId, (&CertFacts, String)> = BTreeMap::new();
            for &u in uses {
                let currents: Vec<Current<'_>> = pool_servers(cx.plan, ti, pi)
                    .filter_map(|sp| {
                        let id = *sp.current.get(&u)?;
                        let leaf = material(cx.repo, cx.entry(id)).leaf()?;
                        Some(Current {
                            entry: id,
                            leaf,
                            fingerprint: leaf.sha256(),
                        })
                    })
                    .collect();
                let reference = currents
                    .iter()
                    .find(|c| matches!(c.entry.scope, Scope::Pool { .. }))
                    .or_else(|| currents.first());
                let Some(reference) = reference else { continue };
                for c in &currents {
                    if c.fingerprint == reference.fingerprint {
                        continue;
                    }
                    leaves.insert(c.entry, (c.leaf, c.fingerprint.clone()));
                    leaves.insert(
                        reference.entry,
                        (reference.leaf, reference.fingerprint.clone()),
                    );
                    let list = found.entry((c.entry, reference.entry)).or_default();
                    if !list.contains(&u) {
                        list.push(u);
                    }
                }
            }
            for ((id, reference), used) in found {
                let (leaf, fp) = &leaves[&id];
                let (ref_leaf, ref_fp) = &leaves[&reference];
                let names: Vec<&str> = used.iter().map(|u| u.name()).collect();
                let names = names.join(", ");
                let for_uses = if uses.len() > 1 {
                    format!(" for {names}")
                } else {
                    String::new()
                };
                let (owner, ref_owner) = match (id.scope, reference.scope) {
                    (Scope::Server { server, .. }, Scope::Pool { .. }) => (
                        format!("server {}", pool.servers[server].fqdn.value),
                        "the pool's".to_string(),
                    ),
                    (Scope::Server { server, .. }, Scope::Server { server: r, .. }) => (
                        format!("server {}", pool.servers[server].fqdn.value),
                        format!("server {}'s", pool.servers[r].fqdn.value),
                    ),
                    _ => continue,
                };
                let Some(file) = &cx.entry(id).file else {
                    continue;
                };
                let Some(ref_file) = &cx.entry(reference).file else {
                    continue;
                };
                out.push(
                    meta.diag(
                        cx.at(ti, &file.written.span),
                        format!(
                            "{owner} of pool {} has {what} certificate {}{for_uses}, not {ref_owner} {}",
                            pool.name.value,
                            describe(cx, id, leaf, fp),
                            describe(cx, reference, ref_leaf, ref_fp),
                        ),
                    )
                    .label(format!("a different {what} certificate"))
                    .related(
                        cx.at(ti, &ref_file.written.span),
                        format!("{ref_owner} {what} certificate"),
                    )
                    .help(format!(
                        "assign the same certificate (same thumbprint and private key) for {names} on every Edge Server of the pool: export it with its private key and import it on each server"
                    )),
                );
            }
        }
    }
}
