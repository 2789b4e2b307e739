//! R002: a staged certificate takes effect at or after the current certificate's expiry,
//! leaving a gap without a valid certificate. R003 reports a lead time that is merely short.

use crate::rules::rolls::{duration, required_lead, roll_pairs, uses_text, written};
use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    RollAfterExpiry {
        code: "R002",
        name: "roll-after-expiry",
        severity: Error,
        summary: "a staged certificate's effective date is at or after the current certificate's expiry",
    }
    fn check(cx, out) {
        for p in roll_pairs(cx) {
            let expires = p.expires();
            if p.effective < expires {
                continue;
            }
            let staged = cx.entry(p.staged);
            let Some(roll) = &staged.roll else { continue };
            let Some(current_file) = &cx.entry(p.current).file else {
                continue;
            };
            let when = if p.effective == expires {
                "the moment".to_string()
            } else {
                format!("{} after", duration(p.effective - expires))
            };
            let lead = p
                .uses
                .iter()
                .map(|&u| required_lead(u, p.pool))
                .max()
                .unwrap_or_default();
            out.push(
                META.diag(
                    cx.at(p.staged.topo, &roll.effective_date.span),
                    format!(
                        "staged {} certificate {} is effective {}, {when} the current certificate {} expires on {}: no valid certificate in between",
                        uses_text(&p.uses),
                        written(cx, p.staged),
                        date(p.effective),
                        current_file.written.value,
                        date(expires),
                    ),
                )
                .label("effective at or after the current certificate expires")
                .related(
                    cx.at(p.current.topo, &current_file.written.span),
                    format!("current certificate, expires {}", date(expires)),
                )
                .help(format!(
                    "set `effective_date` no later than {} ({} before the current certificate expires)",
                    date(expires - lead),
                    duration(lead)
                )),
            );
        }
    }
}
