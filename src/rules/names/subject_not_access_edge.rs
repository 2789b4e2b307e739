//! N006: the external certificate's subject CN should be the pool's Access Edge FQDN.
//!
//! Since Lync Server 2013 this is "no longer a requirement" but still recommended for
//! compatibility with Office Communications Server ("Certificate requirements for external user
//! access in Lync Server 2013"), and Request-CsCertificate and the wizard produce it that way.
//! TLS validates the SAN (N001, N002, N005), so a warning.

use crate::rules::names::{external_fix, wrong_subject, ExpectedSubject};

rule! {
    SubjectNotAccessEdge {
        code: "N006",
        name: "subject-not-access-edge",
        severity: Warning,
        summary: "the external certificate's subject CN is not the Access Edge external FQDN",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            let Some(pool) = t.pool else { continue };
            if !t.entry.is_external() {
                continue;
            }
            let expected = ExpectedSubject {
                fqdn: &pool.external.access_edge,
                what: "the Access Edge FQDN",
                kind_prefix: "",
                defined_here: "Access Edge FQDN defined here",
            };
            let fix = external_fix(t.topology, pool, t.entry);
            out.extend(wrong_subject(cx, &META, t, pool, &expected, fix));
        }
    }
}
