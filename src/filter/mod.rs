//! check → **filter** → report: which rules run (selection, resolved by the rule set), and
//! which of their findings are reported: inline suppressions, per-path ignores and severity
//! overrides of the configuration, then the baseline. Every finding also gets its identity
//! here, the one that baselines record and SARIF fingerprints hash.

pub mod baseline;
pub mod identity;
pub mod ruleset;
pub mod suppressions;

use std::path::Path;

pub use ruleset::RuleSet;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Repository;
use crate::rules::Rule;

/// What the baseline option asks for.
#[derive(Debug, Clone, Copy)]
pub enum Baseline<'a> {
    None,
    /// `--baseline FILE`: hide the findings it records.
    Apply(&'a Path),
    /// `--write-baseline FILE`: record every finding (then they count as baselined).
    Write(&'a Path),
}

/// The findings to report and what was left out.
#[derive(Debug, Default)]
pub struct Filtered {
    pub diagnostics: Vec<Diagnostic>,
    pub suppressed: usize,
    pub baselined: usize,
    /// `--write-baseline`: how many findings were recorded, in how many entries.
    pub recorded: Option<(usize, usize)>,
}

/// The filter stage, in order: suppressions (and E001), per-path ignores, severity overrides,
/// identities (when a baseline or a report needs them: `identities`), the baseline.
pub fn apply(
    mut diagnostics: Vec<Diagnostic>,
    repo: &Repository,
    selected: &[&dyn Rule],
    config: &Config,
    cwd: &Path,
    baseline: Baseline<'_>,
    identities: bool,
) -> Result<Filtered, String> {
    let suppressed = suppressions::apply(&mut diagnostics, repo, selected);
    per_path_ignores(&mut diagnostics, config, cwd);
    severity_overrides(&mut diagnostics, config);
    if identities || !matches!(baseline, Baseline::None) {
        identity::assign(&mut diagnostics, repo, cwd);
    }
    let mut out = Filtered {
        suppressed,
        ..Filtered::default()
    };
    match baseline {
        Baseline::None => {}
        Baseline::Write(path) => {
            let entries = baseline::write(path, &diagnostics)?;
            out.recorded = Some((diagnostics.len(), entries));
            out.baselined = baseline::apply(path, &mut diagnostics)?;
        }
        Baseline::Apply(path) => out.baselined = baseline::apply(path, &mut diagnostics)?,
    }
    out.diagnostics = diagnostics;
    Ok(out)
}

/// `[per_path_ignores]`: a finding in a file matching a glob, of a rule a selector picks.
fn per_path_ignores(diagnostics: &mut Vec<Diagnostic>, config: &Config, cwd: &Path) {
    if config.per_path_ignores.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        let path = crate::discover::normalize(&cwd.join(&*d.location.file));
        !config.per_path_ignores.iter().any(|(glob, selectors)| {
            glob.is_match(&path)
                && selectors
                    .iter()
                    .any(|s| s.selector.matches(&d.code, &d.name))
        })
    });
}

/// `[severity]`: the last matching override wins.
fn severity_overrides(diagnostics: &mut [Diagnostic], config: &Config) {
    for d in diagnostics {
        if let Some((_, severity)) = config
            .severity
            .iter()
            .rev()
            .find(|(s, _)| s.selector.matches(&d.code, &d.name))
        {
            d.severity = *severity;
        }
    }
}
