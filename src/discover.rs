//! Which files to read: walk the given paths (honouring .gitignore, skipping hidden files and
//! user excludes) and sort them into YAML candidates and certificate-like files.

use std::path::{Component, Path, PathBuf};

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
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
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
    let p: Vec<Component> = path.components().collect();
    let c: Vec<Component> = cwd.components().collect();
    let common = p.iter().zip(&c).take_while(|(a, b)| a == b).count();
    // Only the root in common: an absolute path reads better than a chain of `..`.
    if common <= 1 && !c.is_empty() && c.len() > 1 {
        return path.to_string_lossy().replace('\\', "/");
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
        parts.join("/")
    }
}

#[derive(Debug, Default, Clone)]
pub struct DiscoverOptions {
    /// Gitignore-style globs of paths to leave out.
    pub exclude: Vec<String>,
}

/// Every candidate under `roots`, sorted, without duplicates.
pub fn discover(roots: &[PathBuf], opts: &DiscoverOptions) -> Result<Vec<Candidate>, String> {
    let mut out = Vec::new();
    for root in roots {
        let meta =
            std::fs::metadata(root).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
        if meta.is_file() {
            if let Some(c) = classify(normalize(root), true) {
                out.push(c);
            }
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(root);
        for g in &opts.exclude {
            overrides
                .add(&format!("!{g}"))
                .map_err(|e| format!("invalid --exclude pattern `{g}`: {e}"))?;
        }
        let overrides = overrides.build().map_err(|e| e.to_string())?;
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .require_git(false)
            .overrides(overrides)
            .build();
        for entry in walker.flatten() {
            if entry.file_type().is_some_and(|t| t.is_file()) {
                if let Some(c) = classify(normalize(entry.path()), false) {
                    out.push(c);
                }
            }
        }
    }
    // Byte order of the paths: deterministic, and cheaper than component-wise comparison.
    out.sort_by(|a, b| {
        a.path()
            .as_os_str()
            .cmp(b.path().as_os_str())
            .then_with(|| a.cmp(b))
    });
    // An explicitly named YAML file wins over the same file found by walking.
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
    Ok(out)
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
}
