//! derive → **check**: the rule registry, selection, and the context rules read.
//! Rules see the model, never the file system.

/// Declares a rule: its type, its metadata and its check, so that a rule file holds its logic
/// and what it is, nothing else. `check(cx, out)` names the context and the findings sink.
macro_rules! rule {
    (
        $(#[$attr:meta])*
        $ty:ident {
            code: $code:literal,
            name: $name:literal,
            severity: $severity:ident,
            summary: $summary:expr $(,)?
        }
        fn check($cx:ident, $out:ident) $body:block
    ) => {
        $(#[$attr])*
        pub struct $ty;

        static META: $crate::diagnostic::RuleMeta = $crate::diagnostic::RuleMeta {
            code: std::borrow::Cow::Borrowed($code),
            name: std::borrow::Cow::Borrowed($name),
            severity: $crate::diagnostic::Severity::$severity,
            summary: std::borrow::Cow::Borrowed($summary),
        };

        impl $crate::rules::Rule for $ty {
            fn meta(&self) -> &$crate::diagnostic::RuleMeta {
                &META
            }

            fn check(&self, $cx: &$crate::rules::Context<'_>, $out: &mut $crate::rules::Findings)
                $body
        }
    };
}

pub mod authority;
pub mod crypto;
pub mod edgelint;
pub mod keys;
pub mod names;
pub mod pools;
pub mod proxy;
pub mod rolls;
pub mod templates;
pub mod topology;
pub mod validity;

pub use templates::pack;

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

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};
use time::OffsetDateTime;

use crate::derive::{EntryId, EntryMaterial, Material, Plan, Reference};
use crate::diagnostic::{Diagnostic, Location, Related, Severity};
use crate::model::certs::{CertFacts, CertFile, FilePos};
use crate::model::Repository;

pub use crate::diagnostic::RuleMeta;

pub trait Rule: Sync + Send {
    fn meta(&self) -> &RuleMeta;

    /// The rule's documentation page (`edgelint explain`, SARIF help).
    fn page(&self) -> Option<Cow<'_, str>> {
        doc(&self.meta().code).map(Cow::Borrowed)
    }

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
    per_file: crate::fast_hash::FastMap<Arc<str>, usize>,
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

    pub fn extend(&mut self, found: impl IntoIterator<Item = Diagnostic>) {
        for d in found {
            self.push(d);
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
                identity: None,
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
        &topology::TopologyInvalid,
        &topology::FileNotFound,
        &topology::CertificateUnreadable,
        &topology::Pkcs12Password,
        &topology::SecretInTopology,
        &topology::InvalidFqdn,
        &topology::DuplicateServer,
        &topology::XmppUnsupportedVersion,
        &topology::LoadBalancerNat,
        &topology::PoolTooLarge,
        &topology::MultipleFederationPools,
        &names::SanMissingAccessEdge,
        &names::SanMissingWebConferencingEdge,
        &names::SanMissingSipDomain,
        &names::SanMissingAvEdge,
        &names::SubjectNotInSan,
        &names::SubjectNotAccessEdge,
        &names::WildcardSubject,
        &names::WildcardSan,
        &names::SanMissingXmppDomain,
        &names::SanMissingXmppSrvTarget,
        &names::InternalSubjectNotPool,
        &keys::PrivateKeyMissing,
        &keys::PrivateKeyMismatch,
        &keys::PrivateKeyNotExportable,
        &keys::CngKeyProvider,
        &keys::UnencryptedPrivateKey,
        &crypto::RsaKeyTooSmall,
        &crypto::RsaKeySizeUnsupported,
        &crypto::NonRsaKey,
        &crypto::WeakSignature,
        &crypto::ServerAuthEkuMissing,
        &crypto::ClientAuthEkuMissing,
        &authority::ExternalNotPublicCa,
        &authority::ChainIncomplete,
        &authority::InternalCaUntrusted,
        &validity::CertificateExpired,
        &validity::CertificateNotYetValid,
        &validity::CertificateExpiringSoon,
        &pools::UseUnassigned,
        &pools::PoolAvCertificateDiffers,
        &pools::PoolExternalCertificateDiffers,
        &pools::PoolInternalCertificateDiffers,
        &rolls::RollUnsupportedUse,
        &rolls::RollAfterExpiry,
        &rolls::RollLeadTimeShort,
        &rolls::RollNotValidAtEffectiveDate,
        &rolls::RollDatesDifferInPool,
        &rolls::AvExpiryWithoutRoll,
        &proxy::ReverseProxySanMissing,
        &edgelint::UnusedSuppression,
        &edgelint::UnknownCode,
    ]
}

/// The built-in rule files (`rules/builtin/*.yaml`), read once.
fn builtin_rule_files() -> &'static [templates::TemplateRule] {
    static FILES: OnceLock<Vec<templates::TemplateRule>> = OnceLock::new();
    FILES.get_or_init(|| {
        let mut out = Vec::new();
        for (name, text) in embedded::BUILTIN_RULE_FILES {
            // The embedded files are checked by the test suite; a broken one is skipped.
            match pack::parse(text, &format!("rules/builtin/{name}.yaml"), true) {
                Ok(rules) => out.extend(rules),
                Err(errors) => errors
                    .iter()
                    .for_each(|e| eprintln!("edgelint: internal error: {e}")),
            }
        }
        out
    })
}

/// Every built-in rule: the Rust ones and the embedded rule files, in code order.
pub fn registry() -> &'static [&'static dyn Rule] {
    static REGISTRY: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut all: Vec<&'static dyn Rule> = rust_rules().to_vec();
        all.extend(builtin_rule_files().iter().map(|r| r as &dyn Rule));
        all.sort_by(|a, b| code_order(&a.meta().code).cmp(&code_order(&b.meta().code)));
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
    template_targets: OnceLock<Vec<templates::Target<'a>>>,
    crypto_leaves: OnceLock<Vec<crypto::LeafRef<'a>>>,
    crypto_requests: OnceLock<Vec<crypto::RequestRef<'a>>>,
    coverage: OnceLock<crate::fast_hash::FastMap<&'a std::ffi::OsStr, validity::Coverage>>,
    materials: OnceLock<crate::fast_hash::FastMap<EntryId, EntryMaterial<'a>>>,
    files_in_order: OnceLock<Vec<&'a CertFile>>,
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
            coverage: OnceLock::new(),
            materials: OnceLock::new(),
            files_in_order: OnceLock::new(),
        }
    }

    /// What entry `id`'s `file` (and `key`) provide.
    pub fn material(&self, id: EntryId) -> &Material<'a> {
        &self.entry_material(id).material
    }

    /// The certificate entry `id`'s file stands for.
    pub fn leaf(&self, id: EntryId) -> Option<&'a CertFacts> {
        self.entry_material(id).leaf
    }

    fn entry_material(&self, id: EntryId) -> &EntryMaterial<'a> {
        const UNAVAILABLE: EntryMaterial<'static> = EntryMaterial {
            material: Material::Unavailable,
            leaf: None,
        };
        let all = self
            .materials
            .get_or_init(|| crate::derive::entry_materials(self.repo, self.plan));
        // Every entry id comes from the plan, so every one is there.
        all.get(&id).unwrap_or(&UNAVAILABLE)
    }

    /// Every certificate-like file, in path order (sorted once for the views that list them).
    pub fn files_in_order(&self) -> &[&'a CertFile] {
        self.files_in_order.get_or_init(|| {
            let mut files: Vec<&CertFile> = self.repo.files.values().collect();
            files.sort_unstable_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
            files
        })
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

    /// Whether the uses a file is current for have staged replacements (V003, R006).
    pub fn replacement_coverage(&self, path: &std::path::Path) -> Option<&validity::Coverage> {
        self.coverage
            .get_or_init(|| validity::replacement_coverage(self))
            .get(path.as_os_str())
    }

    /// Every certificate and request a template rule may judge.
    pub fn template_targets(&self) -> &[templates::Target<'a>] {
        self.template_targets
            .get_or_init(|| templates::targets(self))
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
        self.plan
            .references
            .get(path.as_os_str())
            .and_then(|r| r.first())
    }
}

