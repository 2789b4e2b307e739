//! P002: servers of one pool have different current A/V certificates (by fingerprint).

use crate::model::topology::Use;
use crate::rules::pools::check_pools;

rule! {
    PoolAvCertificateDiffers {
        code: "P002",
        name: "pool-av-certificate-differs",
        severity: Error,
        summary: "servers of one pool have different current A/V certificates (by fingerprint)",
    }
    fn check(cx, out) {
        check_pools(cx, &META, &[Use::AudioVideoAuthentication], "A/V", out);
    }
}
