//! `--format human`: miette's graphical report, with the YAML span underlined and the fix
//! under `help:`. Certificate and key files are never shown, only pointed at.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, MietteError,
    MietteSpanContents, NamedSource, Report as MietteReport, SourceCode, SourceSpan, SpanContents,
};
use std::collections::HashMap;
use std::sync::Arc;

use super::Report;
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::LineIndex;

const WIDTH: usize = 100;

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// Lines longer than this get no code frame (a frame of a 66,000-character line helps no one,
/// and the frame renderer cannot draw columns beyond 65,535).
const MAX_FRAME_LINE: usize = 512;

/// The part of a topology file a code frame shows: a slice of the shared text (never a copy),
/// whose line numbers are the file's.
struct Window {
    text: Arc<str>,
    range: std::ops::Range<usize>,
    /// 0-based line of `range.start`.
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let slice: &'a str = &self.text[self.range.clone()];
        let inner = slice.read_span(span, before, after)?;
        Ok(Box::new(MietteSpanContents::new(
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            inner.column(),
            // Counted from the start of the file, as miette counts it when it has the whole
            // text (its choice of merging labels into one frame depends on it).
            inner.line_count() + self.first_line,
        )))
    }
}

/// The window holding every span of a finding with one line of context, when no line of it is
/// too long to show; `None` means "no frame".
fn window(text: &Arc<str>, lines: &LineIndex, spans: &[std::ops::Range<usize>]) -> Option<Window> {
    let first = spans.iter().map(|s| s.start).min()?.min(text.len());
    let last = spans
        .iter()
        .map(|s| s.end.max(s.start))
        .max()?
        .min(text.len());
    let (first_line, _) = lines.line_col(text, first);
    let (last_line, _) = lines.line_col(text, last);
    let from = first_line.saturating_sub(1).max(1);
    let to = last_line + 1;
    let (mut start, mut end) = (usize::MAX, 0);
    for line in from..=to {
        let r = lines.line_range(text, line);
        if r.len() > MAX_FRAME_LINE {
            return None;
        }
        if line <= last_line || r.start < text.len() {
            start = start.min(r.start);
            end = end.max(r.end);
        }
    }
    let range = start..end;
    // Keep the line break after the last line, as the whole text would have it.
    let end = text[range.end..]
        .find('\n')
        .map_or(text.len(), |i| range.end + i + 1);
    Some(Window {
        text: text.clone(),
        range: range.start..end,
        first_line: from - 1,
    })
}

/// Each topology file's text and line index, built once per run.
type Sources<'r> = HashMap<&'r str, (&'r Arc<str>, LineIndex)>;

fn render_one(d: &Diagnostic, sources: &Sources<'_>, handler: &GraphicalReportHandler) -> String {
    let text = d
        .location
        .bytes
        .as_ref()
        .and_then(|_| sources.get(&*d.location.file));
    let mut help = d.help.clone().unwrap_or_default();
    let mut spans: Vec<(Option<String>, std::ops::Range<usize>, bool)> = Vec::new();
    if let (Some(_), Some(bytes)) = (text, &d.location.bytes) {
        spans.push((
            d.label.clone(),
            bytes.start..bytes.end.max(bytes.start),
            true,
        ));
    }
    for r in &d.related {
        match (
            &r.location.bytes,
            text.is_some() && r.location.file == d.location.file,
        ) {
            (Some(b), true) => {
                spans.push((Some(r.message.clone()), b.start..b.end.max(b.start), false))
            }
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
    // Certificate and key files get no code frame (nothing of them is ever shown), nor do
    // lines too long to show: the message then says where.
    let ranges: Vec<_> = spans.iter().map(|(_, r, _)| r.clone()).collect();
    let window = text.and_then(|(t, lines)| window(t, lines, &ranges));
    let message = match window {
        Some(_) => d.message.clone(),
        None => format!(
            "{}:{}:{}: {}",
            d.location.file, d.location.line, d.location.column, d.message
        ),
    };
    let mut md = MietteDiagnostic::new(message)
        .with_code(format!("{}({})", d.code, d.name))
        .with_severity(severity(d.severity));
    if !help.is_empty() {
        md = md.with_help(help);
    }
    let rep = match window {
        Some(w) => {
            let shift = w.range.start;
            let labels = spans.into_iter().map(|(label, r, primary)| {
                let r = r.start - shift..r.end - shift;
                if primary {
                    LabeledSpan::new_primary_with_span(label, r)
                } else {
                    LabeledSpan::new_with_span(label, r)
                }
            });
            let name = d.location.file.to_string();
            MietteReport::new(md.with_labels(labels)).with_source_code(NamedSource::new(name, w))
        }
        None => MietteReport::new(md),
    };
    let mut out = String::new();
    // The renderer is a dependency; whatever it does with hostile text, the run goes on.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        handler.render_report(&mut out, rep.as_ref())
    }));
    if !matches!(rendered, Ok(Ok(()))) {
        out = format!(
            "{}: {}:{}:{}: {} [{}]\n",
            d.severity.as_str(),
            d.location.file,
            d.location.line,
            d.location.column,
            d.message,
            d.code
        );
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
    let sources: Sources<'_> = report
        .sources
        .iter()
        .map(|(name, text)| (&**name, (text, LineIndex::new(text))))
        .collect();
    for d in report.diagnostics {
        out.push_str(&render_one(d, &sources, &handler));
        out.push('\n');
    }
    let c = report.counts();
    let files = format!("{} file{}", report.files, plural(report.files));
    if let Some(n) = report.recorded {
        out.push_str(&format!(
            "Recorded {n} finding{} in the baseline ({files}): runs with --baseline report only findings not in it.\n",
            plural(n)
        ));
        return out;
    }
    if c.errors + c.warnings + c.infos == 0 {
        out.push_str(&format!("All checks passed ({files}).\n"));
    } else {
        out.push_str(&format!(
            "Found {} error{}, {} warning{}, {} info{} in {files}.\n",
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
