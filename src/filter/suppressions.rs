//! Inline suppressions, applied after **check**: `ignore[...]` on the line of a finding or the
//! line above it, `ignore-file[...]` anywhere for the whole topology file. A suppression on (or
//! above) a line that names a file (`file:`, `key:`, `request:`, a trust path) also covers the
//! findings located in that file: a key file's finding is silenced where the key is named. A
//! suppression that matched no finding of a rule that ran is E001 (when E001 itself is
//! selected); an unknown code in one is E002.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::topology::TopologyFile;
use crate::model::Repository;
use crate::rules::Rule;

/// Remove suppressed findings and return how many were suppressed; add an E001 finding for
/// each suppression selector that matched nothing (only for rules that ran, and only when
/// E001 itself is selected).
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    repo: &Repository,
    selected: &[&dyn Rule],
) -> usize {
    let topologies = &repo.topologies;
    // Nothing to silence and nothing unused: no index of the named files is needed.
    if topologies.iter().all(|t| t.suppressions.is_empty()) {
        return 0;
    }
    let by_file: HashMap<&str, usize> = topologies
        .iter()
        .enumerate()
        .map(|(i, t)| (&*t.display, i))
        .collect();
    let named = named_files(repo);
    // used[topology][suppression][selector]
    let mut used: Vec<Vec<Vec<bool>>> = topologies
        .iter()
        .map(|t| {
            t.suppressions
                .iter()
                .map(|s| vec![false; s.selectors.len()])
                .collect()
        })
        .collect();
    let before = diagnostics.len();
    diagnostics.retain(|d| {
        // The topology line(s) the finding is at: its own, or those naming its file.
        let places: Vec<(usize, usize, bool)> = match by_file.get(&*d.location.file) {
            Some(&ti) => vec![(ti, d.location.line, true)],
            None => named
                .get(&*d.location.file)
                .map(|v| v.iter().map(|&(ti, line)| (ti, line, false)).collect())
                .unwrap_or_default(),
        };
        let mut suppressed = false;
        for (ti, line, in_topology) in places {
            for (si, s) in topologies[ti].suppressions.iter().enumerate() {
                let applies = (s.file_level && in_topology) || s.line == line || s.line + 1 == line;
                if !applies {
                    continue;
                }
                for (k, (sel, _)) in s.selectors.iter().enumerate() {
                    if sel.matches(&d.code, &d.name) {
                        used[ti][si][k] = true;
                        suppressed = true;
                    }
                }
            }
        }
        !suppressed
    });
    let suppressed = before - diagnostics.len();
    if let Some(e001) = selected.iter().find(|r| r.meta().code == "E001") {
        unused(diagnostics, topologies, selected, *e001, &used);
    }
    suppressed
}

/// E001 for every selector that silenced nothing although its rule ran.
fn unused(
    diagnostics: &mut Vec<Diagnostic>,
    topologies: &[TopologyFile],
    selected: &[&dyn Rule],
    e001: &dyn Rule,
    used: &[Vec<Vec<bool>>],
) {
    for (ti, t) in topologies.iter().enumerate() {
        for (si, s) in t.suppressions.iter().enumerate() {
            for (k, (sel, span)) in s.selectors.iter().enumerate() {
                let ran = selected
                    .iter()
                    .any(|r| sel.matches(&r.meta().code, &r.meta().name));
                if used[ti][si][k] || !ran {
                    continue;
                }
                let location = Location::in_text(&t.display, &t.text, &t.lines, span.clone());
                let mut d = e001
                    .meta()
                    .diag(location, format!("suppression `{sel}` matches no finding"));
                d.label = Some("unused suppression".into());
                d.help = Some(
                    "no finding of this rule is on this line or the next, nor in a file they name: remove the comment, or correct the code"
                        .into(),
                );
                diagnostics.push(d);
            }
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// For each certificate-like file a topology names: the topology and the 1-based line of each
/// place naming it.
fn named_files(repo: &Repository) -> HashMap<&str, Vec<(usize, usize)>> {
    let mut out: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (ti, t) in repo.topologies.iter().enumerate() {
        let Some(topo) = &t.topology else { continue };
        let paths = topo.named_paths();
        // Findings in the topology XML: a suppression where the YAML names it covers them.
        if let (Some(xml), Some(named)) = (&t.xml, &topo.topology_xml) {
            let (line, _) = t.lines.line_col(&t.text, named.written.span.start);
            out.entry(&*xml.display).or_default().push((ti, line));
        }
        for p in paths {
            let Some(file) = repo.file(&p.resolved) else {
                continue;
            };
            let (line, _) = t.lines.line_col(&t.text, p.written.span.start);
            out.entry(&*file.display).or_default().push((ti, line));
        }
    }
    out
}
