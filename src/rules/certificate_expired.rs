//! V001: an expired certificate, leaf or CA: an expired intermediate breaks the chain too.

use super::validity::date;
use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct CertificateExpired;

static META: RuleMeta = RuleMeta {
    code: "V001",
    name: "certificate-expired",
    severity: Severity::Error,
    summary: "a certificate of the chain has expired",
    sources: &["req G7"],
};

impl Rule for CertificateExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let now = cx.settings.now;
        for c in cx.certificates() {
            if c.cert.not_after < now {
                out.push(
                    META.diag(
                        c.location.clone(),
                        format!("{} expired on {}", c.describe(), date(c.cert.not_after)),
                    )
                    .label("expired")
                    .help("renew the certificate and replace the file"),
                );
            }
        }
    }
}
