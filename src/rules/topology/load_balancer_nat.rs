//! T009: a hardware load balancer with NAT on the external A/V interface.

use crate::model::topology::LoadBalancing;
use crate::rules::DiagnosticExt;

rule! {
    LoadBalancerNat {
        code: "T009",
        name: "load-balancer-nat",
        severity: Error,
        summary: "`load_balancing: hardware` together with `nat: true`",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            for pool in &t.edge_pools {
                let Some(nat) = &pool.nat else { continue };
                if !nat.value || pool.load_balancing != LoadBalancing::Hardware {
                    continue;
                }
                let mut d = META
                    .diag(
                        cx.at(ti, &nat.span),
                        format!(
                            "pool {} uses a hardware load balancer with NAT on the external A/V interface",
                            pool.name.value
                        ),
                    )
                    .label("NAT with a hardware load balancer")
                    .help("with a hardware load balancer the external A/V addresses must be publicly routable without NAT: set `nat: false`, or use DNS load balancing");
                if let Some(span) = &pool.load_balancing_span {
                    d = d.related(cx.at(ti, span), "hardware load balancing");
                }
                out.push(d);
            }
        }
    }
}
