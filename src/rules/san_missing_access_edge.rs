//! N001: the external certificate's SAN must list the pool's Access Edge external FQDN.
//!
//! TLS validates the SAN, not the subject, so the Access Edge FQDN must be in the SAN even
//! when it is the subject (S2).

use super::names::missing_external_names;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct SanMissingAccessEdge;

static META: RuleMeta = RuleMeta {
    code: "N001",
    name: "san-missing-access-edge",
    severity: Severity::Error,
    summary: "the external certificate's SAN lacks the pool's Access Edge external FQDN",
    sources: &["S2", "S15", "req A1"],
};

impl Rule for SanMissingAccessEdge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for m in missing_external_names(cx, META.code) {
            out.push(m.finding(
                cx,
                &META,
                &format!("Access Edge of pool {}", m.pool.name.value),
                "Access Edge FQDN defined here",
            ));
        }
    }
}
