//! T002: a path a topology names (`file`, `key`, `request`, `ca_bundle`, `public_roots`)
//! does not exist or cannot be read.

use super::{Context, DiagnosticExt, Rule, RuleMeta};
use crate::diagnostic::{Diagnostic, Severity};

pub struct FileNotFound;

static META: RuleMeta = RuleMeta {
    code: "T002",
    name: "file-not-found",
    severity: Severity::Error,
    summary: "a referenced file does not exist or cannot be read",
    sources: &["spec"],
};

impl Rule for FileNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for (path, refs) in &cx.plan.references {
            let Some(err) = cx.repo.file(path).and_then(|f| f.read_error.as_ref()) else {
                continue;
            };
            for r in refs {
                out.push(
                    META.diag(
                        cx.at(r.topo, &r.span),
                        format!("`{}` file {} cannot be read: {err}", r.field.key(), r.written),
                    )
                    .label(err.clone())
                    .help("paths are relative to the topology file's folder; fix the path or add the file"),
                );
            }
        }
    }
}
