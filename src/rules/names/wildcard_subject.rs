//! N007: a certificate's subject CN must be an explicit name, never a wildcard.
//!
//! S2 ("the subject name can't have a wildcard character") and S10 (no wildcard subject for any
//! role) agree, so this is the one name rule that also judges A/V-only certificates, whose
//! names are otherwise unused. For the internal certificate S2 also says "you can use a
//! wildcard certificate on the Edge internal", so there it is only a warning (conflict C2).

use crate::diagnostic::Severity;
use crate::model::topology::Use;
use crate::rules::names::{
    av_only_fix, external_fix, internal_fix, is_wildcard, reverse_proxy_fix, NameTarget,
};
use crate::rules::DiagnosticExt;

/// The certificate roles N007 judges.
enum Role {
    External,
    AvOnly,
    Internal,
    ReverseProxy,
}

fn role(t: &NameTarget<'_>) -> Option<Role> {
    if t.pool.is_none() {
        Some(Role::ReverseProxy)
    } else if t.entry.is_external() {
        Some(Role::External)
    } else if t.is_av_only() {
        Some(Role::AvOnly)
    } else if t.entry.has_use(Use::Internal) {
        Some(Role::Internal)
    } else {
        None
    }
}

rule! {
    WildcardSubject {
        code: "N007",
        name: "wildcard-subject",
        severity: Error,
        summary: "a wildcard subject CN (warning on an internal certificate)",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            let Some(cn) = t.subject_cn else { continue };
            if !is_wildcard(cn) {
                continue;
            }
            let Some(role) = role(t) else { continue };
            let (what, must) = match role {
                Role::ReverseProxy => ("reverse proxy ", "must"),
                Role::Internal => ("internal ", "should"),
                Role::External | Role::AvOnly => ("", "must"),
            };
            let fix = match (&role, t.pool, &t.topology.reverse_proxy) {
                (Role::External, Some(pool), _) => Some(external_fix(t.topology, pool, t.entry)),
                (Role::AvOnly, Some(pool), _) => Some(av_only_fix(t.topology, pool, t.entry)),
                (Role::Internal, Some(pool), _) => Some(internal_fix(pool, t.entry)),
                (Role::ReverseProxy, _, Some(rp)) => Some(reverse_proxy_fix(t.topology, rp)),
                _ => None,
            };
            let mut d = META
                .diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{what}{} {} has a wildcard subject CN {cn}{}; the subject {must} be an \
                         explicit name",
                        t.kind(),
                        t.written.value,
                        t.request_carry_note()
                    ),
                )
                .label(format!("wildcard subject {cn}"));
            d = match fix {
                Some(fix) => d.fix(fix),
                None => d.help(format!(
                    "request the certificate with an explicit subject instead of {cn}"
                )),
            };
            if matches!(role, Role::Internal) {
                d = d.severity(Severity::Warning);
            }
            out.push(d);
        }
    }
}
