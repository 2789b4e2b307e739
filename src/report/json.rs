//! `--format json`, exactly as output.md defines it (fields may be added, never removed).

use serde_json::{json, Value};

use crate::diagnostic::Diagnostic;

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
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The document, written as it is made: one finding's tree at a time, never the whole
/// document's (a run with 100,000 findings must not hold them twice over).
pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let c = report.counts();
    // serde_json writes a map's keys sorted; the fields here are in that order.
    #[derive(serde::Serialize)]
    struct Document<'a> {
        diagnostics: Findings<'a>,
        summary: Value,
        version: u32,
    }
    let doc = Document {
        diagnostics: Findings(report.diagnostics),
        summary: json!({
            "files": report.files,
            "errors": c.errors,
            "warnings": c.warnings,
            "infos": c.infos,
            "skipped": report.skipped,
            "suppressed": report.suppressed,
            "baselined": report.baselined,
        }),
        version: 1,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")
}

struct Findings<'a>(&'a [Diagnostic]);

impl serde::Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(finding))
    }
}

fn finding(d: &Diagnostic) -> Value {
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
}
