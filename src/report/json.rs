//! `--format json`, exactly as output.md defines it (fields may be added, never removed).
//!
//! Every object is a struct whose fields are in name order, as the document has always been
//! written. Findings are rendered in parallel, a batch at a time, and written in order: on a
//! large repository the report was a tenth of a run, on one core.

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::{Command, Fix};

use super::Report;

/// A finding's `fix` object: the request and its renderings.
#[derive(Serialize)]
struct FixObject<'a> {
    client_eku: bool,
    commands: Vec<Command>,
    exportable: bool,
    file_stem: &'a str,
    key_size: u32,
    role: &'a str,
    san: &'a [String],
    subject: &'a str,
    summary: &'a str,
    uses: &'a [&'static str],
}

impl<'a> FixObject<'a> {
    fn of(f: &'a Fix) -> Self {
        let r = &f.request;
        FixObject {
            client_eku: r.client_eku,
            commands: r.commands(),
            exportable: r.exportable,
            file_stem: &r.file_stem,
            key_size: r.key_size,
            role: r.role.as_str(),
            san: &r.san,
            subject: &r.subject,
            summary: &f.summary,
            uses: &r.uses,
        }
    }
}

/// A finding's `fix` object as a value (the editor's, in a diagnostic's `data`).
pub fn fix_value(f: &Fix) -> Value {
    serde_json::to_value(FixObject::of(f)).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct RelatedObject<'a> {
    column: usize,
    end_column: usize,
    end_line: usize,
    file: &'a str,
    line: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    column: usize,
    end_column: usize,
    end_line: usize,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixObject<'a>>,
    help: Option<&'a str>,
    line: usize,
    message: &'a str,
    name: &'a str,
    related: Vec<RelatedObject<'a>>,
    severity: Severity,
}

impl<'a> Finding<'a> {
    fn of(d: &'a Diagnostic) -> Self {
        let related = d
            .related
            .iter()
            .map(|r| RelatedObject {
                column: r.location.column,
                end_column: r.location.end_column,
                end_line: r.location.end_line,
                file: &r.location.file,
                line: r.location.line,
                message: &r.message,
            })
            .collect();
        Finding {
            code: &d.code,
            column: d.location.column,
            end_column: d.location.end_column,
            end_line: d.location.end_line,
            file: &d.location.file,
            fix: d.fix.as_deref().map(FixObject::of),
            help: d.help.as_deref(),
            line: d.location.line,
            message: &d.message,
            name: &d.name,
            related,
            severity: d.severity,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    baselined: usize,
    errors: usize,
    files: usize,
    infos: usize,
    skipped: usize,
    suppressed: usize,
    warnings: usize,
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Findings rendered per batch: enough to keep both cores busy, few enough that a run with
/// 100,000 findings never holds more than a few batches of text at once.
const BATCH: usize = 256;
/// Batches made ahead of the one being written: findings with fixes take far longer to render
/// than others, so a core that drew a cheap batch goes on to the next.
const WINDOW: usize = 8;

/// The document, written as it is made (a batch of findings at a time), pretty-printed with
/// two spaces as serde_json prints it.
pub fn write(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let c = report.counts();
    out.write_all(b"{\n  \"diagnostics\": [")?;
    let batches: Vec<&[Diagnostic]> = report.diagnostics.chunks(BATCH).collect();
    let mut first = true;
    // Batches are made on every core and written in order as they come; a few wait at most.
    crate::parallel::par_for_each_ordered(
        &batches,
        WINDOW,
        |batch| render_batch(batch),
        |text| {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(&text)
        },
    )?;
    out.write_all(if first { b"]" } else { b"\n  ]" })?;
    let summary = Summary {
        baselined: report.baselined,
        errors: c.errors,
        files: report.files,
        infos: c.infos,
        skipped: report.skipped,
        suppressed: report.suppressed,
        warnings: c.warnings,
    };
    out.write_all(b",\n  \"summary\": ")?;
    out.write_all(&indented(&pretty(&summary), 2))?;
    out.write_all(b",\n  \"version\": 1\n}\n")
}

/// `,`-separated findings, each on lines of its own at the depth of the `diagnostics` array:
/// printed as serde_json prints them inside `{"diagnostics": [...]}`, that frame then left
/// out, so that no finding has to be moved right afterwards (a second pass over the text).
fn render_batch(batch: &[Diagnostic]) -> Vec<u8> {
    /// The findings, each made into its object only as it is printed.
    struct Findings<'a>(&'a [Diagnostic]);
    impl Serialize for Findings<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(self.0.iter().map(Finding::of))
        }
    }
    #[derive(Serialize)]
    struct Frame<'a> {
        diagnostics: Findings<'a>,
    }
    const HEAD: &[u8] = b"{\n  \"diagnostics\": [";
    const TAIL: &[u8] = b"\n  ]\n}";
    let text = pretty(&Frame {
        diagnostics: Findings(batch),
    });
    text.strip_prefix(HEAD)
        .and_then(|t| t.strip_suffix(TAIL))
        .map(<[u8]>::to_vec)
        .unwrap_or_default()
}

