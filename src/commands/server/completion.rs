//! Completion of the values the format knows: `uses` (the `Set-CsCertificate -Type` names),
//! `product`, `load_balancing`, and the paths of `file`, `key`, `request`, `ca_bundle` and
//! `public_roots` (the certificate-like files under the topology's folder, by extension).
//! Read from the buffer's line as typed, so an unfinished document completes too.

use std::path::Path;

use gen_lsp_types::CompletionParams;
use serde_json::{json, Value};

use super::position::Text;
use super::session::{Failure, Server};
use super::{uri, workspace};
use crate::model::topology::{LoadBalancing, Product, Use};
use crate::source::LineIndex;

pub fn request(server: &mut Server, p: CompletionParams) -> Result<Value, Failure> {
    let at = p.text_document_position_params;
    let Some(path) = uri::to_path(&at.text_document.uri.0) else {
        return Ok(Value::Null);
    };
    let Some(doc) = server.docs.get(&path).filter(|_| workspace::is_yaml(&path)) else {
        return Ok(Value::Null);
    };
    let lines = doc.lines();
    let text = Text {
        text: &doc.text,
        lines: &lines,
        encoding: server.encoding,
    };
    let offset = text.offset(at.position);
    let Some((key, start)) = context(&doc.text, &lines, offset) else {
        return Ok(Value::Null);
    };
    let range = text.range(&(start..offset));
    let choices = match key.as_str() {
        "uses" => Use::ALL
            .iter()
            .map(|u| (u.name().to_string(), use_detail(*u).to_string()))
            .collect(),
        "product" => Product::NAMES
            .iter()
            .zip(PRODUCTS)
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect(),
        "load_balancing" => LoadBalancing::NAMES
            .iter()
            .zip(["DNS load balancing", "a hardware load balancer"])
            .map(|(n, d)| (n.to_string(), d.to_string()))
            .collect(),
        field => paths(path.parent().unwrap_or(Path::new("/")), field),
    };
    let kind = if matches!(key.as_str(), "uses" | "product" | "load_balancing") {
        20
    } else {
        17
    };
    let items: Vec<Value> = choices
        .into_iter()
        .map(|(label, detail)| {
            json!({
                "label": label,
                "kind": kind,
                "detail": detail,
                "textEdit": { "range": range, "newText": label },
            })
        })
        .collect();
    Ok(json!({ "isIncomplete": false, "items": items }))
}

const PRODUCTS: [&str; 4] = [
    "Lync Server 2013",
    "Skype for Business Server 2015",
    "Skype for Business Server 2019",
    "Skype for Business Server Subscription Edition",
];

fn use_detail(u: Use) -> &'static str {
    match u {
        Use::AccessEdgeExternal => "Access Edge external interface",
        Use::DataEdgeExternal => "Web Conferencing Edge external interface",
        Use::AudioVideoAuthentication => "A/V Authentication (media relay tokens)",
        Use::Internal => "Edge internal interface",
        Use::XmppServer => "XMPP gateway",
        Use::OAuthTokenIssuer => "server-to-server authentication (OAuth)",
    }
}

/// The extensions a path key takes, most likely first.
fn extensions(field: &str) -> &'static [&'static str] {
    match field {
        "file" => &["pfx", "p12", "crt", "cer", "pem", "der", "p7b", "p7c"],
        "key" => &["key", "pem", "der"],
        "request" => &["csr", "req", "pem"],
        _ => &["crt", "cer", "pem", "der", "p7b", "p7c"],
    }
}

