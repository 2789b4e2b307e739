//! Name comparison and the fix suggestions shared by the N rules (rules.md "Fix suggestions").

use crate::model::topology::{CertEntry, Pool, ReverseProxy, Topology, Use};

/// Names compare case-insensitively, ignoring one trailing dot.
pub fn name_eq(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

pub fn contains_name(list: &[String], name: &str) -> bool {
    list.iter().any(|n| name_eq(n, name))
}

fn push_unique(out: &mut Vec<String>, name: &str) {
    if !contains_name(out, name) {
        out.push(name.to_string());
    }
}

/// The SAN set an external Edge certificate of `pool` needs, in the order rules.md gives.
pub fn external_names(t: &Topology, pool: &Pool) -> Vec<String> {
    let mut out = Vec::new();
    push_unique(&mut out, &pool.external.access_edge.value);
    push_unique(&mut out, &pool.external.web_conferencing_edge.value);
    for d in &t.sip_domains {
        push_unique(&mut out, &format!("sip.{}", d.value));
    }
    if let Some(x) = &t.xmpp {
        for d in &x.domains {
            push_unique(&mut out, &d.value);
        }
        if let Some(s) = &x.srv_target {
            push_unique(&mut out, &s.value);
        }
    }
    out
}

/// Help text for an external certificate: the complete name set and the command.
pub fn external_fix(t: &Topology, pool: &Pool, entry: &CertEntry) -> String {
    let names = external_names(t, pool);
    let types: Vec<&str> = entry.uses.iter().map(|u| u.value.name()).collect();
    let types = if types.is_empty() {
        "AccessEdgeExternal,DataEdgeExternal".to_string()
    } else {
        types.join(",")
    };
    let pool_name = &pool.name.value;
    let client_eku = if t.public_im.is_empty() {
        ""
    } else {
        " -ClientEku $true"
    };
    format!(
        "request a certificate with subject {subject} whose SAN lists: {prose}\n\
         Request-CsCertificate -New -Type {types} -Output {pool_name}-external.req \
         -DomainName \"{list}\" -FriendlyName \"{pool_name} external\" -KeySize 2048 \
         -PrivateKeyExportable $true{client_eku}",
        subject = pool.external.access_edge.value,
        prose = names.join(", "),
        list = names.join(","),
    )
}

use super::Context;
use crate::derive::{material, topology_of, EntryId, Scope};
use crate::model::topology::Sp;

/// A certificate or request whose names the N rules judge.
pub struct NameTarget<'a> {
    pub id: EntryId,
    pub topology: &'a Topology,
    /// `None` for the reverse proxy's certificate.
    pub pool: Option<&'a Pool>,
    pub entry: &'a CertEntry,
    pub is_request: bool,
    /// The `file:` or `request:` value, where findings point.
    pub written: &'a Sp<String>,
    pub subject_cn: Option<&'a str>,
    pub sans: &'a [String],
}

impl NameTarget<'_> {
    pub fn kind(&self) -> &'static str {
        if self.is_request {
            "request"
        } else {
            "certificate"
        }
    }

    /// A note that a request's defect would be issued into the certificate.
    pub fn request_note(&self) -> &'static str {
        if self.is_request {
            "; a certificate issued from it would lack it too"
        } else {
            ""
        }
    }
}

pub(super) fn name_targets<'a>(cx: &Context<'a>) -> Vec<NameTarget<'a>> {
    let mut out = Vec::new();
    for &id in &cx.plan.entries {
        let (_, t) = topology_of(cx.repo, id.topo);
        let entry = cx.entry(id);
        let pool = match id.scope {
            Scope::Pool { pool } | Scope::Server { pool, .. } => Some(&t.edge_pools[pool]),
            Scope::ReverseProxy => None,
        };
        if let (Some(f), Some(leaf)) = (&entry.file, material(cx.repo, entry).leaf()) {
            if leaf.extension_error.is_none() {
                out.push(NameTarget {
                    id,
                    topology: t,
                    pool,
                    entry,
                    is_request: false,
                    written: &f.written,
                    subject_cn: leaf.subject_cn.as_deref(),
                    sans: &leaf.san_dns,
                });
            }
        }
        if let Some(r) = &entry.request {
            if let Some(req) = cx.repo.file(&r.resolved).and_then(|f| f.requests.first()) {
                out.push(NameTarget {
                    id,
                    topology: t,
                    pool,
                    entry,
                    is_request: true,
                    written: &r.written,
                    subject_cn: req.subject_cn.as_deref(),
                    sans: &req.san_dns,
                });
            }
        }
    }
    out
}

