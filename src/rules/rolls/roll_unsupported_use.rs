//! R001: a staged (`roll`) certificate lists a use that `Set-CsCertificate -Roll` cannot stage.

use crate::rules::rolls::is_rollable;
use crate::rules::DiagnosticExt;

rule! {
    RollUnsupportedUse {
        code: "R001",
        name: "roll-unsupported-use",
        severity: Error,
        summary: "a staged certificate lists a use other than AudioVideoAuthentication or OAuthTokenIssuer",
    }
    fn check(cx, out) {
        for &id in &cx.plan.entries {
            let entry = cx.entry(id);
            // A request-only entry is a plan, not an assignment (no P or R rule).
            let (Some(file), Some(_)) = (&entry.file, &entry.roll) else {
                continue;
            };
            for u in &entry.uses {
                if is_rollable(u.value) {
                    continue;
                }
                out.push(
                    META.diag(
                        cx.at(id.topo, &u.span),
                        format!(
                            "staged certificate {} lists {use_}: -Roll stages only \
                             AudioVideoAuthentication and OAuthTokenIssuer; {use_} switches to \
                             it at the effective date with no overlap of old and new certificate",
                            file.written.value,
                            use_ = u.value.name()
                        ),
                    )
                    .label("no coexistence for this use")
                    .help(format!(
                        "Set-CsCertificate -Roll provisions {use_} with the staged certificate, but \
                         only A/V and OAuth get the coexistence of old and new certificate: stage a \
                         separate AudioVideoAuthentication certificate with `roll:`, and replace \
                         the {use_} certificate with a current entry when you are ready",
                        use_ = u.value.name()
                    )),
                );
            }
        }
    }
}
