//! T001: a topology file that does not parse or does not match format version 1. Every
//! unknown key and type error is reported, each at its span; such a file is not checked
//! further.

use crate::model::topology::ProblemKind;

use super::report_problems;
use crate::rules::{DiagnosticExt, Findings};

rule! {
    TopologyInvalid {
        code: "T001",
        name: "topology-invalid",
        severity: Error,
        summary: "YAML syntax error, wrong type, missing or unknown key, duplicate key or assignment",
    }
    fn check(cx, out) {
        report_problems(cx, &META, ProblemKind::Invalid, out);
        // A path written with `\` (read as `/`): worth a word, not an error.
        let mut advisories = Findings::default();
        report_problems(cx, &META, ProblemKind::Advisory, &mut advisories);
        out.extend(
            advisories
                .finish()
                .into_iter()
                .map(|d| d.severity(crate::diagnostic::Severity::Warning)),
        );
    }
}
