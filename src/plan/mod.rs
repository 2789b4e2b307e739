//! `edgelint plan`: the certificates each topology needs, per pool and role, with what the
//! repository has for each (current and staged assignments, judged by the findings of the
//! run), and its renderings: a terminal table, JSON, Markdown, request files, an SVG timeline
//! and an HTML report. The names come from `derive::needs` and the commands from
//! `fix::CertificateRequest`: the plan decides nothing about either.

pub mod build;
pub mod emit;
pub mod html;
pub mod json;
pub mod markdown;
pub mod svg;
pub mod table;

use time::{Duration, OffsetDateTime};

use crate::diagnostic::Severity;
use crate::fix::CertificateRequest;

/// `edgelint plan --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    Human,
    Json,
    Markdown,
}

/// What the repository has for a needed certificate, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Ok,
    /// A finding at or above the failing severity is at its entry or in its files, or the
    /// server lacks some of the certificate's uses.
    Defective,
    /// No current certificate for any of the role's uses.
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Defective => "defective",
            Status::Missing => "missing",
        }
    }
}

/// A finding about an assignment (its entry or its files), any severity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    pub code: String,
    pub severity: Severity,
    pub message: String,
}

/// One certificate file assigned on some servers of a pool (or to the reverse proxy), as
/// current or staged certificate; `file` is `None` for "nothing assigned".
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// As written in the topology (relative to its folder).
    pub file: Option<String>,
    pub sha256: Option<String>,
    pub not_before: Option<OffsetDateTime>,
    pub not_after: Option<OffsetDateTime>,
    /// Staged assignments: when `Set-CsCertificate -Roll` makes it the one in use.
    pub effective_date: Option<OffsetDateTime>,
    pub status: Status,
    /// Codes of the findings at or above the failing severity, sorted, each once.
    pub codes: Vec<String>,
    /// Every finding, for the report and the timeline's colours.
    pub findings: Vec<Finding>,
    /// Uses of the certificate the servers have no current certificate for at all (P001).
    pub lacking: Vec<&'static str>,
    /// The servers that have it, in file order (empty for the reverse proxy).
    pub servers: Vec<String>,
}

impl Assignment {
    pub fn worst_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

/// A certificate a pool (or the reverse proxy) needs, and what the repository has for it.
#[derive(Debug, Clone)]
pub struct Need {
    /// `None` for the reverse proxy.
    pub pool: Option<String>,
    pub request: CertificateRequest,
    /// Where it is installed: every server of the pool, the same certificate and key on each.
    pub servers: Vec<String>,
    /// What most servers have (on a tie, the first server's).
    pub current: Assignment,
    /// What the other servers have, one entry per distinct file (or nothing).
    pub differs: Vec<Assignment>,
    pub staged: Vec<Assignment>,
    /// The A/V token lifetime, when the certificate serves AudioVideoAuthentication.
    pub token_lifetime: Option<Duration>,
    /// When a replacement should take over with `Set-CsCertificate -Roll`: the current
    /// certificate's expiry minus the lead time its uses need (R003), when that is still ahead.
    pub roll_at: Option<OffsetDateTime>,
}

impl Need {
    /// Every assignment: current, the servers that differ, staged.
    pub fn assignments(&self) -> impl Iterator<Item = &Assignment> {
        std::iter::once(&self.current)
            .chain(&self.differs)
            .chain(&self.staged)
    }

    /// The worst status of any assignment.
    pub fn status(&self) -> Status {
        self.assignments()
            .map(|a| a.status)
            .max()
            .unwrap_or(Status::Ok)
    }

    /// The failing codes of every assignment, sorted, each once.
    pub fn codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self.assignments().flat_map(|a| a.codes.clone()).collect();
        codes.sort();
        codes.dedup();
        codes
    }

    pub fn role(&self) -> &'static str {
        self.request.role.as_str()
    }
}

/// The needs of one topology file.
#[derive(Debug, Clone)]
pub struct TopologyPlan {
    /// The topology file, relative to the working folder.
    pub topology: String,
    pub deployment: Option<String>,
    /// Pools in file order (each pool's roles in the order external, av, internal, oauth),
    /// then the reverse proxy.
    pub needs: Vec<Need>,
}

impl TopologyPlan {
    /// The pools, in order, each with its needs (`None`: the reverse proxy).
    pub fn groups(&self) -> Vec<(Option<&str>, Vec<&Need>)> {
        let mut out: Vec<(Option<&str>, Vec<&Need>)> = Vec::new();
        for need in &self.needs {
            match out.last_mut() {
                Some((pool, list)) if *pool == need.pool.as_deref() => list.push(need),
                _ => out.push((need.pool.as_deref(), vec![need])),
            }
        }
        out
    }
}

/// The plan of a run.
#[derive(Debug, Clone)]
pub struct CertificatePlan {
    pub topologies: Vec<TopologyPlan>,
    /// Topology files with errors (T001) that could not be planned.
    pub unplanned: Vec<String>,
    pub now: OffsetDateTime,
    /// V003's window, drawn on the timeline.
    pub expiry_warning_days: i64,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub needed: usize,
    pub ok: usize,
    pub defective: usize,
    pub missing: usize,
}

impl CertificatePlan {
    pub fn needs(&self) -> impl Iterator<Item = &Need> {
        self.topologies.iter().flat_map(|t| &t.needs)
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for need in self.needs() {
            s.needed += 1;
            match need.status() {
                Status::Ok => s.ok += 1,
                Status::Defective => s.defective += 1,
                Status::Missing => s.missing += 1,
            }
        }
        s
    }

    /// Does the plan fail the run: a certificate missing or defective, or a topology that
    /// could not be planned?
    pub fn fails(&self) -> bool {
        !self.unplanned.is_empty() || self.needs().any(|n| n.status() != Status::Ok)
    }
}

pub fn render(format: PlanFormat, plan: &CertificatePlan) -> String {
    match format {
        PlanFormat::Human => table::render(plan),
        PlanFormat::Json => json::render(plan),
        PlanFormat::Markdown => markdown::render(plan),
    }
}

/// `2027-06-30` (UTC), or with the time when it is not midnight (`2027-03-01 06:00 UTC`).
pub fn day(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    let date = format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day());
    if t.hour() == 0 && t.minute() == 0 {
        date
    } else {
        format!("{date} {:02}:{:02} UTC", t.hour(), t.minute())
    }
}

/// The first 16 hex digits of a fingerprint, for tables (JSON has it whole).
pub fn short_sha(sha: &str) -> String {
    format!("{}…", &sha[..sha.len().min(16)])
}
