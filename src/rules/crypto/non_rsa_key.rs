//! C003: RSA is the default key algorithm. Request-CsCertificate also lists ECDH_P256,
//! ECDH_P384 and ECDH_P521, but Edge interoperability with EC keys is unconfirmed (info). Other
//! algorithms (Ed25519, DSA, EC on other curves) are not even listed; they are reported here
//! too, at the same severity, with that said.

use crate::model::certs::KeyAlgorithm;
use crate::rules::crypto::{
    key_alg_name, leaves, leaves_and_requests, other_key_name, replacement_fix, requests,
    rsa_2048_command,
};
use crate::rules::DiagnosticExt;

const NOT_LISTED: &str =
    "not among Request-CsCertificate's key algorithms (RSA, ECDH_P256, ECDH_P384, ECDH_P521)";

rule! {
    NonRsaKey {
        code: "C003",
        name: "non-rsa-key",
        severity: Info,
        summary: "an EC key: listed by Request-CsCertificate, Edge interoperability unconfirmed",
    }
    fn check(cx, out) {
        let leaves = leaves(cx, true);
        let requests = requests(cx);
        for j in leaves_and_requests(&leaves, requests) {
            let key = j.key();
            let (what, why) = match (key, key_alg_name(key)) {
                (KeyAlgorithm::Rsa { .. }, _) => continue,
                (KeyAlgorithm::Ec { curve }, Some(alg)) => (
                    format!("EC {curve} key ({alg})"),
                    "listed by Request-CsCertificate, but Edge interoperability is unconfirmed",
                ),
                (KeyAlgorithm::Ec { curve }, None) => {
                    (format!("EC key on curve {curve}"), NOT_LISTED)
                }
                (KeyAlgorithm::Other { oid }, _) => (
                    match other_key_name(oid) {
                        Some(name) => format!("{name} key"),
                        None => format!("key of algorithm {oid}"),
                    },
                    NOT_LISTED,
                ),
            };
            let article = if what.starts_with(['E', 'X', 'a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            let d = META
                .diag(
                    j.location(),
                    format!("{} has {article} {what}: {why}", j.describe()),
                )
                .label(what);
            let advice = if why == NOT_LISTED {
                "use RSA:"
            } else {
                "unless every client and federation partner has been tested with it, use RSA:"
            };
            out.push(match replacement_fix(cx, j.refs(), 2048) {
                Some(fix) => d.help(advice).fix(fix),
                None => d.help(format!("{advice} {}", rsa_2048_command())),
            });
        }
    }
}
