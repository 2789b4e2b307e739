//! V001: an expired certificate, leaf or CA: an expired intermediate breaks the chain too.

use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    CertificateExpired {
        code: "V001",
        name: "certificate-expired",
        severity: Error,
        summary: "a certificate of the chain has expired",
    }
    fn check(cx, out) {
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
