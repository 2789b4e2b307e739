//! N008: no wildcard SAN on the external Edge certificate.
//!
//! Wildcards are supported only to summarise the reverse proxy's simple URLs (S1, S10); the
//! external Edge interface must list each name. Some Lync 2013 tables put `*.<domain>` on the
//! Access Edge certificate for XMPP while the XMPP summaries use the bare domain (req I3,
//! conflict C2), so that one case is a warning.

use crate::diagnostic::Severity;
use crate::rules::names::{external_fix, is_wildcard, name_eq, wildcard_base};
use crate::rules::DiagnosticExt;

rule! {
    WildcardSan {
        code: "N008",
        name: "wildcard-san",
        severity: Error,
        summary: "a wildcard SAN on the external certificate (warning when its base is an XMPP domain)",
    }
    fn check(cx, out) {
        for t in cx.name_targets() {
            let Some(pool) = t.pool else { continue };
            if !t.entry.is_external() {
                continue;
            }
            let mut seen: Vec<&str> = Vec::new();
            for w in t.sans.iter().filter(|s| is_wildcard(s)) {
                if seen.iter().any(|s| name_eq(s, w)) {
                    continue;
                }
                seen.push(w);
                let xmpp_domain = wildcard_base(w).and_then(|base| {
                    t.topology
                        .xmpp
                        .iter()
                        .flat_map(|x| x.domains.iter())
                        .find(|d| name_eq(&d.value, base))
                });
                let at = cx.at(t.id.topo, &t.written.span);
                let d = match xmpp_domain {
                    None => META.diag(
                        at,
                        format!(
                            "{} {} has the wildcard SAN {w}{}; wildcards are not supported on \
                             the external Edge interface",
                            t.kind(),
                            t.written.value,
                            t.request_carry_note()
                        ),
                    ),
                    Some(x) => META
                        .diag(
                            at,
                            format!(
                                "{} {} has the wildcard SAN {w} for XMPP domain {}{}; only some \
                                 XMPP tables list it, the external Edge interface needs explicit \
                                 names",
                                t.kind(),
                                t.written.value,
                                x.value,
                                t.request_carry_note()
                            ),
                        )
                        .severity(Severity::Warning)
                        .related(cx.at(t.id.topo, &x.span), "XMPP domain defined here"),
                };
                out.push(
                    d.label(format!("wildcard SAN {w}"))
                        .fix(external_fix(t.topology, pool, t.entry)),
                );
            }
        }
    }
}
