//! T004: a PKCS#12 file or encrypted key that cannot be opened: no `password_env`, an unset or
//! empty variable, or a wrong password. The password itself is never printed. A file that is
//! unreadable whatever the password (corrupt, unsupported, over a limit) is T003.

use crate::derive::Field;
use crate::diagnostic::Severity;
use crate::model::certs::{FilePos, UnlockError, UNREFERENCED_PASSWORD_ENV};
use crate::rules::{Context, DiagnosticExt, Findings};

rule! {
    Pkcs12Password {
        code: "T004",
        name: "pkcs12-password",
        severity: Error,
        summary: "a PKCS#12 file or encrypted key cannot be opened (password unset or wrong)",
    }
    fn check(cx, out) {
        unreferenced(cx, out);
        for (path, refs) in &cx.plan.references {
            let Some(file) = cx.repo.file(path) else {
                continue;
            };
            let mut reported: Vec<Option<String>> = Vec::new();
            for r in refs {
                if !matches!(r.field, Field::File | Field::Key) {
                    continue;
                }
                let Some(id) = r.entry else { continue };
                let entry = cx.entry(id);
                let env = entry.password_env.as_ref().map(|e| e.value.clone());
                let Some(Err(err)) = file.unlocked.get(&env) else {
                    continue;
                };
                if reported.contains(&env) {
                    continue;
                }
                reported.push(env.clone());
                let what = if file.is_pkcs12() {
                    "PKCS#12 file"
                } else {
                    "encrypted private key"
                };
                let (message, help) = match err {
                    UnlockError::NoPasswordEnv => (
                        format!("{what} {} is password-protected and its entry has no `password_env`", r.written),
                        "add `password_env: VARIABLE` to the entry and set VARIABLE to the password".to_string(),
                    ),
                    UnlockError::Unset(var) => (
                        format!("environment variable {var} (password of {what} {}) is not set", r.written),
                        format!("set {var} to the password before running edgelint"),
                    ),
                    UnlockError::EmptyPassword(var) => (
                        format!("environment variable {var} is empty, and {what} {} needs a password (neither the empty nor the null password opens it)", r.written),
                        format!("set {var} to the file's password"),
                    ),
                    UnlockError::WrongPassword => (
                        format!(
                            "the password in {} does not open {what} {}",
                            env.as_deref().unwrap_or("(none)"),
                            r.written
                        ),
                        "check the variable's value, or the file: it may have been exported with another password".to_string(),
                    ),
                    // The file, not the password: T003.
                    UnlockError::Corrupt(_) | UnlockError::Unsupported(_) => continue,
                };
                let span = entry
                    .password_env
                    .as_ref()
                    .map_or(r.span.clone(), |e| e.span.clone());
                out.push(
                    META.diag(cx.at(r.topo, &span), message)
                        .label("cannot open the file")
                        .help(help),
                );
            }
        }
    }
}

/// A PKCS#12 file no topology names, which the user asked to be read by setting
/// EDGELINT_PFX_PASSWORD, and which that password does not open: a warning at the file,
/// since the file was not checked.
fn unreferenced(cx: &Context<'_>, out: &mut Findings) {
    let env = Some(UNREFERENCED_PASSWORD_ENV.to_string());
    for path in &cx.repo.walked {
        if cx.plan.references.contains_key(path.as_os_str()) {
            continue;
        }
        let Some(file) = cx.repo.file(path).filter(|f| f.is_pkcs12()) else {
            continue;
        };
        if !matches!(
            file.unlocked.get(&env),
            Some(Err(UnlockError::WrongPassword))
        ) {
            continue;
        }
        out.push(
            META.diag(
                cx.in_file(file, FilePos::START),
                format!(
                    "{UNREFERENCED_PASSWORD_ENV} does not open {} (wrong password); it was not checked",
                    file.display
                ),
            )
            .severity(Severity::Warning)
            .label("cannot open the file")
            .help(format!(
                "name the file in a topology entry with its own `password_env`, set \
                 {UNREFERENCED_PASSWORD_ENV} to its password, or leave it out with \
                 --exclude or --referenced-only"
            )),
        );
    }
}
