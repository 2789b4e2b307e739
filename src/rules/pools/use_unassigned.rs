//! P001: every Edge Server needs a current certificate for the Access Edge, Web Conferencing
//! Edge, A/V Authentication and internal interfaces (`XmppServer` is never required).

use crate::derive::topology_of;
use crate::model::topology::Use;
use crate::rules::DiagnosticExt;

rule! {
    UseUnassigned {
        code: "P001",
        name: "use-unassigned",
        severity: Error,
        summary: "a server has no current certificate for a required use",
    }
    fn check(cx, out) {
        for sp in &cx.plan.servers {
            let missing: Vec<&str> = Use::REQUIRED
                .iter()
                .filter(|u| !sp.current.contains_key(u))
                .map(|u| u.name())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let (_, t) = topology_of(cx.repo, sp.topo);
            let pool = &t.edge_pools[sp.pool];
            let server = &pool.servers[sp.server];
            out.push(
                META.diag(
                    cx.at(sp.topo, &server.fqdn.span),
                    format!(
                        "server {} of pool {} has no current certificate for {}",
                        server.fqdn.value,
                        pool.name.value,
                        missing.join(", ")
                    ),
                )
                .label(format!("no certificate for {}", missing.join(", ")))
                .help(format!(
                    "add an entry with `uses: [{}]` to the pool's `certificates` (every server) or to this server's own",
                    missing.join(", ")
                )),
            );
        }
    }
}
