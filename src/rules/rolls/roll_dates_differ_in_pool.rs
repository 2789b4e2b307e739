//! R005: the servers of one pool stage the new A/V certificate with different effective dates,
//! or some of them stage none: every member must have it by the earliest effective date
//! ("Staging AV and OAuth certificates in Lync Server 2013 using -Roll in Set-CsCertificate").

use crate::derive::{pool_servers, EntryId};
use crate::model::topology::{Pool, Sp, Use};
use crate::rules::rolls::duration;
use crate::rules::validity::date;
use crate::rules::{Context, DiagnosticExt, Findings};

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
                if let Some(stages) = Stages::of(cx, ti, pi, pool) {
                    stages.later_dates(cx, out);
                    stages.missing(cx, out);
                }
            }
        }
    }
}

/// The staged A/V certificates of one pool.
struct Stages<'a> {
    ti: usize,
    pool: &'a Pool,
    /// Per server: its staged A/V entry, if any.
    staged: Vec<(usize, Option<EntryId>)>,
    /// Distinct entries with their servers, in first-use order.
    entries: Vec<(EntryId, Vec<usize>)>,
    /// The servers of the earliest effective date, and that date.
    first_servers: Vec<usize>,
    earliest: &'a Sp<time::OffsetDateTime>,
}

impl<'a> Stages<'a> {
    fn of(cx: &Context<'a>, ti: usize, pi: usize, pool: &'a Pool) -> Option<Stages<'a>> {
        let staged: Vec<(usize, Option<EntryId>)> = pool_servers(cx.plan, ti, pi)
            .map(|sp| {
                (
                    sp.server,
                    sp.staged.get(&Use::AudioVideoAuthentication).copied(),
                )
            })
            .collect();
        let mut entries: Vec<(EntryId, Vec<usize>)> = Vec::new();
        for &(server, id) in &staged {
            let Some(id) = id else { continue };
            match entries.iter_mut().find(|(e, _)| *e == id) {
                Some((_, servers)) => servers.push(server),
                None => entries.push((id, vec![server])),
            }
        }
        let date_of = |id: EntryId| cx.entry(id).roll.as_ref().map(|r| &r.effective_date);
        let (first, first_servers) = entries
            .iter()
            .filter(|(id, _)| date_of(*id).is_some())
            .min_by_key(|(id, _)| date_of(*id).map(|d| d.value))?;
        let earliest = date_of(*first)?;
        let first_servers = first_servers.clone();
        Some(Stages {
            ti,
            pool,
            staged,
            entries,
            first_servers,
            earliest,
        })
    }

    fn names(&self, servers: &[usize]) -> String {
        servers
            .iter()
            .map(|&s| self.pool.servers[s].fqdn.value.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn earliest_note(&self) -> String {
        format!(
            "earliest effective date in the pool ({})",
            self.names(&self.first_servers)
        )
    }

    /// Servers whose staged certificate takes effect later than the earliest.
    fn later_dates(&self, cx: &Context<'_>, out: &mut Findings) {
        let earliest = self.earliest;
        let firsts = &self.first_servers;
        for (id, servers) in &self.entries {
            let Some(d) = cx.entry(*id).roll.as_ref().map(|r| &r.effective_date) else {
                continue;
            };
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
                    cx.at(self.ti, &d.span),
                    format!(
                        "server{plural} {} of pool {} {verb} the new A/V certificate effective {}, {} later than server{} {} ({})",
                        self.names(servers),
                        self.pool.name.value,
                        date(d.value),
                        duration(d.value - earliest.value),
                        if firsts.len() == 1 { "" } else { "s" },
                        self.names(firsts),
                        date(earliest.value),
                    ),
                )
                .label("a later effective date")
                .related(cx.at(self.ti, &earliest.span), self.earliest_note())
                .help(format!(
                    "stage the new AudioVideoAuthentication certificate on every Edge Server of the pool with the same effective date, {}",
                    date(earliest.value)
                )),
            );
        }
    }

    /// Servers that stage no new A/V certificate while others do.
    fn missing(&self, cx: &Context<'_>, out: &mut Findings) {
        let firsts = &self.first_servers;
        for &(server, id) in &self.staged {
            if id.is_some() {
                continue;
            }
            let fqdn = &self.pool.servers[server].fqdn;
            out.push(
                META.diag(
                    cx.at(self.ti, &fqdn.span),
                    format!(
                        "server {} of pool {} stages no new A/V certificate, while server{} {} stage{} one effective {}",
                        fqdn.value,
                        self.pool.name.value,
                        if firsts.len() == 1 { "" } else { "s" },
                        self.names(firsts),
                        if firsts.len() == 1 { "s" } else { "" },
                        date(self.earliest.value),
                    ),
                )
                .label("no staged AudioVideoAuthentication certificate")
                .related(cx.at(self.ti, &self.earliest.span), self.earliest_note())
                .help(format!(
                    "import the new AudioVideoAuthentication certificate on this server too and stage it with `roll:` effective {} (or stage it at pool level)",
                    date(self.earliest.value)
                )),
            );
        }
    }
}
