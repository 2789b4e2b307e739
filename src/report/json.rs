//! `--format json`, exactly as output.md defines it (fields may be added, never removed).

use serde_json::{json, Value};

use super::Report;

/// A finding's `fix` object: the request and its renderings (also the editor's, in a
/// diagnostic's `data`).
pub fn fix_value(f: &crate::fix::Fix) -> Value {
    let r = &f.request;
    json!({
        "summary": f.summary,
        "role": r.role.as_str(),
        "subject": r.subject,
        "san": r.san,
        "key_size": r.key_size,
        "exportable": r.exportable,
        "client_eku": r.client_eku,
        "uses": r.uses,
        "file_stem": r.file_stem,
        "commands": r.commands(),
    })
}

pub fn render(report: &Report<'_>) -> String {
    let diagnostics: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    json!({
                        "file": &*r.location.file,
                        "line": r.location.line,
                        "column": r.location.column,
                        "end_line": r.location.end_line,
                        "end_column": r.location.end_column,
                        "message": r.message,
                    })
                })
                .collect();
            let fix = d.fix.as_deref().map(fix_value);
            let mut finding = json!({
                "code": d.code,
                "name": d.name,
                "severity": d.severity,
                "message": d.message,
                "file": &*d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "end_line": d.location.end_line,
                "end_column": d.location.end_column,
                "help": d.help,
                "related": related,
            });
            if let Some(fix) = fix {
                finding["fix"] = fix;
            }
            finding
        })
        .collect();
    let c = report.counts();
    let doc = json!({
        "version": 1,
        "diagnostics": diagnostics,
        "summary": {
            "files": report.files,
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "skipped": report.skipped,
            "suppressed": report.suppressed,
            "baselined": report.baselined,
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
