//! Inline suppressions in topology files, applied after **check**:
//! `# edgelint: ignore[N003] reason` on the line of a finding or the line above it, and
//! `# edgelint: ignore-file[N003, K001] reason` anywhere in the file for the whole file.
//! A suppression that matched nothing is E001; an unknown code in one is E002 (a rule).

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Location};
use crate::model::topology::TopologyFile;
use crate::rules::Rule;
use crate::selector::Selector;

#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// 1-based line of the comment.
    pub line: usize,
    pub file_level: bool,
    /// Each selector and its byte span.
    pub selectors: Vec<(Selector, Range<usize>)>,
    /// The whole `# edgelint: ...` comment.
    pub span: Range<usize>,
}

const MARKER: &str = "edgelint:";

/// Every suppression comment of a topology file's text.
pub fn parse(text: &str) -> Vec<Suppression> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += line.len();
        // A comment starts at a `#` at the line start or after white space (YAML's rule).
        let Some(hash) = line
            .char_indices()
            .find(|&(j, c)| c == '#' && (j == 0 || line[..j].ends_with([' ', '\t'])))
            .map(|(j, _)| j)
        else {
            continue;
        };
        let comment = line[hash + 1..].trim_start();
        let Some(rest) = comment.strip_prefix(MARKER) else {
            continue;
        };
        let rest_at = start + hash + 1 + (line[hash + 1..].len() - comment.len()) + MARKER.len();
        let trimmed = rest.trim_start();
        let mut at = rest_at + (rest.len() - trimmed.len());
        let (file_level, after) = if let Some(a) = trimmed.strip_prefix("ignore-file[") {
            at += "ignore-file[".len();
            (true, a)
        } else if let Some(a) = trimmed.strip_prefix("ignore[") {
            at += "ignore[".len();
            (false, a)
        } else {
            continue;
        };
        let Some(close) = after.find(']') else {
            continue;
        };
        let mut selectors = Vec::new();
        let mut pos = at;
        for part in after[..close].split(',') {
            let lead = part.len() - part.trim_start().len();
            let name = part.trim();
            if !name.is_empty() {
                selectors.push((Selector::parse(name), pos + lead..pos + lead + name.len()));
            }
            pos += part.len() + 1;
        }
        let end = start + line.trim_end_matches(['\n', '\r']).len();
        out.push(Suppression {
            line: i + 1,
            file_level,
            selectors,
            span: start + hash..end,
        });
    }
    out
}

/// Remove suppressed findings; return how many were suppressed and E001 findings for the
/// suppression selectors that matched nothing (only for rules that ran, and only when E001
/// itself is selected).
pub fn apply(
    diagnostics: &mut Vec<Diagnostic>,
    topologies: &[TopologyFile],
    selected: &[&'static dyn Rule],
) -> usize {
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
        let Some((ti, t)) = topologies
            .iter()
            .enumerate()
            .find(|(_, t)| t.display == d.location.file)
        else {
            return true;
        };
        let mut suppressed = false;
        for (si, s) in t.suppressions.iter().enumerate() {
            let applies =
                s.file_level || s.line == d.location.line || s.line + 1 == d.location.line;
            if !applies {
                continue;
            }
            for (k, (sel, _)) in s.selectors.iter().enumerate() {
                if sel.matches(d.code, d.name) {
                    used[ti][si][k] = true;
                    suppressed = true;
                }
            }
        }
        !suppressed
    });
    let suppressed = before - diagnostics.len();
    let Some(e001) = selected.iter().find(|r| r.meta().code == "E001") else {
        return suppressed;
    };
    let meta = e001.meta();
    for (ti, t) in topologies.iter().enumerate() {
        for (si, s) in t.suppressions.iter().enumerate() {
            for (k, (sel, span)) in s.selectors.iter().enumerate() {
                let ran = sel.matches_any(selected.iter().map(|r| (r.meta().code, r.meta().name)));
                if used[ti][si][k] || !ran {
                    continue;
                }
                let location = Location::in_text(&t.display, &t.text, &t.lines, span.clone());
                diagnostics.push(Diagnostic {
                    code: meta.code,
                    name: meta.name,
                    severity: meta.severity,
                    message: format!("suppression `{sel}` matches no finding"),
                    location,
                    label: Some("unused suppression".into()),
                    help: Some(
                        "remove it (the finding it silenced is gone), or fix the code".into(),
                    ),
                    related: Vec::new(),
                    fix: None,
                });
            }
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_with_their_spans() {
        let text = "a: 1 # edgelint: ignore[N003, K001] legacy CA\n# edgelint: ignore-file[T006]\nb: \"# edgelint: ignore[X]\"\n";
        let s = parse(text);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].line, 1);
        assert!(!s[0].file_level);
        assert_eq!(&text[s[0].selectors[0].1.clone()], "N003");
        assert_eq!(&text[s[0].selectors[1].1.clone()], "K001");
        assert!(s[1].file_level);
        assert_eq!(&text[s[1].selectors[0].1.clone()], "T006");
    }
}
