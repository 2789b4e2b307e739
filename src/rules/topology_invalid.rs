//! T001: a topology file that does not parse or does not match format version 1. Every
//! unknown key and type error is reported, each at its span; such a file is not checked
//! further.

use super::{Context, DiagnosticExt, Findings, Rule, RuleMeta};
use crate::diagnostic::Severity;
use crate::model::topology::ProblemKind;

pub struct TopologyInvalid;

static META: RuleMeta = RuleMeta {
    code: "T001",
    name: "topology-invalid",
    severity: Severity::Error,
    summary: "YAML syntax error, wrong type, missing or unknown key, duplicate key or assignment",
    sources: &["spec"],
};

impl Rule for TopologyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Findings) {
        report_problems(cx, &META, ProblemKind::Invalid, out);
    }
}

pub fn report_problems(
    cx: &Context<'_>,
    meta: &'static RuleMeta,
    kind: ProblemKind,
    out: &mut Findings,
) {
    for (ti, tf) in cx.repo.topologies.iter().enumerate() {
        for p in tf.problems.iter().filter(|p| p.kind == kind) {
            let mut d = meta.diag(cx.at(ti, &p.span), p.message.clone());
            if let Some(l) = &p.label {
                d = d.label(l.clone());
            }
            if let Some(h) = &p.help {
                d = d.help(h.clone());
            }
            if let Some((span, msg)) = &p.related {
                d = d.related(cx.at(ti, span), msg.clone());
            }
            out.push(d);
        }
    }
}
