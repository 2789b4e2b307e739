//! N011: the internal Edge certificate's subject CN should be the pool's internal FQDN.
//!
//! The internal interface uses only the subject name, no SAN ("Certificate requirements for
//! external user access in Lync Server 2013" and the certificate summary tables), and Topology
//! Builder's Edge pool FQDN is the name the Front End servers connect to. A certificate
//! requested on one server with that server's own FQDN is the realistic defect. That MTLS fails
//! on a mismatch is not documented, hence a warning.

use crate::model::topology::Use;
use crate::rules::names::{internal_fix, is_wildcard, wrong_subject, ExpectedSubject};

rule! {
    InternalSubjectNotPool {
        code: "N011",
        name: "internal-subject-not-pool",
        severity: Warning,
        summary: "the internal certificate's subject CN is not the pool's internal_fqdn",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            let Some(pool) = t.pool else { continue };
            // A wildcard CN is N007's finding (one fact, one finding).
            if !t.entry.has_use(Use::Internal) || t.subject_cn.is_some_and(is_wildcard) {
                continue;
            }
            let expected = ExpectedSubject {
                fqdn: &pool.internal_fqdn,
                what: "the internal FQDN",
                kind_prefix: "internal ",
                defined_here: "pool internal FQDN defined here",
            };
            let fix = internal_fix(pool, t.entry);
            out.extend(wrong_subject(cx, &META, t, pool, &expected, fix));
        }
    }
}
