"""The real `rlmd serve --stdio`, driven by pytest-lsp (a third-party LSP client) over pipes.

Run by `make test` (`python3 -m pytest Tests/e2e`); skipped when pytest-lsp is missing.
"""
import atexit, json, os, shutil, subprocess, sys, tempfile

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp")
from lsprotocol.types import (ClientCapabilities, DidSaveTextDocumentParams, ExecuteCommandParams, InitializeParams,  # noqa: E402
                              TextDocumentIdentifier, WorkspaceFolder)
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RLMD = os.environ.get("RLMD_BIN") or os.path.join(REPO, ".build", "debug", "rlmd")
TMP = tempfile.mkdtemp(prefix="rlmd-e2e-")
WORKSPACE = os.path.join(TMP, "workspace")
os.makedirs(os.path.join(WORKSPACE, "src"))
with open(os.path.join(WORKSPACE, "src", "retry.py"), "w") as f:
    f.write("def retry(call, attempts=3):\n    return call()\n")

SCRIPT = os.path.join(TMP, "script.json")
with open(SCRIPT, "w") as f:
    json.dump([{"model": "root-model", "body": "openai:```repl\nprint('the context is', len(context), 'chars')\n```"},
               {"model": "root-model", "body": "openai:```repl\nFINAL('retry is at src/retry.py:1')\n```"}], f)
LM = subprocess.Popen([sys.executable, os.path.join(REPO, "Tests", "TestSupport", "scripted_lm_server.py"), SCRIPT],
                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
PORT = int(LM.stdout.readline())
atexit.register(LM.kill)
atexit.register(shutil.rmtree, TMP, True)
ENV = dict(os.environ, XDG_CACHE_HOME=os.path.join(TMP, "cache"), XDG_STATE_HOME=os.path.join(TMP, "state"),
           RLMD_BASE_URL=f"http://127.0.0.1:{PORT}/v1", RLMD_MODEL="root-model", RLMD_SUB_MODEL="sub-model",
           OPENAI_API_KEY="", ANTHROPIC_API_KEY="")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[RLMD, "serve", "--stdio"], server_env=ENV))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(InitializeParams(
        capabilities=ClientCapabilities(),
        workspace_folders=[WorkspaceFolder(uri="file://" + WORKSPACE, name="workspace")]))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_status_ask_command_and_save(client: LanguageClient):
    status = await client.protocol.send_request_async("rlm/status", None)
    assert status.root == WORKSPACE
    assert status.sandbox in ("bubblewrap", "unshare", "none")

    answer = await client.protocol.send_request_async("rlm/ask", {"question": "Where is retry?", "workDoneToken": "e2e"})
    assert answer.answer == "retry is at src/retry.py:1"
    assert answer.partial is False
    assert answer.citations[0].path == "src/retry.py" and answer.citations[0].resolved is True
    assert answer.usage.calls == 2

    indexed = await client.workspace_execute_command_async(ExecuteCommandParams(command="rlm.reindex", arguments=[]))
    assert indexed["files"] == 1

    with open(os.path.join(WORKSPACE, "src", "new.py"), "w") as f:
        f.write("x = 1\n")
    client.text_document_did_save(DidSaveTextDocumentParams(text_document=TextDocumentIdentifier(uri="file://" + WORKSPACE + "/src/new.py")))
    indexed = await client.protocol.send_request_async("rlm/index", None)
    assert indexed.files == 2


@pytest.mark.asyncio
async def test_unknown_methods_are_errors_and_the_server_goes_on(client: LanguageClient):
    with pytest.raises(Exception) as raised:
        await client.protocol.send_request_async("rlm/nope", None)
    assert "-32601" in str(raised.value) or "unknown method" in str(raised.value)
    status = await client.protocol.send_request_async("rlm/status", None)
    assert status.index in ("building", "ready")
