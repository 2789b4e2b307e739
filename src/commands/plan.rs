//! `edgelint plan`: `check`'s pipeline, then the certificate plan printed in a format, and
//! optionally the request files, the SVG timeline and the HTML report written.

use std::path::{Path, PathBuf};

use crate::cli::{FailOn, PlanArgs};
use crate::plan::{self, build, emit, CertificatePlan};

use super::check::{analyze, failing_severity};
use super::{write_stdout, EXIT_CLEAN, EXIT_FINDINGS};

pub fn run(args: &PlanArgs) -> Result<u8, String> {
    // One instant for the rules and the plan (roll dates, the timeline's `now`).
    let now = args.now.unwrap_or_else(time::OffsetDateTime::now_utc);
    let mut check = args.check_args();
    check.now = Some(now);
    let a = analyze(&check)?;
    let fail_on = a.resolved.fail_on;
    let plan = build::build(&build::Inputs {
        repo: &a.repo,
        diagnostics: &a.filtered.diagnostics,
        threshold: failing_severity(fail_on),
        now,
        expiry_warning_days: a.resolved.expiry_warning_days,
    });
    if let Some(dir) = &args.emit {
        write_emitted(&plan, dir, args.all, args.force)?;
    }
    if let Some(path) = &args.timeline {
        write_file(path, &plan::svg::render(&plan))?;
    }
    if let Some(path) = &args.html {
        write_file(path, &plan::html::render(&plan))?;
    }
    write_stdout(&plan::render(args.format, &plan))
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if fail_on != FailOn::Never && plan.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// The request files, into `dir` (created when absent). Nothing is written when a file
/// exists and `force` is not given, so that a run never leaves half a set behind.
fn write_emitted(plan: &CertificatePlan, dir: &Path, all: bool, force: bool) -> Result<(), String> {
    let files = emit::files(plan, all)?;
    if files.is_empty() {
        eprintln!(
            "edgelint: every needed certificate is ok, nothing to emit (--all emits them all)"
        );
        return Ok(());
    }
    let paths: Vec<PathBuf> = files.iter().map(|f| dir.join(&f.name)).collect();
    if !force {
        let existing: Vec<String> = paths
            .iter()
            .filter(|p| p.symlink_metadata().is_ok())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(format!(
                "--emit would overwrite {} (give --force to overwrite)",
                existing.join(", ")
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for (file, path) in files.iter().zip(&paths) {
        write_file(path, &file.text)?;
        eprintln!("edgelint: wrote {}", path.display());
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
