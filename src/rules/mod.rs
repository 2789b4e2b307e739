//! derive → **check**: the rule registry, selection, and the context rules read.
//! Rules see the model, never the file system.

mod authority;
mod av_expiry_without_roll;
mod certificate_expired;
mod certificate_expiring_soon;
mod certificate_not_yet_valid;
mod certificate_unreadable;
mod chain_incomplete;
mod client_auth_eku_missing;
mod cng_key_provider;
mod crypto;
mod duplicate_server;
mod external_not_public_ca;
mod file_not_found;
mod internal_ca_untrusted;
mod internal_subject_not_pool;
mod invalid_fqdn;
mod load_balancer_nat;
mod multiple_federation_pools;
pub mod names;
mod non_rsa_key;
pub mod pack;
mod pkcs12_password;
mod pool_av_certificate_differs;
mod pool_certificates;
mod pool_external_certificate_differs;
mod pool_internal_certificate_differs;
mod pool_too_large;
mod private_key_mismatch;
mod private_key_missing;
mod private_key_not_exportable;
mod reverse_proxy_san_missing;
mod roll_after_expiry;
mod roll_dates_differ_in_pool;
mod roll_lead_time_short;
mod roll_not_valid_at_effective_date;
mod roll_unsupported_use;
mod rolls;
mod rsa_key_size_unsupported;
mod rsa_key_too_small;
mod san_missing_access_edge;
mod san_missing_av_edge;
mod san_missing_sip_domain;
mod san_missing_web_conferencing_edge;
mod san_missing_xmpp_domain;
mod san_missing_xmpp_srv_target;
mod secret_in_topology;
mod server_auth_eku_missing;
mod subject_not_access_edge;
mod subject_not_in_san;
pub mod template;
mod topology_invalid;
mod unencrypted_private_key;
mod unknown_code;
mod unused_suppression;
mod use_unassigned;
pub mod validity;
mod weak_signature;
mod wildcard_san;
mod wildcard_subject;
mod xmpp_unsupported_version;

/// Documentation pages and built-in rule files, embedded at build time (build.rs).
pub mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Where a rule's documentation page is published: `{DOCS_URL}{CODE}.md`.
pub const DOCS_URL: &str = "https://github.com/edgelint/edgelint/blob/main/rules/docs/";

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
    fn check(&self, cx: &Context<'_>, out: &mut Findings);
}

/// At most this many findings of one rule per file are reported; one more finding says how
/// many were left out. A hostile file (500,000 broken PEM blocks, 50,000 duplicate keys) then
/// costs bounded memory and output, and a real one loses nothing a user would read.
pub const MAX_FINDINGS_PER_FILE: usize = 50;

/// Where a rule puts its findings: every finding past the per-file limit is counted, not kept.
#[derive(Default)]
pub struct Findings {
    kept: Vec<Diagnostic>,
    per_file: std::collections::HashMap<Arc<str>, usize>,
    /// Per file: how many were left out, the first one's place and the worst severity.
    dropped: Vec<(Arc<str>, usize, Diagnostic)>,
}

impl Findings {
    pub fn push(&mut self, d: Diagnostic) {
        let n = self.per_file.entry(d.location.file.clone()).or_default();
        *n += 1;
        if *n <= MAX_FINDINGS_PER_FILE {
            self.kept.push(d);
            return;
        }
        match self
            .dropped
            .iter_mut()
            .find(|(f, _, _)| *f == d.location.file)
        {
            Some((_, count, first)) => {
                *count += 1;
                first.severity = first.severity.max(d.severity);
            }
            None => self.dropped.push((d.location.file.clone(), 1, d)),
        }
    }

    /// The kept findings, and one summary per file that had more.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        for (_, count, first) in self.dropped {
            let plural = if count == 1 { "" } else { "s" };
            self.kept.push(Diagnostic {
                message: format!(
                    "{count} more {code} finding{plural} in this file not shown: edgelint reports at most {MAX_FINDINGS_PER_FILE} findings of one rule per file",
                    code = first.code
                ),
                label: Some("and more like this".into()),
                help: Some("fix the findings shown and run again".into()),
                related: Vec::new(),
                fix: None,
                ..first
            });
        }
        self.kept
    }
}

