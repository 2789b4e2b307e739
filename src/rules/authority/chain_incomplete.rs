//! A002: Edge Servers must present (and be able to build) the whole chain: a PFX or bundle
//! without its intermediates breaks TLS for partners that do not have them.

use crate::derive::chain::ChainEnd;
use crate::rules::DiagnosticExt;

rule! {
    ChainIncomplete {
        code: "A002",
        name: "chain-incomplete",
        severity: Error,
        summary: "no chain from the leaf to a root can be built from the file, trust.ca_bundle, trust.public_roots and the public roots",
    }
    fn check(cx, out) {
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
