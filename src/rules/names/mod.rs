//! The views and fix suggestions the N rules share (rules.md "Fix suggestions"): which
//! certificates and requests have names to judge, which name each rule asks for, and the
//! request that fixes a certificate. Name sets themselves come from `derive::needs`.

mod internal_subject_not_pool;
mod san_missing_access_edge;
mod san_missing_av_edge;
mod san_missing_sip_domain;
mod san_missing_web_conferencing_edge;
mod san_missing_xmpp_domain;
mod san_missing_xmpp_srv_target;
mod subject_not_access_edge;
mod subject_not_in_san;
mod wildcard_san;
mod wildcard_subject;

pub use internal_subject_not_pool::InternalSubjectNotPool;
pub use san_missing_access_edge::SanMissingAccessEdge;
pub use san_missing_av_edge::SanMissingAvEdge;
pub use san_missing_sip_domain::SanMissingSipDomain;
pub use san_missing_web_conferencing_edge::SanMissingWebConferencingEdge;
pub use san_missing_xmpp_domain::SanMissingXmppDomain;
pub use san_missing_xmpp_srv_target::SanMissingXmppSrvTarget;
pub use subject_not_access_edge::SubjectNotAccessEdge;
pub use subject_not_in_san::SubjectNotInSan;
pub use wildcard_san::WildcardSan;
pub use wildcard_subject::WildcardSubject;

pub use crate::derive::needs::{external_names, reverse_proxy_names, ProxyNameKind};
pub use crate::model::names::{
    contains_name, is_wildcard, name_eq, wildcard_base, wildcard_covers,
};

use crate::derive::needs::{av_request, external_request, internal_request, reverse_proxy_request};
use crate::fix::Fix;
use crate::model::names::push_unique;
use crate::model::topology::{CertEntry, Pool, ReverseProxy, Topology, Use};

fn uses(entry: &CertEntry) -> Vec<Use> {
    entry.uses.iter().map(|u| u.value).collect()
}

/// The fix for an external certificate: the complete name set and the command.
pub fn external_fix(t: &Topology, pool: &Pool, entry: &CertEntry) -> Fix {
    Fix::new(external_request(t, pool, &uses(entry)))
}

use super::Context;
use crate::derive::{topology_of, EntryId, Scope};
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
    /// The names an external certificate of the pool is asked for (none for others): found
    /// once here, not once per rule that looks for them.
    pub required: Vec<RequiredName<'a>>,
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
        let required = || {
            pool.filter(|_| entry.is_external())
                .map(|p| required_external_names(t, p))
                .unwrap_or_default()
        };
        if let (Some(f), Some(leaf)) = (&entry.file, cx.leaf(id)) {
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
                    required: required(),
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
                    required: required(),
                });
            }
        }
    }
    out
}

/// The rules that ask for an external certificate's names, in precedence order: a name asked
/// for by several is reported by the first (rules.md "Precedence and scope"), so in the
/// single-FQDN layout the one shared FQDN is N001's alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameRule {
    /// N001
    AccessEdge,
    /// N002
    WebConferencingEdge,
    /// N003
    SipDomain,
    /// N004
    AvEdge,
    /// N009
    XmppDomain,
    /// N010
    XmppSrvTarget,
}

/// A name the external certificate of a pool needs, the rule that asks for it, and where the
/// topology defines it (rules.md "Precedence and scope": the first rule that asks reports it).
pub struct RequiredName<'a> {
    /// N001, N002, N003, N004, N009 or N010.
    pub rule: NameRule,
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
    let mut ask = |rule: NameRule, name: String, source: &'a Sp<String>| {
        if !out.iter().any(|r| name_eq(&r.name, &name)) {
            out.push(RequiredName { rule, name, source });
        }
    };
    ask(
        NameRule::AccessEdge,
        pool.external.access_edge.value.clone(),
        &pool.external.access_edge,
    );
    ask(
        NameRule::WebConferencingEdge,
        pool.external.web_conferencing_edge.value.clone(),
        &pool.external.web_conferencing_edge,
    );
    for d in &t.sip_domains {
        ask(NameRule::SipDomain, format!("sip.{}", d.value), d);
    }
    ask(
        NameRule::AvEdge,
        pool.external.av_edge.value.clone(),
        &pool.external.av_edge,
    );
    // With XMPP on a product that has no XMPP gateway, T008 says to remove `xmpp`: its names
    // are not asked for.
    if let Some(x) = t.xmpp.as_ref().filter(|_| t.product.supports_xmpp()) {
        for d in &x.domains {
            ask(NameRule::XmppDomain, d.value.clone(), d);
        }
        if let Some(s) = &x.srv_target {
            ask(NameRule::XmppSrvTarget, s.value.clone(), s);
        }
    }
    out
}

