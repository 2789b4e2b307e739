//! C005: an RSASSA-PSS signature is unsupported by Lync Server 2013 / Skype for Business
//! ("may lead to errors on login and call forwarding issues"). Scope as C004.

use super::crypto::leaves;
use super::weak_signature::self_signed;
use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct RsassaPssSignature;

static META: RuleMeta = RuleMeta {
    code: "C005",
    name: "rsassa-pss-signature",
    severity: Severity::Error,
    summary: "an RSASSA-PSS signature: unsupported",
    sources: &["S14", "S22", "req G3"],
};

const RSASSA_PSS: &str = "1.2.840.113549.1.1.10";

impl Rule for RsassaPssSignature {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for c in leaves(cx, true) {
            if self_signed(c.cert) || c.cert.signature_oid != RSASSA_PSS {
                continue;
            }
            out.push(
                META.diag(
                    c.location.clone(),
                    format!(
                        "{} has an RSASSA-PSS signature, which Lync Server 2013 does not support (sign-in errors, call forwarding issues)",
                        c.describe()
                    ),
                )
                .label("RSASSA-PSS signature")
                .help("have the CA issue it again with a PKCS#1 v1.5 signature (sha256WithRSAEncryption); on AD CS: certutil -setreg ca\\csp\\AlternateSignatureAlgorithm 0, then restart the CA service"),
            );
        }
    }
}
