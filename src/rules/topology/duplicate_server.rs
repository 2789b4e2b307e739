//! T007: the same server FQDN twice in one pool, or in two pools of one topology file.

use crate::model::topology::Sp;
use crate::rules::names::name_eq;
use crate::rules::DiagnosticExt;

rule! {
    DuplicateServer {
        code: "T007",
        name: "duplicate-server",
        severity: Error,
        summary: "the same server FQDN twice in one pool or in two pools of one file",
    }
    fn check(cx, out) {
        for (ti, tf) in cx.repo.topologies.iter().enumerate() {
            let Some(t) = &tf.topology else { continue };
            // The first occurrence of each FQDN: (fqdn, pool index).
            let mut seen: Vec<(&Sp<String>, usize)> = Vec::new();
            for (pi, pool) in t.edge_pools.iter().enumerate() {
                for s in &pool.servers {
                    let Some(&(first, first_pool)) =
                        seen.iter().find(|(f, _)| name_eq(&f.value, &s.fqdn.value))
                    else {
                        seen.push((&s.fqdn, pi));
                        continue;
                    };
                    let (message, related) = if first_pool == pi {
                        (
                            format!(
                                "server {} appears twice in pool {}",
                                s.fqdn.value, pool.name.value
                            ),
                            "first listed here".to_string(),
                        )
                    } else {
                        let other = &t.edge_pools[first_pool].name.value;
                        (
                            format!(
                                "server {} of pool {} is also a server of pool {other}",
                                s.fqdn.value, pool.name.value
                            ),
                            format!("first listed in pool {other}"),
                        )
                    };
                    out.push(
                        META.diag(cx.at(ti, &s.fqdn.span), message)
                            .label("second occurrence")
                            .related(cx.at(ti, &first.span), related)
                            .help("an Edge Server belongs to one pool, once: remove the duplicate or correct its FQDN"),
                    );
                }
            }
        }
    }
}
