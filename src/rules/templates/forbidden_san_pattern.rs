//! `forbidden-san-pattern`: a SAN (and with `subject`, the CN) matches a glob pattern.

use std::ops::Range;

use super::{
    glob, globs, param, required, sans_of, Param, Target, Template, TemplateInfo, Violation,
};
use crate::load::reader::{Fields, Reader};

pub static INFO: TemplateInfo = TemplateInfo {
    name: "forbidden-san-pattern",
    fires_when: "a SAN (with `subject`, also the subject CN) matches one of `patterns`",
    params: &[
        Param {
            name: "patterns",
            required: true,
            doc: "glob patterns, case-insensitive, e.g. `\"*.*\"` for a wildcard",
        },
        Param {
            name: "subject",
            required: false,
            doc: "`true`: the subject CN is judged too",
        },
    ],
    values: &["name"],
    read,
};

#[derive(Debug)]
struct ForbiddenSanPattern {
    patterns: Vec<String>,
    subject: bool,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let patterns = required(r, p, INFO.name, "patterns", at)
        .map(|n| globs(r, n, "patterns"))
        .unwrap_or_default();
    let subject = param(p, "subject")
        .and_then(|n| r.boolean(n, "subject"))
        .is_some_and(|b| b.value);
    Some(Box::new(ForbiddenSanPattern { patterns, subject }))
}

impl Template for ForbiddenSanPattern {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let matchers: Vec<_> = self.patterns.iter().filter_map(|p| glob(p)).collect();
        let cn = t
            .cert
            .and_then(|c| c.subject_cn.as_ref())
            .or(t.request.and_then(|r| r.subject_cn.as_ref()));
        sans_of(t)
            .iter()
            .chain(cn.filter(|_| self.subject))
            .filter(|n| matchers.iter().any(|m| m.is_match(n.as_str())))
            .map(|n| Violation {
                values: vec![("name", n.clone())],
                severity: None,
            })
            .collect()
    }
}
