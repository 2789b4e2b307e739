//! T001: a topology file that does not parse or does not match format version 1. Every
//! unknown key and type error is reported, each at its span; such a file is not checked
//! further.

use crate::model::topology::ProblemKind;

use super::report_problems;

rule! {
    TopologyInvalid {
        code: "T001",
        name: "topology-invalid",
        severity: Error,
        summary: "YAML syntax error, wrong type, missing or unknown key, duplicate key or assignment",
    }
    fn check(cx, out) {
        report_problems(cx, &META, ProblemKind::Invalid, out);
    }
}
