//! The binary form of a cache entry: what loading a certificate-like file yields (facts,
//! problems, what each password source opened), never a password or private key material.
//! The decoder trusts nothing: every length is checked against what is left, so a corrupt or
//! hostile entry is `None`, never a panic or a large allocation.

use std::collections::BTreeMap;
use std::sync::Arc;

use time::OffsetDateTime;

use crate::model::certs::*;
use crate::model::der;

/// Bumped whenever the layout below changes.
pub const FORMAT: u32 = 2;

/// What a cache entry holds: a loaded file without its path, and whether an unreferenced
/// PKCS#12 file was skipped for want of a password.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub format: FileFormat,
    pub certs: Vec<CertFacts>,
    pub requests: Vec<RequestFacts>,
    pub keys: Vec<KeyFacts>,
    pub problems: Vec<FileProblem>,
    pub unlocked: BTreeMap<Option<String>, Result<Unlocked, UnlockError>>,
    pub skipped: bool,
}

impl Entry {
    pub fn of(file: &CertFile, skipped: bool) -> Entry {
        Entry {
            format: file.format,
            certs: file.certs.clone(),
            requests: file.requests.clone(),
            keys: file.keys.clone(),
            problems: file.problems.clone(),
            unlocked: file.unlocked.clone(),
            skipped,
        }
    }

    /// The file at `path` as this entry describes it.
    pub fn into_file(self, path: std::path::PathBuf, display: Arc<str>) -> CertFile {
        CertFile {
            path,
            display,
            read_error: None,
            format: self.format,
            certs: self.certs,
            requests: self.requests,
            keys: self.keys,
            problems: self.problems,
            unlocked: self.unlocked,
        }
    }
}

pub fn encode(e: &Entry) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(1024));
    w.u8(format_tag(e.format));
    w.list(&e.certs, Writer::cert);
    w.list(&e.requests, Writer::request);
    w.list(&e.keys, Writer::key);
    w.list(&e.problems, Writer::problem);
    w.u32(e.unlocked.len() as u32);
    for (source, result) in &e.unlocked {
        w.opt(source, |w, s| w.str(s));
        match result {
            Ok(u) => {
                w.u8(0);
                w.unlocked(u);
            }
            Err(err) => w.unlock_error(err),
        }
    }
    w.u8(u8::from(e.skipped));
    w.0
}

/// The entry, or `None` when the bytes are not exactly one well-formed entry.
pub fn decode(bytes: &[u8]) -> Option<Entry> {
    let mut r = Reader(bytes);
    let format = match r.u8()? {
        0 => FileFormat::Pem,
        1 => FileFormat::Der,
        2 => FileFormat::Pkcs12,
        3 => FileFormat::Pkcs7,
        _ => return None,
    };
    let certs = r.list(Reader::cert)?;
    let requests = r.list(Reader::request)?;
    let keys = r.list(Reader::key)?;
    let problems = r.list(Reader::problem)?;
    let mut unlocked = BTreeMap::new();
    for _ in 0..r.count()? {
        let source = r.opt(Reader::str)?;
        let result = match r.u8()? {
            0 => Ok(r.unlocked()?),
            tag => Err(r.unlock_error(tag)?),
        };
        // In the map's order, each source once: the one form `encode` writes.
        if unlocked
            .keys()
            .next_back()
            .is_some_and(|last| *last >= source)
        {
            return None;
        }
        unlocked.insert(source, result);
    }
    let skipped = r.bool()?;
    r.0.is_empty().then_some(Entry {
        format,
        certs,
        requests,
        keys,
        problems,
        unlocked,
        skipped,
    })
}

