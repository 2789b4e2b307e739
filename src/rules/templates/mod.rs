//! Check *templates*: rule logic written once in Rust with typed parameters, instantiated by
//! rule files in YAML (`rules/builtin/*.yaml`, embedded; and users' rule packs). A template
//! rule is a [`Rule`] like any other: same registry, selection, severities and output.

pub mod pack;

use std::collections::HashSet;
use std::path::PathBuf;

use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::derive::{material, topology_of, Scope as EntryScope};
use crate::diagnostic::{Location, Severity};
use crate::model::certs::{CertFacts, Eku, KeyAlgorithm, RequestFacts};
use crate::model::topology::{Pool, Topology, Use};
use crate::rules::names::{contains_name, external_names};

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

    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "external" => Role::External,
            "av-only" => Role::AvOnly,
            "internal" => Role::Internal,
            "xmpp" => Role::Xmpp,
            "oauth" => Role::OAuth,
            "reverse-proxy" => Role::ReverseProxy,
            "request" => Role::Request,
            "unreferenced" => Role::Unreferenced,
            _ => return None,
        })
    }
}

/// A signature algorithm a template can name.
pub const SIGNATURES: [(&str, &[&str]); 4] = [
    (
        "sha1",
        &[
            "1.2.840.113549.1.1.5",
            "1.2.840.10045.4.1",
            "1.2.840.10040.4.3",
            "1.3.14.3.2.29",
        ],
    ),
    ("md5", &["1.2.840.113549.1.1.4"]),
    ("md2", &["1.2.840.113549.1.1.2"]),
    ("rsassa-pss", &["1.2.840.113549.1.1.10"]),
];

/// Extensions a `required-extension` rule can ask for.
pub const EXTENSIONS: [&str; 1] = ["crl_distribution_points"];

/// Names a `san-includes` rule can ask for, each taken from the topology.
pub const NAME_SOURCES: [&str; 10] = [
    "access_edge",
    "web_conferencing_edge",
    "av_edge",
    "sip_domains",
    "xmpp_domains",
    "xmpp_srv_target",
    "internal_fqdn",
    "external_web_services",
    "simple_urls",
    "office_web_apps",
];

#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// RSA key size: below `min_bits`, or (above `only_above`) not in `allowed_bits`;
    /// `exact_severity` sets the severity for one size (e.g. 1024 → warning). With
    /// `require_rsa`, a non-RSA key fires too.
    KeySize {
        min_bits: Option<usize>,
        allowed_bits: Vec<usize>,
        only_above: Option<usize>,
        exact_severity: Vec<(usize, Severity)>,
        require_rsa: bool,
    },
    /// Signature algorithms that must not sign the certificate (self-signed roots excepted);
    /// `severities` sets the severity per algorithm.
    ForbiddenSignature {
        algorithms: Vec<String>,
        severities: Vec<(String, Severity)>,
    },
    /// An EKU the certificate must have. `missing_extension`: severity when the certificate
    /// has no EKU extension at all (`None` = not reported). Requests are judged only when
    /// they ask for an EKU. `when_public_im`: only in topologies with `public_im`.
    RequiredEku {
        client_auth: bool,
        missing_extension: Option<Severity>,
        when_public_im: bool,
    },
    /// The SAN must list these names, taken from the topology.
    SanIncludes { names: Vec<String> },
    /// No SAN (and, with `subject`, no CN) may match these glob patterns.
    ForbiddenSanPattern {
        patterns: Vec<String>,
        subject: bool,
    },
    /// The issuing CA's subject must match a glob pattern.
    IssuerMustMatch { pattern: String },
    /// The validity period may not exceed `max_days`.
    MaxValidity { max_days: i64 },
    /// A certificate extension every (non-CA) certificate must carry.
    RequiredExtension { extension: String },
}

impl Template {
    pub const NAMES: [&'static str; 8] = [
        "key-size",
        "forbidden-signature",
        "required-eku",
        "san-includes",
        "forbidden-san-pattern",
        "issuer-must-match",
        "max-validity",
        "required-extension",
    ];

    /// Templates judging the certificate alone report once per file; the others per entry.
    fn per_file(&self) -> bool {
        !matches!(self, Template::SanIncludes { .. })
    }
}

