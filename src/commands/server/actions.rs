//! Code actions on the findings under the cursor: suppress the finding (an `edgelint:
//! ignore[CODE]` comment above its line, or added to the one already there; for a finding in
//! a certificate file, on the topology line that names the file), suppress it for the file,
//! the "did you mean" replacement of an unknown key, value or code, the removal of an unused
//! suppression (E001), and for a finding whose
//! remedy is a certificate request: the commands (`edgelint.requestCommands`, which the
//! server answers and shows) and, where the client can create files, the request as a file
//! next to the topology (`.ps1` with Request-CsCertificate, OpenSSL `.cnf`, certreq `.inf`).

use std::path::{Path, PathBuf};

use gen_lsp_types::{CodeActionParams, ExecuteCommandParams, Position, Range};
use serde_json::{json, Value};

use super::diagnostics::Item;
use super::position::Text;
use super::session::{Failure, Server};
use super::{uri, REQUEST_COMMAND};
use crate::fix::Fix;
use crate::model::topology::TopologyFile;
use crate::source::LineIndex;

pub fn request(server: &mut Server, p: CodeActionParams) -> Result<Value, Failure> {
    let only = p.context.only.as_ref().map(|kinds| {
        kinds
            .iter()
            .map(|k| serde_json::to_value(k).unwrap_or_default())
            .collect::<Vec<_>>()
    });
    if let Some(only) = &only {
        let quickfix = only
            .iter()
            .any(|k| k.as_str().is_some_and(|k| "quickfix".starts_with(k)));
        if !quickfix {
            return Ok(json!([]));
        }
    }
    let Some(path) = uri::to_path(&p.text_document.uri.0) else {
        return Ok(json!([]));
    };
    let items: Vec<&Item> = server
        .items
        .get(&path)
        .into_iter()
        .flatten()
        .filter(|i| i.finding.is_some() && overlaps(&i.diagnostic.range, &p.range))
        .collect();
    let mut actions: Vec<Value> = Vec::new();
    for item in items {
        for a in for_item(server, &path, item) {
            if !actions.iter().any(|b| b["title"] == a["title"]) {
                actions.push(a);
            }
        }
    }
    Ok(Value::Array(actions))
}

fn overlaps(a: &Range, b: &Range) -> bool {
    let key = |p: &Position| (p.line, p.character);
    key(&a.start) <= key(&b.end) && key(&b.start) <= key(&a.end)
}

fn for_item(server: &Server, path: &Path, item: &Item) -> Vec<Value> {
    let Some(d) = &item.finding else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let code = d.code.to_string();
    let diag = serde_json::to_value(&item.diagnostic).unwrap_or_default();
    let quickfix = |title: String, edit: Value, preferred: bool| {
        json!({
            "title": title,
            "kind": "quickfix",
            "diagnostics": [diag.clone()],
            "isPreferred": preferred,
            "edit": edit,
        })
    };
    if let Some(s) = d.help.as_deref().and_then(super::diagnostics::suggestion) {
        let edit = json!({ "range": item.diagnostic.range, "newText": s });
        let changes = json!({ "changes": { server.uri_of(path): [edit] } });
        out.push(quickfix(format!("Replace with `{s}`"), changes, true));
    }
    let topo = server.unit_for(path).and_then(|u| u.topology(path));
    if let (Some(t), "E001", Some(bytes)) = (topo, &*code, &d.location.bytes) {
        if let Some(edit) = remove_selector(server, t, bytes.start) {
            let changes = json!({ "changes": { server.uri_of(path): [edit] } });
            out.push(quickfix(
                "Remove the unused suppression".into(),
                changes,
                true,
            ));
            return out;
        }
    }
    let (topo_path, line) = match topo {
        Some(_) => (path.to_path_buf(), Some(item.diagnostic.range.start.line)),
        None => match naming_place(server, path) {
            Some((p, line)) => (p, Some(line)),
            None => (path.to_path_buf(), None),
        },
    };
    if let (Some(t), Some(line)) = (topology_at(server, &topo_path), line) {
        let edit = suppress_line(server, t, line, &code);
        let changes = json!({ "changes": { server.uri_of(&topo_path): [edit] } });
        let title = if topo.is_some() {
            format!("Suppress {code} on this line")
        } else {
            format!("Suppress {code} where {} names this file", t.display)
        };
        out.push(quickfix(title, changes, false));
        if topo.is_some() {
            let edit = suppress_file(server, t, &code);
            let changes = json!({ "changes": { server.uri_of(&topo_path): [edit] } });
            out.push(quickfix(
                format!("Suppress {code} in this file"),
                changes,
                false,
            ));
        }
    }
    if let Some(fix) = &d.fix {
        out.extend(fix_actions(server, &topo_path, fix, &diag));
    }
    out
}

