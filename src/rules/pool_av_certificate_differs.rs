//! P002: servers of one pool have different current A/V certificates (by fingerprint).

use super::pool_certificates::check_pools;
use super::{Context, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::Use;

pub struct PoolAvCertificateDiffers;

static META: RuleMeta = RuleMeta {
    code: "P002",
    name: "pool-av-certificate-differs",
    severity: Severity::Error,
    summary: "servers of one pool have different current A/V certificates (by fingerprint)",
    sources: &["S1", "S2", "S21", "req B1"],
};

impl Rule for PoolAvCertificateDiffers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        check_pools(cx, &META, &[Use::AudioVideoAuthentication], "A/V", out);
    }
}
