//! Which files to read: walk the given paths (honouring .gitignore, skipping hidden files and
//! user excludes) and sort them into YAML candidates and certificate-like files.

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};

pub const YAML_EXTENSIONS: [&str; 2] = ["yaml", "yml"];
pub const CERT_EXTENSIONS: [&str; 11] = [
    "pem", "crt", "cer", "der", "key", "csr", "req", "pfx", "p12", "p7b", "p7c",
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Candidate {
    /// A YAML file; `explicit` when named on the command line (then it is a topology file
    /// even if it fails to parse).
    Yaml {
        path: PathBuf,
        explicit: bool,
    },
    Cert {
        path: PathBuf,
    },
}

impl Candidate {
    pub fn path(&self) -> &Path {
        match self {
            Candidate::Yaml { path, .. } | Candidate::Cert { path } => path,
        }
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn classify(path: PathBuf, explicit: bool) -> Option<Candidate> {
    let ext = extension(&path);
    if YAML_EXTENSIONS.contains(&ext.as_str()) {
        Some(Candidate::Yaml { path, explicit })
    } else if explicit || CERT_EXTENSIONS.contains(&ext.as_str()) {
        Some(Candidate::Cert { path })
    } else {
        None
    }
}

/// Lexically normalise an absolute (or cwd-relative) path: no `.`, no `..`.
pub fn normalize(path: &Path) -> PathBuf {
    let abs: std::borrow::Cow<'_, Path> = if path.is_absolute() {
        path.into()
    } else {
        std::env::current_dir()
            .unwrap_or_default()
            .join(path)
            .into()
    };
    // Sized once: every path of a run goes through here, some several times.
    let mut out = PathBuf::with_capacity(abs.as_os_str().len());
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path as printed: relative to the working folder (with `..` where it lies outside it),
/// with `/` separators. Both paths are normalised absolute paths.
pub fn display(path: &Path, cwd: &Path) -> String {
    if let Some(inside) = relative_inside(path, cwd) {
        return crate::source::escape_controls(&inside.to_string_lossy(), false);
    }
    let p: Vec<Component> = path.components().collect();
    let c: Vec<Component> = cwd.components().collect();
    let common = p.iter().zip(&c).take_while(|(a, b)| a == b).count();
    // Only the root in common: an absolute path reads better than a chain of `..`.
    if common <= 1 && !c.is_empty() && c.len() > 1 {
        return crate::source::escape_controls(&path.to_string_lossy().replace('\\', "/"), false);
    }
    let mut parts: Vec<String> = vec!["..".to_string(); c.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|x| x.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        // A file name may hold control characters (an escape sequence, a newline faking a
        // finding line): the printed name escapes them.
        crate::source::escape_controls(&parts.join("/"), false)
    }
}

/// The part of `path` under `cwd`, when it is under it, found by comparing bytes (every file
/// of a run is displayed: comparing components cost more than reading the file). Unix only,
/// where a normalised path's text is its components joined by `/`.
#[cfg(unix)]
fn relative_inside<'p>(path: &'p Path, cwd: &Path) -> Option<&'p std::ffi::OsStr> {
    use std::os::unix::ffi::OsStrExt;
    let (p, c) = (path.as_os_str().as_bytes(), cwd.as_os_str().as_bytes());
    let rest = p.strip_prefix(c)?;
    let rest = if c.ends_with(b"/") {
        rest
    } else {
        rest.strip_prefix(b"/")?
    };
    (!rest.is_empty()).then(|| std::ffi::OsStr::from_bytes(rest))
}

#[cfg(not(unix))]
fn relative_inside<'p>(_path: &'p Path, _cwd: &Path) -> Option<&'p std::ffi::OsStr> {
    None
}

#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Gitignore-style globs of paths to leave out.
    pub exclude: Vec<String>,
}

/// A path the walk met but could not read or would not follow: a T002 finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: PathBuf,
    pub message: String,
    /// Not an error: a symbolic link leaving the checked folder, reported and not followed.
    pub warning: bool,
}

/// What the walk found.
#[derive(Debug, Default, Clone)]
pub struct Discovery {
    pub candidates: Vec<Candidate>,
    pub problems: Vec<WalkProblem>,
}

/// Every candidate under `roots`, sorted, without duplicates, and the paths that could not be
/// read. A root that does not exist is an error of the command line (exit 2).
pub fn discover(roots: &[PathBuf], opts: &DiscoverOptions) -> Result<Discovery, String> {
    discover_each(roots, opts, &mut |_| {})
}

