//! T010: more than 12 Edge Servers in one pool (Topology Builder accepts 20; 12 are supported).

use crate::rules::DiagnosticExt;

pub const MAX_SERVERS: usize = 12;

rule! {
    PoolTooLarge {
        code: "T010",
        name: "pool-too-large",
        severity: Warning,
        summary: "more than 12 servers in an Edge pool",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            for pool in &t.edge_pools {
                let n = pool.servers.len();
                if n <= MAX_SERVERS {
                    continue;
                }
                let first_beyond = &pool.servers[MAX_SERVERS].fqdn;
                out.push(
                    META.diag(
                        cx.at(ti, &pool.name.span),
                        format!(
                            "pool {} has {n} Edge Servers; at most {MAX_SERVERS} are supported in an Edge pool",
                            pool.name.value
                        ),
                    )
                    .label(format!("{n} servers"))
                    .related(
                        cx.at(ti, &first_beyond.span),
                        format!("server {} is number {}", first_beyond.value, MAX_SERVERS + 1),
                    )
                    .help(format!(
                        "split the pool: no more than {MAX_SERVERS} Edge Servers per pool"
                    )),
                );
            }
        }
    }
}
