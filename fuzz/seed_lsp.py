"""Seeds for the `lsp` fuzz target: one editor session per topology file, one JSON-RPC
message per line (initialize with varying capabilities, open, hovers on the paths, uses and
suppressed codes, code actions, completions, an incremental change, a pull, a command, close,
shutdown, exit). Usage (from the repository root): python3 fuzz/seed_lsp.py OUT_DIR FILE.yaml..."""

import json
import pathlib
import re
import sys


def session(i, text, name):
    # The fuzz target reads `file:///edgelint-fuzz/` as the repository's root, so that the
    # files a fixture names are there to hover on.
    uri = f"file:///edgelint-fuzz/{name}"
    doc = {"uri": uri}
    encodings = [["utf-16"], ["utf-32", "utf-16"], ["utf-8"]][i % 3]
    caps = {
        "general": {"positionEncodings": encodings},
        "textDocument": {"hover": {"contentFormat": ["markdown"]}},
        "workspace": {
            "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create"]},
            "diagnostics": {"refreshSupport": True},
        },
    }
    if i % 2:
        caps["textDocument"]["diagnostic"] = {}
    msgs = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": caps}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}},
    ]
    n = 2
    lines = text.split("\n")
    for line_no, line in enumerate(lines):
        m = re.search(r"(file|key|request|uses|ignore\[|ca_bundle|public_roots)\W*", line)
        if not m:
            continue
        n += 1
        pos = {"line": line_no, "character": m.end() + 1}
        method = ["textDocument/hover", "textDocument/completion", "textDocument/codeAction"][n % 3]
        params = {"textDocument": doc, "position": pos}
        if method == "textDocument/codeAction":
            params = {"textDocument": doc, "range": {"start": pos, "end": pos},
                      "context": {"diagnostics": []}}
        msgs.append({"jsonrpc": "2.0", "id": n, "method": method, "params": params})
        if n > 14:
            break
    everything = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}
    msgs += [
        {"jsonrpc": "2.0", "id": 90, "method": "textDocument/codeAction", "params": {
            "textDocument": doc, "range": everything, "context": {"diagnostics": []}}},
        {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 1, "character": 0},
                                          "end": {"line": 2, "character": 0}}, "text": "# 😀\n"}]}},
        {"jsonrpc": "2.0", "id": 91, "method": "textDocument/diagnostic", "params": {"textDocument": doc}},
        {"jsonrpc": "2.0", "id": 92, "method": "workspace/executeCommand", "params": {
            "command": "edgelint.requestCommands",
            "arguments": [{"summary": "s", "commands": [{"kind": "openssl", "text": "t"}]}]}},
        {"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"textDocument": doc}},
        {"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": doc}},
        {"jsonrpc": "2.0", "id": 93, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    return "\n".join(json.dumps(m, ensure_ascii=False) for m in msgs) + "\n"


def main():
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(sys.argv[2:]):
        p = pathlib.Path(f)
        text = p.read_text(encoding="utf-8", errors="replace")
        seed = out / f"seed-{p.parent.name}-{p.name}.jsonl"
        seed.write_text(session(i, text, f), encoding="utf-8")


if __name__ == "__main__":
    main()
