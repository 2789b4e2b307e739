// edgelint for VS Code: starts `edgelint server` (the language server built into the edgelint
// binary) for YAML files; everything else (findings, hover, quick fixes, completion) comes
// from the server. The binary is `edgelint.path` (default: `edgelint` on PATH).
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const config = vscode.workspace.getConfiguration("edgelint");
  const server = {
    command: config.get("path") || "edgelint",
    args: ["server", ...config.get("serverArgs", [])],
  };
  client = new LanguageClient("edgelint", "edgelint", server, {
    documentSelector: [{ scheme: "file", language: "yaml" }],
  });
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
