//! T011: more than one pool of a topology file enabled for federation.

use crate::rules::DiagnosticExt;

rule! {
    MultipleFederationPools {
        code: "T011",
        name: "multiple-federation-pools",
        severity: Warning,
        summary: "more than one pool with `federation: true` in a topology file",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            let federated: Vec<_> = t
                .edge_pools
                .iter()
                .filter_map(|p| p.federation.as_ref().filter(|f| f.value).map(|f| (p, f)))
                .collect();
            let Some(((first_pool, first), rest)) = federated.split_first() else {
                continue;
            };
            for (pool, fed) in rest {
                out.push(
                    META.diag(
                        cx.at(ti, &fed.span),
                        format!(
                            "pool {} is enabled for federation, and so is pool {}: only one Edge pool should be",
                            pool.name.value, first_pool.name.value
                        ),
                    )
                    .label("second federation pool")
                    .related(
                        cx.at(ti, &first.span),
                        format!("pool {} enabled for federation here", first_pool.name.value),
                    )
                    .help("enable federation (port 5061) on one Edge pool only; set `federation: false` on the others"),
                );
            }
        }
    }
}
