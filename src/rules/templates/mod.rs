//! Check *templates*: rule logic written once in Rust with typed parameters, instantiated by
//! rule files in YAML (`rules/builtin/*.yaml`, embedded; and users' rule packs). A template
//! rule is a [`Rule`] like any other: same registry, selection, severities and output. Each
//! template is a file of its own: its parameters as a typed struct, their documentation (the
//! table in docs/rule-packs.md is generated from it), how to read them and what they check.

mod forbidden_san_pattern;
mod forbidden_signature;
mod issuer_must_match;
mod key_size;
mod max_validity;
pub mod pack;
mod required_eku;
mod required_extension;
mod san_includes;

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::path::PathBuf;

use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::derive::{topology_of, Scope as EntryScope};
use crate::diagnostic::{Location, Severity};
use crate::load::reader::{Fields, Reader};
use crate::model::certs::{CertFacts, Eku, KeyAlgorithm, RequestFacts};
use crate::model::topology::{Pool, Topology, Use};
use crate::model::tree::Node;
use crate::rules::names::{contains_name, external_names};

/// Every template, in the order the documentation lists them.
pub const TEMPLATES: [&TemplateInfo; 8] = [
    &key_size::INFO,
    &forbidden_signature::INFO,
    &required_eku::INFO,
    &san_includes::INFO,
    &forbidden_san_pattern::INFO,
    &issuer_must_match::INFO,
    &max_validity::INFO,
    &required_extension::INFO,
];

/// A template: its name, what makes it fire, its parameters, the values its messages may use,
/// and how to read its parameters.
pub struct TemplateInfo {
    pub name: &'static str,
    pub fires_when: &'static str,
    pub params: &'static [Param],
    /// `{name}` placeholders a message or help may use besides the common ones.
    pub values: &'static [&'static str],
    /// Read the parameters (their keys already checked against `params`); `at` is the
    /// `template:` value, where a missing parameter is reported.
    pub read: ReadParams,
}

/// How a template reads its parameters (see [`TemplateInfo::read`]).
pub type ReadParams = fn(&mut Reader, &Fields<'_>, &Range<usize>) -> Option<Box<dyn Template>>;

/// One parameter of a template, as the documentation shows it.
pub struct Param {
    pub name: &'static str,
    pub required: bool,
    pub doc: &'static str,
}

impl TemplateInfo {
    pub fn param_names(&self) -> Vec<&'static str> {
        self.params.iter().map(|p| p.name).collect()
    }

    pub fn find(name: &str) -> Option<&'static TemplateInfo> {
        TEMPLATES.into_iter().find(|t| t.name == name)
    }

    pub fn names() -> Vec<&'static str> {
        TEMPLATES.iter().map(|t| t.name).collect()
    }
}

/// A template with its parameters read: what a target violates.
pub trait Template: Send + Sync + std::fmt::Debug {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation>;

    /// Templates judging the certificate alone report once per file; the others per entry.
    fn per_file(&self) -> bool {
        true
    }
}

/// Which certificates a template rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    External,
    AvOnly,
    Internal,
    Xmpp,
    OAuth,
    ReverseProxy,
    Request,
    Unreferenced,
}

impl Role {
    pub const NAMES: [&'static str; 8] = [
        "external",
        "av-only",
        "internal",
        "xmpp",
        "oauth",
        "reverse-proxy",
        "request",
        "unreferenced",
    ];
    const ALL: [Role; 8] = [
        Role::External,
        Role::AvOnly,
        Role::Internal,
        Role::Xmpp,
        Role::OAuth,
        Role::ReverseProxy,
        Role::Request,
        Role::Unreferenced,
    ];

    pub fn parse(s: &str) -> Option<Role> {
        Role::NAMES
            .iter()
            .position(|n| *n == s)
            .map(|i| Role::ALL[i])
    }

    pub fn all() -> Vec<Role> {
        Role::ALL.to_vec()
    }
}

#[derive(Debug)]
pub struct TemplateRule {
    pub meta: RuleMeta,
    /// What the rule cites (a policy, a page); shown by `edgelint explain`.
    pub sources: Vec<String>,
    pub template_name: &'static str,
    pub template: Box<dyn Template>,
    pub scope: Vec<Role>,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
}

/// A parameter's value, when given.
pub(super) fn param<'n>(p: &Fields<'n>, name: &str) -> Option<&'n Node> {
    p.get(name)
}

/// A required parameter; its absence is reported at the `template:` value.
pub(super) fn required<'n>(
    r: &mut Reader,
    p: &Fields<'n>,
    template: &str,
    name: &str,
    at: &Range<usize>,
) -> Option<&'n Node> {
    let v = p.get(name);
    if v.is_none() {
        r.error(
            at.clone(),
            format!("template `{template}` needs the parameter `{name}`"),
        );
    }
    v
}

/// A severity name.
pub(super) fn severity(r: &mut Reader, n: &Node, field: &str) -> Option<Severity> {
    r.one_of(n, field, &["error", "warning", "info"], Severity::parse)
        .map(|s| s.value)
}

