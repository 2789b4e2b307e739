//! E002: a selector that names no rule (a typo in `--select`, `--ignore` or the configuration)
//! silently selects or ignores nothing; say so.

use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct UnknownCode;

static META: RuleMeta = RuleMeta {
    code: "E002",
    name: "unknown-code",
    severity: Severity::Warning,
    summary: "a suppression, --select/--ignore or configuration entry names a code or name that does not exist",
    sources: &["spec"],
};

impl Rule for UnknownCode {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let in_suppressions = cx.repo.topologies.iter().flat_map(|t| {
            t.suppressions.iter().flat_map(move |s| {
                s.selectors
                    .iter()
                    .filter(|(sel, _)| !super::selector_is_known(sel))
                    .map(move |(sel, span)| (t.loc(span), sel.clone()))
            })
        });
        let all: Vec<_> = cx
            .settings
            .unknown_selectors
            .iter()
            .cloned()
            .chain(in_suppressions)
            .collect();
        for (location, selector) in &all {
            let mut d = META
                .diag(location.clone(), format!("`{selector}` names no rule"))
                .label("unknown rule");
            let names: Vec<&str> = super::registry()
                .iter()
                .flat_map(|r| [r.meta().code, r.meta().name])
                .collect();
            d = match crate::load::topology::did_you_mean(selector, &names) {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? (`edgelint rules` lists every rule)"
                )),
                None => d.help("`edgelint rules` lists every rule"),
            };
            out.push(d);
        }
    }
}
