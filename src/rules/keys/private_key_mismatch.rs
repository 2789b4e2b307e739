//! K002: the private key (in the PKCS#12 file or the `key` file) must belong to the
//! certificate: Windows cannot use a certificate whose key does not match.

use crate::derive::Material;
use crate::rules::DiagnosticExt;

rule! {
    PrivateKeyMismatch {
        code: "K002",
        name: "private-key-mismatch",
        severity: Error,
        summary: "the private key does not match the certificate's public key",
    }
    fn check(cx, out) {
        for (id, entry, file_ref) in super::assigned(cx) {
            let Some(leaf) = cx.leaf(id) else { continue };
            let Material::Available { keys, .. } = cx.material(id) else {
                continue;
            };
            let derived: Vec<&Vec<u8>> =
                keys.iter().filter_map(|k| k.public_key.as_ref()).collect();
            if derived.is_empty() || derived.iter().any(|pk| **pk == leaf.public_key) {
                continue;
            }
            let cn = leaf.subject_cn.as_deref().unwrap_or("(no CN)");
            let (span, message) = match &entry.key {
                Some(k) => (
                    &k.written.span,
                    format!(
                        "private key in {} does not match certificate {} (CN {cn})",
                        k.written.value, file_ref.written.value
                    ),
                ),
                None => (
                    &file_ref.written.span,
                    format!(
                        "the private key in {} does not match its certificate (CN {cn})",
                        file_ref.written.value
                    ),
                ),
            };
            let mut d = META
                .diag(cx.at(id.topo, span), message)
                .label("key does not belong to the certificate")
                .help("pair the certificate with the key it was issued for, or re-export the PFX from the server that holds that key");
            if entry.key.is_some() {
                d = d.related(
                    cx.at(id.topo, &file_ref.written.span),
                    "certificate named here",
                );
            }
            out.push(d);
        }
    }
}
