//! V002: a certificate whose validity has not begun. Staged (`roll`) certificates are judged
//! at their effective date instead (R004).

use super::validity::date;
use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct CertificateNotYetValid;

static META: RuleMeta = RuleMeta {
    code: "V002",
    name: "certificate-not-yet-valid",
    severity: Severity::Error,
    summary: "a certificate of the chain is not yet valid",
    sources: &["req G7"],
};

impl Rule for CertificateNotYetValid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        let now = cx.settings.now;
        for c in cx.certificates() {
            if c.staged_only || c.cert.not_before <= now {
                continue;
            }
            out.push(
                META.diag(
                    c.location.clone(),
                    format!(
                        "{} is not valid before {}",
                        c.describe(),
                        date(c.cert.not_before)
                    ),
                )
                .label("not yet valid")
                .help("assign it once it is valid, or stage it with `roll: {effective_date: ...}`"),
            );
        }
    }
}
