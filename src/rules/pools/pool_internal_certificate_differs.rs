//! P004: servers of one pool have different internal certificates (by fingerprint).

use crate::model::topology::Use;
use crate::rules::pools::check_pools;

rule! {
    PoolInternalCertificateDiffers {
        code: "P004",
        name: "pool-internal-certificate-differs",
        severity: Warning,
        summary: "servers of one pool have different internal certificates (by fingerprint)",
    }
    fn check(cx, out) {
        check_pools(cx, &META, &[Use::Internal], "internal", out);
    }
}
