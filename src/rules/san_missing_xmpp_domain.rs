//! N009: with the XMPP proxy deployed, the external certificate's SAN must list every XMPP
//! domain.
//!
//! The remote XMPP server validates the Access Edge certificate against the federated domain
//! itself (`contoso.com`), which every XMPP source agrees on (S1, S8, S9); the disputed
//! `*.contoso.com` form does not stand in for it (that is N008).

use super::names::missing_external_names;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct SanMissingXmppDomain;

static META: RuleMeta = RuleMeta {
    code: "N009",
    name: "san-missing-xmpp-domain",
    severity: Severity::Error,
    summary: "the external certificate's SAN lacks an XMPP domain",
    sources: &["S1", "S8", "S9", "req I1"],
};

impl Rule for SanMissingXmppDomain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for m in missing_external_names(cx, META.code) {
            out.push(m.finding(cx, &META, "XMPP domain", "XMPP domain defined here"));
        }
    }
}
