//! A plain JSON-RPC client for `edgelint server` over standard input and output: frames
//! written and read by hand (Content-Length headers), every read with a deadline, so that a
//! server that hangs, never answers or never exits fails the test instead of blocking it.
//! Anything on standard output that is not a protocol frame fails the test too.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one answer may take.
pub const DEADLINE: Duration = Duration::from_secs(20);

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Result<Value, String>>,
    /// Messages read while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
    /// Every server→client message seen, in order.
    pub log: Vec<Value>,
}

/// The file URI of a path (the test paths need no escaping beyond spaces).
pub fn uri(path: &Path) -> String {
    format!("file://{}", path.display()).replace(' ', "%20")
}

impl Client {
    /// Start `edgelint server ARGS` in `cwd`, without a cache (the tests run in the
    /// repository's own folders: no cache is written there).
    pub fn start(cwd: &Path, args: &[&str]) -> Client {
        Client::spawn(cwd, args, false)
    }

    /// Start `edgelint server ARGS` in `cwd` as an editor would, with the cache.
    pub fn start_with_cache(cwd: &Path, args: &[&str]) -> Client {
        Client::spawn(cwd, args, true)
    }

    fn spawn(cwd: &Path, args: &[&str], cache: bool) -> Client {
        let mut command = Command::new(env!("CARGO_BIN_EXE_edgelint"));
        if cache {
            command.env_remove("EDGELINT_NO_CACHE");
        } else {
            command.env("EDGELINT_NO_CACHE", "1");
        }
        let mut child = command
            .arg("server")
            .args(args)
            .current_dir(cwd)
            .env("EDGE_PFX_PASSWORD", "Secret123")
            .env_remove("EDGELINT_CACHE_DIR")
            .env_remove("EDGELINT_PFX_PASSWORD")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("edgelint server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                match read_frame(&mut r) {
                    Ok(Some(v)) => {
                        if tx.send(Ok(v)).is_err() {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            incoming,
            pending: VecDeque::new(),
            next_id: 0,
            log: Vec::new(),
        }
    }

    pub fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        let stdin = self.stdin.as_mut().expect("standard input is open");
        stdin
            .write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes())
            .and_then(|_| stdin.write_all(&body))
            .and_then(|_| stdin.flush())
            .expect("the server reads its input");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Send a request and wait for its answer (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(&format!("the answer to {method}"), |m| {
            m.get("id") == Some(&json!(id)) && m.get("method").is_none()
        })
    }

    /// A request's `result` (the test fails on an error answer).
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let answer = self.request(method, params);
        assert!(answer.get("error").is_none(), "{method}: {answer}");
        answer["result"].clone()
    }

    /// The next message (pending ones first) before the deadline.
    fn next(&mut self, deadline: Instant, what: &str) -> Value {
        if let Some(m) = self.pending.pop_front() {
            return m;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(Ok(m)) => {
                self.log.push(m.clone());
                // A request of the server (registration, refresh): answered at once.
                if let (Some(id), Some(_)) = (m.get("id"), m.get("method")) {
                    let id = id.clone();
                    self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }));
                }
                m
            }
            Ok(Err(e)) => panic!("not a protocol frame on standard output: {e}"),
            Err(RecvTimeoutError::Timeout) => panic!("no {what} within {DEADLINE:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server ended before {what}"),
        }
    }

    /// Wait for the first message that `matches`; the others stay pending, in order.
    pub fn wait(&mut self, what: &str, matches: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + DEADLINE;
        let mut skipped = VecDeque::new();
        let found = loop {
            let m = self.next(deadline, what);
            if matches(&m) {
                break m;
            }
            skipped.push_back(m);
        };
        skipped.extend(self.pending.drain(..));
        self.pending = skipped;
        found
    }

    /// The next diagnostics published for `uri` (skipping those of other files).
    pub fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let m = self.next(deadline, &format!("diagnostics for {uri}"));
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// `initialize` with `capabilities` and a workspace folder, then `initialized`.
    pub fn initialize(&mut self, root: Option<&Path>, capabilities: Value) -> Value {
        let root_uri = root.map(uri);
        let folders = root.map(|r| json!([{ "uri": uri(r), "name": "root" }]));
        let result = self.call(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "workspaceFolders": folders,
                "capabilities": capabilities,
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }

    /// `shutdown`, `exit`, and the exit status (the test fails if the process lives on).
    pub fn shutdown(mut self) -> i32 {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// The exit status once the process ends, within the deadline.
    pub fn wait_exit(mut self) -> i32 {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Close standard input (an editor that went away).
    pub fn close_input(&mut self) {
        self.stdin.take();
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One frame: headers (Content-Length required), a blank line, a JSON body.
fn read_frame(r: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut length = None;
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line).map_err(|e| e.to_string())?;
        if n == 0 {
            return if length.is_none() {
                Ok(None)
            } else {
                Err("end of output inside headers".into())
            };
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("not a header: {line:?}"))?;
        if name.eq_ignore_ascii_case("content-length") {
            length = Some(value.trim().parse::<usize>().map_err(|e| e.to_string())?);
        } else if !name.eq_ignore_ascii_case("content-type") {
            return Err(format!("unknown header: {line:?}"));
        }
    }
    let length = length.ok_or("no Content-Length")?;
    let mut body = vec![0; length];
    r.read_exact(&mut body).map_err(|e| e.to_string())?;
    let v: Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
    if v["jsonrpc"] != "2.0" {
        return Err(format!("not JSON-RPC 2.0: {v}"));
    }
    Ok(Some(v))
}

/// Apply LSP text edits (UTF-16 or UTF-32 positions as `utf32` says) to a text.
pub fn apply_edits(text: &str, edits: &[Value], utf32: bool) -> String {
    let mut edits: Vec<&Value> = edits.iter().collect();
    let key = |e: &Value| {
        (
            e["range"]["start"]["line"].as_u64().unwrap(),
            e["range"]["start"]["character"].as_u64().unwrap(),
        )
    };
    edits.sort_by_key(|e| std::cmp::Reverse(key(e)));
    let mut out = text.to_string();
    for e in edits {
        let start = offset(&out, &e["range"]["start"], utf32);
        let end = offset(&out, &e["range"]["end"], utf32);
        out.replace_range(start..end, e["newText"].as_str().unwrap());
    }
    out
}

/// The byte offset of an LSP position in a text with `\n` line ends.
pub fn offset(text: &str, p: &Value, utf32: bool) -> usize {
    let line = p["line"].as_u64().unwrap() as usize;
    let character = p["character"].as_u64().unwrap() as usize;
    let mut at = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i == line {
            let mut units = 0;
            for (b, c) in l.char_indices() {
                if units >= character || c == '\n' {
                    return at + b;
                }
                units += if utf32 { 1 } else { c.len_utf16() };
            }
            return at + l.len();
        }
        at += l.len();
    }
    text.len()
}
