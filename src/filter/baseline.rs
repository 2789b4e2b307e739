//! Baselines, to adopt edgelint on a repository that already has findings:
//! `--write-baseline FILE` records today's findings by their identity (see `identity`);
//! `--baseline FILE` hides those and fails only on new ones.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Identity};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    #[serde(flatten)]
    key: Identity,
    count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

fn key(d: &Diagnostic) -> Identity {
    d.identity
        .as_deref()
        .cloned()
        .expect("the filter stage gives every finding its identity")
}

/// Record the findings' identities (with counts); the number of entries written.
pub fn write(path: &Path, diagnostics: &[Diagnostic]) -> Result<usize, String> {
    let mut counts: HashMap<Identity, usize> = HashMap::new();
    for d in diagnostics {
        *counts.entry(key(d)).or_default() += 1;
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
pub fn apply(path: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<usize, String> {
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
    let mut budget: HashMap<Identity, usize> =
        file.entries.into_iter().map(|e| (e.key, e.count)).collect();
    let before = diagnostics.len();
    diagnostics.retain(|d| match budget.get_mut(&key(d)) {
        Some(n) if *n > 0 => {
            *n -= 1;
            false
        }
        _ => true,
    });
    Ok(before - diagnostics.len())
}
