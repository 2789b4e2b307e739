//! `edgelint server`: a language server (LSP 3.17 over standard input and output), so that
//! editors show edgelint's findings as you type, describe the certificate behind a path on
//! hover, offer suppressions, renames and the request of a fix as code actions, and complete
//! the values the format knows.
//!
//! Built on `lsp-server` (rust-analyzer's JSON-RPC scaffold: a reader and a writer thread,
//! no async runtime) and `gen-lsp-types` (the protocol's types generated from its official
//! metamodel), as ruff's server is. The findings are `check`'s, from its own pipeline
//! (`commands::check::analyze_in`) with the editor's unsaved buffers read instead of the
//! files on disk. Standard output carries the protocol and nothing else.

mod actions;
mod completion;
mod diagnostics;
mod hover;
mod position;
mod session;
mod uri;
mod workspace;

use std::path::PathBuf;
use std::time::Duration;

use serde_json::{json, Value};

pub use session::Server;
pub use workspace::Settings;

use crate::cli::ServerArgs;
use position::Encoding;

/// The pause after the last keystroke before the buffer is linted again.
pub const DEBOUNCE: Duration = Duration::from_millis(200);

/// Serve one client on standard input and output until `exit` (0 after `shutdown`, else 1)
/// or until the client closes standard input (1).
pub fn run(args: &ServerArgs) -> Result<u8, String> {
    let settings = Settings {
        now: args.now,
        config: args.config.clone(),
        isolated: args.isolated,
        no_cache: args.no_cache,
    };
    let (connection, io) = lsp_server::Connection::stdio();
    let mut server = Server::new(settings, DEBOUNCE);
    let code = serve(&connection, &mut server);
    drop(connection);
    io.join()
        .map_err(|e| format!("the connection to the editor failed: {e}"))?;
    Ok(code)
}

fn serve(connection: &lsp_server::Connection, server: &mut Server) -> u8 {
    loop {
        let message = match server.wait() {
            Some(timeout) => match connection.receiver.recv_timeout(timeout) {
                Ok(m) => Some(m),
                Err(e) if e.is_timeout() => None,
                Err(_) => return 1,
            },
            None => match connection.receiver.recv() {
                Ok(m) => Some(m),
                Err(_) => return 1,
            },
        };
        match message {
            Some(m) => server.handle(m),
            None => server.tick(),
        }
        for m in server.take_outgoing() {
            if connection.sender.send(m).is_err() {
                return 1;
            }
        }
        if let Some(code) = server.exit_code() {
            return code;
        }
    }
}

/// What the client said it can do, as far as the server cares.
#[derive(Debug, Clone, Default)]
pub struct Capabilities {
    pub position_encodings: Vec<String>,
    /// `textDocument/diagnostic`: the client pulls diagnostics of open documents.
    pub pull: bool,
    pub diagnostic_refresh: bool,
    /// Dynamic registration of `workspace/didChangeWatchedFiles`.
    pub watch_files: bool,
    /// Workspace edits may create files (the request of a fix as a document).
    pub create_files: bool,
    /// Hover and completion documentation in Markdown.
    pub markdown: bool,
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, k| v.get(k).unwrap_or(&Value::Null))
}

impl Capabilities {
    /// Read leniently: a missing or odd field is a capability the client lacks.
    pub fn read(init: &Value) -> Capabilities {
        let caps = at(init, &["capabilities"]);
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let yes = |path: &[&str]| at(caps, path).as_bool() == Some(true);
        let edit = &["workspace", "workspaceEdit"];
        Capabilities {
            position_encodings: strings(at(caps, &["general", "positionEncodings"])),
            pull: at(caps, &["textDocument", "diagnostic"]).is_object(),
            diagnostic_refresh: yes(&["workspace", "diagnostics", "refreshSupport"]),
            watch_files: yes(&["workspace", "didChangeWatchedFiles", "dynamicRegistration"]),
            create_files: at(caps, &[edit[0], edit[1], "documentChanges"]).as_bool() == Some(true)
                && strings(at(caps, &[edit[0], edit[1], "resourceOperations"]))
                    .iter()
                    .any(|o| o == "create"),
            markdown: strings(at(caps, &["textDocument", "hover", "contentFormat"]))
                .iter()
                .any(|f| f == "markdown"),
        }
    }
}

/// The workspace folders of `initialize` (`workspaceFolders`, else `rootUri`, else the
/// deprecated `rootPath`).
pub fn roots(init: &Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = at(init, &["workspaceFolders"])
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| uri::to_path(f.get("uri")?.as_str()?))
        .collect();
    if !folders.is_empty() {
        return folders;
    }
    if let Some(root) = at(init, &["rootUri"]).as_str().and_then(uri::to_path) {
        return vec![root];
    }
    at(init, &["rootPath"])
        .as_str()
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .map(|p| vec![crate::discover::normalize(&p)])
        .unwrap_or_default()
}

/// `workspace/didChangeWorkspaceFolders`.
pub fn change_folders(roots: &mut Vec<PathBuf>, p: &Value) {
    let list = |key: &str| -> Vec<PathBuf> {
        at(p, &["event", key])
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| uri::to_path(f.get("uri")?.as_str()?))
            .collect()
    };
    let removed = list("removed");
    roots.retain(|r| !removed.contains(r));
    for r in list("added") {
        if !roots.contains(&r) {
            roots.push(r);
        }
    }
}

/// The command a code action runs to show the request of a fix.
pub const REQUEST_COMMAND: &str = "edgelint.requestCommands";

pub fn initialize_result(encoding: Encoding, caps: &Capabilities) -> Value {
    let mut capabilities = json!({
        "positionEncoding": encoding.name(),
        "textDocumentSync": { "openClose": true, "change": 2, "save": { "includeText": false } },
        "hoverProvider": true,
        "codeActionProvider": { "codeActionKinds": ["quickfix"] },
        "completionProvider": { "triggerCharacters": ["/", "[", ",", " "] },
        "executeCommandProvider": { "commands": [REQUEST_COMMAND] },
        "workspace": { "workspaceFolders": { "supported": true, "changeNotifications": true } },
    });
    if caps.pull {
        capabilities["diagnosticProvider"] = json!({
            "identifier": "edgelint",
            "interFileDependencies": true,
            "workspaceDiagnostics": false,
        });
    }
    json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "edgelint", "version": env!("CARGO_PKG_VERSION") },
    })
}
