//! P003: servers of one pool have different external certificates (by fingerprint).

use crate::model::topology::Use;
use crate::rules::pools::check_pools;

rule! {
    PoolExternalCertificateDiffers {
        code: "P003",
        name: "pool-external-certificate-differs",
        severity: Warning,
        summary: "servers of one pool have different external certificates (by fingerprint)",
    }
    fn check(cx, out) {
        check_pools(
            cx,
            &META,
            &[Use::AccessEdgeExternal, Use::DataEdgeExternal],
            "external",
            out,
        );
    }
}
