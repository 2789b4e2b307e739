//! derive → **check**: the rule registry, selection, and the context rules read.
//! Rules see the model, never the file system.

mod certificate_expired;
mod certificate_expiring_soon;
mod certificate_not_yet_valid;
mod certificate_unreadable;
mod file_not_found;
pub mod names;
mod pkcs12_password;
mod private_key_mismatch;
mod private_key_missing;
mod san_missing_access_edge;
mod san_missing_web_conferencing_edge;
mod secret_in_topology;
mod subject_not_in_san;
mod topology_invalid;
mod use_unassigned;
pub mod validity;

/// Documentation pages and built-in rule files, embedded at build time (build.rs).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// The documentation page of a rule (`rules/docs/CODE.md`).
pub fn doc(code: &str) -> Option<&'static str> {
    embedded::DOCS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, text)| *text)
}

use std::ops::Range;
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;

use crate::derive::{EntryId, Plan, Reference};
use crate::diagnostic::{Diagnostic, Location, Related, Severity};
use crate::model::certs::{CertFile, FilePos};
use crate::model::Repository;

/// A rule's identity and documentation, next to its code.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Source ids from requirements.md §0 (`S1`...), `req X`, `conflict C`, `spec`, `security`.
    pub sources: &'static [&'static str],
}

pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>);
}

/// Every built-in rule, in code order. Registering a rule is adding it here.
pub fn registry() -> &'static [&'static dyn Rule] {
    &[
        &topology_invalid::TopologyInvalid,
        &file_not_found::FileNotFound,
        &certificate_unreadable::CertificateUnreadable,
        &pkcs12_password::Pkcs12Password,
        &secret_in_topology::SecretInTopology,
        &san_missing_access_edge::SanMissingAccessEdge,
        &san_missing_web_conferencing_edge::SanMissingWebConferencingEdge,
        &subject_not_in_san::SubjectNotInSan,
        &private_key_missing::PrivateKeyMissing,
        &private_key_mismatch::PrivateKeyMismatch,
        &certificate_expired::CertificateExpired,
        &certificate_not_yet_valid::CertificateNotYetValid,
        &certificate_expiring_soon::CertificateExpiringSoon,
        &use_unassigned::UseUnassigned,
    ]
}

pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

/// Does a selector (code, name, or code prefix such as `N` or `R00`) match a rule?
pub fn selector_matches(selector: &str, meta: &RuleMeta) -> bool {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL") || meta.name == s {
        return true;
    }
    let prefix_form = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s[1..].chars().all(|c| c.is_ascii_digit());
    prefix_form && meta.code.starts_with(&s.to_ascii_uppercase())
}

pub fn selector_is_known(selector: &str) -> bool {
    registry()
        .iter()
        .any(|r| selector_matches(selector, r.meta()))
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub now: OffsetDateTime,
    pub expiry_warning_days: i64,
}

pub struct Context<'a> {
    pub repo: &'a Repository,
    pub plan: &'a Plan,
    pub settings: &'a Settings,
    /// Views several rules share, computed once.
    certificates: OnceLock<Vec<validity::CertRef<'a>>>,
    name_targets: OnceLock<Vec<names::NameTarget<'a>>>,
}

impl RuleMeta {
    pub fn diag(&'static self, location: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code: self.code,
            name: self.name,
            severity: self.severity,
            message: message.into(),
            location,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }
}

/// Builder helpers on the diagnostics rules make.
pub trait DiagnosticExt {
    fn severity(self, s: Severity) -> Self;
    fn label(self, l: impl Into<String>) -> Self;
    fn help(self, h: impl Into<String>) -> Self;
    fn related(self, location: Location, message: impl Into<String>) -> Self;
}

impl DiagnosticExt for Diagnostic {
    fn severity(mut self, s: Severity) -> Self {
        self.severity = s;
        self
    }
    fn label(mut self, l: impl Into<String>) -> Self {
        self.label = Some(l.into());
        self
    }
    fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
    fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            message: message.into(),
        });
        self
    }
}

impl<'a> Context<'a> {
    pub fn new(repo: &'a Repository, plan: &'a Plan, settings: &'a Settings) -> Self {
        Context {
            repo,
            plan,
            settings,
            certificates: OnceLock::new(),
            name_targets: OnceLock::new(),
        }
    }

    /// Every certificate of every file, located (the V rules).
    pub fn certificates(&self) -> &[validity::CertRef<'a>] {
        self.certificates
            .get_or_init(|| validity::certificates(self))
    }

    /// Every certificate and request whose names the N rules judge.
    pub fn name_targets(&self) -> &[names::NameTarget<'a>] {
        self.name_targets.get_or_init(|| names::name_targets(self))
    }

    /// A span of a topology file.
    pub fn at(&self, topo: usize, span: &Range<usize>) -> Location {
        self.repo.topologies[topo].loc(span)
    }

    /// A position in a certificate-like file (its content is never shown).
    pub fn in_file(&self, file: &CertFile, pos: FilePos) -> Location {
        if pos.width == 0 && pos.line == 1 {
            Location::start_of_file(&file.display)
        } else {
            Location::line_of_file(&file.display, pos.line, pos.width)
        }
    }

    pub fn display(&self, path: &std::path::Path) -> Arc<str> {
        match self.repo.file(path) {
            Some(f) => f.display.clone(),
            None => Arc::from(path.to_string_lossy().as_ref()),
        }
    }

    pub fn entry(&self, id: EntryId) -> &'a crate::model::topology::CertEntry {
        let (_, t) = crate::derive::topology_of(self.repo, id.topo);
        crate::derive::entry_in(t, id)
    }

    /// The first topology place naming a file, in file order.
    pub fn first_reference(&self, path: &std::path::Path) -> Option<&'a Reference> {
        self.plan.references.get(path).and_then(|r| r.first())
    }
}

/// Run the selected rules; diagnostics come back sorted by file, line, column and code.
pub fn check(cx: &Context<'_>, selected: &[&'static dyn Rule]) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::new();
    for rule in selected {
        rule.check(cx, &mut out);
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}