/// `discover`, telling `met` of each candidate as the walk meets it (before sorting; a file
/// reached by two paths may be met twice), so that work on it can start during the walk.
pub fn discover_each(
    roots: &[PathBuf],
    opts: &DiscoverOptions,
    met: &mut dyn FnMut(&Candidate),
) -> Result<Discovery, String> {
    let mut found = Discovery::default();
    let mut aliased = false;
    for root in roots {
        let meta =
            std::fs::metadata(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
        if meta.is_file() {
            if let Some(c) = classify(normalize(root), true) {
                met(&c);
                found.candidates.push(c);
            }
            continue;
        }
        if !meta.is_dir() {
            let what = crate::read::kind_of(meta.file_type()).unwrap_or("not a file");
            found.problems.push(WalkProblem {
                path: normalize(root),
                message: format!("cannot be read: not a regular file ({what})"),
                warning: false,
            });
            continue;
        }
        // Walked from an absolute path, every entry is absolute: `normalize` then never asks
        // for the working folder (once per file was a tenth of the walk).
        let absolute = if root.is_absolute() {
            root.clone()
        } else {
            std::env::current_dir().unwrap_or_default().join(root)
        };
        aliased |= walk(&absolute, opts, &mut found, met)?;
    }
    // One walk of one folder without links reaches each file by one path: only otherwise are
    // the real paths compared (resolving every path was a third of the walk).
    aliased |= roots.len() > 1;
    sort_and_dedup(&mut found.candidates, aliased);
    found
        .problems
        .sort_by(|a, b| a.path.as_os_str().cmp(b.path.as_os_str()));
    found.problems.dedup();
    Ok(found)
}

/// Symbolic links the walk met and did not follow, with what they resolve to.
type LeavingLinks = Arc<Mutex<Vec<(PathBuf, std::io::Result<PathBuf>)>>>;

fn walker(
    root: &Path,
    opts: &DiscoverOptions,
    filters: bool,
    leaving: Option<LeavingLinks>,
) -> Result<ignore::Walk, String> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    if filters {
        for g in &opts.exclude {
            overrides
                .add(&format!("!{g}"))
                .map_err(|e| format!("invalid --exclude pattern `{g}`: {e}"))?;
        }
    }
    let overrides = overrides.build().map_err(|e| e.to_string())?;
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| normalize(root));
    Ok(ignore::WalkBuilder::new(root)
        .require_git(false)
        .overrides(overrides)
        .standard_filters(filters)
        .hidden(filters)
        .follow_links(true)
        // A symbolic link is followed only when its target stays inside the walked folder
        // (a repository must not make edgelint read the rest of the machine); the others are
        // noted as the walk meets them (a second walk for them cost a third of the walk).
        .filter_entry(move |e| {
            if !e.path_is_symlink() {
                return true;
            }
            let target = std::fs::canonicalize(e.path());
            let inside = target
                .as_ref()
                .is_ok_and(|t| t.starts_with(&canonical_root));
            if let (false, Some(leaving)) = (inside, &leaving) {
                let mut leaving = leaving.lock().unwrap_or_else(|e| e.into_inner());
                leaving.push((e.path().to_path_buf(), target));
            }
            inside
        })
        .build())
}

/// Walk one folder into `found`; whether a symbolic link was followed (a file may then be
/// reached by two paths).
fn walk(
    root: &Path,
    opts: &DiscoverOptions,
    found: &mut Discovery,
    met: &mut dyn FnMut(&Candidate),
) -> Result<bool, String> {
    let leaving = LeavingLinks::default();
    let mut linked = false;
    for entry in walker(root, opts, true, Some(leaving.clone()))? {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                found.problems.push(walk_error(&e));
                continue;
            }
        };
        linked |= entry.path_is_symlink();
        let Some(t) = entry.file_type() else { continue };
        if t.is_file() {
            if let Some(c) = classify(normalize(entry.path()), false) {
                met(&c);
                found.candidates.push(c);
            }
        } else if !t.is_dir() && classify(entry.path().to_path_buf(), false).is_some() {
            // A FIFO, socket or device named like an input: never opened, but said.
            let what = crate::read::kind_of(t).unwrap_or("not a file");
            found.problems.push(WalkProblem {
                path: normalize(entry.path()),
                message: format!("cannot be read: not a regular file ({what})"),
                warning: false,
            });
        }
    }
    let leaving = std::mem::take(&mut *leaving.lock().unwrap_or_else(|e| e.into_inner()));
    found.problems.extend(
        leaving
            .into_iter()
            .map(|(path, target)| leaving_link(&path, target)),
    );
    Ok(linked)
}

/// A symbolic link whose target leaves the walked folder: reported, not followed.
fn leaving_link(path: &Path, target: std::io::Result<PathBuf>) -> WalkProblem {
    let message = match target {
        Ok(t) => format!(
            "symbolic link to {}, outside the checked folder: not followed",
            escape_path(&t)
        ),
        Err(e) => format!("symbolic link that cannot be followed: {e}"),
    };
    WalkProblem {
        path: normalize(path),
        message,
        warning: true,
    }
}

