//! `--format sarif`: one SARIF 2.1.0 document for GitHub code scanning and other SARIF viewers.
//!
//! - `tool.driver.rules` describes every rule of the run (built-in and rule packs): id, name,
//!   short and full description, help (the rule's documentation page), help URI, default level.
//! - A result has the rule id and index, its level (`info` is `note`), the message (with the
//!   finding's help and links to its secondary places), the primary place and the secondary
//!   labels as `relatedLocations`.
//! - Artifact URIs are relative to the working folder (`%SRCROOT%`); columns count Unicode scalar
//!   values (`columnKind: unicodeCodePoints`), the end column is exclusive as in SARIF.
//! - `partialFingerprints` hash the rule, the file and the message with its stand-alone numbers
//!   blanked, never the line: an alert survives edits that move lines, and a message that counts
//!   days ("expires in 18 days") keeps its fingerprint from one day to the next.
//! - A finding without a file (an E002 about a command-line selector) cannot be a result: GitHub
//!   rejects a whole upload when one result lacks a physical location. It is reported as a tool
//!   configuration notification of the invocation instead.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::Report;
use crate::diagnostic::{Diagnostic, Location, RuleInfo, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/edgelint/edgelint";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub's limit for `shortDescription` and `fullDescription`.
const DESCRIPTION_MAX: usize = 1024;

pub fn render(report: &Report<'_>) -> String {
    // Every rule once, in the order of the run; a result names its rule by index.
    let mut infos: Vec<&RuleInfo<'_>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for r in report.rules {
        if !index.contains_key(&*r.meta.code) {
            index.insert(&r.meta.code, infos.len());
            infos.push(r);
        }
    }
    let rules: Vec<Value> = infos.iter().map(|r| rule(r)).collect();

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for d in report.diagnostics {
        let rule_index = index.get(&*d.code).copied();
        if is_file(&d.location) {
            let hash = fingerprint(d);
            let occurrence = seen.entry(hash.clone()).or_insert(0);
            *occurrence += 1;
            results.push(result(d, rule_index, &hash, *occurrence));
        } else {
            notifications.push(notification(d, rule_index));
        }
    }

    let mut invocation = json!({ "executionSuccessful": true });
    if !notifications.is_empty() {
        invocation["toolConfigurationNotifications"] = Value::Array(notifications);
    }
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "edgelint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "invocations": [invocation],
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": {
                        "text": "The working folder edgelint ran in; artifact URIs are relative to it."
                    }
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `<command line>` and the like name no file.
fn is_file(location: &Location) -> bool {
    !(location.file.starts_with('<') && location.file.ends_with('>'))
}

fn rule(info: &RuleInfo<'_>) -> Value {
    let m = info.meta;
    let doc = info.page.as_deref();
    let full = doc
        .and_then(full_description)
        .unwrap_or_else(|| m.summary.to_string());
    let help = match doc {
        Some(page) => json!({ "text": page, "markdown": page }),
        None => {
            let text = format!(
                "{}\n\n`edgelint explain {}` prints this rule's description.",
                m.summary, m.code
            );
            json!({ "text": text, "markdown": text })
        }
    };
    let mut r = json!({
        "id": m.code,
        "name": m.name,
        "shortDescription": { "text": truncate(&m.summary, DESCRIPTION_MAX) },
        "fullDescription": { "text": truncate(&full, DESCRIPTION_MAX) },
        "help": help,
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": { "tags": tags(&m.code) },
    });
    // Only built-in rules have a published page; a rule pack's rule has none to point at.
    if let Some(url) = &info.url {
        r["helpUri"] = Value::String(url.clone());
    }
    r
}

/// The page's lead paragraph, and the first paragraph of "What it checks" when it stands alone
/// (does not introduce a list) and both fit GitHub's limit.
fn full_description(page: &str) -> Option<String> {
    let paragraphs: Vec<&str> = page.split("\n\n").map(str::trim).collect();
    let lead = paragraphs
        .iter()
        .find(|p| !p.is_empty() && !p.starts_with('#'))?
        .replace('\n', " ");
    let checks = paragraphs
        .iter()
        .position(|p| p.starts_with("## What it checks"))
        .and_then(|i| paragraphs.get(i + 1))
        .map(|p| p.replace('\n', " "))
        .filter(|p| !p.ends_with(':') && !p.starts_with(['-', '#', '`', '|']));
    match checks {
        Some(c) if lead.chars().count() + 2 + c.chars().count() <= DESCRIPTION_MAX => {
            Some(format!("{lead}\n\n{c}"))
        }
        _ => Some(lead),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => cut[..i].trim_end().to_string(),
        _ => cut,
    };
    format!("{cut}…")
}

