//! T002: a path a topology names (`file`, `key`, `request`, `ca_bundle`, `public_roots`)
//! does not exist or cannot be read.

use crate::diagnostic::{Location, Severity};
use crate::load::topology::is_windows_absolute;
use crate::model::topology::ProblemKind;
use crate::rules::{Context, DiagnosticExt, Findings};

rule! {
    FileNotFound {
        code: "T002",
        name: "file-not-found",
        severity: Error,
        summary: "a referenced file does not exist or cannot be read",
    }
    fn check(cx, out) {
        walked(cx, out);
        for (path, refs) in &cx.plan.references {
            let Some(err) = cx.repo.file(path).and_then(|f| f.read_error.as_ref()) else {
                continue;
            };
            for r in refs {
                let field = r.field.key();
                // `C:\certs\edge.pfx`: a path of the admin's Windows machine, which exists
                // nowhere a repository is checked out.
                let d = if is_windows_absolute(&r.written) {
                    META.diag(
                        cx.at(r.topo, &r.span),
                        format!(
                            "`{field}` file {} is a Windows absolute path, which cannot be read here: {err}",
                            r.written
                        ),
                    )
                    .label("an absolute Windows path")
                    .help("keep the file in the repository and write its path relative to the topology file's folder, with `/`")
                } else {
                    META.diag(
                        cx.at(r.topo, &r.span),
                        format!("`{field}` file {} cannot be read: {err}", r.written),
                    )
                    .label(err.clone())
                    .help("paths are relative to the topology file's folder; fix the path or add the file")
                };
                out.push(d);
            }
        }
    }
}

/// What the walk could not read: folders and files (a file no topology names, so silence
/// would pass a run that did not check it), FIFOs and devices named on the command line,
/// link loops, and links leaving the checked folder (a warning: not followed).
fn walked(cx: &Context<'_>, out: &mut Findings) {
    for p in &cx.repo.walk_problems {
        let d = META
            .diag(
                Location::start_of_file(&p.display),
                format!("{} {}", p.display, p.message),
            )
            .label("cannot be read");
        out.push(if p.warning {
            d.severity(Severity::Warning)
                .help("link to the file from inside the folder, or check the folder it lives in")
        } else {
            d.help("make it readable, or leave it out with --exclude")
        });
    }
    for path in &cx.repo.walked {
        if cx.plan.references.contains_key(path.as_os_str()) {
            continue;
        }
        let Some(f) = cx.repo.file(path) else {
            continue;
        };
        let Some(err) = &f.read_error else { continue };
        out.push(
            META.diag(
                Location::start_of_file(&f.display),
                format!("{} cannot be read: {err}", f.display),
            )
            .label("cannot be read")
            .help("make it readable, or leave it out with --exclude"),
        );
    }
    for (ti, t) in cx.repo.topologies.iter().enumerate() {
        for p in t
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::Unreadable)
        {
            out.push(
                META.diag(cx.at(ti, &p.span), format!("{} {}", t.display, p.message))
                    .label("cannot be read")
                    .help("make it readable, or leave it out with --exclude"),
            );
        }
    }
}
