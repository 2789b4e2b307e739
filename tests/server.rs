//! `edgelint server` driven over standard input and output by a plain JSON-RPC client
//! (`lsp_client`): the findings `check` prints, from unsaved buffers; hover, code actions,
//! completion, pull diagnostics, position encodings; robustness; the lifecycle.

mod common;
mod lsp_client;

use std::path::{Path, PathBuf};

use lsp_client::{apply_edits, uri, Client};
use serde_json::{json, Value};

use common::NOW;

fn example() -> PathBuf {
    common::root().join("examples/contoso")
}

/// A server on the example folder with `topology.yaml` open; its first diagnostics.
fn on_example(capabilities: Value) -> (Client, String, String, Vec<Value>) {
    let mut c = Client::start(common::root(), &["--now", NOW]);
    c.initialize(Some(&example()), capabilities);
    let path = example().join("topology.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let u = uri(&path);
    c.open(&u, &text);
    let diags = c.diagnostics(&u);
    (c, u, text, diags)
}

/// (code, line, column), 1-based as `check` prints them.
fn places(diags: &[Value]) -> Vec<(String, u64, u64)> {
    let mut out: Vec<_> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["range"]["start"]["character"].as_u64().unwrap() + 1,
            )
        })
        .collect();
    out.sort();
    out
}

fn codes(diags: &[Value]) -> Vec<String> {
    places(diags).into_iter().map(|(c, _, _)| c).collect()
}

#[test]
fn the_example_gives_what_check_prints() {
    let (c, _, _, diags) = on_example(json!({}));
    let doc = common::json(&["examples/contoso"]);
    let mut expected: Vec<(String, u64, u64)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            assert_eq!(d["file"], "examples/contoso/topology.yaml");
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    expected.sort();
    assert_eq!(places(&diags), expected);
    let n002 = diags.iter().find(|d| d["code"] == "N002").unwrap();
    assert_eq!(n002["source"], "edgelint");
    assert_eq!(n002["severity"], 1);
    assert_eq!(
        n002["codeDescription"]["href"],
        "https://github.com/edgelint/edgelint/blob/main/rules/docs/N002.md"
    );
    let message = n002["message"].as_str().unwrap();
    assert!(
        message.contains("lacks SAN webcon.contoso.com"),
        "{message}"
    );
    assert!(
        message.contains("Request-CsCertificate -New"),
        "the help: {message}"
    );
    let related = &n002["relatedInformation"][0];
    assert_eq!(
        related["message"],
        "Web Conferencing Edge FQDN defined here"
    );
    assert_eq!(related["location"]["range"]["start"]["line"], 15);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn hover_on_the_first_file_shows_its_certificate() {
    let (mut c, u, text, _) =
        on_example(json!({ "textDocument": { "hover": { "contentFormat": ["markdown"] } } }));
    let (line, col) = find(&text, "certs/edge02-external.pfx");
    let started = std::time::Instant::now();
    let hover = c.call("textDocument/hover", position(&u, line, col + 3));
    let took = started.elapsed();
    let value = hover["contents"]["value"].as_str().unwrap();
    assert_eq!(hover["contents"]["kind"], "markdown");
    assert!(value.contains("Subject: `CN=sip.contoso.com`"), "{value}");
    assert!(value.contains("expires in"), "{value}");
    assert!(value.contains("SHA-256: `e8575da9db219405"), "{value}");
    assert!(value.contains("N002"), "the findings about it: {value}");
    assert_eq!(
        hover["range"]["start"],
        json!({ "line": line, "character": col })
    );
    // Debug build, on a loaded 2-core machine: generous; the release build answers in ~1 ms.
    assert!(took.as_millis() < 1000, "hover took {took:?}");
    // uses: and a rule code in a suppression.
    let (line, col) = find(&text, "AudioVideoAuthentication]");
    let hover = c.call("textDocument/hover", position(&u, line, col + 2));
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("Set-CsCertificate -Type AudioVideoAuthentication"),
        "{value}"
    );
    let hover = c.call("textDocument/hover", position(&u, 1, 3));
    assert_eq!(hover, Value::Null);
    // request:, key:, and a trust path.
    for (needle, wants) in [
        (
            "certs/webcon-2027.csr",
            ["Subject CN: `sip.contoso.com`", "N003"],
        ),
        (
            "certs/edge-internal.key",
            ["Matches the certificate", "RSA 2048-bit"],
        ),
        (
            "certs/ca/contoso-root-ca.crt",
            ["**trust.public_roots**", "(CA)"],
        ),
    ] {
        let (line, col) = find(&text, needle);
        let hover = c.call("textDocument/hover", position(&u, line, col + 1));
        let value = hover["contents"]["value"].as_str().unwrap_or_default();
        for want in wants {
            assert!(value.contains(want), "{needle}: {want} not in {value}");
        }
    }
    // A rule code in a suppression comment: the rule.
    let with_comment = format!("{text}# edgelint: ignore-file[N004]\n");
    change(&mut c, &u, 2, json!([{ "text": with_comment }]));
    let line = with_comment.lines().count() as u64 - 1;
    let hover = c.call("textDocument/hover", position(&u, line, 26));
    let value = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        value.contains("**N004** `san-missing-av-edge` (info)"),
        "{value}"
    );
    assert!(value.contains("rules/docs/N004.md"), "{value}");
    assert_eq!(c.shutdown(), 0);
}

