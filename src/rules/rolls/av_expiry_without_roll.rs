//! R006: the current A/V certificate expires within V003's window and no staged replacement
//! exists. As for V003, a staged replacement silences it only when every use of that current
//! certificate has one; otherwise the uses left without one are named.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::derive::EntryId;
use crate::model::topology::Use;
use crate::rules::validity::date;
use crate::rules::{Context, DiagnosticExt};

fn file_of(cx: &Context<'_>, id: EntryId) -> Option<PathBuf> {
    cx.entry(id).file.as_ref().map(|f| f.resolved.clone())
}

rule! {
    AvExpiryWithoutRoll {
        code: "R006",
        name: "av-expiry-without-roll",
        severity: Warning,
        summary: "the current A/V certificate expires within the warning window and no staged replacement exists",
    }
    fn check(cx, out) {
        let now = cx.settings.now;
        let window = time::Duration::days(cx.settings.expiry_warning_days);
        // Current A/V entries, once each, in plan order.
        let av: BTreeSet<EntryId> = cx
            .plan
            .servers
            .iter()
            .filter_map(|sp| sp.current.get(&Use::AudioVideoAuthentication).copied())
            .collect();
        let mut done: BTreeSet<PathBuf> = BTreeSet::new();
        for &id in cx.plan.entries.iter().filter(|id| av.contains(id)) {
            let Some(path) = file_of(cx, id) else {
                continue;
            };
            if done.contains(&path) {
                continue;
            }
            let Some(leaf) = cx.leaf(id) else {
                continue;
            };
            if leaf.not_after < now || leaf.not_after - now > window {
                continue;
            }
            done.insert(path.clone());
            // Every use this file is current for, on every server, with or without a staged one.
            let none = Default::default();
            let coverage = cx.replacement_coverage(&path).unwrap_or(&none);
            let (covered, uncovered) = (coverage.covered, &coverage.uncovered);
            if covered > 0 && uncovered.is_empty() {
                continue;
            }
            let Some(file) = &cx.entry(id).file else {
                continue;
            };
            let days = (leaf.not_after - now).whole_days();
            let cn = leaf.subject_cn.as_deref().unwrap_or(&leaf.subject);
            let mut message = format!(
                "current AudioVideoAuthentication certificate {} (CN {cn}) expires on {}, in {days} day{}, ",
                file.written.value,
                date(leaf.not_after),
                if days == 1 { "" } else { "s" }
            );
            if covered > 0 {
                let names: Vec<&str> = uncovered.iter().map(|u| u.name()).collect();
                message.push_str(&format!(
                    "and no staged replacement exists for {}",
                    names.join(", ")
                ));
            } else {
                message.push_str("and no staged replacement exists");
            }
            out.push(
                META.diag(cx.at(id.topo, &file.written.span), message)
                    .label("no staged replacement")
                    .help("stage the new AudioVideoAuthentication certificate with `roll: {effective_date: ...}` at least the token lifetime (8h by default) before this one expires, so that A/V tokens stay valid"),
            );
        }
    }
}