/// A name in the SAN of a wildcard form (`*.contoso.com`)? Edge rules never let one cover a name.
pub fn is_wildcard(name: &str) -> bool {
    name.contains('*')
}

/// The base domain of a `*.<base>` wildcard (`contoso.com` for `*.contoso.com`).
pub fn wildcard_base(name: &str) -> Option<&str> {
    let base = name.strip_prefix("*.")?;
    (!base.is_empty() && !base.contains('*')).then_some(base)
}

/// W001 only: does `pattern` (`*.contoso.com`) cover `host` (`meet.contoso.com`), exactly one
/// label below its base?
pub fn wildcard_covers(pattern: &str, host: &str) -> bool {
    let Some(base) = wildcard_base(pattern) else {
        return false;
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    match host.split_once('.') {
        Some((label, rest)) => !label.is_empty() && !label.contains('*') && name_eq(rest, base),
        None => false,
    }
}

/// A name the external certificate of a pool needs, the rule that asks for it, and where the
/// topology defines it (rules.md "Precedence and scope": the first rule that asks reports it).
pub struct RequiredName<'a> {
    /// N001, N002, N003, N004, N009 or N010.
    pub code: &'static str,
    pub name: String,
    /// The topology value the name comes from: the FQDN itself, or the SIP domain of
    /// `sip.<domain>`.
    pub source: &'a Sp<String>,
}

/// Every name an external certificate of `pool` is asked for, each once, attributed to the first
/// of N001, N002, N003, N004, N009, N010 that asks for it (so in the single-FQDN layout the
/// shared FQDN is N001's, and `sip.<domain>` equal to the Access Edge FQDN too).
pub fn required_external_names<'a>(t: &'a Topology, pool: &'a Pool) -> Vec<RequiredName<'a>> {
    let mut out: Vec<RequiredName<'a>> = Vec::new();
    let mut ask = |code: &'static str, name: String, source: &'a Sp<String>| {
        if !out.iter().any(|r| name_eq(&r.name, &name)) {
            out.push(RequiredName { code, name, source });
        }
    };
    ask(
        "N001",
        pool.external.access_edge.value.clone(),
        &pool.external.access_edge,
    );
    ask(
        "N002",
        pool.external.web_conferencing_edge.value.clone(),
        &pool.external.web_conferencing_edge,
    );
    for d in &t.sip_domains {
        ask("N003", format!("sip.{}", d.value), d);
    }
    ask(
        "N004",
        pool.external.av_edge.value.clone(),
        &pool.external.av_edge,
    );
    if let Some(x) = &t.xmpp {
        for d in &x.domains {
            ask("N009", d.value.clone(), d);
        }
        if let Some(s) = &x.srv_target {
            ask("N010", s.value.clone(), s);
        }
    }
    out
}

fn uses_or(entry: &CertEntry, default: &str) -> String {
    let types: Vec<&str> = entry.uses.iter().map(|u| u.value.name()).collect();
    if types.is_empty() {
        default.to_string()
    } else {
        types.join(",")
    }
}

