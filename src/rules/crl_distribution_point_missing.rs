//! C008: every Edge and reverse proxy certificate must carry a CRL Distribution Point: the
//! servers that validate it check revocation. CA certificates (a root or intermediate named
//! as `file`) and requests are not judged.

use super::crypto::leaves;
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct CrlDistributionPointMissing;

static META: RuleMeta = RuleMeta {
    code: "C008",
    name: "crl-distribution-point-missing",
    severity: Severity::Error,
    summary: "an Edge or reverse proxy certificate without a CRL Distribution Point extension",
    sources: &["S14", "S22", "req G4"],
};

impl Rule for CrlDistributionPointMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in leaves(cx, false) {
            if c.cert.is_ca || c.cert.crl_distribution_points {
                continue;
            }
            out.push(
                META.diag(
                    c.location.clone(),
                    format!(
                        "{} has no CRL Distribution Point extension",
                        c.describe()
                    ),
                )
                .label("no CRL Distribution Point")
                .help("issue it from a CA that writes a CRL Distribution Point into its certificates (on AD CS: add an http:// CDP location on the CA's Extensions tab, then issue the certificate again)"),
            );
        }
    }
}
