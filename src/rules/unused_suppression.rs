//! E001: an inline `# edgelint: ignore[...]` that silences nothing is noise that hides the day
//! the finding comes back under another code, so it is reported. The findings are made after
//! the other rules ran (src/suppress.rs), which needs every rule's result; this entry gives
//! E001 its place in the registry, its selection and its documentation.

use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;

pub struct UnusedSuppression;

static META: RuleMeta = RuleMeta {
    code: "E001",
    name: "unused-suppression",
    severity: Severity::Warning,
    summary: "an inline suppression that matched no finding",
    sources: &["spec"],
};

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _cx: &Context<'_>, _out: &mut Findings) {}
}
