//! C004: a leaf signed with SHA-1 (warning: supported by the product, rejected by public trust
//! stores) or with MD5/MD2 (error: Windows no longer accepts them). Requests are not judged (the
//! CA chooses the certificate's signature), nor are self-signed certificates: a self-signed
//! certificate is trusted by being in the store, its own signature is never verified.

use crate::diagnostic::Severity;
use crate::rules::crypto::leaves;
use crate::rules::DiagnosticExt;

/// The weak signature algorithms: (OID, name, digest, error?).
const WEAK: &[(&str, &str, &str, bool)] = &[
    (
        "1.2.840.113549.1.1.5",
        "sha1WithRSAEncryption",
        "SHA-1",
        false,
    ),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1", "SHA-1", false),
    ("1.2.840.10040.4.3", "dsa-with-sha1", "SHA-1", false),
    ("1.3.14.3.2.29", "sha1WithRSASignature", "SHA-1", false),
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", "MD5", true),
    ("1.2.840.113549.1.1.2", "md2WithRSAEncryption", "MD2", true),
];

/// Is a leaf outside C004/C005's scope: a self-signed certificate (subject equals issuer)?
pub fn self_signed(cert: &crate::model::certs::CertFacts) -> bool {
    cert.self_issued
}

rule! {
    WeakSignature {
        code: "C004",
        name: "weak-signature",
        severity: Warning,
        summary: "a SHA-1 signature (error: MD5, MD2)",
    }
    fn check(cx, out) {
        for c in leaves(cx, true) {
            if self_signed(c.cert) {
                continue;
            }
            let Some(&(_, alg, digest, error)) =
                WEAK.iter().find(|(oid, ..)| *oid == c.cert.signature_oid)
            else {
                continue;
            };
            let d = if error {
                META.diag(
                    c.location.clone(),
                    format!(
                        "{} is signed with {digest} ({alg}), which Windows no longer accepts",
                        c.describe()
                    ),
                )
                .severity(Severity::Error)
            } else {
                META.diag(
                    c.location.clone(),
                    format!(
                        "{} is signed with {digest} ({alg}): supported by Lync Server 2013, but rejected by public trust stores",
                        c.describe()
                    ),
                )
            };
            out.push(
                d.label(format!("{digest} signature"))
                    .help("have the CA issue it again with a SHA-256 signature (on AD CS: certutil -setreg ca\\csp\\CNGHashAlgorithm SHA256, then restart the CA service; with an OpenSSL CA: openssl ca -md sha256, or openssl x509 -req -sha256)"),
            );
        }
    }
}
