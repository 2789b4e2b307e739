//! discover → **load**: read every candidate into the model, in parallel.

pub mod certificate;
pub mod password;
pub mod pkcs12;
pub mod reader;
pub mod secrets;
pub mod suppressions;
pub mod topology;
pub mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cache::{self, Cache};
use crate::discover::{self, Candidate};
use crate::fast_hash::FastSet;
use crate::model::certs::{CertFile, FileFormat, FilePos, FileProblem};
use crate::model::topology::{ProblemKind, TopologyFile, TopologyProblem};
use crate::model::Repository;
use crate::read::{prefix, read_limited, read_reusing, ReadError};

/// Topology files larger than this are reported, not parsed.
pub const MAX_TOPOLOGY_BYTES: u64 = 4 * 1024 * 1024;
/// Certificate-like files larger than this are reported, not parsed.
pub const MAX_CERT_BYTES: u64 = 16 * 1024 * 1024;
pub use crate::model::certs::UNREFERENCED_PASSWORD_ENV;
pub use crate::parallel::par_map;
pub use topology::did_you_mean;

fn topology_error(
    path: &Path,
    display: Arc<str>,
    kind: ProblemKind,
    message: String,
) -> TopologyFile {
    TopologyFile {
        path: path.to_path_buf(),
        display,
        text: Arc::from(""),
        lines: crate::source::LineIndex::new(""),
        topology: None,
        problems: vec![TopologyProblem {
            kind,
            span: 0..0,
            message,
            label: None,
            help: None,
            related: None,
        }],
        suppressions: Vec::new(),
        tree: None,
        xml: None,
    }
}

