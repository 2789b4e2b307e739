//! T009: a hardware load balancer with NAT on the external A/V interface.

use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::LoadBalancing;

pub struct LoadBalancerNat;

static META: RuleMeta = RuleMeta {
    code: "T009",
    name: "load-balancer-nat",
    severity: Severity::Error,
    summary: "`load_balancing: hardware` together with `nat: true`",
    sources: &["S21", "S23", "req D6"],
};

impl Rule for LoadBalancerNat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
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
