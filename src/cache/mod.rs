//! The content-hash cache of what loading a certificate-like file yields (docs/performance.md).
//! An entry is found by a key made of the file's content (SHA-256), how its extension reads
//! it, each password source's variable *name* with a slow salted hash of its value (never the
//! value), and this build of edgelint; so an edit, a password change or another edgelint
//! misses, and a hit is exactly what loading would give.
//!
//! Entries live in [`SHARDS`] files (`facts-NN.bin`) in the cache folder: a header (magic,
//! this build's identity), then `key | length | entry | check` records. A shard is read once,
//! bounded, when a key in it is first asked for; an entry is used only when its check (128
//! bits of seeded foldhash over key and entry) and its decoding succeed, else it is a miss and the shard is
//! rewritten. A run writes only the shards it added to or found damaged, each as a new file
//! renamed over the old one, so two concurrent runs never see a half-written shard (the last
//! rename wins; the other's new entries are made again by a later run).

pub mod codec;
pub mod links;
pub mod stats;
pub mod tree;

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::fast_hash::{FastMap, FastSet};

pub use codec::Entry;

/// The default cache folder, at the root of the checked tree.
pub const DIR_NAME: &str = ".edgelint_cache";
pub const SHARDS: usize = 64;
const MAGIC: &[u8; 16] = b"edgelint cache\n\0";
const HEADER_LEN: usize = MAGIC.len() + 32;
/// A shard larger than this is not read (and is rewritten).
const MAX_SHARD_BYTES: u64 = 512 << 20;
const CHECK_LEN: usize = 16;
/// PBKDF2 rounds for a password's part of a key: no fewer than the 2,048 a PKCS#12 file's own MAC
/// usually takes, so a key offers no faster way to guess a password than the file itself.
const PASSWORD_ROUNDS: u32 = 2_048;

pub type Key = [u8; 32];

/// This build: the cache format, the version and a hash of the source (build.rs), so that a
/// changed edgelint never reads another's entries.
fn identity() -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"edgelint cache identity\0");
    h.update(codec::FORMAT.to_le_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(env!("EDGELINT_SOURCE_HASH").as_bytes());
    h.finalize().into()
}

pub struct Cache {
    dir: PathBuf,
    identity: [u8; 32],
    shards: Vec<Shard>,
    /// Per variable name: its state for keys (unset, not Unicode, or the password's hash).
    passwords: Mutex<HashMap<String, Vec<u8>>>,
    /// The folder exists (made on the first write).
    dir_ready: OnceLock<bool>,
    /// Content digests by file status (read when first asked).
    stats: OnceLock<stats::Stats>,
    /// When this run started: only a file status settled before it is recorded.
    run_start: std::time::SystemTime,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("dir", &self.dir).finish()
    }
}

#[derive(Default)]
struct Shard {
    loaded: OnceLock<Loaded>,
    pending: Mutex<Pending>,
}

/// A shard's bytes as read, and where each key's record is.
#[derive(Default)]
struct Loaded {
    bytes: Vec<u8>,
    /// Key → the range of its entry (the check follows it).
    index: FastMap<Key, Range<usize>>,
    /// Foreign, corrupt or too large: rewrite it.
    damaged: bool,
}

/// What a run does to a shard: the keys it used, and the shard being written anew (a
/// temporary file beside it, written as entries come, so that new entries are never held in
/// memory), renamed over the shard by [`Cache::flush`].
#[derive(Default)]
struct Pending {
    used: FastSet<Key>,
    written: FastSet<Key>,
    file: Option<(PathBuf, std::io::BufWriter<std::fs::File>)>,
    /// Writing failed: the shard is left as it was.
    failed: bool,
    damaged: bool,
}