/// The family of a code, as GitHub's rule tags.
fn tags(code: &str) -> Vec<&'static str> {
    let family = match code.chars().next() {
        Some('T') => "topology",
        Some('N') => "names",
        Some('K') => "private-keys",
        Some('C') => "cryptography",
        Some('A') => "authority",
        Some('V') => "validity",
        Some('P') => "pools",
        Some('R') => "staged-certificates",
        Some('W') => "reverse-proxy",
        Some('E') => "edgelint",
        _ => "organisation",
    };
    vec!["edge-certificates", family]
}

fn result(d: &Diagnostic, rule_index: Option<usize>, hash: &str, occurrence: usize) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));

    let related: Vec<(usize, &crate::diagnostic::Related)> = d
        .related
        .iter()
        .filter(|x| is_file(&x.location))
        .enumerate()
        .map(|(i, x)| (i + 1, x))
        .collect();
    let mut text = escape_links(&d.message);
    if let Some(help) = &d.help {
        text.push_str("\n\nhelp: ");
        text.push_str(&escape_links(help));
    }
    for (id, x) in &related {
        text.push_str(&format!("\nsee [{}]({id})", link_text(&x.message)));
    }
    r.insert("message".into(), json!({ "text": text }));

    let mut primary = physical(&d.location);
    if let Some(label) = &d.label {
        primary["message"] = json!({ "text": label });
    }
    r.insert("locations".into(), json!([primary]));
    if !related.is_empty() {
        let locations: Vec<Value> = related
            .iter()
            .map(|(id, x)| {
                let mut l = physical(&x.location);
                l["id"] = json!(id);
                l["message"] = json!({ "text": x.message });
                l
            })
            .collect();
        r.insert("relatedLocations".into(), Value::Array(locations));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({
            "edgelint/v1": hash,
            "primaryLocationLineHash": format!("{hash}:{occurrence}"),
        }),
    );
    Value::Object(r)
}

fn notification(d: &Diagnostic, rule_index: Option<usize>) -> Value {
    let mut text = d.message.clone();
    if let Some(help) = &d.help {
        text.push_str("\n\nhelp: ");
        text.push_str(help);
    }
    let mut rule = json!({ "id": d.code });
    if let Some(i) = rule_index {
        rule["index"] = json!(i);
    }
    json!({
        "descriptor": { "id": d.code },
        "associatedRule": rule,
        "level": level(d.severity),
        "message": { "text": text },
    })
}

fn physical(l: &Location) -> Value {
    let (uri, base) = artifact_uri(&l.file);
    let mut artifact = json!({ "uri": uri });
    if base {
        artifact["uriBaseId"] = json!(SRCROOT);
    }
    let start_line = l.line.max(1);
    let start_column = l.column.max(1);
    let end_line = l.end_line.max(start_line);
    let end_column = if end_line == start_line {
        l.end_column.max(start_column)
    } else {
        l.end_column.max(1)
    };
    json!({
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
            }
        }
    })
}

/// A displayed path as a URI reference: relative ones (the usual case) against `%SRCROOT%`,
/// absolute ones (files outside the working folder) as `file:` URIs. The second value says
/// whether the URI is relative to `%SRCROOT%`.
fn artifact_uri(file: &str) -> (String, bool) {
    let mut path = file;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    // Outside the working folder (`../`): %SRCROOT%-relative URIs may not climb out of the root
    // (GitHub rejects them), so the file gets an absolute `file:` URI.
    let absolute;
    if path.starts_with("../") || path == ".." {
        absolute = std::env::current_dir()
            .map(|cwd| crate::discover::normalize(&cwd.join(path)))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| path.to_string());
        path = &absolute;
    }
    if path.starts_with('/') {
        (format!("file://{}", percent_encode(path)), false)
    } else if is_drive_path(path) {
        // A Windows drive path, `C:/...`: the drive colon stays as it is.
        let (drive, rest) = path.split_at(2);
        (format!("file:///{drive}{}", percent_encode(rest)), false)
    } else {
        (percent_encode(path), true)
    }
}

/// `C:/...`, a Windows path as edgelint displays it (with `/`).
fn is_drive_path(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'/'
}

