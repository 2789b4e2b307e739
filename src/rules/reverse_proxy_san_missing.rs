//! W001: the reverse proxy certificate's SAN must list every name it publishes.
//!
//! Remote and mobile clients reach the external web services, the meet and dial-in simple
//! URLs, Office Web Apps and Autodiscover through the reverse proxy, and each name they use
//! must be in its certificate (S11, S12, S13). Here alone a wildcard is supported, to
//! summarise the simple URLs (S1, S10), so a wildcard SAN covers a simple URL host one label
//! below its base, and nothing else.

use super::names::{
    contains_name, is_wildcard, reverse_proxy_fix, reverse_proxy_names, wildcard_base,
    wildcard_covers, ProxyNameKind,
};
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct ReverseProxySanMissing;

static META: RuleMeta = RuleMeta {
    code: "W001",
    name: "reverse-proxy-san-missing",
    severity: Severity::Error,
    summary: "the reverse proxy certificate's SAN lacks a published web services name",
    sources: &["S11", "S12", "S13", "req F2"],
};

impl Rule for ReverseProxySanMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for t in cx.name_targets() {
            if t.pool.is_some() || t.is_request {
                continue;
            }
            let Some(rp) = &t.topology.reverse_proxy else {
                continue;
            };
            let wildcards: Vec<&String> = t.sans.iter().filter(|s| is_wildcard(s)).collect();
            for n in reverse_proxy_names(t.topology, rp) {
                let covered = contains_name(t.sans, &n.name)
                    || (n.kind == ProxyNameKind::SimpleUrl
                        && wildcards.iter().any(|w| wildcard_covers(w, &n.name)));
                if covered {
                    continue;
                }
                let (what, defined) = match n.kind {
                    ProxyNameKind::ExternalWebServices => (
                        "external web services FQDN".to_string(),
                        "external web services FQDN defined here",
                    ),
                    ProxyNameKind::SimpleUrl => {
                        ("simple URL".to_string(), "simple URL defined here")
                    }
                    ProxyNameKind::OfficeWebApps => (
                        "Office Web Apps FQDN".to_string(),
                        "Office Web Apps FQDN defined here",
                    ),
                    ProxyNameKind::Lyncdiscover => (
                        format!("Autodiscover of SIP domain {}", n.source.value),
                        "SIP domain defined here (with lyncdiscover: true)",
                    ),
                };
                let mut help = String::new();
                if let Some(w) = wildcards.iter().find(|w| under_base(w, &n.name)) {
                    help.push_str(&format!(
                        "{w} does not cover {}: a wildcard SAN covers only a simple URL host \
                         one label below its base\n",
                        n.name
                    ));
                }
                help.push_str(&reverse_proxy_fix(t.topology, rp));
                out.push(
                    META.diag(
                        cx.at(t.id.topo, &t.written.span),
                        format!(
                            "reverse proxy certificate {} lacks SAN {} ({what})",
                            t.written.value, n.name
                        ),
                    )
                    .label(format!("SAN lacks {}", n.name))
                    .related(cx.at(t.id.topo, &n.source.span), defined)
                    .help(help),
                );
            }
        }
    }
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