fn pretty(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec_pretty(value).unwrap_or_default()
}

/// Pretty JSON moved right by `by` spaces after its first line (a JSON string never holds a
/// raw line break, so every line break is the printer's).
fn indented(json: &[u8], by: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(json.len() + json.len() / 8);
    for (i, line) in json.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', by));
        }
        out.extend_from_slice(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Location, Related};
    use crate::fix::{CertificateRequest, Role};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    fn diagnostic(i: usize) -> Diagnostic {
        let fix = i.is_multiple_of(3).then(|| {
            Box::new(Fix {
                summary: format!("request {i}"),
                request: CertificateRequest {
                    role: Role::External,
                    subject: "sip.contoso.com".into(),
                    san: vec!["sip.contoso.com".into(), "a\"b\\c".into()],
                    key_size: 2048,
                    exportable: true,
                    client_eku: false,
                    uses: vec!["AccessEdgeExternal"],
                    file_stem: "edge".into(),
                    friendly_name: "edge".into(),
                },
            })
        });
        Diagnostic {
            code: "N001".into(),
            name: "san-missing".into(),
            severity: [Severity::Error, Severity::Warning, Severity::Info][i % 3],
            message: format!("finding {i}: \"quoted\"\nand a line break"),
            location: Location {
                file: Arc::from("topology.yaml"),
                line: i + 1,
                column: 3,
                end_line: i + 1,
                end_column: 9,
                bytes: None,
            },
            label: None,
            help: i.is_multiple_of(2).then(|| "help\ttext".to_string()),
            related: (0..i % 3)
                .map(|r| Related {
                    location: Location::start_of_file(&Arc::from("certs/a.pem")),
                    message: format!("related {r}"),
                })
                .collect(),
            fix,
            identity: None,
        }
    }

    /// The document as one `serde_json` value, pretty-printed whole (how it was first made).
    fn whole(diagnostics: &[Diagnostic], files: usize) -> String {
        let findings: Vec<Value> = diagnostics
            .iter()
            .map(|d| serde_json::to_value(Finding::of(d)).unwrap())
            .collect();
        let c = (
            diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
            diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Warning)
                .count(),
            diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Info)
                .count(),
        );
        let doc = serde_json::json!({
            "diagnostics": findings,
            "summary": {
                "files": files, "errors": c.0, "warnings": c.1, "infos": c.2,
                "skipped": 1, "suppressed": 2, "baselined": 3,
            },
            "version": 1,
        });
        serde_json::to_string_pretty(&doc).unwrap() + "\n"
    }

    #[test]
    fn the_streamed_document_is_the_whole_document_pretty_printed() {
        let sources = BTreeMap::new();
        for n in [
            0,
            1,
            2,
            BATCH - 1,
            BATCH,
            BATCH + 1,
            2 * BATCH + 7,
            5 * BATCH,
        ] {
            let diagnostics: Vec<Diagnostic> = (0..n).map(diagnostic).collect();
            let report = Report {
                diagnostics: &diagnostics,
                rules: &[],
                sources: &sources,
                files: n + 4,
                skipped: 1,
                suppressed: 2,
                baselined: 3,
                recorded: None,
                statistics: false,
            };
            assert_eq!(render(&report), whole(&diagnostics, n + 4), "{n} findings");
        }
    }
}
