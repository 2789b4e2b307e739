//! Findings as LSP diagnostics: the range (from the byte span in the text the analysis read,
//! or the line and column of a certificate file), severity, code, the rule page as
//! `codeDescription`, `source: "edgelint"`, the message followed by the help, the secondary
//! places as `relatedInformation`, and in `data` what the code actions need.

use std::path::{Path, PathBuf};

use gen_lsp_types::{
    Code, CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DiagnosticTag, Location as LspLocation, Position, Range, Uri,
};
use serde_json::json;

use super::position::{Encoding, Text};
use super::workspace::{Outcome, Unit};
use crate::diagnostic::{self as finding, Location, Severity};

/// One published diagnostic: the file it belongs to, and the finding it came from (`None`
/// for a run that failed).
#[derive(Debug, Clone)]
pub struct Item {
    pub path: PathBuf,
    pub diagnostic: Diagnostic,
    pub finding: Option<finding::Diagnostic>,
}

/// Every diagnostic of a unit, per file. `uri` names a path as the client knows it.
pub fn items(unit: &Unit, encoding: Encoding, uri: &dyn Fn(&Path) -> String) -> Vec<Item> {
    let a = match &unit.outcome {
        Outcome::Done(a) => a,
        Outcome::Failed(message) => return failure(unit, message),
    };
    let infos = a.rule_set.infos();
    let url = |code: &str| {
        infos
            .iter()
            .find(|i| i.meta.code == code)
            .and_then(|i| i.url.clone())
    };
    a.filtered
        .diagnostics
        .iter()
        .map(|d| {
            let (path, range) = place(unit, &d.location, encoding);
            let related = d
                .related
                .iter()
                .map(|r| {
                    let (p, range) = place(unit, &r.location, encoding);
                    DiagnosticRelatedInformation::new(
                        LspLocation::new(Uri(uri(&p)), range),
                        r.message.clone(),
                    )
                })
                .collect();
            Item {
                path,
                diagnostic: convert(d, range, url(&d.code), related),
                finding: Some(d.clone()),
            }
        })
        .collect()
}

fn convert(
    d: &finding::Diagnostic,
    range: Range,
    url: Option<String>,
    related: Vec<DiagnosticRelatedInformation>,
) -> Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message.clone(),
    };
    let mut data = json!({ "name": d.name, "help": d.help });
    if let Some(fix) = &d.fix {
        data["fix"] = crate::report::json::fix_value(fix);
    }
    if let Some(s) = d.help.as_deref().and_then(suggestion) {
        data["replace"] = json!(s);
    }
    Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(Code::String(d.code.to_string())),
        code_description: url.map(|u| CodeDescription::new(Uri(u))),
        source: Some("edgelint".into()),
        message: message.into(),
        tags: (d.code == "E001").then(|| vec![DiagnosticTag::Unnecessary]),
        related_information: (!related.is_empty()).then_some(related),
        data: Some(data),
    }
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::Error,
        Severity::Warning => DiagnosticSeverity::Warning,
        Severity::Info => DiagnosticSeverity::Information,
    }
}

/// The file and range of a location: from its byte span in the text the analysis read when
/// there is one, else from its line and column (certificate files: their lines are ASCII, so
/// a column counts the same in every encoding).
fn place(unit: &Unit, l: &Location, encoding: Encoding) -> (PathBuf, Range) {
    let (path, text) = unit.file(&l.file);
    let range = match (text, &l.bytes) {
        (Some((text, lines)), Some(bytes)) if bytes.end <= text.len() => Text {
            text,
            lines,
            encoding,
        }
        .range(bytes),
        _ => {
            let at = |line: usize, col: usize| {
                Position::new(line.saturating_sub(1) as u32, col.saturating_sub(1) as u32)
            };
            Range::new(at(l.line, l.column), at(l.end_line, l.end_column))
        }
    };
    (path, range)
}

/// `did you mean `X`?` (T001's unknown keys and values, E002's unknown codes): X.
pub fn suggestion(help: &str) -> Option<&str> {
    let rest = help.strip_prefix("did you mean `")?;
    let end = rest.find('`')?;
    rest[end + 1..].starts_with('?').then(|| &rest[..end])
}

/// A run that failed: where its message points (`FILE:LINE:COL: ...`, an invalid
/// configuration), else the first line of every topology file the unit names.
fn failure(unit: &Unit, message: &str) -> Vec<Item> {
    let diagnostic = |range: Range| Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::Error),
        code: None,
        code_description: None,
        source: Some("edgelint".into()),
        message: format!("edgelint could not check this folder: {message}").into(),
        tags: None,
        related_information: None,
        data: None,
    };
    if let Some((file, line, col)) = located(message) {
        let path = crate::discover::normalize(&unit.spec.cwd.join(file));
        if path.is_file() {
            let at = Position::new(line.saturating_sub(1), col.saturating_sub(1));
            return vec![Item {
                path,
                diagnostic: diagnostic(Range::new(at, at)),
                finding: None,
            }];
        }
    }
    unit.spec
        .paths
        .iter()
        .filter(|p| super::workspace::is_yaml(p))
        .map(|p| Item {
            path: p.clone(),
            diagnostic: diagnostic(Range::default()),
            finding: None,
        })
        .collect()
}

/// `FILE:LINE:COL: message` → (FILE, LINE, COL).
fn located(message: &str) -> Option<(&str, u32, u32)> {
    let first = message.lines().find(|l| !l.ends_with(':'))?;
    let mut parts = first.splitn(4, ':');
    let (file, line, col) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next()?;
    Some((file, line.parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_read_from_the_help() {
        assert_eq!(suggestion("did you mean `uses`?"), Some("uses"));
        assert_eq!(
            suggestion("did you mean `N003`? (`edgelint rules` lists every rule)"),
            Some("N003")
        );
        assert_eq!(suggestion("known keys: a, b"), None);
        assert_eq!(suggestion("did you mean `x"), None);
    }

    #[test]
    fn failures_name_their_place() {
        assert_eq!(
            located(".edgelint.toml:3:7: fail_on must be one of error"),
            Some((".edgelint.toml", 3, 7))
        );
        assert_eq!(
            located("invalid rule pack:\npacks/a.yaml:5:15: unknown key"),
            Some(("packs/a.yaml", 5, 15))
        );
        assert_eq!(located("nothing was checked"), None);
    }
}
