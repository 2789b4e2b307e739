//! `key-size`: the RSA key is smaller than `min_bits`, or (above `only_above`) not one of
//! `allowed_bits`; with `require_rsa`, any other key algorithm.

use std::ops::Range;

use super::{key_of, param, severity, Param, Target, Template, TemplateInfo, Violation};
use crate::diagnostic::Severity;
use crate::load::reader::{Fields, Reader};
use crate::model::certs::KeyAlgorithm;
use crate::model::tree::NodeKind;

pub static INFO: TemplateInfo = TemplateInfo {
    name: "key-size",
    fires_when: "the RSA key is smaller than `min_bits`, or (above `only_above`) not one of `allowed_bits`; with `require_rsa`, any other key algorithm",
    params: &[
        Param { name: "min_bits", required: false, doc: "the smallest RSA key allowed, in bits" },
        Param { name: "allowed_bits", required: false, doc: "the RSA key sizes allowed (a list)" },
        Param { name: "only_above", required: false, doc: "judge `allowed_bits` only for keys larger than this" },
        Param { name: "exact_severity", required: false, doc: "the severity for one key size, e.g. `{1024: warning}`" },
        Param { name: "require_rsa", required: false, doc: "`true`: a key that is not RSA fires too" },
    ],
    values: &["key", "bits"],
    read,
};

#[derive(Debug)]
struct KeySize {
    min_bits: Option<usize>,
    allowed_bits: Vec<usize>,
    only_above: Option<usize>,
    exact_severity: Vec<(usize, Severity)>,
    require_rsa: bool,
}

fn bits(r: &mut Reader, p: &Fields<'_>, name: &str) -> Vec<usize> {
    let Some(n) = param(p, name) else {
        return Vec::new();
    };
    let items: Vec<&crate::model::tree::Node> = match &n.kind {
        NodeKind::Seq(items) => items.iter().collect(),
        _ => vec![n],
    };
    items
        .into_iter()
        .filter_map(|i| r.count(i, name))
        .map(|b| b.value as usize)
        .collect()
}

fn exact_severity(r: &mut Reader, p: &Fields<'_>) -> Vec<(usize, Severity)> {
    let Some(n) = param(p, "exact_severity") else {
        return Vec::new();
    };
    let NodeKind::Map(items) = &n.kind else {
        r.type_error(n, "exact_severity", "a mapping of key sizes to severities");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in items {
        let size = crate::load::reader::scalar(k).and_then(|s| s.parse::<usize>().ok());
        match (size, severity(r, v, "exact_severity")) {
            (Some(b), Some(s)) => out.push((b, s)),
            (None, _) => r.error(k.span.clone(), "exact_severity keys are key sizes in bits"),
            _ => {}
        }
    }
    out
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let one = |r: &mut Reader, name: &str| {
        param(p, name)
            .and_then(|n| r.count(n, name))
            .map(|b| b.value as usize)
    };
    let t = KeySize {
        min_bits: one(r, "min_bits"),
        allowed_bits: bits(r, p, "allowed_bits"),
        only_above: one(r, "only_above"),
        exact_severity: exact_severity(r, p),
        require_rsa: param(p, "require_rsa")
            .and_then(|n| r.boolean(n, "require_rsa"))
            .is_some_and(|b| b.value),
    };
    if t.min_bits.is_none() && t.allowed_bits.is_empty() && !t.require_rsa {
        r.error(
            at.clone(),
            "template `key-size` needs `min_bits`, `allowed_bits` or `require_rsa`",
        );
    }
    Some(Box::new(t))
}

impl Template for KeySize {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let Some(key) = key_of(t) else {
            return Vec::new();
        };
        let KeyAlgorithm::Rsa { bits } = key else {
            return if self.require_rsa {
                Violation::one(
                    vec![("key", key.to_string()), ("bits", String::new())],
                    None,
                )
            } else {
                Vec::new()
            };
        };
        let too_small = self.min_bits.is_some_and(|m| *bits < m);
        let not_allowed = !self.allowed_bits.is_empty()
            && !self.allowed_bits.contains(bits)
            && self.only_above.is_none_or(|a| *bits > a);
        if !too_small && !not_allowed {
            return Vec::new();
        }
        let severity = self
            .exact_severity
            .iter()
            .find(|(b, _)| b == bits)
            .map(|(_, s)| *s);
        Violation::one(
            vec![("key", key.to_string()), ("bits", bits.to_string())],
            severity,
        )
    }
}
