//! R004: the staged certificate is not yet valid, or no longer valid, at its effective date
//! (NotBefore <= EffectiveDate < NotAfter, req H6). V002 does not judge staged certificates.

use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    RollNotValidAtEffectiveDate {
        code: "R004",
        name: "roll-not-valid-at-effective-date",
        severity: Error,
        summary: "the staged certificate is not yet valid, or already expired, at its effective date",
    }
    fn check(cx, out) {
        for &id in &cx.plan.entries {
            let entry = cx.entry(id);
            let (Some(file), Some(roll)) = (&entry.file, &entry.roll) else {
                continue;
            };
            let Some(leaf) = cx.leaf(id) else {
                continue;
            };
            let at = roll.effective_date.value;
            let problem = if at < leaf.not_before {
                format!(
                    "is not yet valid: it is valid from {}",
                    date(leaf.not_before)
                )
            } else if at >= leaf.not_after {
                format!(
                    "is no longer valid: its validity ended on {}",
                    date(leaf.not_after)
                )
            } else {
                continue;
            };
            let cn = leaf.subject_cn.as_deref().unwrap_or(&leaf.subject);
            out.push(
                META.diag(
                    cx.at(id.topo, &roll.effective_date.span),
                    format!(
                        "at its effective date {}, staged certificate {} (CN {cn}) {problem}",
                        date(at),
                        file.written.value
                    ),
                )
                .label("the staged certificate is not valid at this date")
                .related(
                    cx.at(id.topo, &file.written.span),
                    format!(
                        "valid {} to {}",
                        date(leaf.not_before),
                        date(leaf.not_after)
                    ),
                )
                .help("choose an effective date inside the staged certificate's validity, or stage a certificate that is valid then"),
            );
        }
    }
}
