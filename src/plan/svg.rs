//! `--timeline FILE.svg`: one row per certificate assignment per pool (current, servers that
//! differ, staged), on one time axis: validity bars coloured by their worst finding, a line
//! at `now`, each staged effective date, the token-lifetime window before each A/V expiry and
//! V003's warning window. Hand-written and deterministic: the same plan and `--now` give the
//! same bytes.

use time::{Date, Duration, Month, OffsetDateTime, Time};

use super::{day, Assignment, CertificatePlan, Need};
use crate::diagnostic::Severity;
use crate::source::escape_controls;

const WIDTH: f64 = 1200.0;
const MARGIN: f64 = 16.0;
const HEADER: f64 = 56.0;
const ROW: f64 = 44.0;
const FOOTER: f64 = 40.0;

const STYLE: &str = "\
.tl-title{font:bold 14px sans-serif;fill:#1f2328}
.tl-label{font:12px sans-serif;fill:#1f2328}
.tl-tick{font:11px sans-serif;fill:#59636e}
.tl-grid{stroke:#d1d9e0;stroke-width:1}
.tl-now{stroke:#8250df;stroke-width:2}
.tl-effective{stroke:#0969da;stroke-width:2;stroke-dasharray:4 2}
.tl-bar{stroke:#1f2328;stroke-width:0.5}
.tl-ok{fill:#2da44e}
.tl-info{fill:#54aeff}
.tl-warning{fill:#d4a72c}
.tl-error{fill:#cf222e}
.tl-expiry-window{fill:#ffffff;fill-opacity:0.45}
.tl-token-window{fill:#1f2328}
.tl-missing{font:italic 12px sans-serif;fill:#59636e}
";

/// One row: which certificate, which assignment.
struct Row<'a> {
    need: &'a Need,
    kind: &'static str,
    assignment: &'a Assignment,
}

/// The time axis: instants to x coordinates.
struct Axis {
    start: OffsetDateTime,
    end: OffsetDateTime,
}

impl Axis {
    fn x(&self, t: OffsetDateTime) -> f64 {
        let span = (self.end - self.start).as_seconds_f64();
        let at = (t.clamp(self.start, self.end) - self.start).as_seconds_f64();
        MARGIN + at / span * (WIDTH - 2.0 * MARGIN)
    }
}

pub fn render(plan: &CertificatePlan) -> String {
    let rows = rows(plan);
    let axis = axis(plan, &rows);
    let height = HEADER + ROW * rows.len() as f64 + FOOTER;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"edgelint-timeline\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"Certificate timeline\">\n<style>\n{STYLE}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text class=\"tl-title\" x=\"{MARGIN}\" y=\"20\">Edge certificates: validity, staged dates and renewal windows (now {})</text>\n",
        xml(&day(plan.now))
    );
    out.push_str(&ticks(&axis, height));
    for (i, row) in rows.iter().enumerate() {
        out.push_str(&draw_row(row, &axis, HEADER + ROW * i as f64, plan));
    }
    let now = axis.x(plan.now);
    out.push_str(&format!(
        "<line class=\"tl-now\" x1=\"{now:.1}\" y1=\"{:.1}\" x2=\"{now:.1}\" y2=\"{:.1}\"><title>now {}</title></line>\n",
        HEADER - 8.0,
        height - FOOTER,
        xml(&day(plan.now))
    ));
    out.push_str(&legend(height - FOOTER + 24.0, plan.expiry_warning_days));
    out.push_str("</svg>\n");
    out
}

fn rows(plan: &CertificatePlan) -> Vec<Row<'_>> {
    let mut out = Vec::new();
    for need in plan.needs() {
        out.push(Row {
            need,
            kind: "current",
            assignment: &need.current,
        });
        for a in &need.differs {
            out.push(Row {
                need,
                kind: "differs",
                assignment: a,
            });
        }
        for a in &need.staged {
            out.push(Row {
                need,
                kind: "staged",
                assignment: a,
            });
        }
    }
    out
}

/// From the earliest to the latest date of the plan (and now), with a margin; a year from a
/// month ago when there are no dates.
fn axis(plan: &CertificatePlan, rows: &[Row<'_>]) -> Axis {
    let mut dates = vec![plan.now];
    for r in rows {
        let a = r.assignment;
        dates.extend(
            [a.not_before, a.not_after, a.effective_date]
                .into_iter()
                .flatten(),
        );
    }
    let (min, max) = (
        dates.iter().min().copied().unwrap_or(plan.now),
        dates.iter().max().copied().unwrap_or(plan.now),
    );
    if max - min < Duration::days(30) {
        return Axis {
            start: plan.now - Duration::days(30),
            end: plan.now + Duration::days(365),
        };
    }
    let pad = (max - min) / 30;
    Axis {
        start: min - pad,
        end: max + pad,
    }
}

/// Grid lines and labels: the first of each month for spans up to three years, else of each
/// year; at most about 16 labels.
fn ticks(axis: &Axis, height: f64) -> String {
    let monthly = axis.end - axis.start <= Duration::days(3 * 366);
    let mut marks = Vec::new();
    let (mut year, mut month) = (axis.start.year(), axis.start.month());
    loop {
        (year, month) = if monthly {
            (
                if month == Month::December {
                    year + 1
                } else {
                    year
                },
                month.next(),
            )
        } else {
            (year + 1, Month::January)
        };
        let Ok(date) = Date::from_calendar_date(year, month, 1) else {
            break;
        };
        let at = date.with_time(Time::MIDNIGHT).assume_utc();
        if at > axis.end {
            break;
        }
        marks.push(at);
    }
    let step = marks.len().div_ceil(16).max(1);
    let mut out = String::new();
    for at in marks.iter().step_by(step) {
        let x = axis.x(*at);
        let label = if monthly {
            format!("{:04}-{:02}", at.year(), u8::from(at.month()))
        } else {
            format!("{:04}", at.year())
        };
        out.push_str(&format!(
            "<line class=\"tl-grid\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>\n<text class=\"tl-tick\" x=\"{:.1}\" y=\"{:.1}\">{label}</text>\n",
            HEADER - 8.0,
            height - FOOTER,
            x + 2.0,
            HEADER - 12.0
        ));
    }
    out
}

fn draw_row(row: &Row<'_>, axis: &Axis, y: f64, plan: &CertificatePlan) -> String {
    let a = row.assignment;
    let need = row.need;
    let mut out = format!(
        "<g class=\"row\" data-pool=\"{}\" data-role=\"{}\" data-kind=\"{}\">\n<text class=\"tl-label\" x=\"{MARGIN}\" y=\"{:.1}\">{}</text>\n",
        xml(need.pool.as_deref().unwrap_or("")),
        need.role(),
        row.kind,
        y + 14.0,
        xml(&label(row))
    );
    let (Some(from), Some(to)) = (a.not_before, a.not_after) else {
        let why = if a.file.is_some() {
            "no certificate could be read from the file"
        } else {
            "nothing assigned"
        };
        out.push_str(&format!(
            "<text class=\"tl-missing\" x=\"{MARGIN}\" y=\"{:.1}\">{why}</text>\n</g>\n",
            y + 32.0
        ));
        return out;
    };
    let bar_y = y + 20.0;
    let (x1, x2) = (axis.x(from), axis.x(to));
    out.push_str(&format!(
        "<rect class=\"tl-bar {}\" x=\"{x1:.1}\" y=\"{bar_y:.1}\" width=\"{:.1}\" height=\"14\"><title>{}</title></rect>\n",
        severity_class(a.worst_severity()),
        (x2 - x1).max(1.0),
        xml(&tooltip(a))
    ));
    let window = |class: &str, length: Duration, title: String| {
        let x = axis.x(to - length);
        format!(
            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{bar_y:.1}\" width=\"{:.1}\" height=\"14\"><title>{}</title></rect>\n",
            x.min(x2 - 3.0),
            (x2 - x).max(3.0),
            xml(&title)
        )
    };
    let days = Duration::days(plan.expiry_warning_days.clamp(0, 36_500));
    out.push_str(&window(
        "tl-expiry-window",
        days,
        format!("V003 window: the last {} days", plan.expiry_warning_days),
    ));
    if let Some(lifetime) = need.token_lifetime {
        out.push_str(&window(
            "tl-token-window",
            lifetime,
            "A/V token lifetime before expiry: a staged replacement must take over before this"
                .into(),
        ));
    }
    if let Some(at) = a.effective_date {
        let x = axis.x(at);
        out.push_str(&format!(
            "<line class=\"tl-effective\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"><title>effective {}</title></line>\n",
            bar_y - 4.0,
            bar_y + 18.0,
            xml(&day(at))
        ));
    }
    out.push_str("</g>\n");
    out
}

/// `edge-ams · external · current · certs/edge-external.pfx · 2025-07-01 → 2027-06-30 · N002`
fn label(row: &Row<'_>) -> String {
    let a = row.assignment;
    let mut parts = vec![
        row.need
            .pool
            .clone()
            .unwrap_or_else(|| "reverse proxy".into()),
        row.need.role().to_string(),
    ];
    parts.push(match row.kind {
        "differs" => format!("on {}", a.servers.join(", ")),
        kind => kind.to_string(),
    });
    parts.push(a.file.clone().unwrap_or_else(|| "missing".into()));
    if let (Some(from), Some(to)) = (a.not_before, a.not_after) {
        parts.push(format!("{} → {}", day(from), day(to)));
    }
    if let Some(at) = a.effective_date {
        parts.push(format!("effective {}", day(at)));
    }
    if !a.codes.is_empty() {
        parts.push(a.codes.join(", "));
    }
    parts.join(" · ")
}

fn tooltip(a: &Assignment) -> String {
    let mut lines = vec![a.file.clone().unwrap_or_default()];
    lines.extend(
        a.findings
            .iter()
            .map(|f| format!("{} {}: {}", f.code, f.severity.as_str(), f.message)),
    );
    lines.join("\n")
}

fn severity_class(s: Option<Severity>) -> &'static str {
    match s {
        None => "tl-ok",
        Some(Severity::Info) => "tl-info",
        Some(Severity::Warning) => "tl-warning",
        Some(Severity::Error) => "tl-error",
    }
}

fn legend(y: f64, window_days: i64) -> String {
    let items = [
        ("tl-ok", "no finding"),
        ("tl-info", "info"),
        ("tl-warning", "warning"),
        ("tl-error", "error"),
    ];
    let mut out = String::new();
    let mut x = MARGIN;
    for (class, text) in items {
        out.push_str(&format!(
            "<rect class=\"tl-bar {class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"14\" height=\"10\"/><text class=\"tl-tick\" x=\"{:.1}\" y=\"{y:.1}\">{text}</text>\n",
            y - 9.0,
            x + 18.0
        ));
        x += 100.0;
    }
    out.push_str(&format!(
        "<text class=\"tl-tick\" x=\"{x:.1}\" y=\"{y:.1}\">pale end: V003's {window_days}-day window · dark end: A/V token lifetime · dashed: staged effective date · purple: now</text>\n"
    ));
    out
}

/// Text for XML content or an attribute: markup characters as entities, control characters
/// (which XML 1.0 forbids) written as escapes.
pub(super) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in escape_controls(s, true).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\u{FFFE}' | '\u{FFFF}' => out.push('?'),
            c => out.push(c),
        }
    }
    out
}
