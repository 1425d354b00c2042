#!/usr/bin/env python3
"""Records protocol/examples/*.json from the real daemon: `rlmd serve --stdio` over pipes, answering from
the scripted LM server of the tests. Run after changing a method (the spec test checks every example
against the Swift types and protocol/schema/): `python3 protocol/record_examples.py` (needs a debug build).
"""
import json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
RLMD = os.path.join(REPO, ".build", "debug", "rlmd")
SERVER = os.path.join(REPO, "Tests", "TestSupport", "scripted_lm_server.py")
SCRIPT = [
    {"model": "root-model", "body": "openai:Looking.\n```repl\nhit = grep('def retry')[0]\nprint(hit)\n```"},
    {"model": "root-model", "body": "openai:```repl\nFINAL(f'retry() is defined at {hit[0]}:{hit[1]}.')\n```"},
    {"model": "root-model", "body": "openai:```repl\nFINAL('It takes attempts=3, see src/retry.py:1.')\n```"},
    {"model": "root-model", "body": "openai:```repl\nFINAL('Goal: use Redis for the cache (#1).')\n```"},
    {"model": "root-model", "body": "openai:```repl\nFINAL('retry() is at src/retry.py:1.')\n```"},
]


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    def __init__(self, env, cwd):
        self.env = env
        self.process = subprocess.Popen([RLMD, "serve", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, cwd=cwd)
        self.server_requests = []

    def read(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            header += self.process.stdout.read(1)
        length = int(header.split(b":")[1].split(b"\r\n")[0])
        return json.loads(self.process.stdout.read(length))

    def exchange(self, message):
        self.process.stdin.write(frame(message))
        self.process.stdin.flush()
        if "id" not in message:
            return None, []
        notifications = []
        while True:
            reply = self.read()
            if reply.get("id") == message["id"] and "method" not in reply:
                return reply, notifications
            if "id" in reply and "method" in reply:  # a request from the server: accept it
                result = {"success": True} if reply["method"] == "window/showDocument" else None
                answer = {"jsonrpc": "2.0", "id": reply["id"], "result": result}
                self.server_requests.append({"method": reply["method"], "message": reply, "reply": answer})
                self.process.stdin.write(frame(answer))
                self.process.stdin.flush()
                continue
            notifications.append(reply)


def main():
    if not os.path.exists(RLMD):
        sys.exit("build first: swift build")
    examples = {}
    with tempfile.TemporaryDirectory() as tmp:
        workspace = os.path.join(tmp, "workspace")
        os.makedirs(os.path.join(workspace, "src"))
        open(os.path.join(workspace, "src", "retry.py"), "w").write("def retry(call, attempts=3):\n    return call()\n")
        session_line = json.dumps({"type": "user", "sessionId": "s1", "timestamp": "2026-11-01T12:00:00Z",
                                   "message": {"role": "user", "content": "Let us use Redis for the cache."}}) + "\n"
        open(os.path.join(workspace, "session.jsonl"), "w").write(session_line)
        # The same session where Claude Code keeps the workspace's sessions, for rlm/sessions.
        projects = os.path.join(tmp, "claude", "projects", workspace.replace("/", "-"))
        os.makedirs(projects)
        open(os.path.join(projects, "s1.jsonl"), "w").write(session_line)
        script = os.path.join(tmp, "script.json")
        json.dump(SCRIPT, open(script, "w"))
        server = subprocess.Popen([sys.executable, SERVER, script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        port = int(server.stdout.readline())
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), XDG_STATE_HOME=os.path.join(tmp, "state"),
                   OPENAI_API_KEY="", ANTHROPIC_API_KEY="", RLMD_BASE_URL="", CLAUDE_CONFIG_DIR=os.path.join(tmp, "claude"))
        client = Client(env, workspace)
        def record(name, message, keep_notifications=False):
            reply, notes = client.exchange(message)
            entry = {"method": name, "message": message}
            if reply is not None:
                entry["reply"] = reply
            if keep_notifications and notes:
                entry["notifications"] = notes
            examples[name] = entry
            return reply
        record("initialize", {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": "file://" + workspace,
            "capabilities": {"window": {"workDoneProgress": True, "showDocument": {"support": True}}},
            "initializationOptions": {"baseUrl": f"http://127.0.0.1:{port}/v1", "model": "root-model", "subModel": "sub-model",
                                      "budgets": {"maxIterations": 10, "maxUsd": 0.5}}}})
        record("initialized", {"jsonrpc": "2.0", "method": "initialized", "params": {}})
        record("rlm/index", {"jsonrpc": "2.0", "id": 2, "method": "rlm/index"})
        answer = record("rlm/ask", {"jsonrpc": "2.0", "id": 3, "method": "rlm/ask", "params": {
            "question": "Where is retry defined?", "workDoneToken": "ask-3",
            "selection": {"path": "src/retry.py", "startLine": 1, "endLine": 2}}}, keep_notifications=True)
        examples["$/progress"] = {"method": "$/progress", "message": examples["rlm/ask"]["notifications"][0]}
        conversation = answer["result"]["conversation"]
        record("rlm/followUp", {"jsonrpc": "2.0", "id": 4, "method": "rlm/followUp", "params": {
            "conversation": conversation, "question": "How many attempts?"}})
        record("rlm/summarizeSession", {"jsonrpc": "2.0", "id": 5, "method": "rlm/summarizeSession", "params": {
            "file": os.path.join(workspace, "session.jsonl")}})
        record("rlm/status", {"jsonrpc": "2.0", "id": 6, "method": "rlm/status"})
        record("rlm/trajectory", {"jsonrpc": "2.0", "id": 7, "method": "rlm/trajectory", "params": {"id": answer["result"]["trajectory"]}})
        page_message = {"jsonrpc": "2.0", "id": 12, "method": "rlm/trajectory",
                        "params": {"id": answer["result"]["trajectory"], "format": "html"}}
        page_reply, _ = client.exchange(page_message)
        examples["rlm/trajectory"]["more"] = [{"message": page_message, "reply": page_reply}]
        record("rlm/sessions", {"jsonrpc": "2.0", "id": 8, "method": "rlm/sessions"})
        record("workspace/executeCommand", {"jsonrpc": "2.0", "id": 9, "method": "workspace/executeCommand",
                                            "params": {"command": "rlm.reindex", "arguments": []}})
        # Words as Helix sends them; the client declared showDocument, so the answer opens as a file.
        client.exchange({"jsonrpc": "2.0", "id": 11, "method": "workspace/executeCommand",
                         "params": {"command": "rlm.ask", "arguments": ["Where", "is", "retry?"]}})
        for request in client.server_requests:
            examples.setdefault(request["method"], request)
        record("$/cancelRequest", {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 42}})
        record("window/workDoneProgress/cancel", {"jsonrpc": "2.0", "method": "window/workDoneProgress/cancel", "params": {"token": "ask-3"}})
        record("workspace/didChangeWatchedFiles", {"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {
            "changes": [{"uri": "file://" + workspace + "/src/retry.py", "type": 2}]}})
        record("textDocument/didSave", {"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {
            "textDocument": {"uri": "file://" + workspace + "/src/retry.py"}}})
        record("shutdown", {"jsonrpc": "2.0", "id": 10, "method": "shutdown"})
        record("exit", {"jsonrpc": "2.0", "method": "exit"})
        client.process.wait(timeout=10)
        # A client that cannot show documents gets the answer's head as a message.
        plain = Client(env, workspace)
        plain.exchange({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": "file://" + workspace, "capabilities": {},
            "initializationOptions": {"baseUrl": f"http://127.0.0.1:{port}/v1", "model": "root-model"}}})
        _, notes = plain.exchange({"jsonrpc": "2.0", "id": 2, "method": "workspace/executeCommand",
                                   "params": {"command": "rlm.ask", "arguments": ["Where is retry?"]}})
        examples["window/showMessage"] = {"method": "window/showMessage",
                                          "message": next(n for n in notes if n.get("method") == "window/showMessage")}
        plain.exchange({"jsonrpc": "2.0", "method": "exit"})
        plain.process.wait(timeout=10)
        server.kill()
    # Temporary paths become stable placeholders.
    text = json.dumps(examples, indent=2).replace(tmp.replace("/", "-"), "-home-me").replace(tmp, "/home/me")
    for name, entry in json.loads(text).items():
        entry.pop("notifications", None) if name != "rlm/ask" else None
        with open(os.path.join(HERE, "examples", name.replace("/", "_").replace("$", "") + ".json"), "w") as f:
            json.dump(entry, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
