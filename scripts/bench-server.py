#!/usr/bin/env python3
"""Latency of `edgelint server` on the example, as an editor sees it (round trips over the
pipes included): hover on the first `file:` value, and an edit until its diagnostics arrive
(the 200 ms debounce included, and reported apart).

usage: scripts/bench-server.py [EDGELINT] [N]   (default: target/debug/edgelint, 200)
"""
import json
import os
import pathlib
import select
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "contoso"
binary = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target" / "debug" / "edgelint")
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
env = {**os.environ, "EDGE_PFX_PASSWORD": "Secret123"}
p = subprocess.Popen([binary, "server", "--now", "2026-11-26T12:00:00Z"], env=env,
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def send(m):
    body = json.dumps(m).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    p.stdin.flush()


def recv():
    if not select.select([p.stdout], [], [], 30)[0]:
        raise SystemExit("no answer within 30 s")
    headers = b""
    while not headers.endswith(b"\r\n\r\n"):
        headers += p.stdout.read(1)
    length = int(headers.split(b"Content-Length:")[1].split(b"\r\n")[0])
    return json.loads(p.stdout.read(length))


def until(pred):
    while True:
        m = recv()
        if pred(m):
            return m


uri = (EXAMPLE / "topology.yaml").as_uri()
text = (EXAMPLE / "topology.yaml").read_text()
send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
      "params": {"rootUri": EXAMPLE.as_uri(), "capabilities": {}}})
until(lambda m: m.get("id") == 0)
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "yaml", "version": 1, "text": text}}})
until(lambda m: m.get("method") == "textDocument/publishDiagnostics")
line = text[:text.index("certs/edge02-external.pfx")].count("\n")
hover = []
for i in range(1, n + 1):
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "id": i, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": 22}}})
    answer = until(lambda m: m.get("id") == i)
    hover.append((time.perf_counter() - t) * 1000)
    assert "CN=sip.contoso.com" in answer["result"]["contents"]["value"]
edits = []
lines = text.split("\n")
rp = next(i for i, l in enumerate(lines) if l.startswith("  office_web_apps:"))
for v in range(2, 2 + min(n, 20)):
    new = text if v % 2 else "\n".join(lines[:rp] + lines[rp + 1:])
    t = time.perf_counter()
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": uri, "version": v}, "contentChanges": [{"text": new}]}})
    until(lambda m: m.get("method") == "textDocument/publishDiagnostics"
          and m["params"].get("version") == v)
    edits.append((time.perf_counter() - t) * 1000)
send({"jsonrpc": "2.0", "id": 10**6, "method": "shutdown"})
until(lambda m: m.get("id") == 10**6)
send({"jsonrpc": "2.0", "method": "exit"})
status = p.wait(10)


def q(xs, f):
    return sorted(xs)[min(len(xs) - 1, int(len(xs) * f))]


print(f"hover ({n}): median {statistics.median(hover):.2f} ms, p95 {q(hover, .95):.2f} ms, "
      f"max {max(hover):.2f} ms")
print(f"edit to diagnostics ({len(edits)}): median {statistics.median(edits):.1f} ms "
      f"(of which 200 ms debounce), max {max(edits):.1f} ms")
print(f"exit status {status}")
