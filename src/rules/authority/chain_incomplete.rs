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
                .help(advice(t.is_external(), issuer)),
            );
        }
    }
}

/// What fixes the chain depends on who needs it. The Edge (or reverse proxy) presents an
/// external certificate's chain to partners and clients, so only the file or the server's
/// stores help; `trust.ca_bundle` only tells edgelint about the organisation's own PKI.
fn advice(presented_outside: bool, issuer: &str) -> String {
    if presented_outside {
        format!(
            "the server presents this chain to partners and clients, which may not have {issuer}: re-export the PFX with its whole chain \
             (Windows: Export-PfxCertificate -ChainOption BuildChain; OpenSSL: openssl pkcs12 -export -in leaf.crt -inkey leaf.key -certfile intermediates.pem -out file.pfx), \
             or install {issuer} in the Intermediate Certification Authorities store of every server that uses it; \
             listing it in `trust.ca_bundle` would only inform edgelint, not the server"
        )
    } else {
        format!(
            "if {issuer} is your organisation's CA, list its certificate in `trust.ca_bundle` (and make sure every Edge and internal server has it in its Intermediate or Trusted Root store); \
             otherwise re-export the file with its whole chain (Windows: Export-PfxCertificate -ChainOption BuildChain; OpenSSL: openssl pkcs12 -export ... -certfile intermediates.pem)"
        )
    }
}
