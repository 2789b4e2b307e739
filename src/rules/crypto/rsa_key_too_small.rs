//! C001: an RSA key under 1024 bits is rejected; exactly 1024 bits is supported but weak
//! (warning). A certificate assigned to OAuthTokenIssuer needs at least 2048 bits ("Assigning
//! a server-to-server authentication certificate to Microsoft Lync Server 2013"). Other sizes
//! above 1024 bits are C002's (rules.md "Precedence and scope").

use crate::diagnostic::Severity;
use crate::model::certs::KeyAlgorithm;
use crate::rules::crypto::{
    assigned_to_oauth, leaves, leaves_and_requests, replacement_fix, requests, rsa_2048_command,
    Judged,
};
use crate::rules::DiagnosticExt;

rule! {
    RsaKeyTooSmall {
        code: "C001",
        name: "rsa-key-too-small",
        severity: Error,
        summary: "an RSA key under 1024 bits (warning: exactly 1024 bits, supported but 2048+ recommended)",
    }
    fn check(cx, out) {
        let leaves = leaves(cx, true);
        let requests = requests(cx);
        for j in leaves_and_requests(&leaves, requests) {
            let KeyAlgorithm::Rsa { bits } = *j.key() else {
                continue;
            };
            let oauth = assigned_to_oauth(cx, j.refs());
            if bits > 1024 && !(oauth && bits < 2048) {
                continue;
            }
            let d = if oauth {
                META.diag(
                    j.location(),
                    format!(
                        "{} has a {bits}-bit RSA key; a certificate assigned to OAuthTokenIssuer \
                         must have at least 2048 bits{}",
                        j.describe(),
                        j.request_note()
                    ),
                )
                .label(format!("RSA {bits}-bit key"))
            } else if bits < 1024 {
                META.diag(
                    j.location(),
                    format!(
                        "{} has a {bits}-bit RSA key, below the 1024-bit minimum{}",
                        j.describe(),
                        j.request_note()
                    ),
                )
                .label(format!("RSA {bits}-bit key"))
            } else {
                META.diag(
                    j.location(),
                    format!(
                        "{} has a 1024-bit RSA key: supported, but 2048 bits or more are recommended{}",
                        j.describe(),
                        j.request_note()
                    ),
                )
                .severity(Severity::Warning)
                .label("RSA 1024-bit key")
            };
            let again = match j {
                Judged::Cert(_) => "issue a new certificate with a 2048-bit RSA key",
                Judged::Request(_) => "make the request again with a 2048-bit RSA key",
            };
            out.push(match replacement_fix(cx, j.refs(), 2048) {
                Some(fix) => d.help(format!("{again}:")).fix(fix),
                None => d.help(format!("{again}: {}", rsa_2048_command())),
            });
        }
    }
}