/// Percent-encode everything but unreserved characters, `/` and the sub-delimiters that are
/// harmless in a path. `:` is encoded: in a relative reference's first segment it would read as
/// a scheme.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// SARIF reads `[text](target)` in a message as a link: brackets of our own text that could be
/// read so are escaped with a backslash.
fn escape_links(text: &str) -> String {
    if !text.contains("](") {
        return text.to_string();
    }
    link_text(text)
}

/// Text inside a link's brackets: every bracket escaped.
fn link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The finding's identity, hashed (the filter stage sets it; a finding made without one, as in
/// the unit tests, hashes its rule, file and message).
fn fingerprint(d: &Diagnostic) -> String {
    match &d.identity {
        Some(id) => id.fingerprint(),
        None => crate::diagnostic::Identity {
            code: d.code.to_string(),
            file: d.location.file.to_string(),
            path: String::new(),
            sha256: None,
            message: d.message.clone(),
        }
        .fingerprint(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(
            artifact_uri("examples/contoso/topology.yaml"),
            ("examples/contoso/topology.yaml".into(), true)
        );
        assert_eq!(
            artifact_uri("./a b/ü.pem"),
            ("a%20b/%C3%BC.pem".into(), true)
        );
        assert_eq!(
            artifact_uri("c:d/x#1.yaml"),
            ("c%3Ad/x%231.yaml".into(), true)
        );
        // Outside the working folder: an absolute `file:` URI, never `../` under %SRCROOT%.
        let (uri, relative) = artifact_uri("../certs/x.pem");
        assert!(
            uri.starts_with("file:///") && uri.ends_with("/certs/x.pem") && !relative,
            "{uri}"
        );
        assert_eq!(
            artifact_uri("/tmp/plan/topology.yaml"),
            ("file:///tmp/plan/topology.yaml".into(), false)
        );
        assert_eq!(
            artifact_uri("C:/plans/a b.yaml"),
            ("file:///C:/plans/a%20b.yaml".into(), false)
        );
    }

    #[test]
    fn descriptions_respect_the_limit() {
        let long = "word ".repeat(400);
        let t = truncate(&long, DESCRIPTION_MAX);
        assert!(t.chars().count() <= DESCRIPTION_MAX);
        assert!(t.ends_with("word…"));
    }

    fn location(
        file: &str,
        (line, column, end_line, end_column): (usize, usize, usize, usize),
    ) -> Location {
        Location {
            file: std::sync::Arc::from(file),
            line,
            column,
            end_line,
            end_column,
            bytes: None,
        }
    }

    #[test]
    fn regions_are_valid_whatever_the_span() {
        let region = |l: Location| physical(&l)["physicalLocation"]["region"].clone();
        assert_eq!(
            region(location("a.yaml", (3, 5, 7, 2))),
            json!({"startLine": 3, "startColumn": 5, "endLine": 7, "endColumn": 2})
        );
        // An empty span (a binary file's line 1, column 1) is an insertion point.
        assert_eq!(
            region(location("a.pfx", (1, 1, 1, 1))),
            json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1})
        );
        // Never a zero line or an end before the start.
        assert_eq!(
            region(location("a.yaml", (0, 0, 0, 0))),
            json!({"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1})
        );
    }

    #[test]
    fn a_related_place_without_a_file_is_left_out() {
        let d = Diagnostic {
            code: "E002".into(),
            name: "unknown-code".into(),
            severity: Severity::Info,
            message: "m".into(),
            location: location("a.toml", (1, 1, 1, 2)),
            label: None,
            help: None,
            related: vec![
                crate::diagnostic::Related {
                    location: location("<command line>", (1, 1, 1, 1)),
                    message: "on the command line".into(),
                },
                crate::diagnostic::Related {
                    location: location("b.yaml", (2, 1, 2, 4)),
                    message: "here".into(),
                },
            ],
            fix: None,
            identity: None,
        };
        let r = result(&d, Some(0), "00", 1);
        assert_eq!(r["level"], "note");
        assert_eq!(r["message"]["text"], "m\nsee [here](1)");
        let related = r["relatedLocations"].as_array().unwrap();
        assert_eq!(related.len(), 1);
        assert_eq!(related[0]["id"], 1);
        assert_eq!(
            related[0]["physicalLocation"]["artifactLocation"]["uri"],
            "b.yaml"
        );
        assert!(!is_file(&location("<command line>", (1, 1, 1, 1))));
    }

    #[test]
    fn link_syntax_is_escaped() {
        assert_eq!(escape_links("SAN [a] lacks b"), "SAN [a] lacks b");
        assert_eq!(escape_links("see [x](1)"), "see \\[x\\](1)");
    }
}
