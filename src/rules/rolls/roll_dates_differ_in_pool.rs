//! R005: the servers of one pool stage the new A/V certificate with different effective dates,
//! or some of them stage none: every member must have it by the earliest effective date (H5).

use crate::derive::{pool_servers, EntryId};
use crate::model::topology::Use;
use crate::rules::rolls::duration;
use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    RollDatesDifferInPool {
        code: "R005",
        name: "roll-dates-differ-in-pool",
        severity: Error,
        summary: "servers of one pool stage the new A/V certificate with different effective dates, or some lack it",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            for (pi, pool) in t.edge_pools.iter().enumerate() {
                // Per server: its staged A/V entry, if any.
                let staged: Vec<(usize, Option<EntryId>)> = pool_servers(cx.plan, ti, pi)
                    .map(|sp| {
                        (
                            sp.server,
                            sp.staged.get(&Use::AudioVideoAuthentication).copied(),
                        )
                    })
                    .collect();
                // Distinct entries with their servers, in first-use order.
                let mut entries: Vec<(EntryId, Vec<usize>)> = Vec::new();
                for &(server, id) in &staged {
                    let Some(id) = id else { continue };
                    match entries.iter_mut().find(|(e, _)| *e == id) {
                        Some((_, servers)) => servers.push(server),
                        None => entries.push((id, vec![server])),
                    }
                }
                let date_of = |id: EntryId| cx.entry(id).roll.as_ref().map(|r| &r.effective_date);
                let Some((first, first_servers)) = entries
                    .iter()
                    .filter(|(id, _)| date_of(*id).is_some())
                    .min_by_key(|(id, _)| date_of(*id).map(|d| d.value))
                else {
                    continue;
                };
                let Some(earliest) = date_of(*first) else {
                    continue;
                };
                let server_names = |servers: &[usize]| {
                    servers
                        .iter()
                        .map(|&s| pool.servers[s].fqdn.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let earliest_note = format!(
                    "earliest effective date in the pool ({})",
                    server_names(first_servers)
                );
                for (id, servers) in &entries {
                    let Some(d) = date_of(*id) else { continue };
                    if d.value == earliest.value {
                        continue;
                    }
                    let (plural, verb) = if servers.len() == 1 {
                        ("", "stages")
                    } else {
                        ("s", "stage")
                    };
                    out.push(
                        META.diag(
                            cx.at(ti, &d.span),
                            format!(
                                "server{plural} {} of pool {} {verb} the new A/V certificate effective {}, {} later than server{} {} ({})",
                                server_names(servers),
                                pool.name.value,
                                date(d.value),
                                duration(d.value - earliest.value),
                                if first_servers.len() == 1 { "" } else { "s" },
                                server_names(first_servers),
                                date(earliest.value),
                            ),
                        )
                        .label("a later effective date")
                        .related(cx.at(ti, &earliest.span), earliest_note.clone())
                        .help(format!(
                            "stage the new AudioVideoAuthentication certificate on every Edge Server of the pool with the same effective date, {}",
                            date(earliest.value)
                        )),
                    );
                }
                for &(server, id) in &staged {
                    if id.is_some() {
                        continue;
                    }
                    let fqdn = &pool.servers[server].fqdn;
                    out.push(
                        META.diag(
                            cx.at(ti, &fqdn.span),
                            format!(
                                "server {} of pool {} stages no new A/V certificate, while server{} {} stage{} one effective {}",
                                fqdn.value,
                                pool.name.value,
                                if first_servers.len() == 1 { "" } else { "s" },
                                server_names(first_servers),
                                if first_servers.len() == 1 { "s" } else { "" },
                                date(earliest.value),
                            ),
                        )
                        .label("no staged AudioVideoAuthentication certificate")
                        .related(cx.at(ti, &earliest.span), earliest_note.clone())
                        .help(format!(
                            "import the new AudioVideoAuthentication certificate on this server too and stage it with `roll:` effective {} (or stage it at pool level)",
                            date(earliest.value)
                        )),
                    );
                }
            }
        }
    }
}