fn walk_error(e: &ignore::Error) -> WalkProblem {
    fn path_of(e: &ignore::Error) -> Option<PathBuf> {
        match e {
            ignore::Error::WithPath { path, .. } => Some(path.clone()),
            ignore::Error::Loop { child, .. } => Some(child.clone()),
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                path_of(err)
            }
            ignore::Error::Partial(errs) => errs.iter().find_map(path_of),
            _ => None,
        }
    }
    fn message(e: &ignore::Error) -> String {
        match e {
            ignore::Error::Loop { ancestor, .. } => format!(
                "symbolic link loop (back to {}): not followed",
                escape_path(ancestor)
            ),
            ignore::Error::Io(io) => {
                crate::read::ReadError::from(std::io::Error::from(io.kind())).to_string()
            }
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => message(err),
            other => other.to_string(),
        }
    }
    fn is_loop(e: &ignore::Error) -> bool {
        match e {
            ignore::Error::Loop { .. } => true,
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => is_loop(err),
            _ => false,
        }
    }
    let loop_ = is_loop(e);
    WalkProblem {
        path: path_of(e).map(|p| normalize(&p)).unwrap_or_default(),
        message: if loop_ {
            message(e)
        } else {
            format!("cannot be read: {}", message(e))
        },
        warning: false,
    }
}

fn escape_path(p: &Path) -> String {
    crate::source::escape_controls(&p.to_string_lossy(), false)
}

/// Byte order of the paths (deterministic, and cheaper than component-wise comparison), one
/// candidate per file: an explicitly named YAML file wins over the same file found by walking,
/// and a file reached through a link inside the folder is read once.
pub fn sort_and_dedup(out: &mut Vec<Candidate>, aliased: bool) {
    out.sort_by(|a, b| {
        a.path()
            .as_os_str()
            .cmp(b.path().as_os_str())
            .then_with(|| a.cmp(b))
    });
    out.dedup_by(|later, earlier| {
        if later.path() == earlier.path() {
            if let (Candidate::Yaml { explicit: e1, .. }, Candidate::Yaml { explicit: e2, .. }) =
                (&mut *earlier, &*later)
            {
                *e1 |= *e2;
            }
            true
        } else {
            false
        }
    });
    if !aliased {
        return;
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| match std::fs::canonicalize(c.path()) {
        Ok(real) => seen.insert(real),
        Err(_) => true,
    });
}

/// Why a run read nothing: how many candidate files each filter left out (only computed then).
pub fn explain_empty(roots: &[PathBuf], opts: &DiscoverOptions) -> String {
    let count = |filters: bool, excludes: bool| -> usize {
        let o = if excludes {
            opts.clone()
        } else {
            DiscoverOptions::default()
        };
        roots
            .iter()
            .filter(|r| r.is_dir())
            .filter_map(|r| walker(r, &o, filters, None).ok())
            .flat_map(|w| w.flatten())
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .filter(|e| classify(e.path().to_path_buf(), false).is_some())
            .count()
    };
    let all = count(false, false);
    let after_ignore = count(true, false);
    let after_exclude = count(true, true);
    let given: Vec<String> = roots.iter().map(|r| escape_path(r)).collect();
    let mut text = format!(
        "no topology or certificate file was read from {}",
        given.join(", ")
    );
    if all > 0 {
        text.push_str(&format!(
            ": of {all} YAML or certificate-like files, {} are hidden or ignored by .gitignore/.ignore files and {} are left out by --exclude/exclude",
            all - after_ignore,
            after_ignore - after_exclude
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_parent_components() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d.pem")),
            PathBuf::from("/a/c/d.pem")
        );
        assert_eq!(
            display(Path::new("/w/x/y.yaml"), Path::new("/w")),
            "x/y.yaml"
        );
    }

    #[test]
    fn displayed_paths_are_relative_to_the_working_folder() {
        let cases = [
            ("/w/x/y.yaml", "/w", "x/y.yaml"),
            ("/w/x/y.yaml", "/w/x", "y.yaml"),
            ("/w/q/y.yaml", "/w/z", "../q/y.yaml"),
            ("/wx/y.yaml", "/w", "/wx/y.yaml"),
            ("/a/wx/y.yaml", "/a/w", "../wx/y.yaml"),
            ("/w/x", "/w/x", "."),
            ("/a/b.pem", "/", "a/b.pem"),
            ("/w/a\nb.pem", "/w", "a\\nb.pem"),
            ("/w/a\u{1b}[31m.pem", "/w", "a\\u{1b}[31m.pem"),
            ("/other/a.pem", "/w/x", "/other/a.pem"),
        ];
        for (path, cwd, shown) in cases {
            assert_eq!(
                display(Path::new(path), Path::new(cwd)),
                shown,
                "{path} in {cwd}"
            );
        }
    }
}