fn format_tag(f: FileFormat) -> u8 {
    match f {
        FileFormat::Pem => 0,
        FileFormat::Der => 1,
        FileFormat::Pkcs12 => 2,
        FileFormat::Pkcs7 => 3,
    }
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len() as u32);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt<T>(&mut self, v: &Option<T>, f: impl FnOnce(&mut Self, &T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                f(self, v);
            }
        }
    }
    fn list<T>(&mut self, items: &[T], f: impl Fn(&mut Self, &T)) {
        self.u32(items.len() as u32);
        for item in items {
            f(self, item);
        }
    }
    fn pos(&mut self, p: &FilePos) {
        self.u64(p.line as u64);
        self.u64(p.width as u64);
    }
    fn time(&mut self, t: &OffsetDateTime) {
        self.0
            .extend_from_slice(&t.unix_timestamp_nanos().to_le_bytes());
    }
    fn eku(&mut self, e: &Option<Eku>) {
        self.opt(e, |w, e| {
            w.u8(u8::from(e.server_auth) | u8::from(e.client_auth) << 1 | u8::from(e.any) << 2)
        });
    }
    fn algorithm(&mut self, k: &KeyAlgorithm) {
        match k {
            KeyAlgorithm::Rsa { bits } => {
                self.u8(0);
                self.u64(*bits as u64);
            }
            KeyAlgorithm::Ec { curve } => {
                self.u8(1);
                self.str(curve);
            }
            KeyAlgorithm::Other { oid } => {
                self.u8(2);
                self.str(oid);
            }
        }
    }
    fn cert(&mut self, c: &CertFacts) {
        self.pos(&c.pos);
        self.str(&c.subject);
        self.str(&c.issuer);
        self.opt(&c.subject_cn, |w, s| w.str(s));
        self.list(&c.san_dns, |w, s| w.str(s));
        self.opt(&c.extension_error, |w, s| w.str(s));
        self.eku(&c.eku);
        self.algorithm(&c.key);
        self.str(&c.signature_oid);
        self.time(&c.not_before);
        self.time(&c.not_after);
        self.u8(u8::from(c.crl_distribution_points)
            | u8::from(c.is_ca) << 1
            | u8::from(c.self_issued) << 2);
        // The key's bits are in the DER: written again only when slicing them from it would
        // not give them back (never, for a certificate x509-parser read).
        if der::subject_public_key(&c.der) == Some(&c.public_key[..]) {
            self.u8(0);
        } else {
            self.u8(1);
            self.bytes(&c.public_key);
        }
        self.bytes(&c.der);
    }
    fn request(&mut self, r: &RequestFacts) {
        self.pos(&r.pos);
        self.opt(&r.subject_cn, |w, s| w.str(s));
        self.list(&r.san_dns, |w, s| w.str(s));
        self.eku(&r.eku);
        self.algorithm(&r.key);
        self.bytes(&r.public_key);
    }
    fn key(&mut self, k: &KeyFacts) {
        self.pos(&k.pos);
        self.u8(u8::from(k.encrypted));
        self.opt(&k.public_key, |w, b| w.bytes(b));
    }
    fn problem(&mut self, p: &FileProblem) {
        self.pos(&p.pos);
        self.str(&p.message);
    }
    fn unlocked(&mut self, u: &Unlocked) {
        self.list(&u.certs, Writer::cert);
        self.list(&u.keys, Writer::key);
        self.list(&u.problems, Writer::problem);
        self.list(&u.key_providers, |w, s| w.str(s));
    }
    fn unlock_error(&mut self, e: &UnlockError) {
        let (tag, text) = match e {
            UnlockError::NoPasswordEnv => (1, None),
            UnlockError::Unset(v) => (2, Some(v)),
            UnlockError::EmptyPassword(v) => (3, Some(v)),
            UnlockError::WrongPassword => (4, None),
            UnlockError::Corrupt(m) => (5, Some(m)),
            UnlockError::Unsupported(m) => (6, Some(m)),
        };
        self.u8(tag);
        if let Some(t) = text {
            self.str(t);
        }
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn bool(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }
    /// A count of items, each at least one byte: never more than the bytes left.
    fn count(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= self.0.len()).then_some(n)
    }
    fn bytes(&mut self) -> Option<Vec<u8>> {
        let n = self.u32()? as usize;
        Some(self.take(n)?.to_vec())
    }
    fn str(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?).ok()
    }
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(f(self)?)),
            _ => None,
        }
    }
    fn list<T>(&mut self, f: impl Fn(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.count()?;
        // Each item is far larger than a byte: reserve little, grow as items decode.
        let mut out = Vec::with_capacity(n.min(16));
        for _ in 0..n {
            out.push(f(self)?);
        }
        Some(out)
    }
    fn pos(&mut self) -> Option<FilePos> {
        Some(FilePos {
            line: self.usize()?,
            width: self.usize()?,
        })
    }
    fn time(&mut self) -> Option<OffsetDateTime> {
        let nanos = i128::from_le_bytes(self.take(16)?.try_into().ok()?);
        OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()
    }
    fn flags(&mut self) -> Option<[bool; 3]> {
        let b = self.u8()?;
        (b < 8).then_some([b & 1 != 0, b & 2 != 0, b & 4 != 0])
    }
    fn eku(&mut self) -> Option<Option<Eku>> {
        self.opt(|r| {
            let [server_auth, client_auth, any] = r.flags()?;
            Some(Eku {
                server_auth,
                client_auth,
                any,
            })
        })
    }
    fn algorithm(&mut self) -> Option<KeyAlgorithm> {
        Some(match self.u8()? {
            0 => KeyAlgorithm::Rsa {
                bits: self.usize()?,
            },
            1 => KeyAlgorithm::Ec { curve: self.str()? },
            2 => KeyAlgorithm::Other { oid: self.str()? },
            _ => return None,
        })
    }
    fn cert(&mut self) -> Option<CertFacts> {
        let pos = self.pos()?;
        let subject = self.str()?;
        let issuer = self.str()?;
        let subject_cn = self.opt(Reader::str)?;
        let san_dns = self.list(Reader::str)?;
        let extension_error = self.opt(Reader::str)?;
        let eku = self.eku()?;
        let key = self.algorithm()?;
        let signature_oid = self.str()?;
        let not_before = self.time()?;
        let not_after = self.time()?;
        let [crl_distribution_points, is_ca, self_issued] = self.flags()?;
        let written_key = self.opt(Reader::bytes)?;
        let der: Arc<[u8]> = Arc::from(self.bytes()?);
        let public_key = match written_key {
            Some(key) => key,
            None => der::subject_public_key(&der)?.to_vec(),
        };
        Some(CertFacts {
            pos,
            subject,
            issuer,
            subject_cn,
            san_dns,
            extension_error,
            eku,
            key,
            signature_oid,
            not_before,
            not_after,
            crl_distribution_points,
            is_ca,
            self_issued,
            public_key,
            der,
            sha256: std::sync::OnceLock::new(),
        })
    }
    fn request(&mut self) -> Option<RequestFacts> {
        Some(RequestFacts {
            pos: self.pos()?,
            subject_cn: self.opt(Reader::str)?,
            san_dns: self.list(Reader::str)?,
            eku: self.eku()?,
            key: self.algorithm()?,
            public_key: self.bytes()?,
        })
    }
    fn key(&mut self) -> Option<KeyFacts> {
        Some(KeyFacts {
            pos: self.pos()?,
            encrypted: self.bool()?,
            public_key: self.opt(Reader::bytes)?,
        })
    }
    fn problem(&mut self) -> Option<FileProblem> {
        Some(FileProblem {
            pos: self.pos()?,
            message: self.str()?,
        })
    }
    fn unlocked(&mut self) -> Option<Unlocked> {
        Some(Unlocked {
            certs: self.list(Reader::cert)?,
            keys: self.list(Reader::key)?,
            problems: self.list(Reader::problem)?,
            key_providers: self.list(Reader::str)?,
        })
    }
    fn unlock_error(&mut self, tag: u8) -> Option<UnlockError> {
        Some(match tag {
            1 => UnlockError::NoPasswordEnv,
            2 => UnlockError::Unset(self.str()?),
            3 => UnlockError::EmptyPassword(self.str()?),
            4 => UnlockError::WrongPassword,
            5 => UnlockError::Corrupt(self.str()?),
            6 => UnlockError::Unsupported(self.str()?),
            _ => return None,
        })
    }
}
