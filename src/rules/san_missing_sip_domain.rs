//! N003: the external certificate's SAN should list `sip.<domain>` for every SIP domain.
//!
//! Client auto-configuration and federation look the Access Edge up by `sip.<domain>`, so each
//! SIP domain needs its name (S1, S2). It is a warning because S2 makes it conditional on
//! using those features, and a common real defect: the Certificate Wizard and
//! Request-CsCertificate add only the primary SIP domain unless told otherwise (req A6).

use super::names::missing_external_names;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct SanMissingSipDomain;

static META: RuleMeta = RuleMeta {
    code: "N003",
    name: "san-missing-sip-domain",
    severity: Severity::Warning,
    summary: "the external certificate's SAN lacks sip.<domain> for a SIP domain of the topology",
    sources: &["S1", "S2", "req A6"],
};

impl Rule for SanMissingSipDomain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for m in missing_external_names(cx, META.code) {
            out.push(m.finding(
                cx,
                &META,
                &format!("SIP domain {}", m.name.source.value),
                "SIP domain defined here",
            ));
        }
    }
}
