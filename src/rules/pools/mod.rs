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
use crate::derive::{pool_servers, EntryId, Scope};
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

/// The leaves of a pool that differ from the reference, and for which uses.
#[derive(Default)]
struct Differences<'a> {
    /// (differing entry, reference entry) -> uses
    found: BTreeMap<(EntryId, EntryId), Vec<Use>>,
    leaves: BTreeMap<EntryId, (&'a CertFacts, String)>,
}

/// The current certificate of each server of pool `pi` for use `u`, by fingerprint.
fn currents<'a>(cx: &Context<'a>, ti: usize, pi: usize, u: Use) -> Vec<Current<'a>> {
    pool_servers(cx.plan, ti, pi)
        .filter_map(|sp| {
            let id = *sp.current.get(&u)?;
            let leaf = cx.leaf(id)?;
            Some(Current {
                entry: id,
                leaf,
                fingerprint: leaf.sha256(),
            })
        })
        .collect()
}

fn differences<'a>(cx: &Context<'a>, ti: usize, pi: usize, uses: &[Use]) -> Differences<'a> {
    let mut d = Differences::default();
    for &u in uses {
        let currents = currents(cx, ti, pi, u);
        let reference = currents
            .iter()
            .find(|c| matches!(c.entry.scope, Scope::Pool { .. }))
            .or_else(|| currents.first());
        let Some(reference) = reference else { continue };
        for c in currents
            .iter()
            .filter(|c| c.fingerprint != reference.fingerprint)
        {
            d.leaves.insert(c.entry, (c.leaf, c.fingerprint.clone()));
            d.leaves.insert(
                reference.entry,
                (reference.leaf, reference.fingerprint.clone()),
            );
            let list = d.found.entry((c.entry, reference.entry)).or_default();
            if !list.contains(&u) {
                list.push(u);
            }
        }
    }
    d
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
        for pi in 0..t.edge_pools.len() {
            let d = differences(cx, ti, pi, uses);
            for ((id, reference), used) in &d.found {
                let found = Found {
                    ti,
                    pi,
                    id: *id,
                    reference: *reference,
                    used,
                    all_uses: uses.len(),
                    what,
                };
                if let Some(diag) = finding(cx, meta, &found, &d) {
                    out.push(diag);
                }
            }
        }
    }
}

/// One difference to report.
struct Found<'u> {
    ti: usize,
    pi: usize,
    id: EntryId,
    reference: EntryId,
    used: &'u [Use],
    all_uses: usize,
    what: &'u str,
}

fn finding(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    f: &Found<'_>,
    d: &Differences<'_>,
) -> Option<crate::diagnostic::Diagnostic> {
    let (_, t) = crate::derive::topology_of(cx.repo, f.ti);
    let pool = &t.edge_pools[f.pi];
    let (leaf, fp) = &d.leaves[&f.id];
    let (ref_leaf, ref_fp) = &d.leaves[&f.reference];
    let names: Vec<&str> = f.used.iter().map(|u| u.name()).collect();
    let names = names.join(", ");
    let for_uses = if f.all_uses > 1 {
        format!(" for {names}")
    } else {
        String::new()
    };
    let fqdn = |server: usize| &pool.servers[server].fqdn.value;
    let (owner, ref_owner) = match (f.id.scope, f.reference.scope) {
        (Scope::Server { server, .. }, Scope::Pool { .. }) => {
            (format!("server {}", fqdn(server)), "the pool's".to_string())
        }
        (Scope::Server { server, .. }, Scope::Server { server: r, .. }) => (
            format!("server {}", fqdn(server)),
            format!("server {}'s", fqdn(r)),
        ),
        _ => return None,
    };
    let file = cx.entry(f.id).file.as_ref()?;
    let ref_file = cx.entry(f.reference).file.as_ref()?;
    let what = f.what;
    Some(
        meta.diag(
            cx.at(f.ti, &file.written.span),
            format!(
                "{owner} of pool {} has {what} certificate {}{for_uses}, not {ref_owner} {}",
                pool.name.value,
                describe(cx, f.id, leaf, fp),
                describe(cx, f.reference, ref_leaf, ref_fp),
            ),
        )
        .label(format!("a different {what} certificate"))
        .related(
            cx.at(f.ti, &ref_file.written.span),
            format!("{ref_owner} {what} certificate"),
        )
        .help(format!(
            "assign the same certificate (same thumbprint and private key) for {names} on every Edge Server of the pool: export it with its private key and import it on each server"
        )),
    )
}
