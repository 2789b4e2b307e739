//! What the A rules share: each referenced leaf with the end of its chain, once per
//! topology and file.

mod chain_incomplete;
mod external_not_public_ca;
mod internal_ca_untrusted;

pub use chain_incomplete::ChainIncomplete;
pub use external_not_public_ca::ExternalNotPublicCa;
pub use internal_ca_untrusted::InternalCaUntrusted;

use std::path::PathBuf;

use super::Context;
use crate::derive::chain::{chain_end, screen_first_links, ChainEnd, ChainStart, TrustSources};
use crate::derive::{file_material, topology_of, EntryId, Scope};
use crate::model::certs::CertFacts;
use crate::model::topology::{CertEntry, Sp, Topology, Use};

pub struct ChainTarget<'a> {
    pub id: EntryId,
    pub entry: &'a CertEntry,
    pub written: &'a Sp<String>,
    pub leaf: &'a CertFacts,
    pub end: ChainEnd,
}

impl ChainTarget<'_> {
    pub fn is_reverse_proxy(&self) -> bool {
        self.id.scope == Scope::ReverseProxy
    }
    pub fn is_external(&self) -> bool {
        self.is_reverse_proxy() || self.entry.is_external()
    }
    pub fn is_internal(&self) -> bool {
        self.entry.has_use(Use::Internal)
    }
}

fn trust_sources<'a>(cx: &Context<'a>, t: &'a Topology) -> TrustSources<'a> {
    let certs = |paths: Vec<&'a std::path::Path>| -> Vec<&'a CertFacts> {
        paths
            .into_iter()
            .filter_map(|p| cx.repo.file(p))
            .filter_map(|f| file_material(f, None))
            .flat_map(|(certs, _)| certs.iter())
            .collect()
    };
    let paths = |own: &'a [crate::model::topology::PathRef], extra: &'a [PathBuf]| {
        own.iter()
            .map(|p| p.resolved.as_path())
            .chain(extra.iter().map(PathBuf::as_path))
            .collect::<Vec<_>>()
    };
    TrustSources {
        organisation: certs(paths(&t.trust.ca_bundle, &cx.repo.extra_ca_bundles)),
        public: certs(paths(&t.trust.public_roots, &cx.repo.extra_public_roots)),
    }
}

pub(super) fn chain_targets<'a>(cx: &Context<'a>) -> Vec<ChainTarget<'a>> {
    let mut seen: crate::fast_hash::FastSet<(usize, &std::ffi::OsStr, bool, bool)> =
        Default::default();
    let mut todo = Vec::new();
    for &id in &cx.plan.entries {
        let entry = cx.entry(id);
        let Some(file) = &entry.file else { continue };
        let Some(leaf) = cx.leaf(id) else { continue };
        let crate::derive::Material::Available { certs, .. } = cx.material(id) else {
            continue;
        };
        let key = (
            id.topo,
            file.resolved.as_os_str(),
            entry.is_external() || id.scope == Scope::ReverseProxy,
            entry.has_use(Use::Internal),
        );
        if seen.insert(key) {
            todo.push((id, entry, &file.written, leaf, certs));
        }
    }
    // What each topology trusts, found once (not once per chain).
    let trust: Vec<std::sync::OnceLock<TrustSources<'a>>> = (0..cx.repo.topologies.len())
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let trusted =
        |topo: usize| trust[topo].get_or_init(|| trust_sources(cx, topology_of(cx.repo, topo).1));
    // Each chain verifies signatures, the costliest step of the rules: the leaves' own links
    // are screened together first, then the chains built on every core.
    let starts: Vec<ChainStart<'_>> =
        crate::parallel::par_map(&todo, |&(id, _, _, leaf, certs)| {
            (leaf, *certs, trusted(id.topo))
        });
    screen_first_links(&starts);
    crate::parallel::par_map(&todo, |&(id, entry, written, leaf, certs)| {
        let trusted = trusted(id.topo);
        ChainTarget {
            id,
            entry,
            written,
            leaf,
            end: chain_end(leaf, certs, trusted),
        }
    })
}
