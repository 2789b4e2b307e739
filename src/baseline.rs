//! Baselines, to adopt edgelint on a repository that already has findings:
//! `--write-baseline FILE` records today's findings; `--baseline FILE` hides those and fails
//! only on new ones. Entries are keyed on the rule code, the file, a *name-based* path to the
//! YAML node at fault (pool name, server FQDN, the entry's `file` value: never a list index or
//! a line number) and the certificate's SHA-256 where one is involved, so a baseline survives
//! edits that move lines or insert entries, and a replaced certificate is judged afresh.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

use crate::derive::any_material;
use crate::diagnostic::Diagnostic;
use crate::load::yaml::{self, Node, NodeKind};
use crate::model::Repository;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct Key {
    pub code: String,
    pub file: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The message with its numbers masked (`in 18 days` changes daily; the names stay).
    pub message: String,
}

fn mask_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_number = false;
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: Key,
    count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

fn scalar(n: &Node) -> Option<&str> {
    match &n.kind {
        NodeKind::Scalar { value, .. } => Some(value),
        _ => None,
    }
}

/// How a list item is named: by its `name`, `fqdn`, `file` or `request`, or its own value.
fn item_name(item: &Node, index: usize) -> String {
    match &item.kind {
        NodeKind::Scalar { value, .. } => format!("[={value}]"),
        NodeKind::Map(fields) => ["name", "fqdn", "file", "request"]
            .iter()
            .find_map(|k| {
                fields
                    .iter()
                    .find(|(key, _)| scalar(key) == Some(k))
                    .and_then(|(_, v)| scalar(v))
                    .map(|v| format!("[{k}={v}]"))
            })
            .unwrap_or_else(|| format!("[#{index}]")),
        NodeKind::Seq(_) => format!("[#{index}]"),
    }
}

/// The name-based path of the innermost node (key or value) that contains `at`.
fn name_path(root: &Node, at: usize) -> String {
    let mut path = String::new();
    let mut node = root;
    'descend: loop {
        match &node.kind {
            NodeKind::Map(fields) => {
                for (k, v) in fields {
                    let key = scalar(k).unwrap_or("?");
                    if k.span.contains(&at) || k.span.start == at {
                        path.push('.');
                        path.push_str(key);
                        break 'descend;
                    }
                    if v.span.contains(&at) || v.span.start == at {
                        path.push('.');
                        path.push_str(key);
                        node = v;
                        continue 'descend;
                    }
                }
                break;
            }
            NodeKind::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.span.contains(&at) || item.span.start == at {
                        path.push_str(&item_name(item, i));
                        node = item;
                        continue 'descend;
                    }
                }
                break;
            }
            NodeKind::Scalar { .. } => break,
        }
    }
    path
}

/// Computes keys, parsing each topology file once.
pub struct Keyer<'a> {
    repo: &'a Repository,
    cwd: &'a Path,
    trees: HashMap<String, Option<Node>>,
}

impl<'a> Keyer<'a> {
    pub fn new(repo: &'a Repository, cwd: &'a Path) -> Self {
        Keyer {
            repo,
            cwd,
            trees: HashMap::new(),
        }
    }

    pub fn key(&mut self, d: &Diagnostic) -> Key {
        let file = d.location.file.to_string();
        let mut key = Key {
            code: d.code.to_string(),
            file: file.clone(),
            path: String::new(),
            sha256: None,
            message: mask_numbers(&d.message),
        };
        if let Some(t) = self.repo.topologies.iter().find(|t| *t.display == *file) {
            let tree = self
                .trees
                .entry(file.clone())
                .or_insert_with(|| yaml::parse(&t.text).ok().flatten());
            let (Some(root), Some(bytes)) = (tree.as_ref(), &d.location.bytes) else {
                return key;
            };
            key.path = name_path(root, bytes.start);
            // A `file:`/`key:`/`request:` value: the certificate it names is part of the key.
            if [".file", ".key", ".request"]
                .iter()
                .any(|s| key.path.ends_with(s))
            {
                let written = &t.text[bytes.clone()];
                let dir = t.path.parent().unwrap_or(Path::new(""));
                let resolved =
                    crate::discover::normalize(&dir.join(written.trim_matches(['"', '\''])));
                key.sha256 = self.repo.file(&resolved).and_then(leaf_sha256);
            }
            return key;
        }
        let path = crate::discover::normalize(&self.cwd.join(&file));
        // Certificate files: the certificate at the finding's line is part of the key. (The
        // configuration or the command line: code, file and message say it all.)
        if let Some(f) = self.repo.file(&path) {
            key.sha256 = any_material(f).and_then(|(certs, _)| {
                certs
                    .iter()
                    .find(|c| c.pos.line == d.location.line)
                    .map(|c| c.sha256())
            });
        }
        key
    }
}

fn leaf_sha256(f: &crate::model::certs::CertFile) -> Option<String> {
    let (certs, keys) = any_material(f)?;
    crate::model::certs::leaf_index(certs, &keys).map(|i| certs[i].sha256())
}

pub fn write(
    path: &Path,
    diagnostics: &[Diagnostic],
    keyer: &mut Keyer<'_>,
) -> Result<usize, String> {
    let mut counts: HashMap<Key, usize> = HashMap::new();
    for d in diagnostics {
        *counts.entry(keyer.key(d)).or_default() += 1;
    }
    let mut entries: Vec<Entry> = counts
        .into_iter()
        .map(|(key, count)| Entry { key, count })
        .collect();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    let n = entries.len();
    let text = serde_json::to_string_pretty(&File {
        version: VERSION,
        entries,
    })
    .map_err(|e| e.to_string())?;
    std::fs::write(path, text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(n)
}

/// Remove the findings the baseline records; return how many were removed.
pub fn apply(
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
    keyer: &mut Keyer<'_>,
) -> Result<usize, String> {
    let text = crate::read::read_text_limited(path, crate::read::MAX_BASELINE_BYTES)
        .map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let file: File = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: invalid baseline: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if file.version != VERSION {
        return Err(format!(
            "{}: baseline version {} is not supported (this edgelint writes version {VERSION})",
            path.display(),
            file.version
        ));
    }
    let mut budget: HashMap<Key, usize> =
        file.entries.into_iter().map(|e| (e.key, e.count)).collect();
    let before = diagnostics.len();
    diagnostics.retain(|d| match budget.get_mut(&keyer.key(d)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    Ok(before - diagnostics.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_items_not_indices() {
        let text = "edge_pools:\n  - name: a\n    servers: [s1.x, s2.x]\n    certificates:\n      - file: c.pfx\n        uses: [Internal]\n";
        let root = yaml::parse(text).unwrap().unwrap();
        let at = text.find("c.pfx").unwrap();
        assert_eq!(
            name_path(&root, at),
            ".edge_pools[name=a].certificates[file=c.pfx].file"
        );
        let at = text.find("s2.x").unwrap();
        assert_eq!(name_path(&root, at), ".edge_pools[name=a].servers[=s2.x]");
        let at = text.find("uses").unwrap();
        assert_eq!(
            name_path(&root, at),
            ".edge_pools[name=a].certificates[file=c.pfx].uses"
        );
    }
}
