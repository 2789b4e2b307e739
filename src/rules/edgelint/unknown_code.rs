//! E002: a selector that names no rule (a typo in `--select`, `--ignore` or the configuration)
//! silently selects or ignores nothing; say so.

use crate::rules::DiagnosticExt;

rule! {
    UnknownCode {
        code: "E002",
        name: "unknown-code",
        severity: Warning,
        summary: "a suppression, --select/--ignore or configuration entry names a code or name that does not exist",
    }
    fn check(cx, out) {
        for u in &cx.settings.unknown_selectors {
            let d = META
                .diag(u.location.clone(), format!("`{}` names no rule", u.text))
                .label("unknown rule");
            out.push(match &u.suggestion {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? (`edgelint rules` lists every rule)"
                )),
                None => d.help("`edgelint rules` lists every rule"),
            });
        }
    }
}
