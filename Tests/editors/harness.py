"""What the editor-plugin tests share: a throwaway workspace, the tests' scripted LM server, and the
environment in which the real daemon (the debug build of this checkout) answers from that server.

The tests drive real editors (Neovim headless, Emacs in batch mode, node running the VS Code extension
against a stand-in `vscode` module) against the real `rlmd serve --stdio`; nothing here fakes the daemon.
Run them all with `python3 -m unittest discover -s Tests/editors -v` (the README's `make test` does).
"""
import json, os, shutil, statistics, subprocess, sys, tempfile, time, unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The folder holding `rlmd` and `rlmd-lm` (and their resource bundles); the plugins find rlmd on PATH.
BIN = os.path.abspath(os.environ.get("RLMD_BIN_DIR") or os.path.join(REPO, ".build", "debug"))
sys.path.insert(0, os.path.join(REPO, "Tests", "TestSupport"))
sys.dont_write_bytecode = True  # no __pycache__ in a Swift target's folder (SwiftPM would warn of it)
from scripted_lm import ScriptedLM  # noqa: E402,F401  (the tests' scripted LM server, started from Python)

# The sample workspace: a file to cite and a README.
FILES = {
    "src/retry.py": "def retry(call, attempts=3):\n    # back off exponentially\n    return call()\n",
    "src/app.py": "from retry import retry\n\n\ndef main():\n    return retry(lambda: 42)\n",
    "README.md": "# Sample\nA sample project with retries.\n",
}


def reply(code, prose=""):
    """A scripted root-model reply that runs `code` in the REPL."""
    return {"model": "root-model", "body": "openai:" + prose + "```repl\n" + code + "\n```"}


# Two turns: look, then answer with two citations (one resolved, one not).
ANSWER = [
    reply("hit = grep('def retry')[0]\nprint(hit)", "Looking for it.\n"),
    reply("FINAL(f'retry() is defined at {hit[0]}:{hit[1]} and used by src/app.py:5; see also src/gone.py:3.')"),
]
# A question whose cell sleeps: long enough to cancel it.
SLOW = [reply("import time\ntime.sleep(60)")]
# Answers at once: what is left of the ask's time is plugin and daemon overhead.
INSTANT = [reply("FINAL('retry() is defined at src/retry.py:1.')")]


def require(executable, why):
    """Skips the calling test, saying why, when `executable` is not on PATH."""
    if shutil.which(executable) is None:
        raise unittest.SkipTest(f"{executable} is not installed ({why}); `make test` installs it with apt-get when it can")


class Sandbox:
    """A temporary root holding a git workspace and every folder rlmd and the editors write to."""

    def __init__(self, files=FILES):
        self.root = tempfile.mkdtemp(prefix="rlmd-editor-")
        self.workspace = os.path.join(self.root, "workspace")
        for path, text in files.items():
            full = os.path.join(self.workspace, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w") as f:
                f.write(text)
        subprocess.run(["git", "init", "-q", self.workspace], check=True)
        self.home = os.path.join(self.root, "home")
        os.makedirs(self.home)

    def environment(self, lm=None, extra=None, rlmd_on_path=True):
        """The environment for an editor process: rlmd from this checkout on PATH (unless asked not to),
        every XDG folder inside the sandbox, no keys, no config file, no offline model, and the scripted
        server as the provider (root model `root-model`, sub-model `sub-model`)."""
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("RLMD_", "XDG_")) and key not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
        path = env.get("PATH", "/usr/bin:/bin")
        env["PATH"] = (BIN + os.pathsep + path) if rlmd_on_path else path
        env.update(HOME=self.home, XDG_CACHE_HOME=os.path.join(self.root, "cache"), XDG_STATE_HOME=os.path.join(self.root, "state"),
                   XDG_CONFIG_HOME=os.path.join(self.root, "config"), XDG_DATA_HOME=os.path.join(self.root, "data"),
                   CLAUDE_CONFIG_DIR=os.path.join(self.root, "claude"), CODEX_HOME=os.path.join(self.root, "codex"))
        if lm is not None:
            env.update(RLMD_BASE_URL=lm.base_url, RLMD_MODEL="root-model", RLMD_SUB_MODEL="sub-model")
        env.update(extra or {})
        return env

    def claude_session(self, session_id, records):
        """Writes a Claude Code session of this workspace (where rlm/sessions finds it); returns its path."""
        folder = os.path.join(self.root, "claude", "projects", self.workspace.replace("/", "-"))
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, session_id + ".jsonl")
        with open(path, "w") as f:
            for record in records:
                f.write(json.dumps(record) + "\n")
        return path

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


class EditorTestCase(unittest.TestCase):
    """A test in a fresh Sandbox (`self.sandbox`); the scripted LM servers it starts stop when it ends."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.close)

    def scripted(self, steps):
        lm = ScriptedLM(steps)
        self.addCleanup(lm.close)
        return lm


def session_records(session_id="s1"):
    """A short Claude Code session: a goal, a decision, a tool call."""
    return [
        {"type": "summary", "summary": "Cache design"},
        {"type": "user", "sessionId": session_id, "uuid": "u1", "timestamp": "2026-11-01T12:00:00Z",
         "message": {"role": "user", "content": "Let us use Redis for the cache, with a 5 minute TTL."}},
        {"type": "assistant", "sessionId": session_id, "uuid": "a1", "parentUuid": "u1", "timestamp": "2026-11-01T12:00:05Z",
         "message": {"role": "assistant", "content": [{"type": "text", "text": "Agreed: Redis, TTL 300 s."}]}},
    ]


def median_ms(samples):
    return statistics.median(samples) * 1000 if samples else float("nan")


def wait_for(predicate, timeout=30.0, interval=0.02):
    """Polls `predicate` until it returns a true value (returned) or `timeout` seconds pass (None)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return None
