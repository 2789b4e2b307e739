//! R003: a staged certificate takes effect less than the token lifetime (8h by default) before
//! the current certificate expires; an error under 24h for OAuthTokenIssuer. A date at or after
//! the expiry is R002's.

use crate::diagnostic::Severity;
use crate::model::topology::Use;
use crate::rules::rolls::{
    duration, required_lead, roll_pairs, token_lifetime, uses_text, written,
};
use crate::rules::validity::date;
use crate::rules::DiagnosticExt;

rule! {
    RollLeadTimeShort {
        code: "R003",
        name: "roll-lead-time-short",
        severity: Warning,
        summary: "a staged certificate's lead time is shorter than the token lifetime (error: under 24h for OAuthTokenIssuer)",
    }
    fn check(cx, out) {
        for p in roll_pairs(cx) {
            let expires = p.expires();
            if p.effective >= expires {
                continue; // R002
            }
            let lead = expires - p.effective;
            let short: Vec<Use> = p
                .uses
                .iter()
                .copied()
                .filter(|&u| lead < required_lead(u, p.pool))
                .collect();
            if short.is_empty() {
                continue;
            }
            let oauth = short.contains(&Use::OAuthTokenIssuer);
            let (severity, need) = if oauth {
                (
                    Severity::Error,
                    format!(
                        "OAuthTokenIssuer needs a lead time of at least {}",
                        duration(required_lead(Use::OAuthTokenIssuer, p.pool))
                    ),
                )
            } else {
                (
                    Severity::Warning,
                    format!(
                        "the lead time should be at least the A/V token lifetime ({})",
                        duration(token_lifetime(p.pool))
                    ),
                )
            };
            let needed = short
                .iter()
                .map(|&u| required_lead(u, p.pool))
                .max()
                .unwrap_or_default();
            let staged = cx.entry(p.staged);
            let Some(roll) = &staged.roll else { continue };
            let Some(current_file) = &cx.entry(p.current).file else {
                continue;
            };
            out.push(
                META.diag(
                    cx.at(p.staged.topo, &roll.effective_date.span),
                    format!(
                        "staged {} certificate {} is effective {}, {} before the current certificate {} expires on {}; {need}",
                        uses_text(&p.uses),
                        written(cx, p.staged),
                        date(p.effective),
                        duration(lead),
                        current_file.written.value,
                        date(expires),
                    ),
                )
                .severity(severity)
                .label(format!("{} before expiry", duration(lead)))
                .related(
                    cx.at(p.current.topo, &current_file.written.span),
                    format!("current certificate, expires {}", date(expires)),
                )
                .help(format!(
                    "set `effective_date` no later than {}, so that clients holding tokens from the current certificate get new ones before it expires",
                    date(expires - needed)
                )),
            );
        }
    }
}
