//! N010: the external certificate's SAN should list the XMPP SRV target.
//!
//! `_xmpp-server._tcp.<domain>` may point at a separate name (`xmpp.contoso.com`, S21) that
//! resolves to the Access Edge; the remote server then connects to that name and expects it in
//! the certificate. That the name must be in the SAN is derived, not stated (req I2), hence a
//! warning.

use super::names::{external_fix, missing_external_names};
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct SanMissingXmppSrvTarget;

static META: RuleMeta = RuleMeta {
    code: "N010",
    name: "san-missing-xmpp-srv-target",
    severity: Severity::Warning,
    summary: "the external certificate's SAN lacks the XMPP SRV target (xmpp.srv_target)",
    sources: &["S20", "S21", "req I2"],
};

impl Rule for SanMissingXmppSrvTarget {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for m in missing_external_names(cx, META.code) {
            let (t, pool, r) = (m.target, m.pool, m.name);
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{} {} lacks SAN {} (XMPP SRV target){}",
                        t.kind(),
                        t.written.value,
                        r.name,
                        t.request_note()
                    ),
                )
                .label(format!("SAN lacks {}", r.name))
                .related(
                    cx.at(t.id.topo, &r.source.span),
                    "XMPP SRV target defined here",
                )
                .help(external_fix(t.topology, pool, t.entry)),
            );
        }
    }
}
