//! A002: Edge Servers must present (and be able to build) the whole chain: a PFX or bundle
//! without its intermediates breaks TLS for partners that do not have them.

use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::chain::ChainEnd;
use crate::diagnostic::Severity;

pub struct ChainIncomplete;

static META: RuleMeta = RuleMeta {
    code: "A002",
    name: "chain-incomplete",
    severity: Severity::Error,
    summary: "no chain from the leaf to a root can be built from the file, trust.ca_bundle, trust.public_roots and the public roots",
    sources: &["S15", "S16", "req G6"],
};

impl Rule for ChainIncomplete {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        for t in cx.chain_targets() {
            let ChainEnd::Incomplete { issuer, after } = &t.end else {
                continue;
            };
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "certificate {} has an incomplete chain: {issuer}, issuer of {after}, is in neither the file, trust.ca_bundle, trust.public_roots nor the public roots",
                        t.written.value
                    ),
                )
                .label(format!("chain stops at {after}"))
                .help(format!(
                    "add the certificate of {issuer} to the file (export the PFX with \"include all certificates in the certification path\") or list it in `trust.ca_bundle`"
                )),
            );
        }
    }
}
