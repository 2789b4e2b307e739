//! V003: a leaf certificate that expires within the warning window (30 days by default).
//! A staged replacement for every use of the certificate silences it.

use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    CertificateExpiringSoon {
        code: "V003",
        name: "certificate-expiring-soon",
        severity: Warning,
        summary: "a leaf certificate expires within the warning window (default 30 days)",
    }
    fn check(cx, out) {
        let now = cx.settings.now;
        let window = time::Duration::days(cx.settings.expiry_warning_days);
        for c in cx.certificates() {
            if !c.is_leaf || c.cert.not_after < now || c.cert.not_after - now > window {
                continue;
            }
            let none = Default::default();
            let coverage = cx.replacement_coverage(&c.file.path).unwrap_or(&none);
            let (covered, uncovered) = (coverage.covered, &coverage.uncovered);
            if covered > 0 && uncovered.is_empty() {
                continue;
            }
            let days = (c.cert.not_after - now).whole_days();
            let mut message = format!(
                "{} expires on {}, in {days} day{}",
                c.describe(),
                date(c.cert.not_after),
                if days == 1 { "" } else { "s" }
            );
            if covered > 0 {
                let names: Vec<&str> = uncovered.iter().map(|u| u.name()).collect();
                message.push_str(&format!("; no staged replacement for {}", names.join(", ")));
            }
            out.push(
                META.diag(c.location.clone(), message)
                    .label(format!("expires in {days} days"))
                    .help("renew it now; for AudioVideoAuthentication stage the new certificate with `roll:` ahead of the expiry"),
            );
        }
    }
}
