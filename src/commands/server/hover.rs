//! Hover: on a `file:`, `request:` or `key:` value, or a `trust` path, what the file holds
//! (subject, SAN list, issuer, validity and days left, key, EKU, SHA-256, the chain) and the
//! findings about it; on a `uses:` entry, what that `Set-CsCertificate -Type` is; on a code
//! in an `edgelint: ignore[...]` comment, the rule. Answered from the last analysis (run
//! first when the buffer changed since), so nothing is read from disk here.

use std::ops::Range;

use gen_lsp_types::HoverParams;
use serde_json::{json, Value};

use super::position::Text;
use super::session::{Failure, Server};
use super::uri;
use crate::commands::check::Analysis;
use crate::derive::chain::{chain_end, ChainEnd, TrustSources};
use crate::derive::{self, file_material};
use crate::model::certs::{CertFacts, CertFile, Eku};
use crate::model::topology::{CertEntry, PathRef, Topology, TopologyFile, Use};

pub fn request(server: &mut Server, p: HoverParams) -> Result<Value, Failure> {
    let at = p.text_document_position_params;
    let Some(path) = uri::to_path(&at.text_document.uri.0) else {
        return Ok(Value::Null);
    };
    let Some(unit) = server.unit_for(&path) else {
        return Ok(Value::Null);
    };
    let (Some(a), Some(topo)) = (unit.analysis(), unit.topology(&path)) else {
        return Ok(Value::Null);
    };
    let text = Text {
        text: &topo.text,
        lines: &topo.lines,
        encoding: server.encoding,
    };
    let offset = text.offset(at.position);
    let now = server
        .settings
        .now
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    let Some((span, value)) = describe(a, topo, offset, now) else {
        return Ok(Value::Null);
    };
    let kind = if server.caps.markdown {
        "markdown"
    } else {
        "plaintext"
    };
    Ok(json!({
        "contents": { "kind": kind, "value": value },
        "range": text.range(&span),
    }))
}

fn inside(span: &Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset <= span.end && span.start < span.end
}

/// What is at `offset` of a topology file, and its description.
pub fn describe(
    a: &Analysis,
    topo: &TopologyFile,
    offset: usize,
    now: time::OffsetDateTime,
) -> Option<(Range<usize>, String)> {
    for s in &topo.suppressions {
        for (selector, span) in &s.selectors {
            if inside(span, offset) {
                return Some((span.clone(), rule(a, selector)));
            }
        }
    }
    let t = topo.topology.as_ref()?;
    for e in t.entries() {
        for (field, p) in [("file", &e.file), ("key", &e.key), ("request", &e.request)] {
            if let Some(p) = p.as_ref().filter(|p| inside(&p.written.span, offset)) {
                let text = entry_file(a, t, e, field, p, now);
                let text = text + &findings(a, topo, p);
                return Some((p.written.span.clone(), text));
            }
        }
        if let Some(u) = e.uses.iter().find(|u| inside(&u.span, offset)) {
            return Some((u.span.clone(), use_text(u.value)));
        }
    }
    let trust = t.trust.ca_bundle.iter().map(|p| (p, "ca_bundle"));
    let trust = trust.chain(t.trust.public_roots.iter().map(|p| (p, "public_roots")));
    for (p, field) in trust {
        if inside(&p.written.span, offset) {
            let text = bundle(a, p, field, now) + &findings(a, topo, p);
            return Some((p.written.span.clone(), text));
        }
    }
    None
}

/// A value in backticks, with what must not reach the editor escaped.
fn code(s: &str) -> String {
    let s = crate::source::escape_controls(s, false);
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

fn format_kind(f: &CertFile) -> &'static str {
    use crate::model::certs::FileFormat;
    match f.format {
        FileFormat::Pem => "PEM",
        FileFormat::Der => "DER",
        FileFormat::Pkcs12 => "PKCS#12",
        FileFormat::Pkcs7 => "PKCS#7",
    }
}

fn header(p: &PathRef, file: Option<&CertFile>, field: &str) -> String {
    let what = file.map_or(String::new(), |f| format!(" ({})", format_kind(f)));
    format!("**{field}** {}{what}\n\n", code(&p.written.value))
}

