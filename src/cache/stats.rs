//! What each certificate-like file's content hashed to, by the file's status: `stats.bin` in
//! the cache folder maps a path and its device, inode, size, modification and change times to
//! the SHA-256 of the content read at that status. A warm run that finds a file's status
//! unchanged takes the hash from here instead of reading and hashing the file (most of a warm
//! run's loading), as git's index and ruff's cache do.
//!
//! Why a status can stand for the content: any write to a file, and any change of its mode or
//! owner, sets its change time to the current time, and no call sets it back. A status is
//! recorded only when both times are at least [`SETTLED`] older than the run that read it,
//! so that a change made during or after that run (even within one tick of a file system's
//! clock) cannot leave the same status. A file whose status differs in anything is read and
//! hashed again. Like the links, the file has a magic, this build's identity and a SHA-256 of
//! all before it; a file that is not exactly that is ignored (and replaced by a later run).

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

use crate::fast_hash::FastMap;

const MAGIC: &[u8; 16] = b"edgelint stats\n\0";
const FILE: &str = "stats.bin";
/// How much older than the run a status must be to be recorded: more than the coarsest clock
/// of the file systems edgelint meets (FAT's two seconds).
pub const SETTLED: Duration = Duration::from_secs(3);
/// At most this many bytes are read (a larger file is ignored).
const MAX_BYTES: u64 = 256 << 20;
/// Device, inode, size, modification and change times (seconds, nanoseconds).
const STATUS_LEN: usize = 8 * 5 + 4 * 2;

/// A file's status as the index compares it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Status([u8; STATUS_LEN]);

impl Status {
    /// The status of a regular file, when it is settled (both times at least [`SETTLED`]
    /// before `run_start`) and this platform has one.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata, run_start: SystemTime) -> Option<Status> {
        use std::os::unix::fs::MetadataExt;
        if !meta.is_file() {
            return None;
        }
        let limit = run_start.checked_sub(SETTLED)?;
        let at = |s: i64, ns: i64| {
            let ns = u32::try_from(ns).ok()?;
            let s = u64::try_from(s).ok()?;
            SystemTime::UNIX_EPOCH.checked_add(Duration::new(s, ns))
        };
        let modified = at(meta.mtime(), meta.mtime_nsec())?;
        let changed = at(meta.ctime(), meta.ctime_nsec())?;
        if modified > limit || changed > limit {
            return None;
        }
        let mut out = [0u8; STATUS_LEN];
        let words = [meta.dev(), meta.ino(), meta.size()];
        let times = [
            (meta.mtime(), meta.mtime_nsec()),
            (meta.ctime(), meta.ctime_nsec()),
        ];
        let mut at = 0;
        for w in words {
            out[at..at + 8].copy_from_slice(&w.to_le_bytes());
            at += 8;
        }
        for (s, ns) in times {
            out[at..at + 8].copy_from_slice(&s.to_le_bytes());
            out[at + 8..at + 12].copy_from_slice(&(ns as u32).to_le_bytes());
            at += 12;
        }
        Some(Status(out))
    }

    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata, _run_start: SystemTime) -> Option<Status> {
        None
    }
}

type Digest32 = [u8; 32];

/// The index as read, and what this run looked up or learned.
#[derive(Default)]
pub struct Stats {
    known: FastMap<Vec<u8>, (Status, Digest32)>,
    run: Mutex<Run>,
}

#[derive(Default)]
struct Run {
    /// Path → status and digest, for every file this run found or recorded.
    used: FastMap<Vec<u8>, (Status, Digest32)>,
    learned: bool,
}

fn path_bytes(path: &Path) -> Vec<u8> {
    path.as_os_str().as_encoded_bytes().to_vec()
}

impl Stats {
    /// The index of the cache folder `dir`; empty when absent, foreign or damaged.
    pub fn read(dir: &Path, identity: &[u8; 32]) -> Stats {
        let known = crate::read::read_limited(&dir.join(FILE), MAX_BYTES)
            .ok()
            .and_then(|bytes| decode(&bytes, identity))
            .unwrap_or_default();
        Stats {
            known,
            run: Mutex::default(),
        }
    }

    fn run(&self) -> std::sync::MutexGuard<'_, Run> {
        self.run.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether the index has a record of `path`.
    pub fn has(&self, path: &Path) -> bool {
        self.known.contains_key(path.as_os_str().as_encoded_bytes())
    }

    /// The content digest recorded for `path` at exactly this status.
    pub fn digest(&self, path: &Path, status: Status) -> Option<Digest32> {
        let (known, digest) = *self.known.get(path.as_os_str().as_encoded_bytes())?;
        if known != status {
            return None;
        }
        self.run().used.insert(path_bytes(path), (status, digest));
        Some(digest)
    }