fn topology_at<'a>(server: &'a Server, path: &Path) -> Option<&'a TopologyFile> {
    server.unit_for(path)?.topology(path)
}

/// The first topology line that names a certificate-like file (0-based), and the topology.
fn naming_place(server: &Server, file: &Path) -> Option<(PathBuf, u32)> {
    for unit in &server.units {
        let Some(a) = unit.analysis() else { continue };
        for t in &a.repo.topologies {
            let Some(topo) = &t.topology else { continue };
            for p in topo.named_paths() {
                if p.resolved == file {
                    let (line, _) = t.lines.line_of(p.written.span.start);
                    return Some((t.path.clone(), (line - 1) as u32));
                }
            }
        }
    }
    None
}

fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// Add `code` to the suppression comment `s` (before its `]`).
fn extend_comment(text: &TextOf<'_>, s: &crate::model::topology::Suppression, code: &str) -> Value {
    let comment = &text.text[s.span.clone()];
    let open = comment.find('[').map_or(0, |i| i + 1);
    let close = comment[open..]
        .find(']')
        .map_or(comment.len(), |i| open + i);
    let at = s.span.start + close;
    let insert = if s.selectors.is_empty() {
        code.to_string()
    } else {
        format!(", {code}")
    };
    let p = text.position(at);
    json!({ "range": Range::new(p, p), "newText": insert })
}

struct TextOf<'a> {
    text: &'a str,
    lines: LineIndex,
    encoding: super::position::Encoding,
}

impl TextOf<'_> {
    fn position(&self, offset: usize) -> Position {
        Text {
            text: self.text,
            lines: &self.lines,
            encoding: self.encoding,
        }
        .position(offset)
    }
}

/// The edit that suppresses `code` on a 0-based line: added to a suppression on that line or
/// the line above, else a comment line above it with its indentation.
fn suppress_line(server: &Server, t: &TopologyFile, line: u32, code: &str) -> Value {
    let text = TextOf {
        text: &t.text,
        lines: t.lines.clone(),
        encoding: server.encoding,
    };
    let line1 = line as usize + 1;
    let existing = t
        .suppressions
        .iter()
        .filter(|s| !s.file_level)
        .find(|s| s.line == line1)
        .or_else(|| {
            t.suppressions.iter().filter(|s| !s.file_level).find(|s| {
                s.line + 1 == line1
                    && t.text[t.lines.line_range(&t.text, s.line)]
                        .trim_start()
                        .starts_with('#')
            })
        });
    if let Some(s) = existing {
        return extend_comment(&text, s, code);
    }
    let range = t.lines.line_range(&t.text, line1);
    let body = &t.text[range.clone()];
    let indent = &body[..body.len() - body.trim_start().len()];
    let p = text.position(range.start);
    let new = format!("{indent}# edgelint: ignore[{code}] {}", newline(&t.text));
    json!({ "range": Range::new(p, p), "newText": new })
}

/// The edit that removes the selector at `at` from its suppression comment: the whole comment
/// (and its line, when it is alone on it) when it is the only one, else the selector and a
/// comma beside it.
fn remove_selector(server: &Server, t: &TopologyFile, at: usize) -> Option<Value> {
    let s = t
        .suppressions
        .iter()
        .find(|s| s.selectors.iter().any(|(_, span)| span.start == at))?;
    let k = s.selectors.iter().position(|(_, span)| span.start == at)?;
    let text = &t.text;
    let bytes = if s.selectors.len() == 1 {
        let line = t.lines.line_range(text, s.line);
        let before = &text[line.start..s.span.start];
        if before.trim().is_empty() {
            let next = t.lines.line_range(text, s.line + 1).start;
            line.start..next.max(line.end)
        } else {
            line.start + before.trim_end().len()..s.span.end
        }
    } else if k + 1 < s.selectors.len() {
        s.selectors[k].1.start..s.selectors[k + 1].1.start
    } else {
        let previous = &s.selectors[k - 1].1;
        previous.end..s.selectors[k].1.end
    };
    let text = Text {
        text,
        lines: &t.lines,
        encoding: server.encoding,
    };
    Some(json!({ "range": text.range(&bytes), "newText": "" }))
}

