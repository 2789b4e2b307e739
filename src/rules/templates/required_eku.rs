//! `required-eku`: the Extended Key Usage lacks Server (or Client) Authentication. A request is
//! judged only when it asks for an EKU: without one, the CA's template adds it.

use std::ops::Range;

use super::{eku_of, param, required, severity, Param, Target, Template, TemplateInfo, Violation};
use crate::diagnostic::Severity;
use crate::load::reader::{scalar, Fields, Reader};

pub static INFO: TemplateInfo = TemplateInfo {
    name: "required-eku",
    fires_when:
        "the Extended Key Usage lacks `eku` (a request is judged only when it asks for an EKU)",
    params: &[
        Param {
            name: "eku",
            required: true,
            doc: "`server_auth` or `client_auth`",
        },
        Param {
            name: "missing_extension",
            required: false,
            doc: "the severity when the certificate has no EKU extension at all, or `ignore`",
        },
        Param {
            name: "when_public_im",
            required: false,
            doc: "`true`: only in topologies with `public_im`",
        },
    ],
    values: &["eku"],
    read,
};

#[derive(Debug)]
struct RequiredEku {
    client_auth: bool,
    missing_extension: Option<Severity>,
    when_public_im: bool,
}

fn read(r: &mut Reader, p: &Fields<'_>, at: &Range<usize>) -> Option<Box<dyn Template>> {
    let client_auth = required(r, p, INFO.name, "eku", at)
        .and_then(|n| {
            r.one_of(n, "eku", &["server_auth", "client_auth"], |s| match s {
                "server_auth" => Some(false),
                "client_auth" => Some(true),
                _ => None,
            })
        })
        .is_some_and(|c| c.value);
    let missing_extension = param(p, "missing_extension").and_then(|n| {
        if scalar(n) == Some("ignore") {
            None
        } else {
            severity(r, n, "missing_extension")
        }
    });
    let when_public_im = param(p, "when_public_im")
        .and_then(|n| r.boolean(n, "when_public_im"))
        .is_some_and(|b| b.value);
    Some(Box::new(RequiredEku {
        client_auth,
        missing_extension,
        when_public_im,
    }))
}

impl Template for RequiredEku {
    fn violations(&self, t: &Target<'_>) -> Vec<Violation> {
        if self.when_public_im && t.topology.is_none_or(|tp| tp.public_im.is_empty()) {
            return Vec::new();
        }
        let eku_name = if self.client_auth {
            "Client Authentication"
        } else {
            "Server Authentication"
        };
        match eku_of(t) {
            Some(e) => {
                let has = if self.client_auth {
                    e.client_auth
                } else {
                    e.server_auth
                };
                if has || e.any {
                    Vec::new()
                } else {
                    Violation::one(vec![("eku", eku_name.into())], None)
                }
            }
            None if t.request.is_some() => Vec::new(),
            None => match self.missing_extension {
                Some(s) => Violation::one(
                    vec![(
                        "eku",
                        format!("{eku_name} (no Extended Key Usage extension)"),
                    )],
                    Some(s),
                ),
                None => Vec::new(),
            },
        }
    }
}
