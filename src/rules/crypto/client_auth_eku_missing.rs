//! C007: with public IM connectivity (`public_im`), the external Edge certificate also needs the
//! Client Authentication EKU: the provider's servers demand it on every Edge Server. A
//! certificate or request without any EKU extension lacks it too (the Web Server template
//! cannot add it).

use crate::derive::{topology_of, Reference, Scope};
use crate::diagnostic::Location;
use crate::model::certs::Eku;
use crate::rules::crypto::{leaves, requests};
use crate::rules::names::external_fix;
use crate::rules::{Context, DiagnosticExt};

struct Finding {
    location: Location,
    fix: crate::fix::Fix,
    public_im: Location,
    providers: String,
}

/// The first reference of an external entry in a topology with `public_im`.
fn qualifying(cx: &Context<'_>, refs: &[&Reference]) -> Option<Finding> {
    refs.iter().find_map(|r| {
        let id = r.entry?;
        let (_, t) = topology_of(cx.repo, id.topo);
        let entry = cx.entry(id);
        let first = t.public_im.first()?;
        if !entry.is_external() {
            return None;
        }
        let fix = match id.scope {
            Scope::Pool { pool } | Scope::Server { pool, .. } => {
                let mut fix = external_fix(t, &t.edge_pools[pool], entry);
                fix.summary = format!(
                    "use a CA template that includes Client Authentication (the Web Server template cannot add it) and {}",
                    fix.summary
                );
                fix
            }
            Scope::ReverseProxy => return None,
        };
        let providers: Vec<&str> = t.public_im.iter().map(|p| p.value.as_str()).collect();
        Some(Finding {
            location: cx.at(r.topo, &r.span),
            fix,
            public_im: cx.at(id.topo, &first.span),
            providers: providers.join(", "),
        })
    })
}

fn lacks_client_auth(eku: Option<Eku>) -> Option<&'static str> {
    match eku {
        Some(e) if e.client_auth => None,
        Some(_) => Some("lacks the Client Authentication EKU (1.3.6.1.5.5.7.3.2)"),
        None => Some("has no Extended Key Usage extension, so no Client Authentication EKU (1.3.6.1.5.5.7.3.2)"),
    }
}

rule! {
    ClientAuthEkuMissing {
        code: "C007",
        name: "client-auth-eku-missing",
        severity: Error,
        summary: "with `public_im`, an external certificate or request without the Client Authentication EKU",
    }
    fn check(cx, out) {
        if !cx
            .repo
            .topologies
            .iter()
            .any(|t| t.topology.as_ref().is_some_and(|t| !t.public_im.is_empty()))
        {
            return;
        }
        let mut found = Vec::new();
        for c in leaves(cx, false) {
            if let (Some(what), Some(f)) = (lacks_client_auth(c.cert.eku), qualifying(cx, &c.refs))
            {
                found.push((f, format!("{} {what}", c.describe()), ""));
            }
        }
        for r in requests(cx) {
            if let (Some(what), Some(f)) =
                (lacks_client_auth(r.request.eku), qualifying(cx, &r.refs))
            {
                found.push((
                    f,
                    format!("{} {what}", r.describe()),
                    "; a certificate issued from it would lack it too",
                ));
            }
        }
        for (f, what, note) in found {
            out.push(
                META.diag(
                    f.location,
                    format!(
                        "{what}, which public IM connectivity ({}) needs{note}",
                        f.providers
                    ),
                )
                .label("no Client Authentication EKU")
                .related(f.public_im, "public IM connectivity configured here")
                .fix(f.fix),
            );
        }
    }
}