/// (0-based line, UTF-16 column) of the first occurrence of `needle` (ASCII text before it).
fn find(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line as u64, col as u64)
}

fn position(u: &str, line: u64, character: u64) -> Value {
    json!({ "textDocument": { "uri": u }, "position": { "line": line, "character": character } })
}

fn change(c: &mut Client, u: &str, version: i64, changes: Value) {
    c.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": u, "version": version }, "contentChanges": changes }),
    );
}

#[test]
fn removing_a_line_in_the_buffer_removes_its_finding() {
    let (mut c, u, text, diags) = on_example(json!({}));
    assert!(codes(&diags).contains(&"W001".to_string()));
    let (line, _) = find(&text, "  office_web_apps:");
    let range = json!({ "start": { "line": line, "character": 0 }, "end": { "line": line + 1, "character": 0 } });
    change(&mut c, &u, 2, json!([{ "range": range, "text": "" }]));
    let after = c.diagnostics(&u);
    assert!(!codes(&after).contains(&"W001".to_string()), "{after:?}");
    assert_eq!(after.len(), diags.len() - 1);
    // The file on disk is unchanged: the buffer was read.
    assert!(std::fs::read_to_string(example().join("topology.yaml"))
        .unwrap()
        .contains("office_web_apps"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn broken_yaml_is_t001_and_the_server_keeps_answering() {
    let (mut c, u, text, _) = on_example(json!({}));
    let broken = text.replace("version: 1\n", "version: [1\n");
    change(&mut c, &u, 2, json!([{ "text": broken }]));
    let diags = c.diagnostics(&u);
    assert!(codes(&diags).contains(&"T001".to_string()), "{diags:?}");
    let hover = c.request("textDocument/hover", position(&u, 3, 2));
    assert!(hover.get("error").is_none(), "{hover}");
    // Garbage and positions far outside the text are answered too.
    change(
        &mut c,
        &u,
        3,
        json!([{ "text": "edge_pools: {{{\u{0}\u{202e}😀\r\r\n" }]),
    );
    assert!(codes(&c.diagnostics(&u)).contains(&"T001".to_string()));
    let answer = c.request("textDocument/hover", position(&u, 99999, 99999));
    assert!(answer.get("error").is_none(), "{answer}");
    let answer = c.request("textDocument/codeAction", json!({
        "textDocument": { "uri": u },
        "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 4000000000u64, "character": 7 } },
        "context": { "diagnostics": [] },
    }));
    assert!(answer.get("error").is_none(), "{answer}");
    change(&mut c, &u, 4, json!([{ "text": text }]));
    assert!(!codes(&c.diagnostics(&u)).contains(&"T001".to_string()));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_suppression_is_offered_and_works() {
    let (mut c, u, text, _) = on_example(json!({}));
    let (line, col) = find(&text, "certs/edge02-external.pfx");
    let range = json!({ "start": { "line": line, "character": col }, "end": { "line": line, "character": col } });
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u }, "range": range, "context": { "diagnostics": [] } }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    for want in [
        "Suppress N002 on this line",
        "Suppress N002 in this file",
        "Suppress P003 on this line",
        "Show the commands that request this certificate",
    ] {
        assert!(titles.contains(&want), "{want} not in {titles:?}");
    }
    // Apply two suppressions of the same line: the second joins the first comment.
    let edit = |actions: &Value, title: &str| -> Vec<Value> {
        let a = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .unwrap();
        a["edit"]["changes"][&u].as_array().unwrap().clone()
    };
    let text2 = apply_edits(&text, &edit(&actions, "Suppress N002 on this line"), false);
    assert!(
        text2.contains(
            "        # edgelint: ignore[N002] \n          - file: certs/edge02-external.pfx"
        ),
        "{text2}"
    );
    change(&mut c, &u, 2, json!([{ "text": text2 }]));
    let diags = c.diagnostics(&u);
    assert!(!codes(&diags).contains(&"N002".to_string()), "{diags:?}");
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u }, "range": {
            "start": { "line": line + 1, "character": col }, "end": { "line": line + 1, "character": col } },
            "context": { "diagnostics": [] } }),
    );
    let text3 = apply_edits(&text2, &edit(&actions, "Suppress P003 on this line"), false);
    assert!(
        text3.contains("# edgelint: ignore[N002, P003] \n"),
        "{text3}"
    );
    change(&mut c, &u, 3, json!([{ "text": text3 }]));
    let diags = c.diagnostics(&u);
    assert!(!codes(&diags).contains(&"P003".to_string()), "{diags:?}");
    assert!(!codes(&diags).contains(&"E001".to_string()), "{diags:?}");
    // The request of the fix, as the command the client runs.
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u }, "range": {
            "start": { "line": line + 1, "character": col }, "end": { "line": line + 1, "character": col } },
            "context": { "diagnostics": [] } }),
    );
    let show = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Show the commands that request this certificate")
        .unwrap();
    let result = c.call(
        "workspace/executeCommand",
        json!({
        "command": show["command"]["command"], "arguments": show["command"]["arguments"] }),
    );
    assert_eq!(result["commands"][0]["kind"], "powershell");
    let shown = c.wait("the commands shown", |m| {
        m["method"] == "window/showMessage"
    });
    assert!(shown["params"]["message"]
        .as_str()
        .unwrap()
        .contains("Request-CsCertificate -New"));
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_request_can_be_written_as_a_file_when_the_client_creates_files() {
    let caps = json!({ "workspace": { "workspaceEdit": { "documentChanges": true, "resourceOperations": ["create"] } } });
    let (mut c, u, text, _) = on_example(caps);
    let (line, col) = find(&text, "certs/edge02-external.pfx");
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u }, "range": {
        "start": { "line": line, "character": col }, "end": { "line": line, "character": col } },
        "context": { "diagnostics": [] } }),
    );
    let cnf = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Write edge-ams-external.cnf (OpenSSL request)")
        .unwrap_or_else(|| panic!("{actions}"));
    let changes = cnf["edit"]["documentChanges"].as_array().unwrap();
    assert_eq!(changes[0]["kind"], "create");
    assert!(changes[0]["uri"]
        .as_str()
        .unwrap()
        .ends_with("/examples/contoso/edge-ams-external.cnf"));
    let body = changes[1]["edits"][0]["newText"].as_str().unwrap();
    assert!(body.contains("DNS.2 = webcon.contoso.com"), "{body}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn an_unknown_key_gets_its_rename() {
    let (mut c, u, text, _) = on_example(json!({}));
    let broken = text.replace("        exportable: false", "        exportabel: false");
    change(&mut c, &u, 2, json!([{ "text": broken.clone() }]));
    let diags = c.diagnostics(&u);
    let t001 = diags.iter().find(|d| d["code"] == "T001").unwrap();
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": u },
        "range": t001["range"], "context": { "diagnostics": [t001] } }),
    );
    let rename = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Replace with `exportable`")
        .unwrap();
    assert_eq!(rename["isPreferred"], true);
    let fixed = apply_edits(
        &broken,
        rename["edit"]["changes"][&u].as_array().unwrap(),
        false,
    );
    assert_eq!(fixed, text);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn completion_of_uses_products_and_paths() {
    let (mut c, u, text, _) = on_example(json!({}));
    let edited = text.replace("product: lync2013", "product: sf").replace(
        "      - request: certs/webcon-2027.csr\n        uses: [AccessEdgeExternal, DataEdgeExternal]",
        "      - request: certs/webcon-2027.csr\n        uses: [AccessEdgeExternal, Dat",
    );
    change(&mut c, &u, 2, json!([{ "text": edited.clone() }]));
    let labels = |c: &mut Client, line: u64, col: u64| -> Vec<String> {
        let r = c.call("textDocument/completion", position(&u, line, col));
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let (line, col) = find(&edited, "sf\n");
    let got = labels(&mut c, line, col + 2);
    assert!(got.contains(&"sfb2019".to_string()), "{got:?}");
    let (line, col) = find(&edited, "Dat\n");
    let got = labels(&mut c, line, col + 3);
    assert!(got.contains(&"DataEdgeExternal".to_string()), "{got:?}");
    let (line, col) = find(&edited, "certs/av.pfx");
    let got = labels(&mut c, line, col + 6);
    assert!(
        got.contains(&"certs/edge-external.pfx".to_string()),
        "{got:?}"
    );
    assert!(!got.iter().any(|p| p.ends_with(".csr")), "{got:?}");
    assert_eq!(c.shutdown(), 0);
}

/// A topology whose findings sit after characters outside the Basic Multilingual Plane.
const WIDE: &str = "version: 1
sip_domains: [contoso.com]
edge_pools:
  - name: p
    internal_fqdn: edgepool.corp.contoso.com
    external:
      access_edge: sip.contoso.com
      web_conferencing_edge: webcon.contoso.com
      av_edge: av.contoso.com
    servers: [\"ed😀ge\", edge01]
    certificates:
      - {file: \"certs/🔐.crt\", uses: [Internal]}
";

#[test]
fn positions_in_utf16_and_utf32() {
    let dir = scratch("wide");
    let path = dir.join("topology.yaml");
    std::fs::write(&path, WIDE).unwrap();
    let u = uri(&path);
    for (offered, name, shift) in [
        (json!(["utf-16"]), "utf-16", 1),
        (json!(["utf-32", "utf-16"]), "utf-32", 0),
    ] {
        let mut c = Client::start(&dir, &["--now", NOW]);
        let init = c.initialize(
            Some(&dir),
            json!({ "general": { "positionEncodings": offered } }),
        );
        assert_eq!(init["capabilities"]["positionEncoding"], name);
        c.open(&u, WIDE);
        let diags = c.diagnostics(&u);
        let edge01 = diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains("`edge01`"))
            .unwrap();
        // `    servers: ["ed😀ge", edge01]`: 23 characters before edge01, 24 UTF-16 units.
        assert_eq!(
            edge01["range"]["start"],
            json!({ "line": 9, "character": 23 + shift })
        );
        assert_eq!(
            edge01["range"]["end"],
            json!({ "line": 9, "character": 29 + shift })
        );
        // Hover on `Internal`, after the 🔐: the position is read in the same encoding.
        let hover = c.call("textDocument/hover", position(&u, 11, 39 + shift));
        let value = hover["contents"]["value"].as_str().unwrap_or_default();
        assert!(value.contains("-Type Internal"), "{name}: {hover}");
        assert_eq!(hover["range"]["start"]["character"], 37 + shift);
        // An incremental change after the wide characters lands where it should.
        let at = json!({ "line": 9, "character": 23 + shift });
        change(
            &mut c,
            &u,
            2,
            json!([{ "range": { "start": at, "end": { "line": 9, "character": 29 + shift } }, "text": "edge01.corp.contoso.com" }]),
        );
        let diags = c.diagnostics(&u);
        assert!(
            !diags
                .iter()
                .any(|d| d["message"].as_str().unwrap().contains("`edge01`")),
            "{diags:?}"
        );
        assert_eq!(c.shutdown(), 0);
    }
}

#[test]
fn the_server_keeps_the_cache_check_keeps_unless_told_not_to() {
    for (name, extra, kept) in [
        ("cached", None, true),
        ("uncached", Some("--no-cache"), false),
    ] {
        let dir = scratch(name);
        copy_dir(&example(), &dir);
        let args: Vec<&str> = ["--now", NOW].into_iter().chain(extra).collect();
        let mut c = Client::start_with_cache(&dir, &args);
        c.initialize(Some(&dir), json!({}));
        let path = dir.join("topology.yaml");
        let u = uri(&path);
        c.open(&u, &std::fs::read_to_string(&path).unwrap());
        assert!(codes(&c.diagnostics(&u)).contains(&"N002".to_string()));
        assert_eq!(c.shutdown(), 0);
        let shards = std::fs::read_dir(dir.join(".edgelint_cache")).map_or(0, |d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("facts-"))
                .count()
        });
        assert_eq!(shards > 0, kept, "{name}: {shards} cache shards");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A fresh temporary folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("edgelint-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn a_changed_certificate_file_is_linted_again() {
    let dir = scratch("watched");
    copy_dir(&example(), &dir);
    let mut c = Client::start(&dir, &["--now", NOW]);
    c.initialize(
        Some(&dir),
        json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } }),
    );
    let registration = c.wait("the file watchers", |m| {
        m["method"] == "client/registerCapability"
    });
    let watchers =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(
        watchers.contains("pfx") && watchers.contains(".edgelint.toml"),
        "{watchers}"
    );
    let u = uri(&dir.join("topology.yaml"));
    // Not open: diagnostics of the file on disk.
    let before = c.diagnostics(&u);
    assert!(!codes(&before).contains(&"T002".to_string()));
    std::fs::remove_file(dir.join("certs/reverse-proxy.crt")).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&dir.join("certs/reverse-proxy.crt")), "type": 3 }] }),
    );
    let after = c.diagnostics(&u);
    assert!(codes(&after).contains(&"T002".to_string()), "{after:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn findings_in_certificate_files_are_published_for_those_files() {
    let root = common::root().join("fixtures/k005");
    let mut c = Client::start(&root, &["--now", NOW]);
    c.initialize(Some(&root), json!({}));
    let key = uri(&root.join("keys/pkcs8.key"));
    let diags = c.diagnostics(&key);
    assert_eq!(codes(&diags), ["K005"]);
    assert_eq!(
        diags[0]["range"]["start"],
        json!({ "line": 0, "character": 0 })
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_client_that_pulls_gets_pulled_diagnostics() {
    let caps = json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let mut c = Client::start(common::root(), &["--now", NOW]);
    let init = c.initialize(Some(&example()), caps);
    assert_eq!(
        init["capabilities"]["diagnosticProvider"]["interFileDependencies"],
        true
    );
    let path = example().join("topology.yaml");
    let u = uri(&path);
    // Before the file is open its findings are pushed; once open, pulled (not both).
    let pushed = c.diagnostics(&u);
    c.open(&u, &std::fs::read_to_string(&path).unwrap());
    let report = c.call(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": u } }),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(codes(report["items"].as_array().unwrap()), codes(&pushed));
    assert!(
        c.diagnostics(&u).is_empty(),
        "the push is withdrawn for an open document"
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn a_file_outside_the_workspace_is_answered() {
    let empty = scratch("outside");
    let mut c = Client::start(&empty, &["--now", NOW]);
    c.initialize(Some(&empty), json!({}));
    let path = example().join("topology.yaml");
    let u = uri(&path);
    c.open(&u, &std::fs::read_to_string(&path).unwrap());
    assert!(codes(&c.diagnostics(&u)).contains(&"W001".to_string()));
    let hover = c.call("textDocument/hover", position(&u, 22, 22));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("CN=sip.contoso.com"));
    // Not a topology, not a file, not open: answered, with nothing.
    let other = uri(&empty.join("compose.yaml"));
    c.open(&other, "services: {web: {image: nginx}}\n");
    assert_eq!(
        c.call("textDocument/hover", position(&other, 0, 3)),
        Value::Null
    );
    assert_eq!(
        c.call("textDocument/hover", position("untitled:Untitled-1", 0, 0)),
        Value::Null
    );
    assert_eq!(
        c.call(
            "textDocument/completion",
            position("file:///nowhere/x.yaml", 0, 0)
        ),
        Value::Null
    );
    let unknown = c.request("textDocument/rename", position(&u, 0, 0));
    assert_eq!(unknown["error"]["code"], -32601);
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn the_lifecycle() {
    // Requests before initialize are refused; exit without shutdown is status 1.
    let mut c = Client::start(common::root(), &[]);
    let early = c.request("textDocument/hover", position("file:///x.yaml", 0, 0));
    assert_eq!(early["error"]["code"], -32002);
    c.initialize(None, json!({}));
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), 1);
    // An editor that goes away: the server ends on its own.
    let mut c = Client::start(common::root(), &[]);
    c.initialize(None, json!({}));
    c.close_input();
    assert_eq!(c.wait_exit(), 1);
    // After shutdown, requests are refused and exit is status 0.
    let mut c = Client::start(common::root(), &[]);
    c.initialize(None, json!({}));
    assert_eq!(c.call("shutdown", Value::Null), Value::Null);
    let late = c.request("textDocument/hover", position("file:///x.yaml", 0, 0));
    assert_eq!(late["error"]["code"], -32600);
    c.notify("exit", Value::Null);
    assert_eq!(c.wait_exit(), 0);
}

#[test]
fn a_finding_in_a_key_file_is_suppressed_where_the_topology_names_it() {
    let dir = scratch("named");
    copy_dir(&common::root().join("fixtures/suppress-named-file"), &dir);
    let topology = dir.join("topology.yaml");
    let text = std::fs::read_to_string(&topology).unwrap().replace(
        "        # edgelint: ignore[K005] lab key, never leaves the test network\n",
        "",
    );
    std::fs::write(&topology, &text).unwrap();
    let mut c = Client::start(&dir, &["--now", NOW]);
    c.initialize(Some(&dir), json!({}));
    let key = uri(&dir.join("keys/key-and-cert.pem"));
    let diags = c.diagnostics(&key);
    assert!(codes(&diags).contains(&"K005".to_string()), "{diags:?}");
    let k005 = diags.iter().find(|d| d["code"] == "K005").unwrap();
    let actions = c.call(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": key },
        "range": k005["range"], "context": { "diagnostics": [k005] } }),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Suppress K005 where topology.yaml names this file")
        .unwrap_or_else(|| panic!("{actions}"));
    let edits = action["edit"]["changes"][uri(&topology)]
        .as_array()
        .unwrap()
        .clone();
    let fixed = apply_edits(&text, &edits, false);
    assert!(
        fixed.contains("      # edgelint: ignore[K005] \n      - file: keys/key-and-cert.pem"),
        "{fixed}"
    );
    std::fs::write(&topology, &fixed).unwrap();
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": uri(&topology), "type": 2 }] }),
    );
    let after = c.diagnostics(&key);
    assert!(!codes(&after).contains(&"K005".to_string()), "{after:?}");
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn typing_is_linted_once_after_a_pause() {
    let (mut c, u, text, _) = on_example(json!({}));
    let (line, _) = find(&text, "  office_web_apps:");
    for version in 2..=6 {
        // Each keystroke deletes one more character of the line, then the line goes.
        let end = if version == 6 {
            json!({ "line": line + 1, "character": 0 })
        } else {
            json!({ "line": line, "character": 1 })
        };
        let range = json!({ "start": { "line": line, "character": 0 }, "end": end });
        change(&mut c, &u, version, json!([{ "range": range, "text": "" }]));
    }
    let published = c.wait("diagnostics after typing", |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == u
    });
    assert_eq!(
        published["params"]["version"], 6,
        "linted before the pause: {published}"
    );
    assert!(
        !codes(published["params"]["diagnostics"].as_array().unwrap())
            .contains(&"W001".to_string())
    );
    assert_eq!(c.shutdown(), 0);
}

#[test]
fn an_unused_suppression_is_removed() {
    let (mut c, u, text, _) = on_example(json!({}));
    let pfx = "          - file: certs/edge02-external.pfx";
    let (line, _) = find(&text, pfx);
    let actions_at = |c: &mut Client, d: &Value| {
        c.call(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": u },
            "range": d["range"], "context": { "diagnostics": [d] } }),
        )
    };
    let remove = |actions: &Value| -> Vec<Value> {
        let a = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == "Remove the unused suppression")
            .unwrap_or_else(|| panic!("{actions}"));
        a["edit"]["changes"][&u].as_array().unwrap().clone()
    };
    // Two codes, one of them unused: the unused one goes.
    let two = text.replace(
        pfx,
        &format!("          # edgelint: ignore[N002, K005] why\n{pfx}"),
    );
    change(&mut c, &u, 2, json!([{ "text": two.clone() }]));
    let diags = c.diagnostics(&u);
    let e001 = diags
        .iter()
        .find(|d| d["code"] == "E001")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(
        e001["range"]["start"],
        json!({ "line": line, "character": 35 })
    );
    assert_eq!(e001["tags"], json!([1]));
    let fixed = apply_edits(&two, &remove(&actions_at(&mut c, e001)), false);
    assert!(
        fixed.contains("          # edgelint: ignore[N002] why\n"),
        "{fixed}"
    );
    // The only code, unused: the whole line goes.
    let one = text.replace(pfx, &format!("          # edgelint: ignore[K005]\n{pfx}"));
    change(&mut c, &u, 3, json!([{ "text": one.clone() }]));
    let diags = c.diagnostics(&u);
    let e001 = diags.iter().find(|d| d["code"] == "E001").unwrap();
    assert_eq!(
        apply_edits(&one, &remove(&actions_at(&mut c, e001)), false),
        text
    );
    assert_eq!(c.shutdown(), 0);
}
