"""Runs scripted_lm_server.py (beside this file) from Python: the editor tests' harness and the
benchmarks start it through this class; the Swift tests have their own launcher (ScriptedServer.swift).
"""
import json, os, shutil, subprocess, sys, tempfile, urllib.request

SERVER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripted_lm_server.py")


class ScriptedLM:
    """The scripted LM server (OpenAI and Anthropic wire formats) on 127.0.0.1, serving `steps`."""

    def __init__(self, steps):
        self.folder = tempfile.mkdtemp(prefix="rlmd-scripted-lm-")
        script = os.path.join(self.folder, "script.json")
        with open(script, "w") as f:
            json.dump(steps, f)
        self.process = subprocess.Popen([sys.executable, SERVER, script], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.port = int(self.process.stdout.readline())
        self.base_url = f"http://127.0.0.1:{self.port}/v1"

    def requests(self):
        """The requests the server saw, in order: [{"path", "headers", "body", "connection"}]."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_log") as response:
            return json.load(response)

    def reset(self):
        """Forgets the requests and starts the script over."""
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{self.port}/_reset", data=b"", method="POST")).read()

    def close(self):
        self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)
