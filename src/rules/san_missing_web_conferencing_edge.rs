//! N002: the external certificate's SAN must list the Web Conferencing Edge external FQDN.
//!
//! In the single-FQDN layout the Web Conferencing FQDN equals the Access Edge FQDN and only
//! N001 reports it (one fact, one finding).

use super::names::missing_external_names;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct SanMissingWebConferencingEdge;

static META: RuleMeta = RuleMeta {
    code: "N002",
    name: "san-missing-web-conferencing-edge",
    severity: Severity::Error,
    summary: "the external certificate's SAN lacks the Web Conferencing Edge external FQDN",
    sources: &["S2", "S15", "req A2"],
};

impl Rule for SanMissingWebConferencingEdge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for m in missing_external_names(cx, META.code) {
            out.push(m.finding(
                cx,
                &META,
                &format!("Web Conferencing Edge of pool {}", m.pool.name.value),
                "Web Conferencing Edge FQDN defined here",
            ));
        }
    }
}
