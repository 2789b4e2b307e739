//! N003: the external certificate's SAN should list `sip.<domain>` for every SIP domain.
//!
//! Client auto-configuration and federation look the Access Edge up by `sip.<domain>`, so each
//! SIP domain needs its name (S1, S2). It is a warning because S2 makes it conditional on
//! using those features, and a common real defect: the Certificate Wizard and
//! Request-CsCertificate add only the primary SIP domain unless told otherwise (req A6).

use crate::rules::names::{missing_external_names, NameRule};

rule! {
    SanMissingSipDomain {
        code: "N003",
        name: "san-missing-sip-domain",
        severity: Warning,
        summary: "the external certificate's SAN lacks sip.<domain> for a SIP domain of the topology",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::SipDomain) {
            out.push(m.finding(
                cx,
                &META,
                &format!("SIP domain {}", m.name.source.value),
                "SIP domain defined here",
            ));
        }
    }
}
