//! N009: with the XMPP proxy deployed, the external certificate's SAN must list every XMPP
//! domain.
//!
//! The remote XMPP server validates the Access Edge certificate against the federated domain
//! itself (`contoso.com`), which every XMPP source agrees on (S1, S8, S9); the disputed
//! `*.contoso.com` form does not stand in for it (that is N008).

use crate::rules::names::{missing_external_names, NameRule};

rule! {
    SanMissingXmppDomain {
        code: "N009",
        name: "san-missing-xmpp-domain",
        severity: Error,
        summary: "the external certificate's SAN lacks an XMPP domain",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::XmppDomain) {
            out.push(m.finding(cx, &META, "XMPP domain", "XMPP domain defined here"));
        }
    }
}