/// The edit that suppresses `code` in the whole file: added to an `ignore-file[...]` comment,
/// else a comment line at the top (after a `yaml-language-server` modeline).
fn suppress_file(server: &Server, t: &TopologyFile, code: &str) -> Value {
    let text = TextOf {
        text: &t.text,
        lines: t.lines.clone(),
        encoding: server.encoding,
    };
    if let Some(s) = t.suppressions.iter().find(|s| s.file_level) {
        return extend_comment(&text, s, code);
    }
    let first = &t.text[t.lines.line_range(&t.text, 1)];
    let at = if first.starts_with("# yaml-language-server:") {
        Position::new(1, 0)
    } else {
        Position::new(0, 0)
    };
    let new = format!("# edgelint: ignore-file[{code}] {}", newline(&t.text));
    json!({ "range": Range::new(at, at), "newText": new })
}

/// The files that request a fix's certificate: (name, what it is, text).
fn request_files(fix: &Fix) -> Vec<(String, &'static str, String)> {
    let r = &fix.request;
    let stem = &r.file_stem;
    let mut out = Vec::new();
    if let Some(ps) = r.powershell() {
        let text = format!(
            "# {}\n# Run in the Lync Server Management Shell of one Edge Server; send {stem}.req to the CA.\n{ps}\n",
            comment(&r.describe())
        );
        out.push((format!("{stem}.ps1"), "Request-CsCertificate", text));
    }
    out.push((format!("{stem}.cnf"), "OpenSSL", r.openssl_config()));
    let inf = format!(
        "; {}\n; certreq -new {stem}.inf {stem}.csr\n{}",
        comment(&r.describe()),
        r.certreq_inf()
    );
    out.push((format!("{stem}.inf"), "certreq", inf));
    out
}

fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

fn fix_actions(server: &Server, topology: &Path, fix: &Fix, diag: &Value) -> Vec<Value> {
    let mut out = vec![json!({
        "title": "Show the commands that request this certificate",
        "kind": "quickfix",
        "diagnostics": [diag],
        "command": {
            "title": "Show the commands that request this certificate",
            "command": REQUEST_COMMAND,
            "arguments": [crate::report::json::fix_value(fix)],
        },
    })];
    if !server.caps.create_files {
        return out;
    }
    let folder = topology.parent().unwrap_or(topology);
    for (name, what, text) in request_files(fix) {
        let target = folder.join(&name);
        let file_uri = uri::from_path(&target);
        let verb = if target.exists() { "Replace" } else { "Write" };
        out.push(json!({
            "title": format!("{verb} {name} ({what} request)"),
            "kind": "quickfix",
            "diagnostics": [diag],
            "edit": { "documentChanges": [
                { "kind": "create", "uri": file_uri, "options": { "overwrite": true } },
                { "textDocument": { "uri": file_uri, "version": null },
                  "edits": [{ "range": Range::default(), "newText": text }] },
            ]},
        }));
    }
    out
}

/// `workspace/executeCommand` `edgelint.requestCommands [fix]`: shows the commands (a
/// message the editor displays) and returns them.
pub fn execute(server: &mut Server, p: ExecuteCommandParams) -> Result<Value, Failure> {
    if p.command != REQUEST_COMMAND {
        return Err((
            lsp_server::ErrorCode::InvalidParams as i32,
            format!("unknown command {}", p.command),
        ));
    }
    let fix = p.arguments.unwrap_or_default().into_iter().next();
    let Some(fix) = fix.filter(|f| f.get("commands").is_some_and(Value::is_array)) else {
        return Err((
            lsp_server::ErrorCode::InvalidParams as i32,
            "expected the fix of a finding as the argument".into(),
        ));
    };
    let mut text = fix["summary"].as_str().unwrap_or("").to_string();
    for c in fix["commands"].as_array().into_iter().flatten() {
        let kind = c["kind"].as_str().unwrap_or("");
        let body = c["text"].as_str().unwrap_or("");
        text += &format!("\n\n{kind}:\n{body}");
    }
    server.notify_client("window/showMessage", json!({ "type": 3, "message": text }));
    Ok(fix)
}
