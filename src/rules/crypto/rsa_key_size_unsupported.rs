//! C002: Lync Server 2013 and Request-CsCertificate know RSA keys of 1024, 2048 and 4096 bits;
//! any other size above 1024 (e.g. 3072) is not listed, so its support is unconfirmed.

use crate::model::certs::KeyAlgorithm;
use crate::rules::crypto::{
    assigned_to_oauth, leaves, leaves_and_requests, replacement_fix, requests, rsa_2048_command,
};
use crate::rules::DiagnosticExt;

rule! {
    RsaKeySizeUnsupported {
        code: "C002",
        name: "rsa-key-size-unsupported",
        severity: Warning,
        summary: "an RSA key above 1024 bits other than 2048 or 4096 (e.g. 3072)",
    }
    fn check(cx, out) {
        let leaves = leaves(cx, true);
        let requests = requests(cx);
        for j in leaves_and_requests(&leaves, requests) {
            let KeyAlgorithm::Rsa { bits } = *j.key() else {
                continue;
            };
            // Up to 1024 bits is C001's, and under 2048 on an OAuthTokenIssuer certificate.
            if bits <= 1024
                || bits == 2048
                || bits == 4096
                || (bits < 2048 && assigned_to_oauth(cx, j.refs()))
            {
                continue;
            }
            let d = META
                .diag(
                    j.location(),
                    format!(
                        "{} has a {bits}-bit RSA key: the supported sizes are 1024, 2048 and 4096 bits{}",
                        j.describe(),
                        j.request_note()
                    ),
                )
                .label(format!("RSA {bits}-bit key"));
            out.push(match replacement_fix(cx, j.refs(), 2048) {
                Some(fix) => d.help("use a 2048-bit (or 4096-bit) RSA key:").fix(fix),
                None => d.help(format!(
                    "use a 2048-bit (or 4096-bit) RSA key: {}",
                    rsa_2048_command()
                )),
            });
        }
    }
}
