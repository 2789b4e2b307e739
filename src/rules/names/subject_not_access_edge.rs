//! N006: the external certificate's subject CN should be the pool's Access Edge FQDN.
//!
//! Since Lync Server 2013 this is "no longer a requirement" but still recommended for
//! compatibility with Office Communications Server (S2), and Request-CsCertificate and the
//! wizard produce it that way. TLS validates the SAN (N001, N002, N005), so a warning.

use crate::rules::names::{external_fix, name_eq};
use crate::rules::DiagnosticExt;

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
            let fqdn = &pool.external.access_edge;
            let (message, label) = match t.subject_cn {
                Some(cn) if name_eq(cn, &fqdn.value) => continue,
                Some(cn) => (
                    format!(
                        "{} {} has subject CN {cn}, not the Access Edge FQDN {} of pool {}{}",
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
                        "{} {} has no subject CN; it should be the Access Edge FQDN {} of pool \
                         {}{}",
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
                        "Access Edge FQDN defined here",
                    )
                    .fix(external_fix(t.topology, pool, t.entry)),
            );
        }
    }
}