/// A list of names, each one of `known`.
pub(super) fn names(r: &mut Reader, n: &Node, field: &str, known: &[&'static str]) -> Vec<String> {
    let items: Vec<&Node> = match &n.kind {
        crate::model::tree::NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![n],
    };
    items
        .into_iter()
        .filter_map(|i| {
            r.one_of(i, field, known, |s| {
                known.contains(&s).then(|| s.to_string())
            })
        })
        .map(|s| s.value)
        .collect()
}

/// A list of glob patterns, each valid.
pub(super) fn globs(r: &mut Reader, n: &Node, field: &str) -> Vec<String> {
    let mut out = Vec::new();
    for p in r.string_list(n, field) {
        if globset::Glob::new(&p.value).is_err() {
            r.error(p.span, format!("`{}` is not a valid glob pattern", p.value));
        } else {
            out.push(p.value);
        }
    }
    out
}

/// A certificate or request a template rule may judge.
pub struct Target<'a> {
    pub location: Location,
    pub name: String,
    pub roles: Vec<Role>,
    pub cert: Option<&'a CertFacts>,
    pub request: Option<&'a RequestFacts>,
    pub topology: Option<&'a Topology>,
    pub pool: Option<&'a Pool>,
    pub file: PathBuf,
}

fn entry_roles(uses: &[Use], reverse_proxy: bool) -> Vec<Role> {
    let mut r = Vec::new();
    if reverse_proxy {
        r.push(Role::ReverseProxy);
    }
    if uses.iter().any(|u| u.is_external()) {
        r.push(Role::External);
    }
    if uses.contains(&Use::Internal) {
        r.push(Role::Internal);
    }
    if uses.contains(&Use::XmppServer) {
        r.push(Role::Xmpp);
    }
    if uses.contains(&Use::OAuthTokenIssuer) {
        r.push(Role::OAuth);
    }
    if !uses.is_empty() && uses.iter().all(|u| *u == Use::AudioVideoAuthentication) {
        r.push(Role::AvOnly);
    }
    r
}

pub(super) fn targets<'a>(cx: &Context<'a>) -> Vec<Target<'a>> {
    let mut out = Vec::new();
    for &id in &cx.plan.entries {
        let (_, t) = topology_of(cx.repo, id.topo);
        let entry = cx.entry(id);
        let pool = match id.scope {
            EntryScope::Pool { pool } | EntryScope::Server { pool, .. } => {
                Some(&t.edge_pools[pool])
            }
            EntryScope::ReverseProxy => None,
        };
        let uses: Vec<Use> = entry.uses.iter().map(|u| u.value).collect();
        if let (Some(f), Some(leaf)) = (&entry.file, cx.leaf(id)) {
            out.push(Target {
                location: cx.at(id.topo, &f.written.span),
                name: f.written.value.clone(),
                roles: entry_roles(&uses, id.scope == EntryScope::ReverseProxy),
                cert: Some(leaf),
                request: None,
                topology: Some(t),
                pool,
                file: f.resolved.clone(),
            });
        }
        if let Some(r) = &entry.request {
            if let Some(req) = cx.repo.file(&r.resolved).and_then(|f| f.requests.first()) {
                out.push(Target {
                    location: cx.at(id.topo, &r.written.span),
                    name: r.written.value.clone(),
                    roles: vec![Role::Request],
                    cert: None,
                    request: Some(req),
                    topology: Some(t),
                    pool,
                    file: r.resolved.clone(),
                });
            }
        }
    }
    let unreferenced = cx
        .files_in_order()
        .iter()
        .filter(|f| !cx.plan.references.contains_key(f.path.as_os_str()));
    for &file in unreferenced {
        let Some((certs, keys)) = crate::derive::any_material(file) else {
            continue;
        };
        if let Some(i) = crate::model::certs::leaf_index(certs, &keys) {
            out.push(Target {
                location: cx.in_file(file, certs[i].pos),
                name: file.display.to_string(),
                roles: vec![Role::Unreferenced],
                cert: Some(&certs[i]),
                request: None,
                topology: None,
                pool: None,
                file: file.path.clone(),
            });
        }
    }
    out
}

