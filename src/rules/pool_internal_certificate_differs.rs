//! P004: servers of one pool have different internal certificates (by fingerprint).

use super::pool_certificates::check_pools;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::Use;

pub struct PoolInternalCertificateDiffers;

static META: RuleMeta = RuleMeta {
    code: "P004",
    name: "pool-internal-certificate-differs",
    severity: Severity::Warning,
    summary: "servers of one pool have different internal certificates (by fingerprint)",
    sources: &["S1", "req C5"],
};

impl Rule for PoolInternalCertificateDiffers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        check_pools(cx, &META, &[Use::Internal], "internal", out);
    }
}
