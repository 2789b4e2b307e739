//! `edgelint plan`: `check`'s pipeline, then the certificate plan printed in a format.

use crate::cli::{FailOn, PlanArgs};
use crate::plan::{self, build};

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
    write_stdout(&plan::render(args.format, &plan))
        .map_err(|e| format!("cannot write output: {e}"))?;
    Ok(if fail_on != FailOn::Never && plan.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}