fn entry_file(
    a: &Analysis,
    t: &Topology,
    e: &CertEntry,
    field: &str,
    p: &PathRef,
    now: time::OffsetDateTime,
) -> String {
    let file = a.repo.file(&p.resolved);
    let mut out = header(p, file, field);
    let Some(file) = file else {
        return out + "Not read (outside what this workspace checks).\n";
    };
    if let Some(e) = &file.read_error {
        return out
            + &format!(
                "Cannot be read: {}.\n",
                crate::source::escape_controls(e, false)
            );
    }
    match field {
        "request" => match file.requests.first() {
            Some(r) => {
                let cn = r.subject_cn.as_deref().unwrap_or("(none)");
                out += &format!("- Subject CN: {}\n", code(cn));
                out += &format!("- SAN: {}\n", names(&r.san_dns));
                out += &format!("- Key: {}\n", r.key);
                out += &format!("- EKU: {}\n", eku(r.eku));
            }
            None => out += "No certificate request in this file.\n",
        },
        "key" => out += &key(a, e, file),
        _ => out += &certificate_of_entry(a, t, e, file, now),
    }
    out
}

fn certificate_of_entry(
    a: &Analysis,
    t: &Topology,
    e: &CertEntry,
    file: &CertFile,
    now: time::OffsetDateTime,
) -> String {
    let env = e.password_env.as_ref().map(|v| &v.value);
    if file.is_pkcs12() {
        if let Some(Err(why)) = file.unlocked.get(&env.cloned()) {
            return format!("Not opened: {}.\n", unlock_text(why));
        }
    }
    let m = derive::material(&a.repo, e);
    let (Some(leaf), derive::Material::Available { certs, .. }) = (m.leaf(), &m) else {
        return "No certificate in this file.\n".to_string();
    };
    let mut out = cert_lines(leaf, now);
    out += &format!("- Chain: {}\n", chain(a, t, leaf, certs));
    if certs.len() > 1 {
        out += &format!(
            "- The file holds {} certificates; this is its leaf.\n",
            certs.len()
        );
    }
    out
}

fn unlock_text(e: &crate::model::certs::UnlockError) -> String {
    use crate::model::certs::UnlockError as U;
    match e {
        U::NoPasswordEnv => "the entry has no `password_env`".into(),
        U::Unset(v) => format!("the variable {} is not set", code(v)),
        U::EmptyPassword(v) => format!("the variable {} is empty", code(v)),
        U::WrongPassword => "wrong password".into(),
        U::Corrupt(m) | U::Unsupported(m) => crate::source::escape_controls(m, false),
    }
}

fn names(list: &[String]) -> String {
    if list.is_empty() {
        return "(none)".into();
    }
    list.iter().map(|n| code(n)).collect::<Vec<_>>().join(", ")
}

fn eku(e: Option<Eku>) -> String {
    let Some(e) = e else {
        return "no extension (any use)".into();
    };
    let mut out = Vec::new();
    if e.server_auth {
        out.push("Server Authentication");
    }
    if e.client_auth {
        out.push("Client Authentication");
    }
    if e.any {
        out.push("any purpose");
    }
    if out.is_empty() {
        "neither Server nor Client Authentication".into()
    } else {
        out.join(", ")
    }
}

fn date(t: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
}

fn validity(c: &CertFacts, now: time::OffsetDateTime) -> String {
    let days = |d: time::Duration| {
        let n = d.whole_days();
        format!("{n} day{}", if n == 1 { "" } else { "s" })
    };
    let state = if now < c.not_before {
        format!("not valid for another {}", days(c.not_before - now))
    } else if now >= c.not_after {
        format!("**expired** {} ago", days(now - c.not_after))
    } else {
        format!("expires in {}", days(c.not_after - now))
    };
    format!("{} to {}, {state}", date(c.not_before), date(c.not_after))
}