/// How a file's passwords are chosen (`load::password::open`'s sources).
pub enum Sources<'a> {
    /// No topology names the file: `EDGELINT_PFX_PASSWORD` or none.
    Unreferenced(&'a str),
    /// The `password_env` of each entry naming it (`None`: an entry without one).
    Referenced(&'a std::collections::BTreeSet<Option<String>>),
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            identity: identity(),
            shards: (0..SHARDS).map(|_| Shard::default()).collect(),
            passwords: Mutex::new(HashMap::new()),
            dir_ready: OnceLock::new(),
            stats: OnceLock::new(),
            run_start: std::time::SystemTime::now(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The status of the file at `path` as the stat index compares it: `None` when it cannot
    /// be had, is not a regular file, or changed too recently to be recorded.
    pub fn status(&self, path: &Path) -> Option<stats::Status> {
        let meta = std::fs::metadata(path).ok()?;
        self.status_of(&meta)
    }

    /// The status of a file from its metadata (an opened file's, when it was read anyway).
    pub fn status_of(&self, meta: &std::fs::Metadata) -> Option<stats::Status> {
        stats::Status::of(meta, self.run_start)
    }

    /// Whether the stat index has a record of `path` (else asking for its status is no use).
    pub fn may_know(&self, path: &Path) -> bool {
        self.stats().has(path)
    }

    fn stats(&self) -> &stats::Stats {
        self.stats
            .get_or_init(|| stats::Stats::read(&self.dir, &self.identity))
    }

    /// The digest of the content the file had at this status, when a run recorded it.
    pub fn known_digest(&self, path: &Path, status: stats::Status) -> Option<[u8; 32]> {
        self.stats().digest(path, status)
    }

    /// Record the digest of the content read from the file at this status.
    pub fn record_digest(&self, path: &Path, status: stats::Status, digest: [u8; 32]) {
        self.stats().record(path, status, digest);
    }

    /// The key of a file's content (its SHA-256 `digest`) read as `kind` (how its extension
    /// reads it) with these password sources.
    pub fn key(&self, kind: u8, digest: &[u8; 32], sources: &Sources<'_>) -> Key {
        let mut h = Sha256::new();
        h.update(self.identity);
        h.update([kind]);
        h.update(digest);
        match sources {
            Sources::Unreferenced(var) => {
                h.update(b"U");
                h.update(self.password_state(var));
            }
            Sources::Referenced(envs) => {
                h.update(b"R");
                h.update((envs.len() as u64).to_le_bytes());
                for env in envs.iter() {
                    match env {
                        None => h.update([0]),
                        Some(var) => {
                            h.update([1]);
                            h.update((var.len() as u64).to_le_bytes());
                            h.update(var.as_bytes());
                            h.update(self.password_state(var));
                        }
                    }
                }
            }
        }
        h.finalize().into()
    }

    /// A variable's part of a key: unset, set but not Unicode, or a PBKDF2 hash of its value
    /// salted with its name (computed once per run and name).
    fn password_state(&self, var: &str) -> Vec<u8> {
        let mut known = self.passwords.lock().unwrap_or_else(|e| e.into_inner());
        known
            .entry(var.to_string())
            .or_insert_with(|| match std::env::var_os(var) {
                None => vec![0],
                Some(value) => match value.to_str() {
                    None => vec![2],
                    Some(pw) => {
                        let mut out = vec![1; 33];
                        let salt = [b"edgelint cache password\0", var.as_bytes()].concat();
                        pbkdf2::pbkdf2_hmac::<Sha256>(
                            pw.as_bytes(),
                            &salt,
                            PASSWORD_ROUNDS,
                            &mut out[1..],
                        );
                        out
                    }
                },
            })
            .clone()
    }

    fn shard(&self, key: &Key) -> (usize, &Shard) {
        let i = usize::from(key[0]) % SHARDS;
        (i, &self.shards[i])
    }

    fn shard_path(&self, i: usize) -> PathBuf {
        self.dir.join(format!("facts-{i:02}.bin"))
    }

    /// The entry stored under `key`, if it is there, intact and decodes.
    pub fn get(&self, key: &Key) -> Option<Entry> {
        self.lookup(key, codec::decode)
    }

    pub fn put(&self, key: &Key, entry: &Entry) {
        self.put_payload(key, &codec::encode(entry));
    }

    /// The key of the tree parsed from a topology's (masked) text.
    pub fn tree_key(&self, text: &str) -> Key {
        let mut h = Sha256::new();
        h.update(self.identity);
        h.update(b"yaml tree\0");
        h.update(text.as_bytes());
        h.finalize().into()
    }

    /// The tree stored under `key` for `text`, if it is there, intact and decodes for it.
    pub fn get_tree(&self, key: &Key, text: &str) -> Option<crate::model::tree::Node> {
        self.lookup(key, |payload| tree::decode(payload, text))
    }

    pub fn put_tree(&self, key: &Key, node: &crate::model::tree::Node) {
        if let Some(payload) = tree::encode(node) {
            self.put_payload(key, &payload);
        }
    }

    /// What `decode` makes of the payload stored under `key`, when it is there and intact; a
    /// payload that fails its check or does not decode is a miss, and its shard is rewritten.
    fn lookup<T>(&self, key: &Key, decode: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        let (i, shard) = self.shard(key);
        let loaded = shard
            .loaded
            .get_or_init(|| load_shard(&self.shard_path(i), &self.identity));
        let range = loaded.index.get(key)?.clone();
        let payload = &loaded.bytes[range.clone()];
        let check = &loaded.bytes[range.end..range.end + CHECK_LEN];
        let entry = (check_of(key, payload)[..] == *check)
            .then(|| decode(payload))
            .flatten();
        let mut pending = shard.pending.lock().unwrap_or_else(|e| e.into_inner());
        if entry.is_some() {
            pending.used.insert(*key);
        } else {
            pending.damaged = true;
        }
        entry
    }

    fn put_payload(&self, key: &Key, payload: &[u8]) {
        let (i, shard) = self.shard(key);
        let mut record = Vec::new();
        push_record(&mut record, key, payload);
        let mut pending = shard.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.failed || !pending.written.insert(*key) {
            return;
        }
        let written = self
            .writer(i, &mut pending)
            .and_then(|w| w.write_all(&record));
        if written.is_err() {
            pending.failed = true;
        }
    }

    /// The shard's new file, started (header written) on first use.
    fn writer<'p>(
        &self,
        i: usize,
        pending: &'p mut Pending,
    ) -> std::io::Result<&'p mut std::io::BufWriter<std::fs::File>> {
        if pending.file.is_none() {
            if !*self.dir_ready.get_or_init(|| create_dir(&self.dir).is_ok()) {
                return Err(std::io::Error::other("no cache folder"));
            }
            let tmp = temp_path(&self.shard_path(i));
            let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            let header = w
                .write_all(MAGIC)
                .and_then(|()| w.write_all(&self.identity));
            // Kept even when the header failed, so that `flush` removes the file.
            pending.file = Some((tmp, w));
            header?;
        }
        match pending.file.as_mut() {
            Some((_, w)) => Ok(w),
            None => Err(std::io::Error::other("no shard file")),
        }
    }

    /// Finish every shard this run added to or found damaged: the old entries it keeps are
    /// appended, and the new file renamed over the old. Failures are silent: a cache that
    /// cannot be written only makes runs slower.
    pub fn flush(&self) {
        if let Some(stats) = self.stats.get() {
            stats.write(&self.dir, &self.identity);
        }
        for (i, shard) in self.shards.iter().enumerate() {
            let mut pending = shard.pending.lock().unwrap_or_else(|e| e.into_inner());
            let loaded = shard.loaded.get();
            let damaged = pending.damaged || loaded.is_some_and(|l| l.damaged);
            if pending.file.is_none() && !damaged {
                continue;
            }
            let finished =
                self.keep_old(i, &mut pending, loaded)
                    .and_then(|()| match pending.file.take() {
                        Some((tmp, w)) => {
                            let renamed = w
                                .into_inner()
                                .map_err(|e| e.into_error())
                                .and_then(|_| std::fs::rename(&tmp, self.shard_path(i)));
                            if renamed.is_err() {
                                let _ = std::fs::remove_file(&tmp);
                            }
                            renamed
                        }
                        None => Ok(()),
                    });
            if finished.is_err() {
                if let Some((tmp, _)) = pending.file.take() {
                    let _ = std::fs::remove_file(tmp);
                }
            }
        }
    }

    /// Append to the new shard the old entries this run used, and other old ones while they
    /// are no more than the entries in use (so a shard does not grow without bound).
    fn keep_old(
        &self,
        i: usize,
        pending: &mut Pending,
        loaded: Option<&Loaded>,
    ) -> std::io::Result<()> {
        if pending.failed {
            return Err(std::io::Error::other("the shard was not written"));
        }
        self.writer(i, pending)?;
        let Some(loaded) = loaded else { return Ok(()) };
        let mut spare = pending.written.len() + pending.used.len() + 16;
        let mut old: Vec<(&Key, &Range<usize>)> = loaded.index.iter().collect();
        old.sort_by_key(|(_, r)| r.start);
        for (key, range) in old {
            let used = pending.used.contains(key);
            if pending.written.contains(key) || (!used && spare == 0) {
                continue;
            }
            let payload = &loaded.bytes[range.clone()];
            let check = &loaded.bytes[range.end..range.end + CHECK_LEN];
            if check_of(key, payload)[..] != *check {
                continue;
            }
            if !used {
                spare -= 1;
            }
            pending.written.insert(*key);
            let mut record = Vec::with_capacity(payload.len() + 56);
            push_record(&mut record, key, payload);
            self.writer(i, pending)?.write_all(&record)?;
        }
        Ok(())
    }
}

