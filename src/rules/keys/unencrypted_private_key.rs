//! K005: an unencrypted private key committed to the repository (PEM `PRIVATE KEY`,
//! `RSA PRIVATE KEY`, `EC PRIVATE KEY` without `Proc-Type: 4,ENCRYPTED`, or a DER `.key`).
//! Every key the walk finds is judged, referenced or not; files only referenced from outside the
//! walk are not. Located at the key block's `-----BEGIN` line; its content is never shown.

use crate::model::certs::FileFormat;
use crate::rules::DiagnosticExt;

const HELP: &str = "remove it from the repository (and its history) and replace the certificate, or keep the key encrypted: openssl pkcs8 -topk8 -v2 aes-256-cbc -in <key> -out <key>.enc, or a PKCS#12 file, with the password in the entry's `password_env` variable";

rule! {
    UnencryptedPrivateKey {
        code: "K005",
        name: "unencrypted-private-key",
        severity: Warning,
        summary: "an unencrypted private key in the repository",
    }
    fn check(cx, out) {
        for path in &cx.repo.walked {
            let Some(file) = cx.repo.file(path) else {
                continue;
            };
            if file.read_error.is_some() {
                continue;
            }
            let form = match file.format {
                FileFormat::Der => "DER private key",
                _ => "PEM private key",
            };
            for key in file.keys.iter().filter(|k| !k.encrypted) {
                out.push(
                    META.diag(
                        cx.in_file(file, key.pos),
                        format!(
                            "unencrypted private key in {}: anyone who can read the repository has it",
                            file.display
                        ),
                    )
                    .label(format!("unencrypted {form}"))
                    .help(HELP),
                );
            }
        }
    }
}
