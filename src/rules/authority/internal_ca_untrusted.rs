//! A003: the internal Edge certificate usually comes from the organisation's CA; that root
//! must be one the topology declares (trust.ca_bundle) or a public one, or the Front End
//! servers will not trust the Edge.

use crate::derive::chain::ChainEnd;
use crate::rules::DiagnosticExt;

rule! {
    InternalCaUntrusted {
        code: "A003",
        name: "internal-ca-untrusted",
        severity: Warning,
        summary: "the internal certificate chains to a root that is neither in trust.ca_bundle nor public",
    }
    fn check(cx, out) {
        for t in cx.chain_targets().iter().filter(|t| t.is_internal()) {
            let root = match &t.end {
                ChainEnd::UnknownRoot { root } => root.clone(),
                ChainEnd::SelfSigned => t.leaf.subject.clone(),
                _ => continue,
            };
            out.push(
                META.diag(
                    cx.at(t.id.topo, &t.written.span),
                    format!(
                        "internal certificate {} chains to {root}, which is neither in trust.ca_bundle nor a public root",
                        t.written.value
                    ),
                )
                .label("root not declared as trusted")
                .help("add the organisation's root CA certificate to `trust.ca_bundle` (and make sure the Front End pool trusts it)"),
            );
        }
    }
}