/// N004's help: the A/V Edge FQDN is optional; the command that adds it anyway.
pub fn external_fix_with_av(t: &Topology, pool: &Pool, entry: &CertEntry) -> String {
    let mut names = external_names(t, pool);
    let av = &pool.external.av_edge.value;
    push_unique(&mut names, av);
    let types = uses_or(entry, "AccessEdgeExternal,DataEdgeExternal");
    let pool_name = &pool.name.value;
    let client_eku = if t.public_im.is_empty() {
        ""
    } else {
        " -ClientEku $true"
    };
    format!(
        "adding {av} is optional: the A/V Edge service does not use the certificate's names; \
         to add it at the next renewal, request a certificate with subject {subject} whose SAN \
         lists: {prose}\n\
         Request-CsCertificate -New -Type {types} -Output {pool_name}-external.req \
         -DomainName \"{list}\" -FriendlyName \"{pool_name} external\" -KeySize 2048 \
         -PrivateKeyExportable $true{client_eku}",
        subject = pool.external.access_edge.value,
        prose = names.join(", "),
        list = names.join(","),
    )
}

/// Help text for an internal Edge certificate: subject = the pool's `internal_fqdn`, no SAN.
pub fn internal_fix(pool: &Pool, entry: &CertEntry) -> String {
    let pool_name = &pool.name.value;
    let types = uses_or(entry, "Internal");
    format!(
        "request a certificate with subject {subject} (the internal FQDN of pool {pool_name}); \
         no SAN is needed\n\
         Request-CsCertificate -New -Type {types} -Output {pool_name}-internal.req \
         -FriendlyName \"{pool_name} internal\" -KeySize 2048 -PrivateKeyExportable $true\n\
         from the organisation's internal CA, use -CA <CA FQDN>\\<CA name> instead of \
         -Output {pool_name}-internal.req",
        subject = pool.internal_fqdn.value,
    )
}

/// Help text for a certificate used only for A/V Authentication: its names are not used, so
/// the pool's external name set serves as the explicit names.
pub fn av_only_fix(t: &Topology, pool: &Pool, entry: &CertEntry) -> String {
    let names = external_names(t, pool);
    let types = uses_or(entry, "AudioVideoAuthentication");
    let pool_name = &pool.name.value;
    format!(
        "request a certificate with an explicit subject; the A/V Authentication service does \
         not use its names, so the pool's external names serve: subject {subject}, SAN: {prose}\n\
         Request-CsCertificate -New -Type {types} -Output {pool_name}-av.req \
         -DomainName \"{list}\" -FriendlyName \"{pool_name} av\" -KeySize 2048 \
         -PrivateKeyExportable $true",
        subject = pool.external.access_edge.value,
        prose = names.join(", "),
        list = names.join(","),
    )
}

/// What a name the reverse proxy certificate needs is (W001).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyNameKind {
    ExternalWebServices,
    SimpleUrl,
    OfficeWebApps,
    /// `lyncdiscover.<domain>`; the source is the SIP domain.
    Lyncdiscover,
}

pub struct ProxyName<'a> {
    pub kind: ProxyNameKind,
    pub name: String,
    pub source: &'a Sp<String>,
}

/// The host of a simple URL written as a URL (`https://meet.contoso.com/abc`) or a bare host.
fn url_host(s: &str) -> &str {
    let s = s.split_once("://").map_or(s, |(_, rest)| rest);
    let end = s.find(['/', ':', '?', '#']).unwrap_or(s.len());
    &s[..end]
}

/// W001's names, in rules.md's order, each once: the external web services FQDNs, the simple
/// URL hosts, the Office Web Apps FQDN, and with `lyncdiscover: true`, `lyncdiscover.<domain>`
/// for each SIP domain.
pub fn reverse_proxy_names<'a>(t: &'a Topology, rp: &'a ReverseProxy) -> Vec<ProxyName<'a>> {
    let mut out: Vec<ProxyName<'a>> = Vec::new();
    let mut ask = |kind: ProxyNameKind, name: String, source: &'a Sp<String>| {
        if !name.is_empty() && !out.iter().any(|r| name_eq(&r.name, &name)) {
            out.push(ProxyName { kind, name, source });
        }
    };
    for n in &rp.external_web_services {
        ask(ProxyNameKind::ExternalWebServices, n.value.clone(), n);
    }
    for n in &rp.simple_urls {
        ask(ProxyNameKind::SimpleUrl, url_host(&n.value).to_string(), n);
    }
    if let Some(n) = &rp.office_web_apps {
        ask(ProxyNameKind::OfficeWebApps, n.value.clone(), n);
    }
    if rp.lyncdiscover {
        for d in &t.sip_domains {
            ask(
                ProxyNameKind::Lyncdiscover,
                format!("lyncdiscover.{}", d.value),
                d,
            );
        }
    }
    out
}

