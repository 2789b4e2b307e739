//! `required-extension`: a certificate that is not a CA lacks an extension.

use std::ops::Range;

use super::{required, Param, Target, Template, TemplateInfo, Violation};
use crate::load::reader::{Fields, Reader};
use crate::model::certs::CertFacts;

pub static INFO: TemplateInfo = TemplateInfo {
    name: "required-extension",
    fires_when: "a certificate that is not a CA lacks `extension`",
    params: &[Param {
        name: "extension",
        required: true,
        doc: "`crl_distribution_points`",
    }],
    values: &["extension"],
    read,
};

/// The extensions a rule can ask for, and how a certificate shows it has one.
/// Whether a certificate has an extension.
type Has = fn(&CertFacts) -> bool;

const EXTENSIONS: [(&str, Has); 1] = [("crl_distribution_points", |c| c.crl_distribution_points)];

#[derive(Debug)]
struct RequiredExtension {
    name: &'static str,
    present: Has,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let n = required(r, p, INFO.name, "extension", at)?;
    let names: Vec<&'static str> = EXTENSIONS.iter().map(|(n, _)| *n).collect();
    let i = r.one_of(n, "extension", &names, |s| {
        EXTENSIONS.iter().position(|(n, _)| *n == s)
    })?;
    let (name, present) = EXTENSIONS[i.value];
    Some(Box::new(RequiredExtension { name, present }))
}

impl Template for RequiredExtension {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let Some(c) = t.cert else {
            return Vec::new();
        };
        if c.is_ca || (self.present)(c) {
            Vec::new()
        } else {
            Violation::one(vec![("extension", self.name.to_string())], None)
        }
    }
}
