//! `forbidden-signature`: the certificate is signed with one of the named algorithms
//! (self-signed certificates excepted: Windows never verifies the signature of a certificate
//! it trusts itself).

use std::ops::Range;

use super::{param, required, severity, Param, Target, Template, TemplateInfo, Violation};
use crate::diagnostic::Severity;
use crate::load::reader::{Fields, Reader};
use crate::model::tree::NodeKind;

pub static INFO: TemplateInfo = TemplateInfo {
    name: "forbidden-signature",
    fires_when:
        "the certificate is signed with one of `algorithms` (self-signed certificates excepted)",
    params: &[
        Param {
            name: "algorithms",
            required: true,
            doc: "signature algorithms: `sha1`, `md5`, `md2`, `rsassa-pss`",
        },
        Param {
            name: "severity",
            required: false,
            doc: "the severity per algorithm, e.g. `{md5: error}`",
        },
    ],
    values: &["signature"],
    read,
};

/// The signature algorithms a rule can name, with their OIDs.
const SIGNATURES: [(&str, &[&str]); 4] = [
    (
        "sha1",
        &[
            "1.2.840.113549.1.1.5",
            "1.2.840.10045.4.1",
            "1.2.840.10040.4.3",
            "1.3.14.3.2.29",
        ],
    ),
    ("md5", &["1.2.840.113549.1.1.4"]),
    ("md2", &["1.2.840.113549.1.1.2"]),
    ("rsassa-pss", &["1.2.840.113549.1.1.10"]),
];
const NAMES: [&str; 4] = ["sha1", "md5", "md2", "rsassa-pss"];

#[derive(Debug)]
struct ForbiddenSignature {
    algorithms: Vec<String>,
    severities: Vec<(String, Severity)>,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let algorithms = required(r, p, INFO.name, "algorithms", at)
        .map(|n| super::names(r, n, "algorithms", &NAMES))
        .unwrap_or_default();
    let mut severities = Vec::new();
    if let Some(n) = param(p, "severity") {
        match &n.kind {
            NodeKind::Map(items) => {
                for (k, v) in items {
                    let name = r.one_of(k, "severity", &NAMES, |s| {
                        NAMES.contains(&s).then(|| s.to_string())
                    });
                    if let (Some(a), Some(s)) = (name, severity(r, v, "severity")) {
                        severities.push((a.value, s));
                    }
                }
            }
            _ => r.type_error(n, "severity", "a mapping of algorithms to severities"),
        }
    }
    Some(Box::new(ForbiddenSignature {
        algorithms,
        severities,
    }))
}

impl Template for ForbiddenSignature {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let Some(c) = t.cert else {
            return Vec::new();
        };
        if c.self_issued {
            return Vec::new();
        }
        let Some((name, _)) = SIGNATURES
            .iter()
            .find(|(_, oids)| oids.contains(&c.signature_oid.as_str()))
        else {
            return Vec::new();
        };
        if !self.algorithms.iter().any(|a| a == name) {
            return Vec::new();
        }
        let severity = self
            .severities
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, s)| *s);
        Violation::one(vec![("signature", name.to_uppercase())], severity)
    }
}