/// The files under `folder` a path key may name, relative to it, with `/`.
fn paths(folder: &Path, field: &str) -> Vec<(String, String)> {
    let wanted = extensions(field);
    let walk = ignore::WalkBuilder::new(folder)
        .standard_filters(false)
        .hidden(true)
        .max_depth(Some(6))
        .filter_entry(|e| !matches!(e.file_name().to_str(), Some("target" | "node_modules")))
        .build();
    let mut found: Vec<(usize, String)> = walk
        .flatten()
        .take(5000)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .filter_map(|e| {
            let ext = e.path().extension()?.to_str()?.to_ascii_lowercase();
            let rank = wanted.iter().position(|w| *w == ext)?;
            let rel = e.path().strip_prefix(folder).ok()?;
            let rel = rel.to_str()?.replace('\\', "/");
            Some((rank, rel))
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .take(500)
        .map(|(_, rel)| {
            let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_uppercase();
            (rel, format!("{ext} file"))
        })
        .collect()
}

/// The key whose value the cursor is in, and where the value's word starts.
fn context(text: &str, lines: &LineIndex, offset: usize) -> Option<(String, usize)> {
    let (line, start) = lines.line_of(offset);
    let prefix = &text[start..offset];
    let body = prefix.trim_start();
    let mut rest = body;
    while let Some(r) = rest
        .strip_prefix('-')
        .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
    {
        rest = r.trim_start();
    }
    let rest_at = offset - rest.len();
    if let Some(colon) = rest.find(':') {
        let key = &rest[..colon];
        if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') || key.is_empty() {
            return None;
        }
        let value = &rest[colon + 1..];
        let word = word_start(value)?;
        return known(key).then(|| (key.to_string(), rest_at + colon + 1 + word));
    }
    if rest.len() == body.len() {
        return None;
    }
    // A block list item (`- value`): the key is the nearest `key:` line above, less indented
    // or as indented, with only list items of this indentation between.
    let indent = prefix.len() - body.len();
    let word = word_start(rest)?;
    let key = parent_key(text, lines, line, indent)?;
    known(&key).then(|| (key, rest_at + word))
}

fn known(key: &str) -> bool {
    matches!(
        key,
        "uses"
            | "product"
            | "load_balancing"
            | "file"
            | "key"
            | "request"
            | "ca_bundle"
            | "public_roots"
    )
}

/// Where the current word of a value starts: after `[` or `,` in a flow list, after a quote,
/// after white space; `None` in a comment.
fn word_start(value: &str) -> Option<usize> {
    if value.contains(" #") || value.starts_with('#') {
        return None;
    }
    let cut = value
        .rfind(['[', ',', ' ', '\t', '"', '\''])
        .map_or(0, |i| i + 1);
    Some(cut)
}

fn parent_key(text: &str, lines: &LineIndex, line: usize, indent: usize) -> Option<String> {
    for l in (1..line).rev() {
        let body = &text[lines.line_range(text, l)];
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own = body.len() - trimmed.len();
        if trimmed.starts_with('-') && own == indent {
            continue;
        }
        let head = trimmed.trim_start_matches(['-', ' ']);
        let code = head.split(" #").next().unwrap_or("").trim_end();
        return (own <= indent && code.ends_with(':'))
            .then(|| code.trim_end_matches(':').to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Option<(String, String)> {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        let lines = LineIndex::new(&text);
        context(&text, &lines, offset).map(|(k, s)| (k, text[s..offset].to_string()))
    }

    #[test]
    fn the_key_and_the_typed_word_are_found() {
        let k = |k: &str, w: &str| Some((k.to_string(), w.to_string()));
        assert_eq!(at("product: ly|"), k("product", "ly"));
        assert_eq!(at("  - file: certs/a|"), k("file", "certs/a"));
        assert_eq!(at("    uses: [AccessEdgeExternal, Da|]"), k("uses", "Da"));
        assert_eq!(
            at("x:\n  uses:\n    - Internal\n    - Au|"),
            k("uses", "Au")
        );
        assert_eq!(at("trust:\n  ca_bundle:\n  - |"), k("ca_bundle", ""));
        assert_eq!(at("    load_balancing: \"d|"), k("load_balancing", "d"));
        assert_eq!(at("name: x|"), None);
        assert_eq!(at("product: x # lync|"), None);
        assert_eq!(at("servers:\n  - edge|"), None);
    }
}
