//! N005: the subject name must be replicated in the SAN ("must be present for correct
//! operation", S3-S7), for external, reverse proxy and requested certificates.

use crate::rules::names::{contains_name, external_fix};
use crate::rules::DiagnosticExt;

rule! {
    SubjectNotInSan {
        code: "N005",
        name: "subject-not-in-san",
        severity: Error,
        summary: "the subject CN is not among the SANs",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            if t.pool.is_some() && !t.entry.is_external() {
                continue;
            }
            let Some(cn) = t.subject_cn else { continue };
            if contains_name(t.sans, cn) {
                continue;
            }
            let mut d = META
                .diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{} {} has subject CN {cn}, which is not among its SANs{}",
                        t.kind(),
                        t.written.value,
                        t.request_note()
                    ),
                )
                .label(format!("{cn} missing from the SAN"));
            d = match t.pool {
                Some(pool) => d.fix(external_fix(t.topology, pool, t.entry)),
                None => d.help(format!("add {cn} to the certificate's SAN list")),
            };
            out.push(d);
        }
    }
}