/// What one target violates: the values for the message, and a severity for variants.
pub struct Violation {
    pub values: Vec<(&'static str, String)>,
    pub severity: Option<Severity>,
}

impl Violation {
    /// One violation with these values.
    pub fn one(values: Vec<(&'static str, String)>, severity: Option<Severity>) -> Vec<Violation> {
        vec![Violation { values, severity }]
    }
}

pub(super) fn eku_of(t: &Target<'_>) -> Option<Eku> {
    t.cert.map_or(t.request.and_then(|r| r.eku), |c| c.eku)
}

pub(super) fn key_of<'t>(t: &'t Target<'_>) -> Option<&'t KeyAlgorithm> {
    t.cert.map(|c| &c.key).or(t.request.map(|r| &r.key))
}

pub(super) fn sans_of<'t>(t: &'t Target<'_>) -> &'t [String] {
    t.cert
        .map_or(t.request.map_or(&[][..], |r| &r.san_dns), |c| &c.san_dns)
}

pub(super) fn required_names(names: &[String], t: &Topology, pool: Option<&Pool>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |n: &str| {
        if !contains_name(&out, n) {
            out.push(n.to_string());
        }
    };
    for source in names {
        match (source.as_str(), pool) {
            ("access_edge", Some(p)) => push(&p.external.access_edge.value),
            ("web_conferencing_edge", Some(p)) => push(&p.external.web_conferencing_edge.value),
            ("av_edge", Some(p)) => push(&p.external.av_edge.value),
            ("internal_fqdn", Some(p)) => push(&p.internal_fqdn.value),
            ("sip_domains", _) => t
                .sip_domains
                .iter()
                .for_each(|d| push(&format!("sip.{}", d.value))),
            ("xmpp_domains", _) => t
                .xmpp
                .iter()
                .flat_map(|x| &x.domains)
                .for_each(|d| push(&d.value)),
            ("xmpp_srv_target", _) => t
                .xmpp
                .iter()
                .filter_map(|x| x.srv_target.as_ref())
                .for_each(|d| push(&d.value)),
            ("external_web_services", _) => t
                .reverse_proxy
                .iter()
                .flat_map(|r| &r.external_web_services)
                .for_each(|d| push(&d.value)),
            ("simple_urls", _) => t
                .reverse_proxy
                .iter()
                .flat_map(|r| &r.simple_urls)
                .filter(|u| u.is_published())
                .for_each(|u| push(u.host())),
            ("office_web_apps", _) => t
                .reverse_proxy
                .iter()
                .filter_map(|r| r.office_web_apps.as_ref())
                .for_each(|d| push(&d.value)),
            _ => {}
        }
    }
    out
}

pub(super) fn glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

fn fill(text: &str, t: &Target<'_>, values: &[(&str, String)]) -> String {
    let kind = if t.request.is_some() {
        "request"
    } else {
        "certificate"
    };
    let cn = t
        .cert
        .and_then(|c| c.subject_cn.as_deref())
        .or(t.request.and_then(|r| r.subject_cn.as_deref()));
    let described = match cn {
        Some(cn) => format!("{kind} {} (CN {cn})", t.name),
        None => format!("{kind} {}", t.name),
    };
    let issued_note = if t.request.is_some() {
        "; a certificate issued from it would have it too"
    } else {
        ""
    };
    let mut out = text
        .replace("{described}", &described)
        .replace("{issued_note}", issued_note)
        .replace("{certificate}", &t.name)
        .replace("{kind}", kind);
    if let Some(c) = t.cert {
        out = out
            .replace("{subject}", c.subject_cn.as_deref().unwrap_or(&c.subject))
            .replace("{issuer}", &c.issuer);
    }
    if let Some(r) = t.request {
        out = out.replace("{subject}", r.subject_cn.as_deref().unwrap_or("(no CN)"));
    }
    if let Some(p) = t.pool {
        out = out.replace("{pool}", &p.name.value);
    }
    if let (Some(tp), Some(p)) = (t.topology, t.pool) {
        out = out.replace("{external_names}", &external_names(tp, p).join(", "));
    }
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

impl Rule for TemplateRule {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    /// The built-in rule files have pages of their own; a rule pack's rule is described by
    /// what the file says of it.
    fn page(&self) -> Option<Cow<'_, str>> {
        if let Some(page) = super::doc(&self.meta.code) {
            return Some(Cow::Borrowed(page));
        }
        let sources = if self.sources.is_empty() {
            String::new()
        } else {
            format!("Sources: {}\n", self.sources.join(", "))
        };
        Some(Cow::Owned(format!(
            "{} ({})\n\nDefault severity: {}\nTemplate: {}\n{sources}\n{}\n",
            self.meta.code,
            self.meta.name,
            self.meta.severity.as_str(),
            self.template_name,
            self.meta.summary
        )))
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let mut seen: HashSet<(PathBuf, bool)> = HashSet::new();
        for t in cx.template_targets() {
            if !t.roles.iter().any(|r| self.scope.contains(r)) {
                continue;
            }
            let violations = self.template.violations(t);
            if violations.is_empty()
                || (self.template.per_file() && !seen.insert((t.file.clone(), t.request.is_some())))
            {
                continue;
            }
            for v in violations {
                let mut d = self
                    .meta
                    .diag(t.location.clone(), fill(&self.message, t, &v.values));
                if let Some(s) = v.severity {
                    d = d.severity(s);
                }
                if let Some(l) = &self.label {
                    d = d.label(fill(l, t, &v.values));
                }
                if let Some(h) = &self.help {
                    d = d.help(fill(h, t, &v.values));
                }
                out.push(d);
            }
        }
    }
}
