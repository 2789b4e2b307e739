//! Certificate-like files → facts: PEM bundles, DER certificates, PKCS#10 requests, private
//! keys, PKCS#7 bundles (PKCS#12 archives: `load::pkcs12`, opened with a password by
//! `load::password`). Every failure becomes a `FileProblem` and the rest of the file is still
//! read.

mod keys;
mod pem;
mod pkcs7;
mod x509;

use std::sync::Arc;

pub use keys::{decrypt_pkcs8, public_from_pkcs8};
pub(crate) use pem::scan_pem;
pub use pem::{decode_base64, looks_like_pem};
pub use x509::{cert_facts, request_facts};

use crate::model::certs::*;
use keys::read_key_der;
use pem::read_pem;
use pkcs7::read_pkcs7;

/// What a binary file is read as, by its extension (topology.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryKind {
    Certificate,
    Request,
    Pkcs12,
    Pkcs7,
    Key,
}

pub fn binary_kind(path: &std::path::Path) -> BinaryKind {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "pfx" | "p12" => BinaryKind::Pkcs12,
        "csr" | "req" => BinaryKind::Request,
        "p7b" | "p7c" => BinaryKind::Pkcs7,
        "key" => BinaryKind::Key,
        _ => BinaryKind::Certificate,
    }
}

/// Read a file's content (no passwords involved).
pub fn load(path: std::path::PathBuf, display: Arc<str>, bytes: &[u8]) -> CertFile {
    let kind = binary_kind(&path);
    if kind == BinaryKind::Pkcs12 {
        let mut f = CertFile::empty(path, display, FileFormat::Pkcs12);
        if bytes.is_empty() {
            f.problems
                .push(problem(FilePos::START, "empty PKCS#12 file".into()));
        }
        return f;
    }
    if looks_like_pem(bytes) {
        let mut f = CertFile::empty(path, display, FileFormat::Pem);
        read_pem(&mut f, bytes);
        return f;
    }
    let format = if kind == BinaryKind::Pkcs7 {
        FileFormat::Pkcs7
    } else {
        FileFormat::Der
    };
    let mut f = CertFile::empty(path, display, format);
    if bytes.is_empty() {
        f.problems
            .push(problem(FilePos::START, "empty file".into()));
        return f;
    }
    match kind {
        BinaryKind::Request => match request_facts(bytes, FilePos::START) {
            Ok(r) => f.requests.push(r),
            Err(e) => f.problems.push(problem(
                FilePos::START,
                format!("not a DER certificate request: {e}"),
            )),
        },
        BinaryKind::Pkcs7 => read_pkcs7(&mut f, bytes, FilePos::START),
        BinaryKind::Key => read_key_der(&mut f, bytes, FilePos::START),
        _ => match cert_facts(bytes, FilePos::START) {
            Ok(c) => f.certs.push(c),
            Err(e) => f.problems.push(problem(
                FilePos::START,
                format!("not a DER certificate: {e}"),
            )),
        },
    }
    f
}

pub(super) fn problem(pos: FilePos, message: String) -> FileProblem {
    FileProblem { pos, message }
}