    /// Remember that `path` at `status` had content with this digest (learned only when the
    /// index did not already say so, so an unchanged index is not written again).
    pub fn record(&self, path: &Path, status: Status, digest: Digest32) {
        let known = self.known.get(path.as_os_str().as_encoded_bytes()) == Some(&(status, digest));
        let mut run = self.run();
        run.used.insert(path_bytes(path), (status, digest));
        run.learned |= !known;
    }

    /// Replace the folder's index with this run's entries when it learned any (atomically;
    /// failures are silent).
    pub fn write(&self, dir: &Path, identity: &[u8; 32]) {
        let run = self.run();
        if !run.learned {
            return;
        }
        // Besides this run's files, as many others as it used (files a run on part of the
        // tree did not visit), so the index neither forgets a repository nor grows forever.
        let mut spare = run.used.len() + 1024;
        let others = self.known.iter().filter(|(path, _)| {
            let keep = spare > 0 && !run.used.contains_key(*path);
            spare -= usize::from(keep);
            keep
        });
        let mut entries: Vec<_> = run.used.iter().chain(others).collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = Vec::with_capacity(64 + entries.len() * 160);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(identity);
        for (path, (status, digest)) in entries {
            out.extend_from_slice(&(path.len() as u32).to_le_bytes());
            out.extend_from_slice(path);
            out.extend_from_slice(&status.0);
            out.extend_from_slice(digest);
        }
        let check = Sha256::digest(&out);
        out.extend_from_slice(&check);
        if super::create_dir(dir).is_ok() {
            let _ = super::write_atomic(&dir.join(FILE), &out);
        }
    }
}

/// The number of entries an index with these records holds (after a valid header, with a
/// valid check), `None` when they do not decode: the fuzz target `cache_entry`.
pub fn decode_records(records: &[u8]) -> Option<usize> {
    let identity = [0x11; 32];
    let mut bytes = [&MAGIC[..], &identity, records].concat();
    let check = Sha256::digest(&bytes);
    bytes.extend_from_slice(&check);
    decode(&bytes, &identity).map(|index| index.len())
}

fn decode(bytes: &[u8], identity: &[u8; 32]) -> Option<FastMap<Vec<u8>, (Status, Digest32)>> {
    let header = MAGIC.len() + 32;
    let body_end = bytes.len().checked_sub(32)?;
    if body_end < header
        || bytes[..MAGIC.len()] != MAGIC[..]
        || bytes[MAGIC.len()..header] != identity[..]
        || Sha256::digest(&bytes[..body_end])[..] != bytes[body_end..]
    {
        return None;
    }
    let mut out = FastMap::default();
    let mut rest = &bytes[header..body_end];
    while !rest.is_empty() {
        let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let path = rest.get(4..4usize.checked_add(len)?)?;
        let fixed = rest.get(4 + len..4 + len + STATUS_LEN + 32)?;
        let status = Status(fixed[..STATUS_LEN].try_into().ok()?);
        let digest: Digest32 = fixed[STATUS_LEN..].try_into().ok()?;
        out.insert(path.to_vec(), (status, digest));
        rest = &rest[4 + len + STATUS_LEN + 32..];
    }
    Some(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("edgelint-stats-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn a_fresh_file_is_not_recorded_and_a_settled_one_is() {
        let dir = temp("settled");
        let file = dir.join("a.pem");
        std::fs::write(&file, b"x").unwrap();
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(Status::of(&meta, SystemTime::now()), None);
        let later = SystemTime::now() + SETTLED + Duration::from_secs(1);
        assert!(Status::of(&meta, later).is_some());
        assert_eq!(Status::of(&std::fs::metadata(&dir).unwrap(), later), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_index_reads_back_and_damage_is_refused() {
        let dir = temp("index");
        let file = dir.join("a.pem");
        std::fs::write(&file, b"x").unwrap();
        let later = SystemTime::now() + SETTLED + Duration::from_secs(1);
        let status = Status::of(&std::fs::metadata(&file).unwrap(), later).unwrap();
        let identity = [7; 32];
        let stats = Stats::read(&dir, &identity);
        assert_eq!(stats.digest(&file, status), None);
        stats.record(&file, status, [9; 32]);
        stats.write(&dir, &identity);
        let again = Stats::read(&dir, &identity);
        assert_eq!(again.digest(&file, status), Some([9; 32]));
        // Another status, another build, a damaged file: nothing is found.
        let mut other = status;
        other.0[20] ^= 1;
        assert_eq!(again.digest(&file, other), None);
        assert_eq!(Stats::read(&dir, &[8; 32]).digest(&file, status), None);
        let path = dir.join(FILE);
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 40] ^= 1;
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(Stats::read(&dir, &identity).digest(&file, status), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