/// The SHA-256 of a file's content, as keys and the stat index take it.
pub fn content_digest(content: &[u8]) -> [u8; 32] {
    Sha256::digest(content).into()
}

/// A record's check: two seeded passes of foldhash (128 bits) over key and entry. It finds
/// damage (a cut or overwritten record, a flipped bit), which is all a check can find in a
/// folder anyone may write: nothing read from the cache is trusted (every entry is decoded
/// with every length checked), so an unkeyed SHA-256 here bought no more than this does, at
/// the cost of hashing every byte the cache writes and reads again.
fn check_of(key: &Key, payload: &[u8]) -> [u8; CHECK_LEN] {
    use std::hash::{BuildHasher, Hasher};
    let pass = |seed: u64| {
        let mut h = foldhash::quality::FixedState::with_seed(seed).build_hasher();
        h.write(key);
        h.write(payload);
        h.finish().to_le_bytes()
    };
    let mut out = [0; CHECK_LEN];
    out[..8].copy_from_slice(&pass(0x6564_6765_6c69_6e74));
    out[8..].copy_from_slice(&pass(0x6361_6368_6520_3132));
    out
}

fn push_record(out: &mut Vec<u8>, key: &Key, payload: &[u8]) {
    out.extend_from_slice(key);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&check_of(key, payload));
}

