//! P003: servers of one pool have different external certificates (by fingerprint).

use super::pool_certificates::check_pools;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::Use;

pub struct PoolExternalCertificateDiffers;

static META: RuleMeta = RuleMeta {
    code: "P003",
    name: "pool-external-certificate-differs",
    severity: Severity::Warning,
    summary: "servers of one pool have different external certificates (by fingerprint)",
    sources: &["S1", "S2", "req D2"],
};

impl Rule for PoolExternalCertificateDiffers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        check_pools(
            cx,
            &META,
            &[Use::AccessEdgeExternal, Use::DataEdgeExternal],
            "external",
            out,
        );
    }
}
