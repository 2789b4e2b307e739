//! The server's state and its answer to each message: the lifecycle (initialize, shutdown,
//! exit), the documents the editor has open, when to analyse again (at once on open, save,
//! close and file changes; after a pause on typing), and where each diagnostic goes. Nothing
//! here writes to standard output: every message to send is queued in `out`.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gen_lsp_types::Diagnostic;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use serde_json::{json, Value};

use super::diagnostics::{self, Item};
use super::position::{Encoding, Text};
use super::workspace::{self, Settings, Spec, Unit};
use super::{uri, Capabilities};
use crate::commands::check::Buffers;
use crate::source::LineIndex;

/// The editor's copy of a file.
pub struct Doc {
    pub uri: String,
    pub text: String,
    pub version: i32,
}

impl Doc {
    pub fn lines(&self) -> LineIndex {
        LineIndex::new(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Uninitialized,
    Running,
    ShutDown,
    Exit(u8),
}

/// A request's failure: a JSON-RPC error code and message.
pub type Failure = (i32, String);

pub struct Server {
    pub settings: Settings,
    /// The pause after the last change before analysing again.
    pub debounce: Duration,
    phase: Phase,
    pub caps: Capabilities,
    pub encoding: Encoding,
    pub roots: Vec<PathBuf>,
    pub docs: BTreeMap<PathBuf, Doc>,
    pub units: Vec<Unit>,
    /// Every diagnostic of the last analysis, per file.
    pub items: BTreeMap<PathBuf, Vec<Item>>,
    published: BTreeMap<String, Vec<Diagnostic>>,
    /// What each pulled document was last given (a change asks the client to pull again).
    pulled: BTreeMap<PathBuf, Vec<Diagnostic>>,
    due: Option<Instant>,
    out: Vec<Message>,
    next_id: i32,
    failures: Vec<String>,
}

impl Server {
    pub fn new(settings: Settings, debounce: Duration) -> Server {
        Server {
            settings,
            debounce,
            phase: Phase::Uninitialized,
            caps: Capabilities::default(),
            encoding: Encoding::Utf16,
            roots: Vec::new(),
            docs: BTreeMap::new(),
            units: Vec::new(),
            items: BTreeMap::new(),
            published: BTreeMap::new(),
            pulled: BTreeMap::new(),
            due: None,
            out: Vec::new(),
            next_id: 0,
            failures: Vec::new(),
        }
    }

    /// The messages to send, in order.
    pub fn take_outgoing(&mut self) -> Vec<Message> {
        std::mem::take(&mut self.out)
    }

    /// The process's exit status, once `exit` came (0 after `shutdown`, else 1).
    pub fn exit_code(&self) -> Option<u8> {
        match self.phase {
            Phase::Exit(code) => Some(code),
            _ => None,
        }
    }

    /// How long the main loop may wait for a message before an analysis is due.
    pub fn wait(&self) -> Option<Duration> {
        self.due
            .map(|d| d.saturating_duration_since(Instant::now()))
    }

    /// Run the analysis that is due, if it is.
    pub fn tick(&mut self) {
        if self.due.is_some_and(|d| d <= Instant::now()) {
            self.analyze();
        }
    }

    pub fn handle(&mut self, msg: Message) {
        match msg {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => self.notification(n),
            // Answers to our registrations and refresh requests: nothing to do.
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, r: Request) {
        let result = match self.phase {
            Phase::Uninitialized if r.method != "initialize" => Err((
                ErrorCode::ServerNotInitialized as i32,
                "the server is not initialized".to_string(),
            )),
            Phase::ShutDown | Phase::Exit(_) => Err((
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_string(),
            )),
            _ => catch_unwind(AssertUnwindSafe(|| self.dispatch(&r))).unwrap_or_else(|p| {
                Err((
                    ErrorCode::InternalError as i32,
                    format!(
                        "internal error, please report it: {}",
                        workspace::panic_message(p.as_ref())
                    ),
                ))
            }),
        };
        let response = match result {
            Ok(value) => Response::new_ok(r.id, value),
            Err((code, message)) => Response::new_err(r.id, code, message),
        };
        self.out.push(response.into());
    }

    fn dispatch(&mut self, r: &Request) -> Result<Value, Failure> {
        match r.method.as_str() {
            "initialize" => self.initialize(&r.params),
            "shutdown" => {
                self.phase = Phase::ShutDown;
                Ok(Value::Null)
            }
            "textDocument/hover" => {
                self.flush();
                super::hover::request(self, params(&r.params)?)
            }
            "textDocument/codeAction" => {
                self.flush();
                super::actions::request(self, params(&r.params)?)
            }
            "textDocument/completion" => super::completion::request(self, params(&r.params)?),
            "textDocument/diagnostic" => {
                self.flush();
                self.pull(params(&r.params)?)
            }
            "workspace/executeCommand" => super::actions::execute(self, params(&r.params)?),
            other => Err((
                ErrorCode::MethodNotFound as i32,
                format!("edgelint does not answer {other}"),
            )),
        }
    }

    fn initialize(&mut self, p: &Value) -> Result<Value, Failure> {
        if self.phase != Phase::Uninitialized {
            return Err((
                ErrorCode::InvalidRequest as i32,
                "initialize was already received".into(),
            ));
        }
        self.caps = Capabilities::read(p);
        self.encoding = Encoding::negotiate(&self.caps.position_encodings);
        self.roots = super::roots(p);
        self.phase = Phase::Running;
        Ok(super::initialize_result(self.encoding, &self.caps))
    }

    fn notification(&mut self, n: Notification) {
        if n.method == "exit" {
            let code = if self.phase == Phase::ShutDown { 0 } else { 1 };
            self.phase = Phase::Exit(code);
            return;
        }
        if self.phase != Phase::Running {
            return;
        }
        let handled = catch_unwind(AssertUnwindSafe(|| self.notify(&n)));
        if let Err(p) = handled {
            let message = workspace::panic_message(p.as_ref());
            self.log(
                1,
                &format!("edgelint: internal error on {}: {message}", n.method),
            );
        }
    }

    fn notify(&mut self, n: &Notification) {
        let now = Duration::ZERO;
        match n.method.as_str() {
            "initialized" => {
                self.register_watchers();
                self.schedule(now);
            }
            "textDocument/didOpen" => {
                if let Ok(p) = params::<gen_lsp_types::DidOpenTextDocumentParams>(&n.params) {
                    let d = p.text_document;
                    if let Some(path) = uri::to_path(&d.uri.0) {
                        let doc = Doc {
                            uri: d.uri.0,
                            text: d.text,
                            version: d.version,
                        };
                        self.docs.insert(path, doc);
                        self.schedule(now);
                    }
                }
            }
            "textDocument/didChange" => {
                if let Ok(p) = params::<gen_lsp_types::DidChangeTextDocumentParams>(&n.params) {
                    self.change(p);
                }
            }
            "textDocument/didSave" | "textDocument/didClose" => {
                let Some(path) = text_document_path(&n.params) else {
                    return;
                };
                if n.method == "textDocument/didClose" {
                    self.docs.remove(&path);
                }
                self.schedule(now);
            }
            "workspace/didChangeWatchedFiles" => self.schedule(Duration::from_millis(50)),
            "workspace/didChangeWorkspaceFolders" => {
                super::change_folders(&mut self.roots, &n.params);
                self.schedule(now);
            }
            _ => {}
        }
    }

    /// Apply an editor's changes (whole text, or ranges in the negotiated encoding).
    fn change(&mut self, p: gen_lsp_types::DidChangeTextDocumentParams) {
        use gen_lsp_types::TextDocumentContentChangeEvent as Change;
        let Some(path) = uri::to_path(&p.text_document.text_document_identifier.uri.0) else {
            return;
        };
        let encoding = self.encoding;
        let Some(doc) = self.docs.get_mut(&path) else {
            return;
        };
        for c in p.content_changes {
            match c {
                Change::TextDocumentContentChangeWholeDocument(w) => doc.text = w.text,
                Change::TextDocumentContentChangePartial(part) => {
                    let lines = doc.lines();
                    let t = Text {
                        text: &doc.text,
                        lines: &lines,
                        encoding,
                    };
                    let start = t.offset(part.range.start);
                    let end = t.offset(part.range.end).max(start);
                    doc.text.replace_range(start..end, &part.text);
                }
            }
        }
        doc.version = p.text_document.version;
        // Debounced: each keystroke moves the analysis to a pause after it.
        self.due = Some(Instant::now() + self.debounce);
    }

    /// Analyse again after `delay` (or sooner, if an analysis is already due sooner).
    fn schedule(&mut self, delay: Duration) {
        let at = Instant::now() + delay;
        self.due = Some(self.due.map_or(at, |d| d.min(at)));
    }

    /// Run a pending analysis now (before answering about the current text).
    pub fn flush(&mut self) {
        if self.due.is_some() {
            self.analyze();
        }
    }

    /// The topology buffers the editor has open.
    fn buffers(&self) -> Buffers {
        self.docs
            .iter()
            .filter(|(p, _)| workspace::is_yaml(p))
            .map(|(p, d)| (p.clone(), Arc::from(d.text.as_str())))
            .collect()
    }

    /// The units: each workspace folder, and each open topology outside all of them.
    fn specs(&self) -> Vec<Spec> {
        let mut specs: Vec<Spec> = self
            .roots
            .iter()
            .filter(|r| r.is_dir())
            .map(|r| Spec {
                cwd: r.clone(),
                paths: vec![r.clone()],
            })
            .collect();
        for (path, doc) in &self.docs {
            let inside = specs
                .iter()
                .any(|s| s.paths.iter().any(|r| path.starts_with(r)));
            if !inside && workspace::is_yaml(path) && workspace::claims_topology(&doc.text) {
                let cwd = path.parent().map(Path::to_path_buf).unwrap_or_default();
                specs.push(Spec {
                    cwd,
                    paths: vec![path.clone()],
                });
            }
        }
        specs
    }

    /// Analyse every unit and publish what changed.
    pub fn analyze(&mut self) {
        self.due = None;
        let buffers = self.buffers();
        let units: Vec<Unit> = self
            .specs()
            .into_iter()
            .map(|s| workspace::analyze(s, &self.settings, &buffers))
            .collect();
        let mut items: BTreeMap<PathBuf, Vec<Item>> = BTreeMap::new();
        for unit in &units {
            for item in diagnostics::items(unit, self.encoding, &|p| self.uri_of(p)) {
                let list = items.entry(item.path.clone()).or_default();
                // Nested folders analyse some files twice: each finding once.
                if !list.iter().any(|i| i.diagnostic == item.diagnostic) {
                    list.push(item);
                }
            }
        }
        self.units = units;
        self.items = items;
        self.report_failures();
        self.publish();
    }

    /// A failed run is said once (window/showMessage) until it changes.
    fn report_failures(&mut self) {
        let failures: Vec<String> = self
            .units
            .iter()
            .filter_map(|u| match &u.outcome {
                workspace::Outcome::Failed(m) => Some(m.clone()),
                workspace::Outcome::Done(_) => None,
            })
            .collect();
        for f in &failures {
            if !self.failures.contains(f) {
                self.log(1, &format!("edgelint could not check a folder: {f}"));
                let p = json!({ "type": 1, "message": format!("edgelint: {f}") });
                self.notify_client("window/showMessage", p);
            }
        }
        self.failures = failures;
    }

    /// Push every file's diagnostics that changed; an open document of a client that pulls
    /// gets them by pull instead (both would show each finding twice).
    fn publish(&mut self) {
        let mut next: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        let mut versions: BTreeMap<String, i32> = BTreeMap::new();
        for (path, items) in &self.items {
            let open = self.docs.get(path);
            if self.caps.pull && open.is_some() {
                continue;
            }
            let uri = self.uri_of(path);
            if let Some(doc) = open {
                versions.insert(uri.clone(), doc.version);
            }
            let list = items.iter().map(|i| i.diagnostic.clone()).collect();
            next.insert(uri, list);
        }
        let cleared: Vec<String> = self
            .published
            .keys()
            .filter(|u| !next.contains_key(*u))
            .cloned()
            .collect();
        for uri in cleared {
            self.send_diagnostics(&uri, None, &[]);
        }
        for (uri, list) in &next {
            if self.published.get(uri) != Some(list) {
                self.send_diagnostics(uri, versions.get(uri).copied(), list);
            }
        }
        self.published = next;
        let stale = self.pulled.iter().any(|(path, given)| {
            let now: Vec<&Diagnostic> = self
                .items
                .get(path)
                .into_iter()
                .flatten()
                .map(|i| &i.diagnostic)
                .collect();
            now.len() != given.len() || now.iter().zip(given).any(|(a, b)| *a != b)
        });
        if stale && self.caps.diagnostic_refresh {
            self.pulled.clear();
            self.request_client("workspace/diagnostic/refresh", Value::Null);
        }
    }

    fn send_diagnostics(&mut self, uri: &str, version: Option<i32>, list: &[Diagnostic]) {
        let mut p = json!({ "uri": uri, "diagnostics": list });
        if let Some(v) = version {
            p["version"] = json!(v);
        }
        self.notify_client("textDocument/publishDiagnostics", p);
    }

    /// `textDocument/diagnostic`: the document's diagnostics, as a full report.
    fn pull(&mut self, p: gen_lsp_types::DocumentDiagnosticParams) -> Result<Value, Failure> {
        let Some(path) = uri::to_path(&p.text_document.uri.0) else {
            return Ok(json!({ "kind": "full", "items": [] }));
        };
        let items: Vec<Diagnostic> = self
            .items
            .get(&path)
            .map(|v| v.iter().map(|i| i.diagnostic.clone()).collect())
            .unwrap_or_default();
        let answer = json!({ "kind": "full", "items": items });
        self.pulled.insert(path, items);
        Ok(answer)
    }

    /// The URI of a file: the editor's own when it has the file open.
    pub fn uri_of(&self, path: &Path) -> String {
        match self.docs.get(path) {
            Some(d) => d.uri.clone(),
            None => uri::from_path(path),
        }
    }

    /// The unit that analysed a file: the innermost folder holding it, else the one that
    /// read it as a topology.
    pub fn unit_for(&self, path: &Path) -> Option<&Unit> {
        self.units
            .iter()
            .filter(|u| u.covers(path) && u.topology(path).is_some())
            .max_by_key(|u| u.spec.cwd.components().count())
            .or_else(|| self.units.iter().find(|u| u.topology(path).is_some()))
    }

    fn register_watchers(&mut self) {
        if !self.caps.watch_files {
            return;
        }
        let mut exts: Vec<String> = crate::discover::CERT_EXTENSIONS
            .iter()
            .chain(crate::discover::YAML_EXTENSIONS.iter())
            .map(|e| e.to_string())
            .collect();
        exts.extend(exts.clone().iter().map(|e| e.to_ascii_uppercase()));
        let watchers = json!([
            { "globPattern": format!("**/*.{{{}}}", exts.join(",")) },
            { "globPattern": format!("**/{}", crate::config::FILE_NAME) },
        ]);
        let p = json!({ "registrations": [{
            "id": "edgelint-files",
            "method": "workspace/didChangeWatchedFiles",
            "registerOptions": { "watchers": watchers },
        }]});
        self.request_client("client/registerCapability", p);
    }

    pub fn notify_client(&mut self, method: &str, params: Value) {
        self.out
            .push(Notification::new(method.to_string(), params).into());
    }

    fn request_client(&mut self, method: &str, params: Value) {
        self.next_id += 1;
        let id = RequestId::from(format!("edgelint-{}", self.next_id));
        self.out
            .push(Request::new(id, method.to_string(), params).into());
    }

    /// `window/logMessage` (1 error, 3 info): the editor's log, never standard output.
    pub fn log(&mut self, kind: u8, message: &str) {
        let p = json!({ "type": kind, "message": message });
        self.notify_client("window/logMessage", p);
    }
}

/// A request's parameters, or InvalidParams.
pub fn params<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Failure> {
    serde_json::from_value(v.clone()).map_err(|e| {
        (
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}

fn text_document_path(p: &Value) -> Option<PathBuf> {
    uri::to_path(p.get("textDocument")?.get("uri")?.as_str()?)
}
