//! N002: the external certificate's SAN must list the Web Conferencing Edge external FQDN.
//!
//! In the single-FQDN layout the Web Conferencing FQDN equals the Access Edge FQDN and only
//! N001 reports it (one fact, one finding).

use crate::rules::names::{missing_external_names, NameRule};

rule! {
    SanMissingWebConferencingEdge {
        code: "N002",
        name: "san-missing-web-conferencing-edge",
        severity: Error,
        summary: "the external certificate's SAN lacks the Web Conferencing Edge external FQDN",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::WebConferencingEdge) {
            out.push(m.finding(
                cx,
                &META,
                &format!("Web Conferencing Edge of pool {}", m.pool.name.value),
                "Web Conferencing Edge FQDN defined here",
            ));
        }
    }
}
