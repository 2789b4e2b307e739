//! Inline suppressions, applied after **check**. A suppression that matched no finding of a
//! rule that ran is E001 (when E001 itself is selected); an unknown code in one is E002.

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::topology::TopologyFile;
use crate::rules::Rule;

/// Remove suppressed findings and return how many were suppressed; add an E001 finding for
/// each suppression selector that matched nothing (only for rules that ran, and only when
/// E001 itself is selected).
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    topologies: &[TopologyFile],
    selected: &[&dyn Rule],
) -> usize {
    let by_file: HashMap<&str, usize> = topologies
        .iter()
        .enumerate()
        .map(|(i, t)| (&*t.display, i))
        .collect();
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
        let Some(&ti) = by_file.get(&*d.location.file) else {
            return true;
        };
        let mut suppressed = false;
        for (si, s) in topologies[ti].suppressions.iter().enumerate() {
            let line = d.location.line;
            if !(s.file_level || s.line == line || s.line + 1 == line) {
                continue;
            }
            for (k, (sel, _)) in s.selectors.iter().enumerate() {
                if sel.matches(&d.code, &d.name) {
                    used[ti][si][k] = true;
                    suppressed = true;
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
                d.help =
                    Some("remove it (the finding it silenced is gone), or fix the code".into());
                diagnostics.push(d);
            }
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
