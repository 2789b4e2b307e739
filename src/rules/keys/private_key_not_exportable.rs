//! K003: `exportable: false` on an assigned certificate. On several servers it is an error: a
//! key that cannot be exported cannot have been copied to the other servers. On a single server
//! it is a warning: the documents ask for an exportable key "regardless of whether it is used on
//! one Edge Server or many" (a replacement or added server needs it).
//!
//! Servers are counted by effective assignment (a pool entry applies to every server of the pool
//! that does not replace it for each of its uses), current and staged, and by file: a file that
//! two entries assign counts every server either one reaches. An entry that reaches no server
//! (request-only, or replaced everywhere) is not reported.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::derive::{topology_of, EntryId, Scope};
use crate::diagnostic::Severity;
use crate::rules::DiagnosticExt;

rule! {
    PrivateKeyNotExportable {
        code: "K003",
        name: "private-key-not-exportable",
        severity: Error,
        summary: "`exportable: false` on a certificate assigned to more than one server (warning: a single server)",
    }
    fn check(cx, out) {
        // Entries with `exportable: false` are few (most have none): only they need the
        // servers each file reaches.
        let not_exportable: Vec<EntryId> = cx
            .plan
            .entries
            .iter()
            .copied()
            .filter(|&id| {
                let entry = cx.entry(id);
                id.scope != Scope::ReverseProxy
                    && entry.file.is_some()
                    && entry.exportable.as_ref().is_some_and(|e| !e.value)
                    && !entry.uses.is_empty()
            })
            .collect();
        if not_exportable.is_empty() {
            return;
        }
        let (by_entry, by_file) = servers_reached(cx);
        for id in not_exportable {
            let entry = cx.entry(id);
            let (Some(file), Some(exportable)) = (&entry.file, &entry.exportable) else {
                continue;
            };
            if !by_entry.contains_key(&id) {
                continue;
            }
            let servers = &by_file[file.resolved.as_path()];
            let names: Vec<&str> = servers
                .iter()
                .map(|&(topo, pool, server)| {
                    let (_, t) = topology_of(cx.repo, topo);
                    t.edge_pools[pool].servers[server].fqdn.value.as_str()
                })
                .collect();
            let at = cx.at(id.topo, &exportable.span);
            let d = if names.len() > 1 {
                META.diag(
                    at,
                    format!(
                        "certificate {} is assigned to {} servers ({}) but its private key is not exportable: it cannot be copied to the other servers",
                        file.written.value,
                        names.len(),
                        names.join(", ")
                    ),
                )
                .label(format!("not exportable, yet used on {} servers", names.len()))
            } else {
                META.diag(
                    at,
                    format!(
                        "certificate {} on the single server {} has a private key that is not exportable: a replacement or added Edge Server cannot get it",
                        file.written.value, names[0]
                    ),
                )
                .severity(Severity::Warning)
                .label("not exportable")
            };
            let uses: Vec<&str> = entry.uses.iter().map(|u| u.value.name()).collect();
            out.push(
                d.related(cx.at(id.topo, &file.written.span), "certificate named here")
                    .help(format!(
                        "request the certificate again with an exportable key (Request-CsCertificate -New -Type {} -KeySize 2048 -PrivateKeyExportable $true), import it on one Edge Server, and export it with its private key to the others",
                        uses.join(",")
                    )),
            );
        }
    }
}

/// A server: (topology, pool, server).
type Server = (usize, usize, usize);
/// The servers each entry reaches, and the servers each file reaches.
type Reach<'a> = (
    BTreeMap<EntryId, BTreeSet<Server>>,
    HashMap<&'a std::path::Path, BTreeSet<Server>>,
);

/// Which servers each entry, and each file, reaches (current and staged).
fn servers_reached<'a>(cx: &crate::rules::Context<'a>) -> Reach<'a> {
    let mut by_entry: BTreeMap<EntryId, BTreeSet<Server>> = BTreeMap::new();
    let mut by_file: HashMap<&std::path::Path, BTreeSet<Server>> = HashMap::new();
    for sp in &cx.plan.servers {
        for id in sp.current.values().chain(sp.staged.values()) {
            let server = (sp.topo, sp.pool, sp.server);
            by_entry.entry(*id).or_default().insert(server);
            if let Some(f) = &cx.entry(*id).file {
                by_file
                    .entry(f.resolved.as_path())
                    .or_default()
                    .insert(server);
            }
        }
    }
    (by_entry, by_file)
}