/// N004's fix: the A/V Edge FQDN is optional; the request that adds it anyway.
pub fn external_fix_with_av(t: &Topology, pool: &Pool, entry: &CertEntry) -> Fix {
    let mut request = external_request(t, pool, &uses(entry));
    let av = &pool.external.av_edge.value;
    push_unique(&mut request.san, av);
    Fix {
        summary: format!(
            "adding {av} is optional: the A/V Edge service does not use the certificate's names; \
             to add it at the next renewal, {}",
            request.describe()
        ),
        request,
    }
}

/// The fix for an internal Edge certificate: subject = the pool's `internal_fqdn`, no SAN.
pub fn internal_fix(pool: &Pool, entry: &CertEntry) -> Fix {
    let request = internal_request(pool, &uses(entry));
    Fix {
        summary: format!(
            "request a certificate with subject {} (the internal FQDN of pool {}); no SAN is \
             needed",
            request.subject, pool.name.value
        ),
        request,
    }
}

/// The fix for a certificate used only for A/V Authentication: its names are not used, so the
/// pool's external name set serves as the explicit names.
pub fn av_only_fix(t: &Topology, pool: &Pool, entry: &CertEntry) -> Fix {
    let request = av_request(t, pool, &uses(entry));
    Fix {
        summary: format!(
            "request a certificate with an explicit subject; the A/V Authentication service does \
             not use its names, so the pool's external names serve: subject {}, SAN: {}",
            request.subject,
            request.san.join(", ")
        ),
        request,
    }
}

/// The fix for the reverse proxy certificate: subject = the first external web services FQDN,
/// SAN = every name it publishes; requested on the reverse proxy (OpenSSL, certreq).
pub fn reverse_proxy_fix(t: &Topology, rp: &ReverseProxy) -> Fix {
    Fix::new(reverse_proxy_request(t, rp))
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
    pub name: &'t RequiredName<'a>,
}

/// Every name `code` reports missing, over every external certificate and request.
pub fn missing_external_names<'t, 'a>(
    cx: &'t Context<'a>,
    rule: NameRule,
) -> impl Iterator<Item = MissingName<'t, 'a>> {
    cx.name_targets().iter().flat_map(move |t| {
        let pool = t.pool.filter(|_| t.entry.is_external());
        pool.into_iter().flat_map(move |pool| {
            t.required
                .iter()
                .filter(move |r| r.rule == rule && !contains_name(t.sans, &r.name))
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
        .fix(external_fix(t.topology, self.pool, t.entry))
    }
}

/// The subject a certificate should have (N006: the Access Edge FQDN; N011: the pool's
/// internal FQDN), and how the finding speaks of it.
pub struct ExpectedSubject<'a> {
    pub fqdn: &'a Sp<String>,
    /// "the Access Edge FQDN", "the internal FQDN".
    pub what: &'static str,
    /// Before "certificate" in the message: "" or "internal ".
    pub kind_prefix: &'static str,
    pub defined_here: &'static str,
}

/// The finding for a target whose subject CN is not the expected one; `None` when it is.
pub fn wrong_subject(
    cx: &Context<'_>,
    meta: &'static crate::rules::RuleMeta,
    t: &NameTarget<'_>,
    pool: &Pool,
    expected: &ExpectedSubject<'_>,
    fix: Fix,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::rules::DiagnosticExt;
    let fqdn = expected.fqdn;
    let (what, prefix) = (expected.what, expected.kind_prefix);
    let (message, label) = match t.subject_cn {
        Some(cn) if name_eq(cn, &fqdn.value) => return None,
        Some(cn) => (
            format!(
                "{prefix}{} {} has subject CN {cn}, not {what} {} of pool {}{}",
                t.kind(),
                t.written.value,
                fqdn.value,
                pool.name.value,
                t.request_carry_note()
            ),
            format!("subject is {cn}"),
        ),
        None => (
            format!(
                "{prefix}{} {} has no subject CN; it should be {what} {} of pool {}{}",
                t.kind(),
                t.written.value,
                fqdn.value,
                pool.name.value,
                t.request_note()
            ),
            "no subject CN".to_string(),
        ),
    };
    Some(
        meta.diag(cx.at(t.id.topo, &t.written.span), message)
            .label(label)
            .related(cx.at(t.id.topo, &fqdn.span), expected.defined_here)
            .fix(fix),
    )
}
