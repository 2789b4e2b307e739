//! K001: an assigned certificate needs its private key on every Edge Server. A PKCS#12 file
//! without a key cannot be assigned; a bare PEM/DER certificate without `key` or `exportable`
//! leaves exportability unverifiable (warning).

use crate::derive::Material;
use crate::diagnostic::Severity;
use crate::rules::DiagnosticExt;

rule! {
    PrivateKeyMissing {
        code: "K001",
        name: "private-key-missing",
        severity: Error,
        summary: "an assigned PKCS#12 file holds no private key (warning: a bare certificate with neither `key` nor `exportable`)",
    }
    fn check(cx, out) {
        for (id, entry, file_ref) in super::assigned(cx) {
            let Material::Available { file, keys, certs } = cx.material(id) else {
                continue;
            };
            if certs.is_empty() {
                continue;
            }
            let at = cx.at(id.topo, &file_ref.written.span);
            if file.is_pkcs12() {
                if keys.is_empty() {
                    out.push(
                        META.diag(
                            at,
                            format!("PKCS#12 file {} holds no private key", file_ref.written.value),
                        )
                        .label("no private key in this file")
                        .help("export the certificate again with its private key (Export-PfxCertificate, or `openssl pkcs12 -export -inkey ...`)"),
                    );
                }
            } else if entry.key.is_none() && entry.exportable.is_none() && file.keys.is_empty() {
                out.push(
                    META.diag(
                        at,
                        format!(
                            "certificate {} has neither `key` nor `exportable`: whether its private key exists and is exportable cannot be verified",
                            file_ref.written.value
                        ),
                    )
                    .severity(Severity::Warning)
                    .label("no private key known for this certificate")
                    .help("add `key: <private key file>`, or `exportable: true` once you have checked that the key is exportable"),
                );
            }
        }
    }
}
