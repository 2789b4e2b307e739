//! Passwords: which password each PKCS#12 file and encrypted key is opened with (the
//! `password_env` of each entry naming it, `EDGELINT_PFX_PASSWORD` for files no topology names,
//! none), and the opening itself. A password is read from the environment, used, and never kept
//! or printed.

use std::collections::BTreeSet;
use std::ffi::OsString;

use super::certificate::{cert_facts, decode_base64, decrypt_pkcs8, public_from_pkcs8, scan_pem};
use crate::model::certs::UNREFERENCED_PASSWORD_ENV;
use crate::model::certs::*;
use crate::model::topology::TopologyFile;

/// Open a PKCS#12 file or a file with encrypted keys with each password source that names it
/// (`envs`: the `password_env` values of the entries naming it; `None`: no topology names it,
/// then `EDGELINT_PFX_PASSWORD` or no password). True when a PKCS#12 file no topology names
/// was skipped, having no password to open it with.
pub fn open(file: &mut CertFile, bytes: &[u8], envs: Option<&BTreeSet<Option<String>>>) -> bool {
    let needs_password = file.is_pkcs12() || file.keys.iter().any(|k| k.encrypted);
    let mut skipped = false;
    if needs_password && file.problems.is_empty() {
        let mut sources: Vec<Option<String>> = envs
            .map(|e| e.iter().cloned().collect())
            .unwrap_or_default();
        if envs.is_none() {
            if std::env::var_os(UNREFERENCED_PASSWORD_ENV).is_some() {
                sources.push(Some(UNREFERENCED_PASSWORD_ENV.into()));
            } else if file.is_pkcs12() {
                // A file without a password opens as it is; a corrupt one is still told from
                // a locked one.
                match unlock_pkcs12(bytes, "") {
                    Ok(opened) => {
                        file.unlocked.insert(None, Ok(opened));
                    }
                    Err(e) => match unreadable_message(file, &e) {
                        Some(message) => file.problems.push(FileProblem {
                            pos: FilePos::START,
                            message,
                        }),
                        None => skipped = true,
                    },
                }
            }
        }
        for env in sources {
            let result = unlock(bytes, file, &env);
            if let Some(message) = result
                .as_ref()
                .err()
                .and_then(|e| unreadable_message(file, e))
            {
                if !file.problems.iter().any(|p| p.message == message) {
                    file.problems.push(FileProblem {
                        pos: FilePos::START,
                        message,
                    });
                }
            }
            file.unlocked.insert(env, result);
        }
    }
    skipped
}

/// Password sources by file (by its path's text: hashed as bytes, not component by component).
pub(super) type Needs = crate::fast_hash::FastMap<OsString, BTreeSet<Option<String>>>;

/// Which password sources each referenced file must be opened with.
pub(super) fn password_needs(topologies: &[TopologyFile]) -> Needs {
    let mut needs: Needs = crate::fast_hash::map_with_capacity(topologies.len() * 4);
    for t in topologies {
        let Some(topo) = &t.topology else { continue };
        for entry in topo.entries() {
            let env = entry.password_env.as_ref().map(|e| e.value.clone());
            for p in [&entry.file, &entry.key, &entry.request]
                .into_iter()
                .flatten()
            {
                needs
                    .entry(p.resolved.clone().into_os_string())
                    .or_default()
                    .insert(env.clone());
            }
        }
        for p in topo.trust.ca_bundle.iter().chain(&topo.trust.public_roots) {
            needs
                .entry(p.resolved.clone().into_os_string())
                .or_default();
        }
    }
    needs
}

pub(super) fn unlock(
    bytes: &[u8],
    file: &CertFile,
    env: &Option<String>,
) -> Result<Unlocked, UnlockError> {
    let opener = |pw: &str| {
        if file.is_pkcs12() {
            unlock_pkcs12(bytes, pw)
        } else {
            unlock_pem_keys(bytes, pw)
        }
    };
    match env {
        None => opener("").map_err(|e| match e {
            UnlockError::WrongPassword => UnlockError::NoPasswordEnv,
            other => other,
        }),
        Some(var) => match std::env::var(var) {
            Ok(pw) if pw.is_empty() => opener("").map_err(|e| match e {
                UnlockError::WrongPassword => UnlockError::EmptyPassword(var.clone()),
                other => other,
            }),
            Ok(pw) => opener(&pw),
            Err(_) => Err(UnlockError::Unset(var.clone())),
        },
    }
}

/// The T003 message of an unlock error that is about the file, not the password.
pub(super) fn unreadable_message(file: &CertFile, e: &UnlockError) -> Option<String> {
    let (what, corrupt) = if file.is_pkcs12() {
        ("PKCS#12 file", "not a PKCS#12 file")
    } else {
        (
            "encrypted private key",
            "encrypted private key does not decode",
        )
    };
    match e {
        UnlockError::Corrupt(m) => Some(format!("{corrupt}: {m}")),
        UnlockError::Unsupported(m) => Some(format!("{what} cannot be read: {m}")),
        _ => None,
    }
}

/// Open every `ENCRYPTED PRIVATE KEY` block of a PEM file with a password.
pub fn unlock_pem_keys(bytes: &[u8], password: &str) -> Result<Unlocked, UnlockError> {
    let mut ignored = Vec::new();
    let mut out = Unlocked::default();
    for b in scan_pem(bytes, &mut ignored) {
        if b.label != "ENCRYPTED PRIVATE KEY" {
            continue;
        }
        let der =
            decode_base64(&b.body).ok_or_else(|| UnlockError::Corrupt("invalid base64".into()))?;
        let public_key = decrypt_pkcs8(&der, password)?;
        out.keys.push(KeyFacts {
            pos: b.pos,
            encrypted: true,
            public_key,
        });
    }
    Ok(out)
}

/// Open a PKCS#12 archive (src/load/pkcs12).
pub fn unlock_pkcs12(bytes: &[u8], password: &str) -> Result<Unlocked, UnlockError> {
    use super::pkcs12::{self, Error as E};
    let opened = pkcs12::open(bytes, password).map_err(|e| match e {
        E::WrongPassword => UnlockError::WrongPassword,
        E::Malformed(m) => UnlockError::Corrupt(m),
        E::Unsupported(m) => UnlockError::Unsupported(m),
    })?;
    let mut out = Unlocked {
        key_providers: opened
            .keys
            .iter()
            .filter_map(|k| k.csp_name.clone())
            .collect(),
        ..Unlocked::default()
    };
    for c in &opened.certs {
        match cert_facts(c, FilePos::START) {
            Ok(f) => out.certs.push(f),
            Err(e) => out.problems.push(FileProblem {
                pos: FilePos::START,
                message: format!("a certificate in the PKCS#12 file does not parse: {e}"),
            }),
        }
    }
    for k in &opened.keys {
        match public_from_pkcs8(&k.pkcs8) {
            Ok(pk) => out.keys.push(KeyFacts {
                pos: FilePos::START,
                encrypted: false,
                public_key: pk,
            }),
            Err(e) => out.problems.push(FileProblem {
                pos: FilePos::START,
                message: format!("the private key in the PKCS#12 file does not parse: {e}"),
            }),
        }
    }
    Ok(out)
}