/// Read one YAML candidate; `None` when it is not a topology file.
fn load_yaml(
    path: &Path,
    explicit: bool,
    cwd: &Path,
    cache: Option<&Cache>,
) -> Option<TopologyFile> {
    let display: Arc<str> = Arc::from(discover::display(path, cwd));
    let bytes = match read_limited(path, MAX_TOPOLOGY_BYTES) {
        Ok(b) => b,
        Err(e) => {
            // A file too large to parse is still recognised by its first megabyte; one that
            // cannot be read at all is reported: it may be a topology nobody checks.
            let claimed = explicit
                || !matches!(e, ReadError::TooLarge { .. })
                || prefix(path, 1 << 20)
                    .is_some_and(|p| topology::has_edge_pools_line(&String::from_utf8_lossy(&p)));
            let kind = if matches!(e, ReadError::TooLarge { .. }) {
                ProblemKind::Invalid
            } else {
                ProblemKind::Unreadable
            };
            return claimed
                .then(|| topology_error(path, display, kind, format!("cannot be read: {e}")));
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            if !(explicit || topology::has_edge_pools_line(&lossy)) {
                return None;
            }
            // The bytes before `at` are unchanged by the lossy conversion, so `at` is the
            // replacement character's offset (a secret before it only moves it).
            let (shown, found) = secrets::mask(&lossy, &secrets::scan_text(&lossy));
            let at = shown.find('\u{FFFD}').unwrap_or(at.min(shown.len()));
            let shown = crate::source::displayable(&shown).into_owned();
            let mut file = topology_error(
                path,
                display,
                ProblemKind::Invalid,
                format!(
                    "not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            );
            file.lines = crate::source::LineIndex::new(&shown);
            let end = (at + '\u{FFFD}'.len_utf8()).min(shown.len());
            file.problems[0].span = at.min(end)..end;
            file.problems[0].label = Some("not UTF-8".into());
            file.problems
                .extend(found.iter().map(topology::secret_problem));
            file.text = Arc::from(shown);
            return Some(file);
        }
    };
    topology_with_cache(path, display, &text, explicit, cache)
}

/// A topology file from its text (read from disk, or an editor's unsaved buffer); `None` when
/// the text is not a topology (no `edge_pools` or `topology_xml`), unless `explicit` says it is one anyway.
pub fn topology_from_text(
    path: &Path,
    display: Arc<str>,
    text: &str,
    explicit: bool,
) -> Option<TopologyFile> {
    topology_with_cache(path, display, text, explicit, None)
}

/// `topology_from_text`, with the parsed tree taken from and kept in `cache`.
fn topology_with_cache(
    path: &Path,
    display: Arc<str>,
    text: &str,
    explicit: bool,
    cache: Option<&Cache>,
) -> Option<TopologyFile> {
    let claimed = explicit || topology::has_edge_pools_line(text);
    if !claimed && !text.contains("edge_pools") && !text.contains("topology_xml") {
        return None;
    }
    let (text, parsed, secrets) = parse_masked(text, cache);
    let is_topology = match &parsed {
        Ok(Some(root)) => claimed || topology::is_topology_root(root),
        Ok(None) | Err(_) => claimed,
    };
    if !is_topology {
        return None;
    }
    // A file that mentions `edge_pools` only inside a value is foreign YAML.
    if let Ok(Some(root)) = &parsed {
        if !explicit && !topology::is_topology_root(root) {
            return None;
        }
    }
    // Shown text: unsafe characters replaced one for one (offsets unchanged), lone CR as LF.
    let displayable = crate::source::displayable(&text);
    let unchanged = matches!(displayable, std::borrow::Cow::Borrowed(_));
    let shown: Arc<str> = Arc::from(displayable.as_ref());
    let mut file = topology::load(path, display, shown, parsed, &secrets);
    if unchanged {
        // The tree is parsed again from the text when a finding's identity needs it
        // (filter::identity): a tree is several times its text, a text is needed anyway.
        file.tree = None;
    }
    Some(file)
}

/// Parse a topology text with its literal secrets masked first (so nothing downstream ever
/// sees one): the masked text, the parse, and the secret keys for T005.
fn parse_masked(
    text: &str,
    cache: Option<&Cache>,
) -> (
    String,
    Result<Option<yaml::Node>, yaml::YamlError>,
    Vec<secrets::Secret>,
) {
    let scanned = secrets::scan_text(text);
    let (mut shown, mut found) = secrets::mask(text, &scanned);
    let (mut parsed, mut kept, mut key) = tree_of(&shown, cache);
    if parsed.is_err() {
        if let Some((exact, exact_found)) = mask_by_tree(text, &scanned) {
            let (reparsed, was_kept, exact_key) = tree_of(&exact, cache);
            if reparsed.is_ok() {
                (shown, found, parsed, kept, key) =
                    (exact, exact_found, reparsed, was_kept, exact_key);
            }
        }
    }
    if let (Ok(Some(root)), false) = (&parsed, kept) {
        // The tree sees what a line-by-line scan cannot (a flow mapping over several lines).
        let mut tree = Vec::new();
        secrets::scan_tree(root, &mut tree);
        if tree
            .iter()
            .any(|s| &shown[s.value.clone()] != secrets::MASK)
        {
            shown = secrets::mask(&shown, &tree).0;
            (parsed, kept, key) = tree_of(&shown, cache);
        }
    }
    if let Ok(Some(root)) = &parsed {
        found.clear();
        secrets::scan_tree(root, &mut found);
        // Only a tree whose every secret is masked is kept (so a kept one needs no second
        // look): no password reaches the cache.
        let masked = found
            .iter()
            .all(|s| &shown[s.value.clone()] == secrets::MASK);
        if let (Some(c), Some(key), false, true) = (cache, key, kept, masked) {
            c.put_tree(&key, root);
        }
    }
    (shown, parsed, found)
}

/// The text masked where its own tree puts each secret value, when the text parses: the line
/// scan cannot tell a flow mapping continued on a later line (`  passphrase: x}`) from a
/// block one, masks the `}` with the value, and the masked text no longer parses. The tree
/// is only read for spans; a secret the line scan found where the tree has no secret key (in
/// a block scalar's text) stays masked as the scan found it.
fn mask_by_tree(text: &str, scanned: &[secrets::Secret]) -> Option<(String, Vec<secrets::Secret>)> {
    let original = yaml::parse(text).ok()??;
    let mut exact = Vec::new();
    secrets::scan_tree(&original, &mut exact);
    let elsewhere = scanned
        .iter()
        .filter(|s| !exact.iter().any(|e| e.key.start == s.key.start));
    let all: Vec<secrets::Secret> = exact.iter().chain(elsewhere).cloned().collect();
    Some(secrets::mask(text, &all))
}

/// The tree of a (masked) text: the one the cache keeps for it (true), or parsed (false),
/// with the key the cache knows the text by (computed once).
fn tree_of(
    shown: &str,
    cache: Option<&Cache>,
) -> (
    Result<Option<yaml::Node>, yaml::YamlError>,
    bool,
    Option<cache::Key>,
) {
    let key = cache.map(|c| c.tree_key(shown));
    match cache.zip(key).and_then(|(c, k)| c.get_tree(&k, shown)) {
        Some(tree) => (Ok(Some(tree)), true, key),
        None => (yaml::parse(shown), false, key),
    }
}

fn load_cert(
    path: &Path,
    cwd: &Path,
    envs: Option<&BTreeSet<Option<String>>>,
    cache: Option<&Cache>,
) -> (CertFile, bool) {
    let display: Arc<str> = Arc::from(discover::display(path, cwd));
    let sources = match envs {
        Some(envs) => cache::Sources::Referenced(envs),
        None => cache::Sources::Unreferenced(UNREFERENCED_PASSWORD_ENV),
    };
    let kind = certificate::binary_kind(path) as u8;
    let from_cache = |c: &Cache, key: &cache::Key| {
        c.get(key).map(|hit| {
            let skipped = hit.skipped;
            (hit.into_file(path.to_path_buf(), display.clone()), skipped)
        })
    };
    // A file whose status is as a run recorded it is not read at all: its content's digest
    // is known (docs/performance.md, the stat index). A file the index does not name is not
    // looked at before it is opened.
    if let Some(c) = cache.filter(|c| c.may_know(path)) {
        let digest = c.status(path).and_then(|s| c.known_digest(path, s));
        if let Some(hit) = digest.and_then(|d| from_cache(c, &c.key(kind, &d, &sources))) {
            return hit;
        }
    }
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    SCRATCH.with_borrow_mut(|scratch| {
        let loaded = match read_reusing(path, MAX_CERT_BYTES, scratch) {
            Ok((bytes, meta)) => {
                let key = cache.map(|c| {
                    let digest = cache::content_digest(bytes);
                    if let Some(status) = c.status_of(&meta) {
                        c.record_digest(path, status, digest);
                    }
                    c.key(kind, &digest, &sources)
                });
                match cache.zip(key.as_ref()).and_then(|(c, k)| from_cache(c, k)) {
                    Some(hit) => hit,
                    None => parse_cert(path, display.clone(), bytes, envs, cache.zip(key)),
                }
            }
            Err(e) => (unreadable_cert(path, display.clone(), e), false),
        };
        // A buffer grown by a very large file is not kept.
        if scratch.len() > 1 << 20 {
            *scratch = Vec::new();
        }
        loaded
    })
}

/// A certificate-like file read from its bytes (and kept in the cache under `key`).
fn parse_cert(
    path: &Path,
    display: Arc<str>,
    bytes: &[u8],
    envs: Option<&BTreeSet<Option<String>>>,
    key: Option<(&Cache, cache::Key)>,
) -> (CertFile, bool) {
    let mut file = certificate::load(path.to_path_buf(), display, bytes);
    let skipped = password::open(&mut file, bytes, envs);
    if let Some((c, key)) = key {
        c.put(&key, &cache::Entry::of(&file, skipped));
    }
    (file, skipped)
}

/// A certificate-like file that could not be read: too large (a problem at its start) or
/// not readable at all.
fn unreadable_cert(path: &Path, display: Arc<str>, e: ReadError) -> CertFile {
    let mut f = CertFile::empty(path.to_path_buf(), display, FileFormat::Der);
    if matches!(e, ReadError::TooLarge { .. }) {
        f.problems.push(FileProblem {
            pos: FilePos::START,
            message: e.to_string(),
        });
    } else {
        f.read_error = Some(e.to_string());
    }
    f
}

/// One copy of each CA certificate's DER: every bundle and PKCS#12 file of a repository tends
/// to carry the same issuing and root certificates, thousands of times over. Done as each file
/// is loaded (on its thread), so that the copies are freed at once.
fn share_ca_certificates(file: &mut CertFile, seen: &std::sync::Mutex<FastSet<Arc<[u8]>>>) {
    let unlocked = file.unlocked.values_mut().flatten();
    let certs = file
        .certs
        .iter_mut()
        .chain(unlocked.flat_map(|u| u.certs.iter_mut()));
    for c in certs.filter(|c| c.is_ca) {
        let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.get(&*c.der) {
            Some(shared) => c.der = shared.clone(),
            None => {
                seen.insert(c.der.clone());
            }
        }
    }
}

/// What the configuration adds to loading.
#[derive(Debug, Default, Clone)]
pub struct LoadOptions {
    /// Leave out certificate-like files that no topology names.
    pub referenced_only: bool,
    pub extra_ca_bundles: Vec<PathBuf>,
    pub extra_public_roots: Vec<PathBuf>,
    /// Topology texts read instead of the files on disk, by normalised path: an editor's
    /// unsaved buffers (`edgelint server`), standard input (`check --stdin-filename`).
    pub buffers: BTreeMap<PathBuf, Arc<str>>,
    /// Where certificate facts are kept between runs (`None`: `--no-cache`).
    pub cache: Option<Arc<Cache>>,
}

/// A YAML candidate whose text is a buffer: read as the file would be, with the same size limit.
fn load_buffer(
    path: &Path,
    explicit: bool,
    cwd: &Path,
    text: &str,
    cache: Option<&Cache>,
) -> Option<TopologyFile> {
    let display: Arc<str> = Arc::from(discover::display(path, cwd));
    if text.len() as u64 > MAX_TOPOLOGY_BYTES {
        let mut head = 1 << 20;
        while !text.is_char_boundary(head) {
            head -= 1;
        }
        if !(explicit || topology::has_edge_pools_line(&text[..head])) {
            return None;
        }
        let e = ReadError::TooLarge {
            limit: MAX_TOPOLOGY_BYTES,
            size: Some(text.len() as u64),
        };
        let message = format!("cannot be read: {e}");
        return Some(topology_error(path, display, ProblemKind::Invalid, message));
    }
    topology_with_cache(path, display, text, explicit, cache)
}

/// One YAML candidate (from its buffer when the editor or standard input gave one); `None`
/// when it is not a topology.
pub fn topology_candidate(
    path: &Path,
    explicit: bool,
    cwd: &Path,
    opts: &LoadOptions,
) -> Option<TopologyFile> {
    match opts.buffers.get(path) {
        Some(text) => load_buffer(path, explicit, cwd, text, opts.cache.as_deref()),
        None => load_yaml(path, explicit, cwd, opts.cache.as_deref()),
    }
}

/// YAML candidates already loaded (`topology_candidate`) while the walk went on, with the
/// `explicit` each was loaded as.
pub type Early = Vec<((PathBuf, bool), Option<TopologyFile>)>;

/// The topologies of the YAML candidates, in their order: those loaded early taken as they
/// are, the others (and any loaded with another `explicit`) loaded now.
fn topologies_of(
    candidates: &[Candidate],
    early: Early,
    cwd: &Path,
    opts: &LoadOptions,
) -> Vec<TopologyFile> {
    let mut early: crate::fast_hash::FastMap<PathBuf, (bool, Option<TopologyFile>)> = early
        .into_iter()
        .map(|((path, explicit), t)| (path, (explicit, t)))
        .collect();
    let mut slots: Vec<(&PathBuf, bool, Option<Option<TopologyFile>>)> = candidates
        .iter()
        .filter_map(|c| match c {
            Candidate::Yaml { path, explicit } => Some((path, *explicit)),
            _ => None,
        })
        .map(|(path, explicit)| match early.remove(path) {
            Some((e, t)) if e == explicit => (path, explicit, Some(t)),
            _ => (path, explicit, None),
        })
        .collect();
    let missing: Vec<(usize, &PathBuf, bool)> = slots
        .iter()
        .enumerate()
        .filter(|(_, (_, _, t))| t.is_none())
        .map(|(i, (p, e, _))| (i, *p, *e))
        .collect();
    let loaded = par_map(&missing, |(_, p, e)| topology_candidate(p, *e, cwd, opts));
    for ((i, _, _), t) in missing.iter().zip(loaded) {
        slots[*i].2 = Some(t);
    }
    slots
        .into_iter()
        .filter_map(|(_, _, t)| t.flatten())
        .collect()
}

/// The walked files (in path order, as discovery sorts them) and the files topologies name
/// that the walk did not meet (a missing file, one outside the checked folders), in path
/// order: the few of the second kind are sorted and merged, not the whole list sorted again.
fn walked_and_named(walked: &[PathBuf], needs: &password::Needs) -> Vec<PathBuf> {
    let met: FastSet<&std::ffi::OsStr> = walked.iter().map(|p| p.as_os_str()).collect();
    let mut named: Vec<PathBuf> = needs
        .keys()
        .filter(|k| !met.contains(k.as_os_str()))
        .map(PathBuf::from)
        .collect();
    named.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    let mut all = Vec::with_capacity(walked.len() + named.len());
    all.extend_from_slice(walked);
    all.append(&mut named);
    // Two sorted runs: the stable sort finds them and merges them in one pass.
    all.sort_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
    all.dedup();
    all
}

/// discover's candidates → the repository model; `early` holds topologies already loaded.
/// `beside` is given the topologies on another thread while the rest is loaded (what can be
/// derived from them alone is made on the core that would otherwise wait for this thread to
/// list the certificate files), and what it returns comes back with the model.
pub fn load<B: Send>(
    discovery: &discover::Discovery,
    cwd: &Path,
    opts: &LoadOptions,
    early: Early,
    beside: impl FnOnce(&[TopologyFile]) -> B + Send,
) -> (Repository, B) {
    let topologies = topologies_of(&discovery.candidates, early, cwd, opts);
    let (loaded, walked, derived) = std::thread::scope(|s| {
        let derived = s.spawn(|| beside(&topologies));
        let (loaded, walked) = certificates(discovery, cwd, opts, &topologies);
        (loaded, walked, derived.join())
    });
    // The cache's shards are finished on another core while the model is put together, even
    // when `beside` panicked (its panic is passed on once they are).
    let repo = std::thread::scope(|s| {
        if let Some(c) = opts.cache.as_deref() {
            s.spawn(|| c.flush());
        }
        assemble(discovery, cwd, opts, topologies, walked, loaded)
    });
    match derived {
        Ok(derived) => (repo, derived),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Every certificate-like file walked or named by a topology, loaded (in path order), and
/// the walked ones.
fn certificates(
    discovery: &discover::Discovery,
    cwd: &Path,
    opts: &LoadOptions,
    topologies: &[TopologyFile],
) -> (Vec<(CertFile, bool)>, Vec<PathBuf>) {
    let candidates = &discovery.candidates;
    let mut needs = password::password_needs(topologies);
    for p in opts.extra_ca_bundles.iter().chain(&opts.extra_public_roots) {
        needs.entry(p.clone().into_os_string()).or_default();
    }
    let walked: Vec<PathBuf> = candidates
        .iter()
        .filter_map(|c| match c {
            Candidate::Cert { path } => Some(path.clone()),
            _ => None,
        })
        .filter(|p| !opts.referenced_only || needs.contains_key(p.as_os_str()))
        .collect();
    let all = walked_and_named(&walked, &needs);
    let cache = opts.cache.as_deref();
    let cas = std::sync::Mutex::new(FastSet::default());
    let loaded = par_map(&all, |p| {
        let (mut file, skipped) = load_cert(p, cwd, needs.get(p.as_os_str()), cache);
        share_ca_certificates(&mut file, &cas);
        (file, skipped)
    });
    // Tables of thousands of paths take milliseconds to free: not on the way to the rules.
    crate::parallel::drop_later((needs, all));
    (loaded, walked)
}

/// The repository model from what loading found.
fn assemble(
    discovery: &discover::Discovery,
    cwd: &Path,
    opts: &LoadOptions,
    topologies: Vec<TopologyFile>,
    walked: Vec<PathBuf>,
    loaded: Vec<(CertFile, bool)>,
) -> Repository {
    let walk_problems = discovery
        .problems
        .iter()
        .map(|p| crate::model::WalkProblem {
            display: Arc::from(discover::display(&p.path, cwd)),
            path: p.path.clone(),
            message: p.message.clone(),
            warning: p.warning,
        })
        .collect();
    let mut repo = Repository {
        topologies,
        walked,
        walk_problems,
        extra_ca_bundles: opts.extra_ca_bundles.clone(),
        extra_public_roots: opts.extra_public_roots.clone(),
        ..Repository::default()
    };
    repo.files.reserve(loaded.len());
    for (file, skipped) in loaded {
        if skipped {
            repo.skipped_pkcs12.push(file.path.clone());
        }
        repo.files.insert(file.path.clone().into_os_string(), file);
    }
    repo
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_is_written_even_when_the_work_beside_loading_panics() {
        let dir = std::env::temp_dir().join(format!("edgelint-beside-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        std::fs::copy(
            root.join("fixtures/public/isrg-root-x1.pem"),
            dir.join("root.pem"),
        )
        .unwrap();
        let discovery =
            discover::discover(std::slice::from_ref(&dir), &Default::default()).unwrap();
        let cache_dir = dir.join("cache");
        let opts = LoadOptions {
            cache: Some(Arc::new(Cache::new(cache_dir.clone()))),
            ..LoadOptions::default()
        };
        let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            load(&discovery, &dir, &opts, Vec::new(), |_| panic!("beside"))
        }));
        assert!(loaded.is_err());
        let names: Vec<String> = std::fs::read_dir(&cache_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        // A finished shard, and no shard left half-written.
        assert!(names.iter().any(|n| n.starts_with("facts-")), "{names:?}");
        assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