/// Help text for the reverse proxy certificate: subject = the first external web services FQDN,
/// SAN = W001's names.
pub fn reverse_proxy_fix(t: &Topology, rp: &ReverseProxy) -> String {
    let names: Vec<String> = reverse_proxy_names(t, rp)
        .into_iter()
        .map(|n| n.name)
        .collect();
    let subject = rp
        .external_web_services
        .first()
        .map(|s| s.value.as_str())
        .or(names.first().map(String::as_str));
    let (output, friendly) = match &t.deployment {
        Some(d) => (
            format!("{}-reverse-proxy.req", d.value),
            format!("{} reverse proxy", d.value),
        ),
        None => ("reverse-proxy.req".to_string(), "reverse proxy".to_string()),
    };
    let what = match subject {
        Some(s) => format!("request a certificate with subject {s} whose SAN lists"),
        None => "request a certificate whose SAN lists".to_string(),
    };
    format!(
        "{what}: {prose}\n\
         Request-CsCertificate -New -Type WebServicesExternal -Output {output} \
         -DomainName \"{list}\" -FriendlyName \"{friendly}\" -KeySize 2048 \
         -PrivateKeyExportable $true",
        prose = names.join(", "),
        list = names.join(","),
    )
}

impl NameTarget<'_> {
    /// For a request whose defect is a name it has (a subject, a wildcard): the certificate
    /// issued from it would carry the same name.
    pub fn request_carry_note(&self) -> &'static str {
        if self.is_request {
            "; a certificate issued from it would carry it too"
        } else {
            ""
        }
    }

    /// The uses include only `AudioVideoAuthentication`: its names are never checked (N007 is
    /// the one exception).
    pub fn is_av_only(&self) -> bool {
        !self.entry.uses.is_empty()
            && self
                .entry
                .uses
                .iter()
                .all(|u| u.value == Use::AudioVideoAuthentication)
    }
}

/// A name an external certificate (or request) lacks, reported by the rule that first asks
/// for it (rules.md "Precedence and scope").
pub struct MissingName<'t, 'a> {
    pub target: &'t NameTarget<'a>,
    pub pool: &'a Pool,
    pub name: RequiredName<'a>,
}

/// Every name `code` reports missing, over every external certificate and request.
pub fn missing_external_names<'t, 'a>(
    cx: &'t Context<'a>,
    code: &'static str,
) -> impl Iterator<Item = MissingName<'t, 'a>> {
    cx.name_targets().iter().flat_map(move |t| {
        let pool = t.pool.filter(|_| t.entry.is_external());
        pool.into_iter().flat_map(move |pool| {
            required_external_names(t.topology, pool)
                .into_iter()
                .filter(move |r| r.code == code && !contains_name(t.sans, &r.name))
                .map(move |name| MissingName {
                    target: t,
                    pool,
                    name,
                })
        })
    })
}

impl MissingName<'_, '_> {
    /// The finding for this name: at the `file:`/`request:` value, `why` saying which name it
    /// is, the place it comes from as a secondary label, and the complete external name set
    /// with its command as help.
    pub fn finding(
        &self,
        cx: &Context<'_>,
        meta: &'static super::RuleMeta,
        why: &str,
        defined_here: &str,
    ) -> crate::diagnostic::Diagnostic {
        use super::DiagnosticExt;
        let (t, r) = (self.target, &self.name);
        meta.diag(
            cx.at(t.id.topo, &t.written.span),
            format!(
                "{} {} lacks SAN {} ({why}){}",
                t.kind(),
                t.written.value,
                r.name,
                t.request_note()
            ),
        )
        .label(format!("SAN lacks {}", r.name))
        .related(cx.at(t.id.topo, &r.source.span), defined_here)
        .help(external_fix(t.topology, self.pool, t.entry))
    }
}
