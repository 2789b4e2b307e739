//! The plan, built from a run's model and findings: per topology, per pool and role, the
//! certificate `derive::needs` asks for, and per server what the topology assigns for its uses
//! (server entries replace pool entries, use by use, as `derive` works out). An assignment is
//! `defective` when a finding at or above the failing severity lies in its entry (the `file:`
//! value, `exportable:`, `roll:` ...) or in its certificate or key file.

use std::path::Path;

use time::OffsetDateTime;

use super::{Assignment, CertificatePlan, Finding, Need, Status, TopologyPlan};
use crate::derive::{self, needs, EntryId, Scope};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{CertificateRequest, Role};
use crate::model::topology::{CertEntry, Pool, Topology, TopologyFile, Use};
use crate::model::Repository;
use crate::rules::rolls::{is_rollable, required_lead, token_lifetime};

/// What a plan is built from: the model and the findings of `check`'s pipeline.
pub struct Inputs<'a> {
    pub repo: &'a Repository,
    /// The reported findings (after suppressions, ignores and the baseline).
    pub diagnostics: &'a [Diagnostic],
    /// The failing severity (`--fail-on`); `None` for `never`.
    pub threshold: Option<Severity>,
    pub now: OffsetDateTime,
    pub expiry_warning_days: i64,
}

pub fn build(inputs: &Inputs<'_>) -> CertificatePlan {
    let derived = derive::Plan::build(inputs.repo);
    let mut plan = CertificatePlan {
        topologies: Vec::new(),
        unplanned: Vec::new(),
        now: inputs.now,
        expiry_warning_days: inputs.expiry_warning_days,
    };
    for (topo, tf) in inputs.repo.topologies.iter().enumerate() {
        let Some(t) = &tf.topology else {
            plan.unplanned.push(tf.display.to_string());
            continue;
        };
        let cx = Cx {
            inputs,
            derived: &derived,
            topo,
            tf,
            t,
        };
        plan.topologies.push(cx.topology_plan());
    }
    plan
}

/// One topology being planned.
struct Cx<'a> {
    inputs: &'a Inputs<'a>,
    derived: &'a derive::Plan,
    topo: usize,
    tf: &'a TopologyFile,
    t: &'a Topology,
}

