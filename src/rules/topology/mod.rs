//! T: topology files and the files they name.

mod certificate_unreadable;
mod duplicate_server;
mod file_not_found;
mod invalid_fqdn;
mod load_balancer_nat;
mod multiple_federation_pools;
mod pkcs12_password;
mod pool_too_large;
mod secret_in_topology;
mod topology_invalid;
mod xmpp_unsupported_version;

pub use certificate_unreadable::CertificateUnreadable;
pub use duplicate_server::DuplicateServer;
pub use file_not_found::FileNotFound;
pub use invalid_fqdn::InvalidFqdn;
pub use load_balancer_nat::LoadBalancerNat;
pub use multiple_federation_pools::MultipleFederationPools;
pub use pkcs12_password::Pkcs12Password;
pub use pool_too_large::PoolTooLarge;
pub use secret_in_topology::SecretInTopology;
pub use topology_invalid::TopologyInvalid;
pub use xmpp_unsupported_version::XmppUnsupportedVersion;

use crate::model::topology::ProblemKind;
use crate::rules::{Context, DiagnosticExt, Findings, RuleMeta};

/// The problems the loader recorded of one kind (T001's, T005's), as findings of `meta`.
pub fn report_problems(cx: &Context<'_>, meta: &RuleMeta, kind: ProblemKind, out: &mut Findings) {
    for (ti, tf) in cx.repo.topologies.iter().enumerate() {
        for p in tf.problems.iter().filter(|p| p.kind == kind) {
            let mut d = meta.diag(cx.at(ti, &p.span), p.message.clone());
            if let Some(l) = &p.label {
                d = d.label(l.clone());
            }
            if let Some(h) = &p.help {
                d = d.help(h.clone());
            }
            if let Some((span, msg)) = &p.related {
                d = d.related(cx.at(ti, span), msg.clone());
            }
            out.push(d);
        }
    }
}
