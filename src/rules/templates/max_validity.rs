//! `max-validity`: the certificate's validity period is longer than `max_days`.

use std::ops::Range;

use super::{required, Param, Target, Template, TemplateInfo, Violation};
use crate::load::reader::{Fields, Reader};

pub static INFO: TemplateInfo = TemplateInfo {
    name: "max-validity",
    fires_when: "the validity period is longer than `max_days`",
    params: &[Param {
        name: "max_days",
        required: true,
        doc: "the longest validity period allowed, in days",
    }],
    values: &["days"],
    read,
};

#[derive(Debug)]
struct MaxValidity {
    max_days: i64,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let n = required(r, p, INFO.name, "max_days", at)?;
    let max_days = r.count(n, "max_days")?.value;
    Some(Box::new(MaxValidity { max_days }))
}

impl Template for MaxValidity {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        let Some(c) = t.cert else {
            return Vec::new();
        };
        let days = (c.not_after - c.not_before).whole_days();
        if days > self.max_days {
            Violation::one(vec![("days", days.to_string())], None)
        } else {
            Vec::new()
        }
    }
}
