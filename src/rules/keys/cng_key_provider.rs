//! K004: Lync Server 2010/2013 use only keys held by a legacy CryptoAPI provider (CSP). A
//! PKCS#12 file whose key bag names a CNG Key Storage Provider in its Microsoft CSP name
//! attribute (OID 1.3.6.1.4.1.311.17.1) is imported into that provider, and assigning the
//! certificate then fails ("The buffer supplied to a function was too small").
//!
//! Judged once per PKCS#12 file that holds a key, at the first `file:` of an entry with uses
//! (the K rules do not apply to the reverse proxy). Files no topology names are not judged: the
//! provider matters only for a certificate that is going to be assigned.

use crate::derive::{Field, Scope};
use crate::rules::DiagnosticExt;

/// A CNG provider name: `... Key Storage Provider`, or the TPM's `Microsoft Platform Crypto
/// Provider`. Legacy CryptoAPI names end in `Cryptographic Provider`.
pub fn is_cng(provider: &str) -> bool {
    let p = provider.trim();
    p.to_ascii_lowercase().ends_with("key storage provider")
        || p.eq_ignore_ascii_case("Microsoft Platform Crypto Provider")
}

const HELP: &str = "re-export it with a legacy CryptoAPI provider: openssl pkcs12 -export -CSP \"Microsoft Enhanced RSA and AES Cryptographic Provider\" -inkey <key> -in <certificate> -certfile <chain> -out <file>.pfx, or import it on Windows with certutil -csp \"Microsoft Enhanced RSA and AES Cryptographic Provider\" -importpfx <file>.pfx and export it again";

rule! {
    CngKeyProvider {
        code: "K004",
        name: "cng-key-provider",
        severity: Warning,
        summary: "the PKCS#12 key bag names a CNG Key Storage Provider instead of a legacy CryptoAPI CSP",
    }
    fn check(cx, out) {
        for file in cx.repo.files.values() {
            if !file.is_pkcs12() {
                continue;
            }
            let Some(opened) = file.unlocked.values().find_map(|u| u.as_ref().ok()) else {
                continue;
            };
            if opened.keys.is_empty() {
                continue;
            }
            let mut cng: Vec<&str> = Vec::new();
            for p in &opened.key_providers {
                if is_cng(p) && !cng.contains(&p.as_str()) {
                    cng.push(p);
                }
            }
            if cng.is_empty() {
                continue;
            }
            let Some(refs) = cx.plan.references.get(file.path.as_os_str()) else {
                continue;
            };
            let first = refs.iter().find(|r| {
                r.field == Field::File
                    && r.entry.is_some_and(|id| {
                        id.scope != Scope::ReverseProxy && !cx.entry(id).uses.is_empty()
                    })
            });
            let Some(first) = first else { continue };
            let (location, name) = (cx.at(first.topo, &first.span), &first.written);
            for provider in cng {
                out.push(
                    META.diag(
                        location.clone(),
                        format!(
                            "PKCS#12 file {name} puts its private key in the CNG provider \"{provider}\": Lync Server 2013 needs a legacy CryptoAPI provider"
                        ),
                    )
                    .label("key bound to a CNG Key Storage Provider")
                    .help(HELP),
                );
            }
        }
    }
}
