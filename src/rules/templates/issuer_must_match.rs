//! `issuer-must-match`: the issuing CA's name does not match a glob pattern.

use std::ops::Range;

use super::{glob, required, Param, Target, Template, TemplateInfo, Violation};
use crate::load::reader::{Fields, Reader};

pub static INFO: TemplateInfo = TemplateInfo {
    name: "issuer-must-match",
    fires_when: "the issuer's name does not match `issuer`",
    params: &[Param {
        name: "issuer",
        required: true,
        doc: "a glob pattern on the issuer's name, e.g. `\"*CN=Contoso Issuing CA*\"`",
    }],
    values: &["issuer"],
    read,
};

#[derive(Debug)]
struct IssuerMustMatch {
    pattern: String,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let n = required(r, p, INFO.name, "issuer", at)?;
    let pattern = r.string(n, "issuer")?;
    if globset::Glob::new(&pattern.value).is_err() {
        r.error(
            pattern.span,
            format!("`{}` is not a valid glob pattern", pattern.value),
        );
        return None;
    }
    Some(Box::new(IssuerMustMatch {
        pattern: pattern.value,
    }))
}

impl Template for IssuerMustMatch {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let (Some(c), Some(m)) = (t.cert, glob(&self.pattern)) else {
            return Vec::new();
        };
        if m.is_match(&c.issuer) {
            Vec::new()
        } else {
            Violation::one(vec![("issuer", c.issuer.clone())], None)
        }
    }
}
