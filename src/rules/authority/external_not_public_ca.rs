//! A001: the external Edge and reverse proxy certificates must come from a public CA that
//! federation partners and remote clients already trust; a self-signed certificate or one from
//! the organisation's own CA fails for every party outside the organisation.

use crate::derive::chain::ChainEnd;
use crate::diagnostic::Severity;
use crate::rules::DiagnosticExt;

rule! {
    ExternalNotPublicCa {
        code: "A001",
        name: "external-not-public-ca",
        severity: Error,
        summary: "an external or reverse proxy certificate is self-signed or issued by the organisation's own CA",
    }
    fn check(cx, out) {
        for t in cx.chain_targets().iter().filter(|t| t.is_external()) {
            let at = cx.at(t.id.topo, &t.written.span);
            let role = if t.is_reverse_proxy() {
                "reverse proxy"
            } else {
                "external"
            };
            let d = match &t.end {
                ChainEnd::SelfSigned => META.diag(
                    at,
                    format!("{role} certificate {} is self-signed", t.written.value),
                ),
                ChainEnd::OrganisationRoot { root } => META.diag(
                    at,
                    format!(
                        "{role} certificate {} chains to {root}, a root of the organisation's own PKI (trust.ca_bundle)",
                        t.written.value
                    ),
                ),
                ChainEnd::UnknownRoot { root } => META
                    .diag(
                        at,
                        format!(
                            "{role} certificate {} chains to {root}, which is neither a public root nor in trust.ca_bundle",
                            t.written.value
                        ),
                    )
                    .severity(Severity::Warning),
                ChainEnd::PublicRoot { .. } | ChainEnd::Incomplete { .. } => continue,
            };
            out.push(
                d.label("not from a public CA")
                    .help("request it from a public CA (Microsoft's unified communications certificate partners); if Windows trusts this root but Mozilla's store does not, list it under `trust.public_roots`"),
            );
        }
    }
}
