//! Facts extracted once per certificate, request and key; every rule reads these.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// The variable that opens PKCS#12 files no topology references.
pub const UNREFERENCED_PASSWORD_ENV: &str = "EDGELINT_PFX_PASSWORD";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Rsa { bits: usize },
    Ec { curve: String },
    Other { oid: String },
}

impl std::fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeyAlgorithm::Rsa { bits } => write!(f, "RSA {bits}-bit"),
            KeyAlgorithm::Ec { curve } => write!(f, "EC {curve}"),
            KeyAlgorithm::Other { oid } => write!(f, "key algorithm {oid}"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Eku {
    pub server_auth: bool,
    pub client_auth: bool,
    pub any: bool,
}

/// Where an item sits in its file: the `-----BEGIN` line of a PEM block (and that line's length
/// in characters), or line 1 of a binary file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FilePos {
    pub line: usize,
    pub width: usize,
}

impl FilePos {
    pub const START: FilePos = FilePos { line: 1, width: 0 };
}

#[derive(Debug, Clone, PartialEq)]
pub struct CertFacts {
    pub pos: FilePos,
    pub subject: String,
    pub issuer: String,
    pub subject_cn: Option<String>,
    pub san_dns: Vec<String>,
    /// The SAN or EKU extension could not be read (e.g. duplicated); names are then unknown.
    pub extension_error: Option<String>,
    pub eku: Option<Eku>,
    pub key: KeyAlgorithm,
    pub signature_oid: String,
    pub not_before: OffsetDateTime,
    pub not_after: OffsetDateTime,
    pub crl_distribution_points: bool,
    pub is_ca: bool,
    pub self_issued: bool,
    /// The subjectPublicKey bits, to match private keys.
    pub public_key: Vec<u8>,
    pub der: Arc<[u8]>,
    /// The fingerprint, once computed (pool rules compare many).
    pub sha256: std::sync::OnceLock<String>,
}

/// Lower-case hex of `bytes` (fingerprints: the pool rules print and compare thousands).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

impl CertFacts {
    /// The SHA-256 fingerprint, lower-case hex (computed on demand: most runs never print one).
    pub fn sha256(&self) -> String {
        self.fingerprint().to_string()
    }

    /// `sha256`, borrowed.
    pub fn fingerprint(&self) -> &str {
        self.sha256.get_or_init(|| {
            use sha2::Digest;
            hex(&sha2::Sha256::digest(&self.der))
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestFacts {
    pub pos: FilePos,
    pub subject_cn: Option<String>,
    pub san_dns: Vec<String>,
    pub eku: Option<Eku>,
    pub key: KeyAlgorithm,
    pub public_key: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyFacts {
    pub pos: FilePos,
    pub encrypted: bool,
    /// The public key derived from the private key; `None` when it could not be derived
    /// (still encrypted, or an algorithm we do not derive).
    pub public_key: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Pem,
    Der,
    Pkcs12,
    Pkcs7,
}

/// A part of a file that could not be read (T003).
#[derive(Debug, Clone, PartialEq)]
pub struct FileProblem {
    pub pos: FilePos,
    pub message: String,
}

/// Why a password-protected file (PKCS#12, encrypted key) could not be opened (T004).
#[derive(Debug, Clone, PartialEq)]
pub enum UnlockError {
    /// The entry has no `password_env`.
    NoPasswordEnv,
    /// The named variable is not set.
    Unset(String),
    /// The named variable is set but empty, and the file needs a password (an empty password
    /// is tried as the null password and as the empty one).
    EmptyPassword(String),
    WrongPassword,
    /// The structure does not parse: a T003 finding, not a password problem.
    Corrupt(String),
    /// A well-formed file that edgelint does not read (an algorithm, a mode, an iteration
    /// count above the limit): a T003 finding, whatever the password.
    Unsupported(String),
}

/// What opening with a password yields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unlocked {
    pub certs: Vec<CertFacts>,
    pub keys: Vec<KeyFacts>,
    pub problems: Vec<FileProblem>,
    /// PKCS#12: the Microsoft CSP name attribute (OID 1.3.6.1.4.1.311.17.1) of each key bag
    /// that has one, in file order (K004). Empty when no key bag names a provider, or when the
    /// key bags could not be read without decryption.
    pub key_providers: Vec<String>,
}

/// One certificate-like file as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct CertFile {
    pub path: PathBuf,
    pub display: Arc<str>,
    /// The file could not be read at all (T002): not found, not a file, unreadable.
    pub read_error: Option<String>,
    pub format: FileFormat,
    pub certs: Vec<CertFacts>,
    pub requests: Vec<RequestFacts>,
    pub keys: Vec<KeyFacts>,
    pub problems: Vec<FileProblem>,
    /// PKCS#12 files and encrypted keys, opened once per password source: the `password_env`
    /// variable named by a referencing entry, or `None` for an entry without one.
    pub unlocked: BTreeMap<Option<String>, Result<Unlocked, UnlockError>>,
}

impl CertFile {
    pub fn empty(path: PathBuf, display: Arc<str>, format: FileFormat) -> Self {
        CertFile {
            path,
            display,
            read_error: None,
            format,
            certs: Vec::new(),
            requests: Vec::new(),
            keys: Vec::new(),
            problems: Vec::new(),
            unlocked: BTreeMap::new(),
        }
    }

    pub fn is_pkcs12(&self) -> bool {
        self.format == FileFormat::Pkcs12
    }
}

/// The certificate a file stands for (rules.md "Which certificate of a file"): the one that
/// matches the private key, else the first non-CA certificate, else the first.
pub fn leaf_index(certs: &[CertFacts], keys: &[&KeyFacts]) -> Option<usize> {
    let by_key = keys
        .iter()
        .filter_map(|k| k.public_key.as_ref())
        .find_map(|pk| certs.iter().position(|c| &c.public_key == pk));
    by_key
        .or_else(|| certs.iter().position(|c| !c.is_ca))
        .or(if certs.is_empty() { None } else { Some(0) })
}