fn cert_lines(c: &CertFacts, now: time::OffsetDateTime) -> String {
    format!(
        "- Subject: {}\n- SAN: {}\n- Issuer: {}\n- Valid: {}\n- Key: {}\n- EKU: {}\n- SHA-256: {}\n",
        code(&c.subject),
        names(&c.san_dns),
        code(&c.issuer),
        validity(c, now),
        c.key,
        eku(c.eku),
        code(&c.sha256()),
    )
}

fn chain(a: &Analysis, t: &Topology, leaf: &CertFacts, own: &[CertFacts]) -> String {
    let certs = |paths: Vec<&std::path::Path>| -> Vec<&CertFacts> {
        paths
            .into_iter()
            .filter_map(|p| a.repo.file(p))
            .filter_map(|f| file_material(f, None))
            .flat_map(|(certs, _)| certs.iter())
            .collect()
    };
    let paths = |own: &[PathRef], extra: &[std::path::PathBuf]| {
        own.iter()
            .map(|p| p.resolved.clone())
            .chain(extra.iter().cloned())
            .collect::<Vec<_>>()
    };
    let org = paths(&t.trust.ca_bundle, &a.repo.extra_ca_bundles);
    let public = paths(&t.trust.public_roots, &a.repo.extra_public_roots);
    let trust = TrustSources {
        organisation: certs(org.iter().map(|p| p.as_path()).collect()),
        public: certs(public.iter().map(|p| p.as_path()).collect()),
    };
    match chain_end(leaf, own, &trust) {
        ChainEnd::SelfSigned => "self-signed".into(),
        ChainEnd::PublicRoot { root } => format!("complete, to the public root {}", code(&root)),
        ChainEnd::OrganisationRoot { root } => format!(
            "complete, to the organisation's root {} (`trust.ca_bundle`)",
            code(&root)
        ),
        ChainEnd::UnknownRoot { root } => format!(
            "ends at {}, a root neither public nor in `trust`",
            code(&root)
        ),
        ChainEnd::Incomplete { issuer, after } => format!(
            "**incomplete**: no certificate of {} (the issuer of {})",
            code(&issuer),
            code(&after)
        ),
    }
}

fn key(a: &Analysis, e: &CertEntry, file: &CertFile) -> String {
    let env = e.password_env.as_ref().map(|v| &v.value);
    let encrypted = file.keys.iter().filter(|k| k.encrypted).count();
    let mut out = format!(
        "- {} private key{} ({} encrypted)\n",
        file.keys.len(),
        if file.keys.len() == 1 { "" } else { "s" },
        encrypted
    );
    let keys = match derive::key_material(file, env) {
        Ok(keys) => keys,
        Err(Some(why)) => return out + &format!("- Not opened: {}\n", unlock_text(why)),
        Err(None) => return out,
    };
    let m = derive::material(&a.repo, e);
    match m.leaf() {
        Some(leaf)
            if keys
                .iter()
                .any(|k| k.public_key.as_ref() == Some(&leaf.public_key)) =>
        {
            out += &format!(
                "- Matches the certificate {} ({}, {})\n",
                code(&leaf.subject),
                leaf.key,
                code(&leaf.sha256())
            );
        }
        Some(leaf) => {
            out += &format!(
                "- Does **not** match the certificate {}\n",
                code(&leaf.subject)
            )
        }
        None => {}
    }
    out
}

fn bundle(a: &Analysis, p: &PathRef, field: &str, now: time::OffsetDateTime) -> String {
    let file = a.repo.file(&p.resolved);
    let mut out = header(p, file, &format!("trust.{field}"));
    let Some(file) = file else {
        return out + "Not read.\n";
    };
    if let Some(e) = &file.read_error {
        return out
            + &format!(
                "Cannot be read: {}.\n",
                crate::source::escape_controls(e, false)
            );
    }
    let certs = file_material(file, None).map(|(c, _)| c).unwrap_or(&[]);
    if certs.is_empty() {
        return out + "No certificate in this file.\n";
    }
    for (i, c) in certs.iter().enumerate() {
        out += &format!(
            "**Certificate {}**{}\n\n",
            i + 1,
            if c.is_ca { " (CA)" } else { "" }
        );
        out += &cert_lines(c, now);
        out.push('\n');
    }
    out
}

