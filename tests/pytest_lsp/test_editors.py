"""`edgelint server` driven by pytest-lsp's client (pygls) with the capabilities captured
from real editors: each profile must get the findings `edgelint check` prints, by push or
by pull as its capabilities say, the negotiated position encoding, hover, code actions, an
unsaved edit, and completions its capabilities allow (pytest-lsp's checks are errors here).
"""

import asyncio
import json
import os
import pathlib
import subprocess

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "contoso"
TOPOLOGY = EXAMPLE / "topology.yaml"
URI = TOPOLOGY.as_uri()
EDGELINT = os.environ["EDGELINT"]
NOW = "2026-11-26T12:00:00Z"
ENV = {**os.environ, "EDGE_PFX_PASSWORD": "Secret123"}
ENV.pop("EDGELINT_PFX_PASSWORD", None)

PROFILES = [
    "neovim@v0.6.1",
    "neovim@v0.7.0",
    "neovim@v0.8.0",
    "neovim@v0.9.1",
    "neovim@v0.10.0",
    "neovim@v0.11.0",
    "visual-studio-code@v1.65.2",
    "emacs@v29.1",
]


def check_findings():
    """(code, line, column) of what `edgelint check` prints for the example."""
    out = subprocess.run(
        [EDGELINT, "check", "--format", "json", "--now", NOW, str(EXAMPLE)],
        env=ENV,
        capture_output=True,
        check=False,
    )
    doc = json.loads(out.stdout)
    return sorted((d["code"], d["line"], d["column"]) for d in doc["diagnostics"])


def places(diagnostics):
    return sorted(
        (d.code, d.range.start.line + 1, d.range.start.character + 1)
        for d in diagnostics
    )


@pytest_lsp.fixture(
    config=ClientServerConfig(
        server_command=[EDGELINT, "server", "--now", NOW], server_env=ENV
    ),
    params=PROFILES,
)
async def client(request, lsp_client: LanguageClient):
    capabilities = client_capabilities(request.param)
    lsp_client.registrations = []

    # pytest-lsp's client does not answer registrations itself (the editors these
    # capabilities come from do): the file watchers edgelint asks for are kept here.
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        lsp_client.registrations.extend(params.registrations)

    folder = types.WorkspaceFolder(uri=EXAMPLE.as_uri(), name="contoso")
    result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities,
            root_uri=EXAMPLE.as_uri(),
            workspace_folders=[folder],
        )
    )
    lsp_client.edgelint = result
    lsp_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=URI, language_id="yaml", version=1, text=TOPOLOGY.read_text()
            )
        )
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics(client: LanguageClient, want=None):
    """The open document's diagnostics, pulled when the server offered pull (then the push
    must stay empty), else the pushed ones (waiting until `want` says they are current)."""
    if client.edgelint.capabilities.diagnostic_provider is not None:
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=URI)
            )
        )
        assert not client.diagnostics.get(URI), "pushed and pulled: shown twice"
        return report.items
    for _ in range(200):
        found = client.diagnostics.get(URI)
        if found is not None and (want is None or want(found)):
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics for {URI}: {client.diagnostics}")


def find(needle):
    text = TOPOLOGY.read_text()
    at = text.index(needle)
    line = text[:at].count("\n")
    return line, at - (text.rfind("\n", 0, at) + 1)


async def test_the_findings_are_those_of_check(client: LanguageClient):
    found = await diagnostics(client)
    assert places(found) == check_findings()
    n002 = next(d for d in found if d.code == "N002")
    assert n002.source == "edgelint"
    assert n002.code_description.href.endswith("/rules/docs/N002.md")
    assert n002.related_information[0].message == "Web Conferencing Edge FQDN defined here"


async def test_the_position_encoding_is_negotiated(client: LanguageClient):
    offered = client.capabilities.general and client.capabilities.general.position_encodings
    expected = "utf-32" if offered and "utf-32" in offered else "utf-16"
    assert client.edgelint.capabilities.position_encoding == expected


async def test_file_watchers_are_registered_where_the_client_allows(client: LanguageClient):
    await diagnostics(client)
    watch = client.capabilities.workspace and client.capabilities.workspace.did_change_watched_files
    methods = [r.method for r in client.registrations]
    if watch and watch.dynamic_registration:
        assert methods == ["workspace/didChangeWatchedFiles"]
    else:
        assert methods == []


async def test_hover_on_a_certificate(client: LanguageClient):
    line, col = find("certs/edge02-external.pfx")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=line, character=col + 2),
        )
    )
    assert "CN=sip.contoso.com" in hover.contents.value
    assert "expires in" in hover.contents.value


async def test_a_suppression_is_offered(client: LanguageClient):
    await diagnostics(client)
    line, col = find("certs/edge02-external.pfx")
    at = types.Position(line=line, character=col)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(start=at, end=at),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    assert "Suppress N002 on this line" in titles
    assert "Show the commands that request this certificate" in titles


async def test_an_unsaved_edit_removes_its_finding(client: LanguageClient):
    before = await diagnostics(client)
    assert "W001" in [d.code for d in before]
    line, _ = find("  office_web_apps:")
    start, end = types.Position(line=line, character=0), types.Position(line=line + 1, character=0)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=start, end=end), text=""
                )
            ],
        )
    )
    after = await diagnostics(client, want=lambda d: "W001" not in [x.code for x in d])
    assert "W001" not in [d.code for d in after]
    assert len(after) == len(before) - 1


async def test_completion_of_uses(client: LanguageClient):
    await diagnostics(client)
    line, col = find("AudioVideoAuthentication]")
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=line, character=col + 5),
        )
    )
    labels = [i.label for i in result.items]
    assert "AudioVideoAuthentication" in labels