impl Cx<'_> {
    fn topology_plan(&self) -> TopologyPlan {
        let mut needs = Vec::new();
        for (pool, p) in self.t.edge_pools.iter().enumerate() {
            for request in needs::pool_requests(self.t, p) {
                needs.push(self.pool_need(pool, request));
            }
        }
        if let Some(rp) = &self.t.reverse_proxy {
            needs.push(self.reverse_proxy_need(needs::reverse_proxy_request(self.t, rp)));
        }
        TopologyPlan {
            topology: self.tf.display.to_string(),
            deployment: self.t.deployment.as_ref().map(|d| d.value.clone()),
            needs,
        }
    }

    fn pool_need(&self, pool: usize, mut request: CertificateRequest) -> Need {
        let p = &self.t.edge_pools[pool];
        let uses: Vec<Use> = request.uses.iter().filter_map(|n| Use::parse(n)).collect();
        request.file_stem = self.file_stem(Some(&p.name.value), request.role);
        let mut current: Vec<Assignment> = Vec::new();
        let mut staged: Vec<Assignment> = Vec::new();
        for sp in derive::pool_servers(self.derived, self.topo, pool) {
            let server = &p.servers[sp.server].fqdn.value;
            let assigned = match uses.iter().find_map(|u| sp.current.get(u)) {
                Some(&id) => {
                    let lacking = uses
                        .iter()
                        .filter(|u| !sp.current.contains_key(u))
                        .map(|u| u.name())
                        .collect();
                    self.assignment(id, lacking)
                }
                None => missing(),
            };
            merge(&mut current, assigned, server);
            let mut ids: Vec<EntryId> = uses
                .iter()
                .filter_map(|u| sp.staged.get(u))
                .copied()
                .collect();
            ids.sort();
            ids.dedup();
            for id in ids {
                merge(&mut staged, self.assignment(id, Vec::new()), server);
            }
        }
        let (current, differs) = majority(current);
        let roll_at = roll_at(&uses, p, &current, self.inputs.now);
        Need {
            pool: Some(p.name.value.clone()),
            servers: p.servers.iter().map(|s| s.fqdn.value.clone()).collect(),
            token_lifetime: uses
                .contains(&Use::AudioVideoAuthentication)
                .then(|| token_lifetime(p)),
            request,
            current,
            differs,
            staged,
            roll_at,
        }
    }

    fn reverse_proxy_need(&self, mut request: CertificateRequest) -> Need {
        request.file_stem = self.file_stem(None, request.role);
        let has_file = self
            .t
            .reverse_proxy
            .as_ref()
            .and_then(|rp| rp.certificate.as_ref())
            .is_some_and(|e| e.file.is_some());
        let current = if has_file {
            let id = EntryId {
                topo: self.topo,
                scope: Scope::ReverseProxy,
                index: 0,
            };
            self.assignment(id, Vec::new())
        } else {
            missing()
        };
        Need {
            pool: None,
            request,
            servers: Vec::new(),
            current,
            differs: Vec::new(),
            staged: Vec::new(),
            token_lifetime: None,
            roll_at: None,
        }
    }

    /// What an entry assigns: its file, the leaf's fingerprint and dates, and its findings.
    fn assignment(&self, id: EntryId, lacking: Vec<&'static str>) -> Assignment {
        let entry = derive::entry_in(self.t, id);
        let leaf = derive::material(self.inputs.repo, entry).leaf();
        let findings = self.findings_of(entry);
        let mut codes: Vec<String> = findings
            .iter()
            .filter(|f| self.inputs.threshold.is_some_and(|t| f.severity >= t))
            .map(|f| f.code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        // A file named but not there yet (T002) is a certificate still to request.
        let status = if leaf.is_none() && codes.iter().any(|c| c == "T002") {
            Status::Missing
        } else if codes.is_empty() && lacking.is_empty() {
            Status::Ok
        } else {
            Status::Defective
        };
        Assignment {
            file: entry.file.as_ref().map(|f| f.written.value.clone()),
            sha256: leaf.map(|c| c.sha256()),
            not_before: leaf.map(|c| c.not_before),
            not_after: leaf.map(|c| c.not_after),
            effective_date: entry.roll.as_ref().map(|r| r.effective_date.value),
            status,
            codes,
            findings,
            lacking,
            servers: Vec::new(),
        }
    }

    /// The findings located in the entry's span, or in its certificate or key file.
    fn findings_of(&self, entry: &CertEntry) -> Vec<Finding> {
        let files: Vec<&str> = [&entry.file, &entry.key]
            .into_iter()
            .flatten()
            .filter_map(|p| self.inputs.repo.file(&p.resolved))
            .map(|f| &*f.display)
            .collect();
        let in_entry = |d: &Diagnostic| {
            *d.location.file == *self.tf.display
                && d.location
                    .bytes
                    .as_ref()
                    .is_some_and(|b| b.start >= entry.span.start && b.end <= entry.span.end)
        };
        let mut out: Vec<Finding> = self
            .inputs
            .diagnostics
            .iter()
            .filter(|d| in_entry(d) || files.contains(&&*d.location.file))
            .map(|d| Finding {
                code: d.code.to_string(),
                severity: d.severity,
                message: d.message.clone(),
            })
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// `<deployment>-<pool>-<role>` (the topology file's name when it has no deployment),
    /// with every character a file name should not have replaced.
    fn file_stem(&self, pool: Option<&str>, role: Role) -> String {
        let prefix = match &self.t.deployment {
            Some(d) => d.value.clone(),
            None => Path::new(&self.tf.path)
                .file_stem()
                .map_or("topology".into(), |s| s.to_string_lossy().into_owned()),
        };
        let mut parts = vec![file_name_part(&prefix)];
        parts.extend(pool.map(file_name_part));
        parts.push(role.as_str().to_string());
        parts.join("-")
    }
}

/// Nothing assigned.
fn missing() -> Assignment {
    Assignment {
        file: None,
        sha256: None,
        not_before: None,
        not_after: None,
        effective_date: None,
        status: Status::Missing,
        codes: Vec::new(),
        findings: Vec::new(),
        lacking: Vec::new(),
        servers: Vec::new(),
    }
}

/// Add a server's assignment to the group of servers that have the same file (and
/// fingerprint and effective date), or start a group.
fn merge(groups: &mut Vec<Assignment>, a: Assignment, server: &str) {
    let same = |g: &Assignment| {
        g.file == a.file && g.sha256 == a.sha256 && g.effective_date == a.effective_date
    };
    let Some(g) = groups.iter_mut().find(|g| same(g)) else {
        let mut a = a;
        a.servers.push(server.to_string());
        groups.push(a);
        return;
    };
    g.servers.push(server.to_string());
    g.status = g.status.max(a.status);
    for code in a.codes {
        if !g.codes.contains(&code) {
            g.codes.push(code);
        }
    }
    g.codes.sort();
    for f in a.findings {
        if !g.findings.contains(&f) {
            g.findings.push(f);
        }
    }
    g.findings.sort();
    for u in a.lacking {
        if !g.lacking.contains(&u) {
            g.lacking.push(u);
        }
    }
}

/// The group most servers share (the first on a tie) and the others, in order.
fn majority(mut groups: Vec<Assignment>) -> (Assignment, Vec<Assignment>) {
    let mut best = 0;
    for (i, g) in groups.iter().enumerate() {
        if g.servers.len() > groups[best].servers.len() {
            best = i;
        }
    }
    if groups.is_empty() {
        return (missing(), groups);
    }
    let current = groups.remove(best);
    (current, groups)
}

/// When a replacement of a rollable certificate (A/V, OAuth) should take over: the current
/// certificate's expiry minus the longest lead time its uses need (S17: "the current
/// certificate expire time minus token lifetime"), if that is still ahead.
fn roll_at(
    uses: &[Use],
    pool: &Pool,
    current: &Assignment,
    now: OffsetDateTime,
) -> Option<OffsetDateTime> {
    if uses.is_empty() || !uses.iter().all(|&u| is_rollable(u)) {
        return None;
    }
    let lead = uses.iter().map(|&u| required_lead(u, pool)).max()?;
    let at = current.not_after? - lead;
    (at > now).then_some(at)
}

/// A part of an emitted file name: ASCII letters, digits, `-`, `_` and `.`, everything else
/// `_`, no leading dot, at most 64 characters.
fn file_name_part(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(64)
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    if trimmed.is_empty() {
        "_".to_string()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_name_parts_stay_in_their_folder() {
        assert_eq!(file_name_part("contoso-prod"), "contoso-prod");
        assert_eq!(file_name_part("../etc/passwd"), "_etc_passwd");
        assert_eq!(file_name_part(".."), "_");
        assert_eq!(file_name_part("pool a/b"), "pool_a_b");
        assert_eq!(file_name_part(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn the_majority_is_current_and_the_first_wins_a_tie() {
        let with = |file: &str, servers: &[&str]| Assignment {
            file: Some(file.into()),
            servers: servers.iter().map(|s| s.to_string()).collect(),
            ..missing()
        };
        let (current, differs) = majority(vec![with("a", &["s1"]), with("b", &["s2", "s3"])]);
        assert_eq!(current.file.as_deref(), Some("b"));
        assert_eq!(differs.len(), 1);
        let (current, _) = majority(vec![with("a", &["s1"]), with("b", &["s2"])]);
        assert_eq!(current.file.as_deref(), Some("a"));
        assert_eq!(majority(Vec::new()).0.status, Status::Missing);
    }
}
