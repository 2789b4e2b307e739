//! V002: a certificate whose validity has not begun. Staged (`roll`) certificates are judged
//! at their effective date instead (R004).

use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    CertificateNotYetValid {
        code: "V002",
        name: "certificate-not-yet-valid",
        severity: Error,
        summary: "a certificate of the chain is not yet valid",
    }
    fn check(cx, out) {
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
