//! Name comparison and the fix suggestions shared by the N rules (rules.md "Fix suggestions").

use crate::model::topology::{CertEntry, Pool, Topology};

/// Names compare case-insensitively, ignoring one trailing dot.
pub fn name_eq(a: &str, b: &str) -> bool {
    let a = a.strip_suffix('.').unwrap_or(a);
    let b = b.strip_suffix('.').unwrap_or(b);
    a.eq_ignore_ascii_case(b)
}

pub fn contains_name(list: &[String], name: &str) -> bool {
    list.iter().any(|n| name_eq(n, name))
}

fn push_unique(out: &mut Vec<String>, name: &str) {
    if !contains_name(out, name) {
        out.push(name.to_string());
    }
}

/// The SAN set an external Edge certificate of `pool` needs, in the order rules.md gives.
pub fn external_names(t: &Topology, pool: &Pool) -> Vec<String> {
    let mut out = Vec::new();
    push_unique(&mut out, &pool.external.access_edge.value);
    push_unique(&mut out, &pool.external.web_conferencing_edge.value);
    for d in &t.sip_domains {
        push_unique(&mut out, &format!("sip.{}", d.value));
    }
    if let Some(x) = &t.xmpp {
        for d in &x.domains {
            push_unique(&mut out, &d.value);
        }
        if let Some(s) = &x.srv_target {
            push_unique(&mut out, &s.value);
        }
    }
    out
}

/// Help text for an external certificate: the complete name set and the command.
pub fn external_fix(t: &Topology, pool: &Pool, entry: &CertEntry) -> String {
    let names = external_names(t, pool);
    let types: Vec<&str> = entry.uses.iter().map(|u| u.value.name()).collect();
    let types = if types.is_empty() {
        "AccessEdgeExternal,DataEdgeExternal".to_string()
    } else {
        types.join(",")
    };
    let pool_name = &pool.name.value;
    let client_eku = if t.public_im.is_empty() {
        ""
    } else {
        " -ClientEku $true"
    };
    format!(
        "request a certificate with subject {subject} whose SAN lists: {prose}\n\
         Request-CsCertificate -New -Type {types} -Output {pool_name}-external.req \
         -DomainName \"{list}\" -FriendlyName \"{pool_name} external\" -KeySize 2048 \
         -PrivateKeyExportable $true{client_eku}",
        subject = pool.external.access_edge.value,
        prose = names.join(", "),
        list = names.join(","),
    )
}

use super::Context;
use crate::derive::{material, topology_of, EntryId, Scope};
use crate::model::topology::Sp;

/// A certificate or request whose names the N rules judge.
pub struct NameTarget<'a> {
    pub id: EntryId,
    pub topology: &'a Topology,
    /// `None` for the reverse proxy's certificate.
    pub pool: Option<&'a Pool>,
    pub entry: &'a CertEntry,
    pub is_request: bool,
    /// The `file:` or `request:` value, where findings point.
    pub written: &'a Sp<String>,
    pub subject_cn: Option<&'a str>,
    pub sans: &'a [String],
}

impl NameTarget<'_> {
    pub fn kind(&self) -> &'static str {
        if self.is_request {
            "request"
        } else {
            "certificate"
        }
    }

    /// A note that a request's defect would be issued into the certificate.
    pub fn request_note(&self) -> &'static str {
        if self.is_request {
            "; a certificate issued from it would lack it too"
        } else {
            ""
        }
    }
}

pub(super) fn name_targets<'a>(cx: &Context<'a>) -> Vec<NameTarget<'a>> {
    let mut out = Vec::new();
    for &id in &cx.plan.entries {
        let (_, t) = topology_of(cx.repo, id.topo);
        let entry = cx.entry(id);
        let pool = match id.scope {
            Scope::Pool { pool } | Scope::Server { pool, .. } => Some(&t.edge_pools[pool]),
            Scope::ReverseProxy => None,
        };
        if let (Some(f), Some(leaf)) = (&entry.file, material(cx.repo, entry).leaf()) {
            if leaf.extension_error.is_none() {
                out.push(NameTarget {
                    id,
                    topology: t,
                    pool,
                    entry,
                    is_request: false,
                    written: &f.written,
                    subject_cn: leaf.subject_cn.as_deref(),
                    sans: &leaf.san_dns,
                });
            }
        }
        if let Some(r) = &entry.request {
            if let Some(req) = cx.repo.file(&r.resolved).and_then(|f| f.requests.first()) {
                out.push(NameTarget {
                    id,
                    topology: t,
                    pool,
                    entry,
                    is_request: true,
                    written: &r.written,
                    subject_cn: req.subject_cn.as_deref(),
                    sans: &req.san_dns,
                });
            }
        }
    }
    out
}
