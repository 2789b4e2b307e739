//! N010: the external certificate's SAN should list the XMPP SRV target.
//!
//! `_xmpp-server._tcp.<domain>` may point at a separate name (`xmpp.contoso.com`, S21) that
//! resolves to the Access Edge; the remote server then connects to that name and expects it in
//! the certificate. That the name must be in the SAN is derived, not stated (req I2), hence a
//! warning.

use crate::rules::names::{missing_external_names, NameRule};

rule! {
    SanMissingXmppSrvTarget {
        code: "N010",
        name: "san-missing-xmpp-srv-target",
        severity: Warning,
        summary: "the external certificate's SAN lacks the XMPP SRV target (xmpp.srv_target)",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::XmppSrvTarget) {
            out.push(m.finding(cx, &META, "XMPP SRV target", "XMPP SRV target defined here"));
        }
    }
}
