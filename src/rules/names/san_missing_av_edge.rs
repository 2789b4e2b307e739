//! N004: the external certificate's SAN lacks the A/V Edge external FQDN.
//!
//! The seed page asks for a distinct SAN for the A/V Edge service (S1), but S2 and every
//! certificate table say the A/V Edge does not use the certificate's names (conflict C1). The
//! finding is information only, so that a reader who follows the seed is not surprised, and
//! its help says adding the name is optional.

use crate::rules::names::{external_fix_with_av, missing_external_names, NameRule};
use crate::rules::DiagnosticExt;

rule! {
    SanMissingAvEdge {
        code: "N004",
        name: "san-missing-av-edge",
        severity: Info,
        summary: "the external certificate's SAN lacks the A/V Edge external FQDN (optional)",
    }
    fn check(cx, out) {
        for m in missing_external_names(cx, NameRule::AvEdge) {
            let (t, pool, r) = (m.target, m.pool, m.name);
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{} {} lacks SAN {} (A/V Edge of pool {}){}; the A/V Edge does not \
                             use it, adding it is optional",
                        t.kind(),
                        t.written.value,
                        r.name,
                        pool.name.value,
                        t.request_note()
                    ),
                )
                .label(format!("SAN lacks {} (optional)", r.name))
                .related(
                    cx.at(t.id.topo, &r.source.span),
                    "A/V Edge FQDN defined here",
                )
                .fix(external_fix_with_av(t.topology, pool, t.entry)),
            );
        }
    }
}