/// The built-in rules written in Rust. Registering a rule is adding it here; rules that
/// instantiate a check template are files under `rules/builtin/` instead.
fn rust_rules() -> &'static [&'static dyn Rule] {
    &[
        &topology_invalid::TopologyInvalid,
        &file_not_found::FileNotFound,
        &certificate_unreadable::CertificateUnreadable,
        &pkcs12_password::Pkcs12Password,
        &secret_in_topology::SecretInTopology,
        &invalid_fqdn::InvalidFqdn,
        &duplicate_server::DuplicateServer,
        &xmpp_unsupported_version::XmppUnsupportedVersion,
        &load_balancer_nat::LoadBalancerNat,
        &pool_too_large::PoolTooLarge,
        &multiple_federation_pools::MultipleFederationPools,
        &san_missing_access_edge::SanMissingAccessEdge,
        &san_missing_web_conferencing_edge::SanMissingWebConferencingEdge,
        &san_missing_sip_domain::SanMissingSipDomain,
        &san_missing_av_edge::SanMissingAvEdge,
        &subject_not_in_san::SubjectNotInSan,
        &subject_not_access_edge::SubjectNotAccessEdge,
        &wildcard_subject::WildcardSubject,
        &wildcard_san::WildcardSan,
        &san_missing_xmpp_domain::SanMissingXmppDomain,
        &san_missing_xmpp_srv_target::SanMissingXmppSrvTarget,
        &internal_subject_not_pool::InternalSubjectNotPool,
        &private_key_missing::PrivateKeyMissing,
        &private_key_mismatch::PrivateKeyMismatch,
        &private_key_not_exportable::PrivateKeyNotExportable,
        &cng_key_provider::CngKeyProvider,
        &unencrypted_private_key::UnencryptedPrivateKey,
        &rsa_key_too_small::RsaKeyTooSmall,
        &rsa_key_size_unsupported::RsaKeySizeUnsupported,
        &non_rsa_key::NonRsaKey,
        &weak_signature::WeakSignature,
        &server_auth_eku_missing::ServerAuthEkuMissing,
        &client_auth_eku_missing::ClientAuthEkuMissing,
        &external_not_public_ca::ExternalNotPublicCa,
        &chain_incomplete::ChainIncomplete,
        &internal_ca_untrusted::InternalCaUntrusted,
        &certificate_expired::CertificateExpired,
        &certificate_not_yet_valid::CertificateNotYetValid,
        &certificate_expiring_soon::CertificateExpiringSoon,
        &use_unassigned::UseUnassigned,
        &pool_av_certificate_differs::PoolAvCertificateDiffers,
        &pool_external_certificate_differs::PoolExternalCertificateDiffers,
        &pool_internal_certificate_differs::PoolInternalCertificateDiffers,
        &roll_unsupported_use::RollUnsupportedUse,
        &roll_after_expiry::RollAfterExpiry,
        &roll_lead_time_short::RollLeadTimeShort,
        &roll_not_valid_at_effective_date::RollNotValidAtEffectiveDate,
        &roll_dates_differ_in_pool::RollDatesDifferInPool,
        &av_expiry_without_roll::AvExpiryWithoutRoll,
        &reverse_proxy_san_missing::ReverseProxySanMissing,
        &unused_suppression::UnusedSuppression,
        &unknown_code::UnknownCode,
    ]
}

/// Every built-in rule: the Rust ones and the embedded rule files, in code order.
pub fn registry() -> &'static [&'static dyn Rule] {
    static REGISTRY: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all: Vec<&'static dyn Rule> = rust_rules().to_vec();
        for (name, text) in embedded::BUILTIN_RULE_FILES {
            // The embedded files are checked by the test suite; a broken one is skipped.
            match pack::parse(text, &format!("rules/builtin/{name}.yaml"), true) {
                Ok(rules) => all.extend(
                    rules
                        .into_iter()
                        .map(|r| &*Box::leak(Box::new(r)) as &'static dyn Rule),
                ),
                Err(errors) => errors
                    .iter()
                    .for_each(|e| eprintln!("edgelint: internal error: {e}")),
            }
        }
        all.sort_by_key(|r| code_order(r.meta().code));
        all
    })
}

/// Catalog order: families as rules.md lists them, then codes.
fn code_order(code: &str) -> (usize, &str) {
    const FAMILIES: &str = "TNKCAVPRWEX";
    let family = code
        .chars()
        .next()
        .and_then(|c| FAMILIES.find(c))
        .unwrap_or(FAMILIES.len());
    (family, code)
}

pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    registry()
        .iter()
        .copied()
        .find(|r| r.meta().code.eq_ignore_ascii_case(code_or_name) || r.meta().name == code_or_name)
}

