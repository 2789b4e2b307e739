//! One identity per finding, by name rather than by line (so that it survives edits that move
//! lines or insert entries): the rule, the file, the name-based path of the YAML node at fault
//! (pool name, server FQDN, the entry's `file` value; never a list index or a line number), the
//! SHA-256 of the certificate involved (a replaced certificate is judged afresh) and the message
//! with its numbers masked (`in 18 days` changes daily). Baselines record it; SARIF
//! fingerprints hash it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::derive::any_material;
use crate::diagnostic::{Diagnostic, Identity};
use crate::model::topology::TopologyFile;
use crate::model::tree::{Node, NodeKind};
use crate::model::Repository;

/// Give every finding its identity. Findings are grouped by topology, each group on its own
/// core, with the topology's tree parsed again from its text (when not kept) and dropped after.
pub fn assign(diagnostics: &mut [Diagnostic], repo: &Repository, cwd: &Path) {
    let topologies: HashMap<&str, usize> = repo
        .topologies
        .iter()
        .enumerate()
        .map(|(i, t)| (&*t.display, i))
        .collect();
    let mut groups: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let topo = topologies.get(&*d.location.file).copied();
        groups.entry(topo).or_default().push(i);
    }
    let groups: Vec<(Option<usize>, Vec<usize>)> = groups.into_iter().collect();
    let found = crate::parallel::par_map(&groups, |(topo, members)| {
        let parsed;
        let tree = match topo.map(|ti| &repo.topologies[ti]) {
            Some(TopologyFile {
                tree: Some(root), ..
            }) => Some(root),
            Some(t) => {
                parsed = crate::load::yaml::parse(&t.text).ok().flatten();
                parsed.as_ref()
            }
            None => None,
        };
        let at = topo.map(|ti| (&repo.topologies[ti], tree));
        members
            .iter()
            .map(|&i| (i, identity(&diagnostics[i], repo, cwd, at)))
            .collect::<Vec<_>>()
    });
    for (i, id) in found.into_iter().flatten() {
        diagnostics[i].identity = Some(Box::new(id));
    }
}

/// A finding's identity; `at`: the topology file it is in, with its tree.
fn identity(
    d: &Diagnostic,
    repo: &Repository,
    cwd: &Path,
    at: Option<(&TopologyFile, Option<&Node>)>,
) -> Identity {
    let file = d.location.file.to_string();
    let mut id = Identity {
        code: d.code.to_string(),
        file: file.clone(),
        path: String::new(),
        sha256: None,
        message: mask_numbers(&d.message),
    };
    if let Some((t, tree)) = at {
        let (Some(root), Some(bytes)) = (tree, &d.location.bytes) else {
            return id;
        };
        id.path = name_path(root, bytes.start);
        // A `file:`/`key:`/`request:` value: the certificate it names is part of the identity.
        if [".file", ".key", ".request"]
            .iter()
            .any(|s| id.path.ends_with(s))
        {
            let written = t.text.get(bytes.clone()).unwrap_or("");
            let dir = t.path.parent().unwrap_or(Path::new(""));
            let resolved = crate::discover::normalize(&dir.join(written.trim_matches(['"', '\''])));
            id.sha256 = repo.file(&resolved).and_then(leaf_sha256);
        }
        return id;
    }
    // A certificate file: the certificate at the finding's line is part of the identity. (The
    // configuration or the command line: code, file and message say it all.)
    let path = crate::discover::normalize(&cwd.join(&file));
    if let Some(f) = repo.file(&path) {
        id.sha256 = any_material(f).and_then(|(certs, _)| {
            certs
                .iter()
                .find(|c| c.pos.line == d.location.line)
                .map(|c| c.sha256())
        });
    }
    id
}

/// The message with every run of digits written `#`.
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

fn leaf_sha256(f: &crate::model::certs::CertFile) -> Option<String> {
    let (certs, keys) = any_material(f)?;
    crate::model::certs::leaf_index(certs, &keys).map(|i| certs[i].sha256())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_items_not_indices() {
        let text = "edge_pools:\n  - name: a\n    servers: [s1.x, s2.x]\n    certificates:\n      - file: c.pfx\n        uses: [Internal]\n";
        let root = crate::load::yaml::parse(text).unwrap().unwrap();
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
