//! C006: every Edge and reverse proxy certificate needs the Server Authentication EKU. An EKU
//! extension without it is an error. No EKU extension at all is a warning: Windows then accepts
//! the certificate for any purpose, but the documents ask for the Server EKU. The same holds for
//! an EKU that lists only anyExtendedKeyUsage (2.5.29.37.0): valid for any purpose, so a
//! warning, not an error. A request is judged only when it asks for an EKU (without one, the
//! CA's template adds it).

use crate::diagnostic::Severity;
use crate::rules::crypto::{leaves, requests, Judged};
use crate::rules::DiagnosticExt;

const HELP: &str = "issue it from a CA template whose Extended Key Usage includes Server Authentication (1.3.6.1.5.5.7.3.1), such as Web Server (AD CS), or with an OpenSSL CA with extendedKeyUsage = serverAuth, clientAuth in the extensions used when signing (openssl ca -extfile FILE); request it with Request-CsCertificate -New -Type <uses> -KeySize 2048 -PrivateKeyExportable $true";

fn lack_note(j: &Judged<'_, '_>) -> &'static str {
    match j {
        Judged::Cert(_) => "",
        Judged::Request(_) => "; a certificate issued from it would lack it too",
    }
}

rule! {
    ServerAuthEkuMissing {
        code: "C006",
        name: "server-auth-eku-missing",
        severity: Error,
        summary: "an Extended Key Usage without Server Authentication (warning: no EKU extension at all)",
    }
    fn check(cx, out) {
        let leaves = leaves(cx, false);
        let requests = requests(cx);
        let judged = leaves
            .iter()
            .map(|l| Judged::Cert(l))
            .chain(requests.iter().map(Judged::Request));
        for j in judged {
            let is_request = matches!(j, Judged::Request(_));
            let d = match j.eku() {
                Some(e) if e.server_auth => continue,
                None if is_request => continue,
                None => META
                    .diag(
                        j.location(),
                        format!(
                            "{} has no Extended Key Usage extension: Windows accepts it for any purpose, but the Server Authentication EKU is required",
                            j.describe()
                        ),
                    )
                    .severity(Severity::Warning)
                    .label("no Extended Key Usage"),
                Some(e) if e.any => META
                    .diag(
                        j.location(),
                        format!(
                            "{} has only anyExtendedKeyUsage, not the Server Authentication EKU (1.3.6.1.5.5.7.3.1){}",
                            j.describe(),
                            lack_note(&j)
                        ),
                    )
                    .severity(Severity::Warning)
                    .label("anyExtendedKeyUsage without Server Authentication"),
                Some(e) => META
                    .diag(
                        j.location(),
                        format!(
                            "{} has an Extended Key Usage {}without Server Authentication (1.3.6.1.5.5.7.3.1){}",
                            j.describe(),
                            if e.client_auth {
                                "with Client Authentication but "
                            } else {
                                ""
                            },
                            lack_note(&j)
                        ),
                    )
                    .label("EKU lacks Server Authentication"),
            };
            out.push(d.help(HELP));
        }
    }
}
