//! check → **report**: render diagnostics in the chosen format. Reporters see diagnostics and
//! the text of topology files (for code frames), never the model.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::diagnostic::{Diagnostic, RuleInfo, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

pub struct Report<'a> {
    pub diagnostics: &'a [Diagnostic],
    /// Every rule of the run (built-in and rule packs), for formats that describe rules.
    pub rules: &'a [RuleInfo<'a>],
    /// Text of the files whose spans may be shown (topology files), by displayed path.
    pub sources: &'a BTreeMap<Arc<str>, Arc<str>>,
    pub files: usize,
    pub skipped: usize,
    /// Findings silenced by inline suppressions.
    pub suppressed: usize,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// `--write-baseline`: how many findings were recorded (they are then not shown).
    pub recorded: Option<usize>,
    /// Counts per rule instead of findings (human and concise formats).
    pub statistics: bool,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report<'_> {
    /// (count, code, name) per rule that made findings, most first.
    pub fn statistics_table(&self) -> String {
        let mut counts: Vec<(usize, &str, &str)> = Vec::new();
        for d in self.diagnostics {
            match counts.iter_mut().find(|(_, c, _)| *c == d.code) {
                Some(e) => e.0 += 1,
                None => counts.push((1, &d.code, &d.name)),
            }
        }
        counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        counts
            .iter()
            .map(|(n, code, name)| format!("{n:>5}  {code:<5} {name}\n"))
            .collect()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for d in self.diagnostics {
            match d.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

pub fn render(format: Format, report: &Report<'_>, color: bool) -> String {
    match format {
        Format::Human | Format::Concise if report.statistics => report.statistics_table(),
        Format::Human => human::render(report, color),
        Format::Concise => concise::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}

/// Write a report: JSON as it is made, the other formats rendered first.
pub fn write(
    format: Format,
    report: &Report<'_>,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, out),
        _ => out.write_all(render(format, report, color).as_bytes()),
    }
}