/// The rules in the order they are started: one of each family (the code's letter) in turn.
/// Rules of one family share a view (chains, leaves, names): run side by side, the second
/// waited while the first computed it; started apart, each core computes a view of its own.
/// The order of findings does not depend on it (they are sorted).
fn interleaved<'r>(selected: &[&'r dyn Rule]) -> Vec<&'r dyn Rule> {
    let mut families: Vec<(char, std::collections::VecDeque<&dyn Rule>)> = Vec::new();
    for &rule in selected {
        let family = rule.meta().code.chars().next().unwrap_or(' ');
        match families.iter_mut().find(|(f, _)| *f == family) {
            Some((_, rules)) => rules.push_back(rule),
            None => families.push((family, std::collections::VecDeque::from([rule]))),
        }
    }
    let mut out = Vec::with_capacity(selected.len());
    while out.len() < selected.len() {
        for (_, rules) in &mut families {
            out.extend(rules.pop_front());
        }
    }
    out
}

/// Run the selected rules; diagnostics come back sorted by file, line, column and code.
pub fn check(cx: &Context<'_>, selected: &[&dyn Rule]) -> Vec<Diagnostic> {
    // Rules are independent: they run on every core (the views they share are computed once,
    // by whichever rule asks first).
    let mut out: Vec<Diagnostic> = crate::parallel::par_map(&interleaved(selected), |rule| {
        let mut found = Findings::default();
        rule.check(cx, &mut found);
        let mut found = found.finish();
        found.iter_mut().for_each(made_safe);
        found
    })
    .into_iter()
    .flatten()
    .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

pub use crate::source::escape_controls;

/// A message quoting a name from a hostile file (a 66,000-character FQDN) stays readable.
const MAX_MESSAGE_CHARS: usize = 1000;
const MAX_LABEL_CHARS: usize = 200;

/// A finding's texts as output may show them: hostile characters escaped, long messages and
/// labels elided.
fn made_safe(d: &mut Diagnostic) {
    let safe = |text: &mut String, keep_newlines: bool| {
        if !crate::source::is_safe_text(text, keep_newlines) {
            *text = escape_controls(text, keep_newlines);
        }
    };
    safe(&mut d.message, false);
    elide_in_place(&mut d.message, MAX_MESSAGE_CHARS);
    if let Some(help) = &mut d.help {
        safe(help, true);
    }
    if let Some(label) = &mut d.label {
        safe(label, false);
        elide_in_place(label, MAX_LABEL_CHARS);
    }
    for r in &mut d.related {
        safe(&mut r.message, false);
    }
}

fn elide_in_place(text: &mut String, max: usize) {
    // A character takes at least a byte: a text of at most `max` bytes is short enough.
    if text.len() > max {
        *text = elide(text, max);
    }
}

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

    #[test]
    fn rules_start_one_family_at_a_time_and_each_once() {
        let all = registry();
        let order: Vec<&str> = interleaved(all).iter().map(|r| &*r.meta().code).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|c| code_order(c));
        let codes: Vec<&str> = all.iter().map(|r| &*r.meta().code).collect();
        assert_eq!(sorted, codes, "every rule once");
        let family = |c: &str| c.chars().next();
        let mut families: Vec<_> = codes.iter().map(|c| family(c)).collect();
        families.dedup();
        let first: Vec<_> = order[..families.len()].iter().map(|c| family(c)).collect();
        assert_eq!(first, families, "the first of each family, in code order");
        assert_eq!(order[families.len()], "T002", "then the second of each");
    }
}
