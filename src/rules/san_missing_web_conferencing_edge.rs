//! N002: the external certificate's SAN must list the Web Conferencing Edge external FQDN.
//!
//! In the single-FQDN layout the Web Conferencing FQDN equals the Access Edge FQDN and only
//! N001 reports it (one fact, one finding).

use super::names::{contains_name, external_fix, name_eq};
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct SanMissingWebConferencingEdge;

static META: RuleMeta = RuleMeta {
    code: "N002",
    name: "san-missing-web-conferencing-edge",
    severity: Severity::Error,
    summary: "the external certificate's SAN lacks the Web Conferencing Edge external FQDN",
    sources: &["S2", "S15", "req A2"],
};

impl Rule for SanMissingWebConferencingEdge {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for t in cx.name_targets() {
            let Some(pool) = t.pool else { continue };
            if !t.entry.is_external() {
                continue;
            }
            let fqdn = &pool.external.web_conferencing_edge;
            if name_eq(&fqdn.value, &pool.external.access_edge.value)
                || contains_name(t.sans, &fqdn.value)
            {
                continue;
            }
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{} {} lacks SAN {} (Web Conferencing Edge of pool {}){}",
                        t.kind(),
                        t.written.value,
                        fqdn.value,
                        pool.name.value,
                        t.request_note()
                    ),
                )
                .label(format!("SAN lacks {}", fqdn.value))
                .related(
                    cx.at(t.id.topo, &fqdn.span),
                    "Web Conferencing Edge FQDN defined here",
                )
                .help(external_fix(t.topology, pool, t.entry)),
            );
        }
    }
}
