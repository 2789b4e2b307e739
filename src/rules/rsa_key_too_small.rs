//! C001: an RSA key under 1024 bits is rejected; exactly 1024 bits is supported but weak
//! (warning). Sizes above 1024 bits are C002's (rules.md "Precedence and scope").

use super::crypto::{leaves, leaves_and_requests, requests, rsa_2048_command, Judged};
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::certs::KeyAlgorithm;

pub struct RsaKeyTooSmall;

static META: RuleMeta = RuleMeta {
    code: "C001",
    name: "rsa-key-too-small",
    severity: Severity::Error,
    summary:
        "an RSA key under 1024 bits (warning: exactly 1024 bits, supported but 2048+ recommended)",
    sources: &["S14", "S22", "S28", "req G1"],
};

impl Rule for RsaKeyTooSmall {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let leaves = leaves(cx, true);
        let requests = requests(cx);
        for j in leaves_and_requests(&leaves, requests) {
            let KeyAlgorithm::Rsa { bits } = *j.key() else {
                continue;
            };
            if bits > 1024 {
                continue;
            }
            let d = if bits < 1024 {
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
            let help = match j {
                Judged::Cert(_) => format!(
                    "issue a new certificate with a 2048-bit RSA key: {}",
                    rsa_2048_command(cx, j.refs())
                ),
                Judged::Request(_) => format!(
                    "make the request again with a 2048-bit RSA key: {}",
                    rsa_2048_command(cx, j.refs())
                ),
            };
            out.push(d.help(help));
        }
    }
}