/// A selector (command line, configuration or suppression) that names no rule of the run.
#[derive(Debug, Clone)]
pub struct UnknownSelector {
    pub location: Location,
    pub text: String,
    /// The closest rule code or name, for "did you mean".
    pub suggestion: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub now: OffsetDateTime,
    pub expiry_warning_days: i64,
    /// Selectors that name no rule (E002).
    pub unknown_selectors: Vec<UnknownSelector>,
}

pub struct Context<'a> {
    pub repo: &'a Repository,
    pub plan: &'a Plan,
    pub settings: &'a Settings,
    /// Views several rules share, computed once.
    certificates: OnceLock<Vec<validity::CertRef<'a>>>,
    name_targets: OnceLock<Vec<names::NameTarget<'a>>>,
    chain_targets: OnceLock<Vec<authority::ChainTarget<'a>>>,
    template_targets: OnceLock<Vec<template::Target<'a>>>,
    crypto_leaves: OnceLock<Vec<crypto::LeafRef<'a>>>,
    crypto_requests: OnceLock<Vec<crypto::RequestRef<'a>>>,
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
            fix: None,
        }
    }
}

/// Builder helpers on the diagnostics rules make.
pub trait DiagnosticExt {
    fn severity(self, s: Severity) -> Self;
    fn label(self, l: impl Into<String>) -> Self;
    fn help(self, h: impl Into<String>) -> Self;
    fn related(self, location: Location, message: impl Into<String>) -> Self;
    /// The structured fix; its text is appended to the help.
    fn fix(self, fix: crate::fix::Fix) -> Self;
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
    fn fix(mut self, fix: crate::fix::Fix) -> Self {
        let text = fix.help_text();
        self.help = Some(match self.help.take() {
            Some(h) if !h.is_empty() => format!("{h}\n{text}"),
            _ => text,
        });
        self.fix = Some(Box::new(fix));
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
            chain_targets: OnceLock::new(),
            template_targets: OnceLock::new(),
            crypto_leaves: OnceLock::new(),
            crypto_requests: OnceLock::new(),
        }
    }

    /// Every certificate of every file, located (the V rules).
    pub fn certificates(&self) -> &[validity::CertRef<'a>] {
        self.certificates
            .get_or_init(|| validity::certificates(self))
    }

    /// Every referenced leaf with the end of its chain (the A rules).
    pub fn chain_targets(&self) -> &[authority::ChainTarget<'a>] {
        self.chain_targets
            .get_or_init(|| authority::chain_targets(self))
    }

    /// Every leaf the C and K rules judge, referenced or not.
    pub fn crypto_leaves(&self) -> &[crypto::LeafRef<'a>] {
        self.crypto_leaves.get_or_init(|| crypto::all_leaves(self))
    }

    /// Every request an entry names, once per file.
    pub fn crypto_requests(&self) -> &[crypto::RequestRef<'a>] {
        self.crypto_requests
            .get_or_init(|| crypto::all_requests(self))
    }

    /// Every certificate and request a template rule may judge.
    pub fn template_targets(&self) -> &[template::Target<'a>] {
        self.template_targets
            .get_or_init(|| template::targets(self))
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
        let mut found = Findings::default();
        rule.check(cx, &mut found);
        out.extend(found.finish());
    }
    for d in &mut out {
        d.message = elide(&escape_controls(&d.message, false), MAX_MESSAGE_CHARS);
        d.help = d.help.as_deref().map(|h| escape_controls(h, true));
        d.label = d
            .label
            .as_deref()
            .map(|l| elide(&escape_controls(l, false), MAX_LABEL_CHARS));
        for r in &mut d.related {
            r.message = escape_controls(&r.message, false);
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

pub use crate::source::escape_controls;

/// A message quoting a name from a hostile file (a 66,000-character FQDN) stays readable.
const MAX_MESSAGE_CHARS: usize = 1000;
const MAX_LABEL_CHARS: usize = 200;

/// The text, or its start and end around `…` when it is longer than `max` characters.
fn elide(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_string();
    }
    let head: String = text.chars().take(max * 2 / 3).collect();
    let tail: String = text.chars().skip(count - max / 3 + 1).collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rule_files_are_valid() {
        for (name, text) in embedded::BUILTIN_RULE_FILES {
            if let Err(e) = pack::parse(text, name, true) {
                panic!("rules/builtin/{name}.yaml: {e:?}");
            }
        }
    }
}