/// Read a shard (bounded) and index its records; anything unexpected stops the reading and
/// marks the shard damaged.
fn load_shard(path: &Path, identity: &[u8; 32]) -> Loaded {
    let bytes = match crate::read::read_limited(path, MAX_SHARD_BYTES) {
        Ok(b) => b,
        Err(crate::read::ReadError::NotFound) => return Loaded::default(),
        Err(_) => {
            return Loaded {
                damaged: true,
                ..Loaded::default()
            }
        }
    };
    let (index, damaged) = index_records(&bytes, identity);
    Loaded {
        bytes,
        index,
        damaged,
    }
}

/// Key → entry range of each record after a valid header; whether anything was wrong.
pub fn index_records(bytes: &[u8], identity: &[u8; 32]) -> (FastMap<Key, Range<usize>>, bool) {
    let mut index = FastMap::default();
    if bytes.len() < HEADER_LEN
        || &bytes[..MAGIC.len()] != MAGIC
        || bytes[MAGIC.len()..HEADER_LEN] != identity[..]
    {
        return (index, true);
    }
    let mut at = HEADER_LEN;
    while at < bytes.len() {
        let Some(head) = bytes.get(at..at + 40) else {
            return (index, true);
        };
        let key: Key = head[..32].try_into().unwrap_or([0; 32]);
        let len = u64::from_le_bytes(head[32..].try_into().unwrap_or([0xff; 8]));
        let start = at + 40;
        let end = usize::try_from(len).ok().and_then(|n| start.checked_add(n));
        match end {
            Some(end) if end.checked_add(CHECK_LEN).is_some_and(|e| e <= bytes.len()) => {
                index.insert(key, start..end);
                at = end + CHECK_LEN;
            }
            _ => return (index, true),
        }
    }
    (index, false)
}

/// The payload of each of a shard's records (the bytes after a valid header), `None` for each
/// that fails its check, and whether the records were damaged (the fuzz target `cache_entry`
/// and its seeds). A payload is an entry or a tree, told apart by the key that finds it.
pub fn decode_records(records: &[u8]) -> (Vec<Option<Vec<u8>>>, bool) {
    let identity = identity();
    let shard = [&MAGIC[..], &identity, records].concat();
    let (index, damaged) = index_records(&shard, &identity);
    let mut ranges: Vec<(&Key, &Range<usize>)> = index.iter().collect();
    ranges.sort_by_key(|(_, r)| r.start);
    let entries = ranges
        .into_iter()
        .map(|(key, r)| {
            let check = &shard[r.end..r.end + CHECK_LEN];
            (check_of(key, &shard[r.clone()])[..] == *check).then(|| shard[r.clone()].to_vec())
        })
        .collect();
    (entries, damaged)
}

/// The cache folder with its `.gitignore` (everything in it) and `CACHEDIR.TAG`.
fn create_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let files: [(&str, &[u8]); 2] = [
        (".gitignore", b"# Made by edgelint: its cache, never to be committed.\n*\n"),
        (
            "CACHEDIR.TAG",
            b"Signature: 8a477f597d28d172789f06886806bc55\n# edgelint's cache: https://bford.info/cachedir/\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        if !path.exists() {
            write_atomic(&path, text)?;
        }
    }
    Ok(())
}

/// A name beside `path` no other run or thread uses.
fn temp_path(path: &Path) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()))
}

/// Write a new file beside `path` and rename it over `path`: readers see the old file or the
/// new one, never a part.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
