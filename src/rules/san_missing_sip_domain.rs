//! N003: the external certificate's SAN should list `sip.<domain>` for every SIP domain.
//!
//! Client auto-configuration and federation look the Access Edge up by `sip.<domain>`, so each
//! SIP domain needs its name (S1, S2). It is a warning because S2 makes it conditional on
//! using those features, and a common real defect: the Certificate Wizard and
//! Request-CsCertificate add only the primary SIP domain unless told otherwise (req A6).

use super::names::{external_fix, missing_external_names};
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct SanMissingSipDomain;

static META: RuleMeta = RuleMeta {
    code: "N003",
    name: "san-missing-sip-domain",
    severity: Severity::Warning,
    summary: "the external certificate's SAN lacks sip.<domain> for a SIP domain of the topology",
    sources: &["S1", "S2", "req A6"],
};

impl Rule for SanMissingSipDomain {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for m in missing_external_names(cx, META.code) {
            let (t, pool, r) = (m.target, m.pool, m.name);
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "{} {} lacks SAN {} (SIP domain {}){}",
                        t.kind(),
                        t.written.value,
                        r.name,
                        r.source.value,
                        t.request_note()
                    ),
                )
                .label(format!("SAN lacks {}", r.name))
                .related(cx.at(t.id.topo, &r.source.span), "SIP domain defined here")
                .help(external_fix(t.topology, pool, t.entry)),
            );
        }
    }
}
