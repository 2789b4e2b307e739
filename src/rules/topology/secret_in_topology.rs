//! T005: a literal `password:`, `passphrase:` or `secret:` key in a topology file is a secret
//! committed to the repository. The value is never read into the model nor printed.

use super::report_problems;
use crate::model::topology::ProblemKind;

rule! {
    SecretInTopology {
        code: "T005",
        name: "secret-in-topology",
        severity: Error,
        summary: "a literal password, passphrase or secret key in a topology file",
    }
    fn check(cx, out) {
        report_problems(cx, &META, ProblemKind::Secret, out);
    }
}
