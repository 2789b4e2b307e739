//! W001: the reverse proxy certificate's SAN must list every name it publishes.
//!
//! Remote and mobile clients reach the external web services, the meet and dial-in simple
//! URLs, Office Web Apps and Autodiscover through the reverse proxy, and each name they use
//! must be in its certificate ("Certificate summary - Reverse proxy", "Certificate summary -
//! Autodiscover"). The admin simple URL is internal only and never needed here. This is the
//! one certificate where a wildcard may stand for names: the simple URLs and
//! `lyncdiscover.<sip domain>` one label below its base ("Wildcard certificate support in Lync
//! Server 2013"), never the web services or Office Web Apps FQDNs. A request for the reverse
//! proxy certificate is judged the same way, before a CA issues it.

use crate::derive::needs::ProxyName;
use crate::diagnostic::Diagnostic;
use crate::model::topology::ReverseProxy;
use crate::rules::names::{
    contains_name, is_wildcard, reverse_proxy_fix, reverse_proxy_names, wildcard_base,
    wildcard_covers, NameTarget, ProxyNameKind,
};
use crate::rules::{Context, DiagnosticExt};

rule! {
    ReverseProxySanMissing {
        code: "W001",
        name: "reverse-proxy-san-missing",
        severity: Error,
        summary: "the reverse proxy certificate's SAN lacks a published web services name",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            if t.pool.is_some() {
                continue;
            }
            let Some(rp) = &t.topology.reverse_proxy else {
                continue;
            };
            for n in reverse_proxy_names(t.topology, rp) {
                if !covered(t.sans, &n) {
                    out.push(finding(cx, t, rp, &n));
                }
            }
        }
    }
}

/// Is the name in the SAN, or (where a wildcard may stand for it) under a wildcard SAN?
fn covered(sans: &[String], n: &ProxyName<'_>) -> bool {
    contains_name(sans, &n.name)
        || (n.kind.wildcard_allowed()
            && sans
                .iter()
                .any(|s| is_wildcard(s) && wildcard_covers(s, &n.name)))
}

fn finding(
    cx: &Context<'_>,
    t: &NameTarget<'_>,
    rp: &ReverseProxy,
    n: &ProxyName<'_>,
) -> Diagnostic {
    let (what, defined) = match n.kind {
        ProxyNameKind::ExternalWebServices => (
            "external web services FQDN".to_string(),
            "external web services FQDN defined here",
        ),
        ProxyNameKind::SimpleUrl => ("simple URL".to_string(), "simple URL defined here"),
        ProxyNameKind::OfficeWebApps => (
            "Office Web Apps FQDN".to_string(),
            "Office Web Apps FQDN defined here",
        ),
        ProxyNameKind::Lyncdiscover => (
            format!("Autodiscover of SIP domain {}", n.source.value),
            "SIP domain defined here (with lyncdiscover: true)",
        ),
    };
    let mut d = META
        .diag(
            cx.at(t.id.topo, &t.written.span),
            format!(
                "reverse proxy {} {} lacks SAN {} ({what}){}",
                t.kind(),
                t.written.value,
                n.name,
                t.request_note()
            ),
        )
        .label(format!("SAN lacks {}", n.name))
        .related(cx.at(t.id.topo, &n.source.span), defined);
    if let Some(w) = t
        .sans
        .iter()
        .find(|w| is_wildcard(w) && under_base(w, &n.name))
    {
        d = d.help(if n.kind.wildcard_allowed() {
            format!(
                "{w} does not cover {}: a wildcard SAN covers only a name one label below its base",
                n.name
            )
        } else {
            format!(
                "{w} does not cover {}: a wildcard stands only for the simple URLs and \
                 lyncdiscover names, never for the web services or Office Web Apps FQDNs",
                n.name
            )
        });
    }
    d.fix(reverse_proxy_fix(t.topology, rp))
}

/// Is `name` somewhere below the base of wildcard `w` (so that a reader may think it covered)?
fn under_base(w: &str, name: &str) -> bool {
    let Some(base) = wildcard_base(w) else {
        return false;
    };
    let base = base.strip_suffix('.').unwrap_or(base).to_ascii_lowercase();
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    name.ends_with(&format!(".{base}"))
}