/// The findings about a path: those in the file it names, and those at the value itself.
fn findings(a: &Analysis, topo: &TopologyFile, p: &PathRef) -> String {
    let display = a.repo.file(&p.resolved).map(|f| f.display.clone());
    let span = &p.written.span;
    let list: Vec<String> = a
        .filtered
        .diagnostics
        .iter()
        .filter(|d| {
            let l = &d.location;
            Some(&l.file) == display.as_ref()
                || (l.file == topo.display
                    && l.bytes
                        .as_ref()
                        .is_some_and(|b| b.start < span.end && span.start < b.end.max(b.start + 1)))
        })
        .map(|d| {
            format!(
                "- {} **{}**: {}",
                d.severity.as_str(),
                d.code,
                crate::source::escape_controls(&d.message, false)
            )
        })
        .collect();
    if list.is_empty() {
        return "\nNo finding.\n".into();
    }
    format!("\n**Findings**\n\n{}\n", list.join("\n"))
}

/// What a `Set-CsCertificate -Type` value means.
pub fn use_text(u: Use) -> String {
    let what = match u {
        Use::AccessEdgeExternal => "the Access Edge service's external interface: SIP over TLS with remote users, federated partners and public IM providers (ports 443 and 5061). Its subject and SAN hold the Access Edge FQDN and `sip.<domain>` for each SIP domain (N001, N003, N006); it must come from a public CA (A001).",
        Use::DataEdgeExternal => "the Web Conferencing Edge service's external interface (PSOM over TLS, port 443), through which remote users join meetings. Its FQDN must be in the SAN (N002). Usually the same certificate as `AccessEdgeExternal`.",
        Use::AudioVideoAuthentication => "the A/V Authentication service, which signs the media relay tokens clients use to reach the A/V Edge. Not a TLS server certificate, so its names are never checked; every Edge Server of the pool needs the same one (P002), with an exportable key (K003). Renew it with `Set-CsCertificate -Roll -EffectiveDate` ahead of expiry so that tokens already issued stay valid (R001-R006).",
        Use::Internal => "the Edge Server's internal interface, which Front End pools, Directors and other internal servers reach. Its subject is the pool's `internal_fqdn` (N011); usually issued by the organisation's CA, which the internal servers trust (A003).",
        Use::XmppServer => "the XMPP gateway's external interface (Lync Server 2013 and Skype for Business Server 2015; removed in 2019, T008), for federation with XMPP partners. Its SAN holds the XMPP domains (N009) and the SRV target (N010).",
        Use::OAuthTokenIssuer => "server-to-server authentication (OAuth): signs the tokens exchanged with Exchange, SharePoint and Skype for Business Online. Global to the deployment; at least a 2048-bit key (C001); can be staged with `-Roll` (R001).",
    };
    format!(
        "**`Set-CsCertificate -Type {}`**\n\nThe certificate of {what}\n",
        u.name()
    )
}

/// A rule named in a suppression comment: code, name, severity, summary, page.
fn rule(a: &Analysis, selector: &crate::selector::Selector) -> String {
    let infos = a.rule_set.infos();
    let picked: Vec<_> = infos
        .iter()
        .filter(|i| selector.matches(&i.meta.code, &i.meta.name))
        .collect();
    match picked.as_slice() {
        [] => format!(
            "{}: no rule has this code or name (E002)\n",
            code(&selector.text)
        ),
        [one] => {
            let m = one.meta;
            let mut out = format!(
                "**{}** {} ({})\n\n{}\n",
                m.code,
                code(&m.name),
                m.severity.as_str(),
                crate::source::escape_controls(&m.summary, false)
            );
            if let Some(url) = &one.url {
                out += &format!("\n[{} documentation]({url})\n", m.code);
            }
            out
        }
        many => {
            let list: Vec<String> = many
                .iter()
                .map(|i| format!("- **{}** {}", i.meta.code, i.meta.summary))
                .collect();
            format!(
                "{} selects {} rules:\n\n{}\n",
                code(&selector.text),
                many.len(),
                list.join("\n")
            )
        }
    }
}