#[derive(Debug)]
pub struct TemplateRule {
    pub meta: RuleMeta,
    /// What the rule cites (a policy, a page); shown by `edgelint explain`.
    pub sources: Vec<String>,
    pub template: Template,
    pub scope: Vec<Role>,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
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
        if let (Some(f), Some(leaf)) = (&entry.file, material(cx.repo, entry).leaf()) {
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
    let mut unreferenced: Vec<_> = cx
        .repo
        .files
        .values()
        .filter(|f| !cx.plan.references.contains_key(&f.path))
        .collect();
    unreferenced.sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    for file in unreferenced {
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

fn signature_name(oid: &str) -> Option<&'static str> {
    SIGNATURES
        .iter()
        .find(|(_, oids)| oids.contains(&oid))
        .map(|(n, _)| *n)
}

/// What one target violates: the values for the message, and a severity for variants.
struct Violation {
    values: Vec<(&'static str, String)>,
    severity: Option<Severity>,
}

fn eku_of(t: &Target<'_>) -> Option<Eku> {
    t.cert.map_or(t.request.and_then(|r| r.eku), |c| c.eku)
}

fn key_of<'t>(t: &'t Target<'_>) -> Option<&'t KeyAlgorithm> {
    t.cert.map(|c| &c.key).or(t.request.map(|r| &r.key))
}

fn sans_of<'t>(t: &'t Target<'_>) -> &'t [String] {
    t.cert
        .map_or(t.request.map_or(&[][..], |r| &r.san_dns), |c| &c.san_dns)
}

fn required_names(names: &[String], t: &Topology, pool: Option<&Pool>) -> Vec<String> {
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

fn glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .ok()
        .map(|g| g.compile_matcher())
}

impl Template {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let one =
            |values: Vec<(&'static str, String)>, severity| vec![Violation { values, severity }];
        match self {
            Template::KeySize {
                min_bits,
                allowed_bits,
                only_above,
                exact_severity,
                require_rsa,
            } => {
                let Some(key) = key_of(t) else { return vec![] };
                let KeyAlgorithm::Rsa { bits } = key else {
                    return if *require_rsa {
                        one(
                            vec![("key", key.to_string()), ("bits", String::new())],
                            None,
                        )
                    } else {
                        vec![]
                    };
                };
                let too_small = min_bits.is_some_and(|m| *bits < m);
                let not_allowed = !allowed_bits.is_empty()
                    && !allowed_bits.contains(bits)
                    && only_above.is_none_or(|a| *bits > a);
                if !too_small && !not_allowed {
                    return vec![];
                }
                let severity = exact_severity
                    .iter()
                    .find(|(b, _)| b == bits)
                    .map(|(_, s)| *s);
                one(
                    vec![("key", key.to_string()), ("bits", bits.to_string())],
                    severity,
                )
            }
            Template::ForbiddenSignature {
                algorithms,
                severities,
            } => {
                let Some(c) = t.cert else { return vec![] };
                // Windows never verifies the signature of a certificate it trusts itself.
                if c.self_issued {
                    return vec![];
                }
                let Some(name) = signature_name(&c.signature_oid) else {
                    return vec![];
                };
                if !algorithms.iter().any(|a| a == name) {
                    return vec![];
                }
                let severity = severities.iter().find(|(a, _)| a == name).map(|(_, s)| *s);
                one(vec![("signature", name.to_uppercase())], severity)
            }
            Template::RequiredEku {
                client_auth,
                missing_extension,
                when_public_im,
            } => {
                if *when_public_im && t.topology.is_none_or(|tp| tp.public_im.is_empty()) {
                    return vec![];
                }
                let eku_name = if *client_auth {
                    "Client Authentication"
                } else {
                    "Server Authentication"
                };
                match eku_of(t) {
                    Some(e) => {
                        let has = if *client_auth {
                            e.client_auth
                        } else {
                            e.server_auth
                        };
                        if has || e.any {
                            vec![]
                        } else {
                            one(vec![("eku", eku_name.into())], None)
                        }
                    }
                    // A request without EKU: the CA's template adds it.
                    None if t.request.is_some() => vec![],
                    None => match missing_extension {
                        Some(s) => one(
                            vec![(
                                "eku",
                                format!("{eku_name} (no Extended Key Usage extension)"),
                            )],
                            Some(*s),
                        ),
                        None => vec![],
                    },
                }
            }
            Template::SanIncludes { names } => {
                let Some(topology) = t.topology else {
                    return vec![];
                };
                let sans = sans_of(t);
                required_names(names, topology, t.pool)
                    .into_iter()
                    .filter(|n| !contains_name(sans, n))
                    .map(|n| Violation {
                        values: vec![("name", n)],
                        severity: None,
                    })
                    .collect()
            }
            Template::ForbiddenSanPattern { patterns, subject } => {
                let matchers: Vec<_> = patterns.iter().filter_map(|p| glob(p)).collect();
                let cn = t
                    .cert
                    .and_then(|c| c.subject_cn.as_ref())
                    .or(t.request.and_then(|r| r.subject_cn.as_ref()));
                sans_of(t)
                    .iter()
                    .chain(cn.filter(|_| *subject))
                    .filter(|n| matchers.iter().any(|m| m.is_match(n.as_str())))
                    .map(|n| Violation {
                        values: vec![("name", n.clone())],
                        severity: None,
                    })
                    .collect()
            }
            Template::IssuerMustMatch { pattern } => {
                let Some(c) = t.cert else { return vec![] };
                let Some(m) = glob(pattern) else {
                    return vec![];
                };
                if m.is_match(&c.issuer) {
                    vec![]
                } else {
                    one(vec![("issuer", c.issuer.clone())], None)
                }
            }
            Template::RequiredExtension { extension } => {
                let Some(c) = t.cert else { return vec![] };
                let present = match extension.as_str() {
                    "crl_distribution_points" => c.crl_distribution_points,
                    _ => true,
                };
                if c.is_ca || present {
                    vec![]
                } else {
                    one(vec![("extension", extension.clone())], None)
                }
            }
            Template::MaxValidity { max_days } => {
                let Some(c) = t.cert else { return vec![] };
                let days = (c.not_after - c.not_before).whole_days();
                if days > *max_days {
                    one(vec![("days", days.to_string())], None)
                } else {
                    vec![]
                }
            }
        }
    }
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
