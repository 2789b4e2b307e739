//! V003: a leaf certificate that expires within the warning window (30 days by default).
//! A staged replacement for every use of the certificate silences it.

use std::collections::BTreeSet;

use crate::derive::{topology_of, EntryId};
use crate::model::topology::Use;
use crate::rules::validity::date;
use crate::rules::{Context, DiagnosticExt};

/// Uses for which `path` is a current certificate, split into those with and without a
/// staged replacement on the same server.
fn replacement_coverage(cx: &Context<'_>, path: &std::path::Path) -> (usize, BTreeSet<Use>) {
    let mut covered = 0;
    let mut uncovered = BTreeSet::new();
    for sp in &cx.plan.servers {
        for (u, id) in &sp.current {
            if entry_file(cx, *id) != Some(path) {
                continue;
            }
            if sp.staged.contains_key(u) {
                covered += 1;
            } else {
                uncovered.insert(*u);
            }
        }
    }
    (covered, uncovered)
}

fn entry_file<'a>(cx: &Context<'a>, id: EntryId) -> Option<&'a std::path::Path> {
    let (_, t) = topology_of(cx.repo, id.topo);
    crate::derive::entry_in(t, id)
        .file
        .as_ref()
        .map(|f| f.resolved.as_path())
}

rule! {
    CertificateExpiringSoon {
        code: "V003",
        name: "certificate-expiring-soon",
        severity: Warning,
        summary: "a leaf certificate expires within the warning window (default 30 days)",
    }
    fn check(cx, out) {
        let now = cx.settings.now;
        let window = time::Duration::days(cx.settings.expiry_warning_days);
        for c in cx.certificates() {
            if !c.is_leaf || c.cert.not_after < now || c.cert.not_after - now > window {
                continue;
            }
            let (covered, uncovered) = replacement_coverage(cx, &c.file.path);
            if covered > 0 && uncovered.is_empty() {
                continue;
            }
            let days = (c.cert.not_after - now).whole_days();
            let mut message = format!(
                "{} expires on {}, in {days} day{}",
                c.describe(),
                date(c.cert.not_after),
                if days == 1 { "" } else { "s" }
            );
            if covered > 0 {
                let names: Vec<&str> = uncovered.iter().map(|u| u.name()).collect();
                message.push_str(&format!("; no staged replacement for {}", names.join(", ")));
            }
            out.push(
                META.diag(c.location.clone(), message)
                    .label(format!("expires in {days} days"))
                    .help("renew it now; for AudioVideoAuthentication stage the new certificate with `roll:` ahead of the expiry"),
            );
        }
    }
}
