//! N001: the external certificate's SAN must list the pool's Access Edge external FQDN.
//!
//! TLS validates the SAN, not the subject, so the Access Edge FQDN must be in the SAN even
//! when it is the subject (S2).

use crate::rules::names::{missing_external_names, NameRule};

rule! {
    SanMissingAccessEdge {
        code: "N001",
        name: "san-missing-access-edge",
        severity: Error,
        summary: "the external certificate's SAN lacks the pool's Access Edge external FQDN",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::AccessEdge) {
            out.push(m.finding(
                cx,
                &META,
                &format!("Access Edge of pool {}", m.pool.name.value),
                "Access Edge FQDN defined here",
            ));
        }
    }
}
