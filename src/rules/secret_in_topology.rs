//! T005: a literal `password:`, `passphrase:` or `secret:` key in a topology file is a secret
//! committed to the repository. The value is never read into the model nor printed.

use super::topology_invalid::report_problems;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::ProblemKind;

pub struct SecretInTopology;

static META: RuleMeta = RuleMeta {
    code: "T005",
    name: "secret-in-topology",
    severity: Severity::Error,
    summary: "a literal password, passphrase or secret key in a topology file",
    sources: &["security"],
};

impl Rule for SecretInTopology {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        report_problems(cx, &META, ProblemKind::Secret, out);
    }
}
