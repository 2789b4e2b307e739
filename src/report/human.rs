//! `--format human`: miette's graphical report, with the YAML span underlined and the fix
//! under `help:`. Certificate and key files are never shown, only pointed at.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
    Report as MietteReport,
};

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};

const WIDTH: usize = 100;

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn render_one(d: &Diagnostic, report: &Report<'_>, handler: &GraphicalReportHandler) -> String {
    let source = d
        .location
        .bytes
        .as_ref()
        .and_then(|_| report.sources.get(&d.location.file));
    let mut help = d.help.clone().unwrap_or_default();
    // Certificate and key files get no code frame: the message says where, nothing is shown.
    let message = match source {
        Some(_) => d.message.clone(),
        None => format!(
            "{}:{}:{}: {}",
            d.location.file, d.location.line, d.location.column, d.message
        ),
    };
    let mut md = MietteDiagnostic::new(message)
        .with_code(format!("{}({})", d.code, d.name))
        .with_severity(severity(d.severity));
    let mut labels = Vec::new();
    if let (Some(_), Some(bytes)) = (source, &d.location.bytes) {
        labels.push(LabeledSpan::new_primary_with_span(
            d.label.clone(),
            bytes.start..bytes.end.max(bytes.start),
        ));
    }
    for r in &d.related {
        match (
            &r.location.bytes,
            source.is_some() && r.location.file == d.location.file,
        ) {
            (Some(b), true) => labels.push(LabeledSpan::new_with_span(
                Some(r.message.clone()),
                b.start..b.end.max(b.start),
            )),
            _ => {
                if !help.is_empty() {
                    help.push('\n');
                }
                help.push_str(&format!(
                    "note: {} ({}:{}:{})",
                    r.message, r.location.file, r.location.line, r.location.column
                ));
            }
        }
    }
    if !help.is_empty() {
        md = md.with_help(help);
    }
    md = md.with_labels(labels);
    let mut rep = MietteReport::new(md);
    if let Some(text) = source {
        rep = rep.with_source_code(NamedSource::new(&d.location.file, text.to_string()));
    }
    let mut out = String::new();
    if handler.render_report(&mut out, rep.as_ref()).is_err() {
        out = format!("{}: {} [{}]\n", d.severity.as_str(), d.message, d.code);
    }
    out
}

pub fn render(report: &Report<'_>, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(WIDTH)
        .with_links(false)
        // Help holds commands to copy; a wrapped command would break when pasted.
        .with_wrap_lines(false);
    let mut out = String::new();
    for d in report.diagnostics {
        out.push_str(&render_one(d, report, &handler));
        out.push('\n');
    }
    let c = report.counts();
    let files = report.files;
    if c.errors + c.warnings + c.infos == 0 {
        out.push_str(&format!("All checks passed ({files} files).\n"));
    } else {
        out.push_str(&format!(
            "Found {} error{}, {} warning{}, {} info{} in {files} files.\n",
            c.errors,
            plural(c.errors),
            c.warnings,
            plural(c.warnings),
            c.infos,
            plural(c.infos),
        ));
    }
    if report.baselined > 0 {
        out.push_str(&format!(
            "{} finding{} in the baseline not shown.\n",
            report.baselined,
            plural(report.baselined)
        ));
    }
    if report.suppressed > 0 {
        out.push_str(&format!(
            "{} finding{} suppressed by `# edgelint: ignore` comments.\n",
            report.suppressed,
            plural(report.suppressed)
        ));
    }
    if report.skipped > 0 {
        out.push_str(&format!(
            "Skipped {} unreferenced PKCS#12 file{} (set EDGELINT_PFX_PASSWORD to check them).\n",
            report.skipped,
            plural(report.skipped)
        ));
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
