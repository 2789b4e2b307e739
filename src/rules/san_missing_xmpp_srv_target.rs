//! N010: the external certificate's SAN should list the XMPP SRV target.
//!
//! `_xmpp-server._tcp.<domain>` may point at a separate name (`xmpp.contoso.com`, S21) that
//! resolves to the Access Edge; the remote server then connects to that name and expects it in
//! the certificate. That the name must be in the SAN is derived, not stated (req I2), hence a
//! warning.

use super::names::missing_external_names;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

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

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for m in missing_external_names(cx, META.code) {
            out.push(m.finding(cx, &META, "XMPP SRV target", "XMPP SRV target defined here"));
        }
    }
}
