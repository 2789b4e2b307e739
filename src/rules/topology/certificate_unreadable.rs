//! T003: a certificate, key, request, PKCS#12 or PKCS#7 file (or one block of it) that does
//! not parse, or a referenced file that holds nothing of the kind its field asks for. Other
//! blocks of the same file are still checked.

use crate::derive::{any_material, file_material, Field};
use crate::model::certs::FileFormat;
use crate::rules::DiagnosticExt;

rule! {
    CertificateUnreadable {
        code: "T003",
        name: "certificate-unreadable",
        severity: Error,
        summary: "a certificate, key, request, PKCS#12 or PKCS#7 file that does not parse",
    }
    fn check(cx, out) {
        for file in cx.repo.files.values() {
            let unlocked = file.unlocked.values().filter_map(|r| r.as_ref().ok());
            // One finding per place and message, however many password sources saw it.
            let mut seen = std::collections::HashSet::new();
            for p in file
                .problems
                .iter()
                .chain(unlocked.flat_map(|u| u.problems.iter()))
            {
                if !seen.insert((p.pos.line, p.pos.width, p.message.as_str())) {
                    continue;
                }
                out.push(META.diag(cx.in_file(file, p.pos), p.message.clone()));
            }
            // A certificate that parses but whose SAN or EKU extension does not: its names
            // cannot be judged.
            if let Some((certs, _)) = any_material(file) {
                for c in certs {
                    if let Some(e) = &c.extension_error {
                        out.push(META.diag(
                            cx.in_file(file, c.pos),
                            format!(
                                "certificate {} has an extension that does not parse: {e}",
                                c.subject
                            ),
                        ));
                    }
                }
            }
        }
        // A readable file that lacks what its field asks for.
        for (path, refs) in &cx.plan.references {
            let Some(file) = cx.repo.file(path) else {
                continue;
            };
            if file.read_error.is_some() || !file.problems.is_empty() {
                continue;
            }
            for r in refs {
                let env = r
                    .entry
                    .and_then(|id| cx.entry(id).password_env.as_ref())
                    .map(|e| &e.value);
                let lacks = match r.field {
                    Field::File | Field::CaBundle | Field::PublicRoots => {
                        file_material(file, env).is_some_and(|(certs, _)| certs.is_empty())
                    }
                    Field::Request => file.requests.is_empty(),
                    Field::Key => file.keys.is_empty() && file.format != FileFormat::Pkcs12,
                };
                if !lacks {
                    continue;
                }
                let noun = match r.field {
                    Field::Request => "certificate request",
                    Field::Key => "private key",
                    _ => "certificate",
                };
                out.push(
                    META.diag(
                        cx.at(r.topo, &r.span),
                        format!(
                            "`{}` names {}, which holds no {noun}",
                            r.field.key(),
                            r.written
                        ),
                    )
                    .label(format!("no {noun} in this file")),
                );
            }
        }
    }
}
