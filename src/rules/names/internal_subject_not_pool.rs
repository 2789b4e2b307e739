//! N011: the internal Edge certificate's subject CN should be the pool's internal FQDN.
//!
//! The internal interface uses only the subject name, no SAN (S2, certificate tables), and
//! Topology Builder's Edge pool FQDN is the name the Front End servers connect to. A certificate
//! requested on one server with that server's own FQDN is the realistic defect. That MTLS
//! fails on a mismatch is unconfirmed (req C1), hence a warning.

use crate::model::topology::Use;
use crate::rules::names::{internal_fix, is_wildcard, name_eq};
use crate::rules::DiagnosticExt;

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
            if !t.entry.has_use(Use::Internal) {
                continue;
            }
            let fqdn = &pool.internal_fqdn;
            let (message, label) = match t.subject_cn {
                Some(cn) if name_eq(cn, &fqdn.value) => continue,
                // A wildcard CN is N007's finding (one fact, one finding).
                Some(cn) if is_wildcard(cn) => continue,
                Some(cn) => (
                    format!(
                        "internal {} {} has subject CN {cn}, not the internal FQDN {} of pool \
                         {}{}",
                        t.kind(),
                        t.written.value,
                        fqdn.value,
                        pool.name.value,
                        t.request_carry_note()
                    ),
                    format!("subject is {cn}"),
                ),
                None => (
                    format!(
                        "internal {} {} has no subject CN; it should be the internal FQDN {} of \
                         pool {}{}",
                        t.kind(),
                        t.written.value,
                        fqdn.value,
                        pool.name.value,
                        t.request_note()
                    ),
                    "no subject CN".to_string(),
                ),
            };
            out.push(
                META.diag(cx.at(t.id.topo, &t.written.span), message)
                    .label(label)
                    .related(
                        cx.at(t.id.topo, &fqdn.span),
                        "pool internal FQDN defined here",
                    )
                    .fix(internal_fix(pool, t.entry)),
            );
        }
    }
}
