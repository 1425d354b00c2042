"""The VS Code extension (editors/vscode) in node, against the real daemon and the scripted LM server.

VS Code itself cannot be installed here, so node plays its extension host: editors/vscode/test/host.js
puts a stand-in `vscode` module (test/vscodeStub.js) where `require('vscode')` finds it, activates
extension.js, and each scenario of test/scenarios.js drives it like a user — commands, buttons, picks,
clicks in the answer page — while the real `rlmd serve --stdio` answers. The scenarios assert on what
VS Code would show; these tests add what reached the model (the scripted server's request log).
"""
import json, os, re, shutil, subprocess, sys, tempfile, time, unittest, zipfile
import xml.etree.ElementTree as ElementTree

from harness import BIN, REPO, SLOW, INSTANT, EditorTestCase, reply, require, session_records

EXTENSION = os.path.join(REPO, "editors", "vscode")
SCENARIOS = os.path.join(EXTENSION, "test", "scenarios.js")
CITED = "retry() is defined at src/retry.py:1 and used by src/app.py:5; see also src/gone.py:3."
# Two turns (look, then answer); the answer step repeats, so later questions answer in one turn.
TWO_TURNS = [reply("hit = grep('def retry')[0]\nprint(hit)", "Looking for it.\n"), reply(f"FINAL({CITED!r})")]
# A sub-call to the sub-model, then the answer.
WITH_SUB_CALL = [
    reply("note = llm_query('Summarize: retry backs off')\nprint(note)"),
    {"model": "sub-model", "body": "openai:It backs off exponentially."},
    reply("FINAL('It backs off; see src/retry.py:2.')"),
]
MARKUP = ("<img src=x onerror=alert(1)> <script>alert(2)</script> See src/retry.py:1, **bold** and `code`.\n\n"
          "```python\nx = 1 < 2\n```")


def setUpModule():
    require("node", "it runs the extension against a stand-in vscode module")
    if not os.path.exists(os.path.join(BIN, "rlmd")):
        raise unittest.SkipTest(f"no rlmd in {BIN}: build it (swift build) or set RLMD_BIN_DIR")


def user_texts(request):
    """The text of every message of one chat-completions request."""
    return "\n".join(m["content"] if isinstance(m["content"], str) else json.dumps(m["content"]) for m in request["body"]["messages"])


def root_requests(lm):
    return [r for r in lm.requests() if r["body"].get("model") == "root-model"]


class VSCodeExtension(EditorTestCase):
    def scenario(self, name, env, **config):
        """Runs one scenario in node; returns the facts it printed (fails with its stderr if it failed)."""
        config.setdefault("workspace", self.sandbox.workspace)
        done = subprocess.run(["node", SCENARIOS, name, json.dumps(config)], env=env, cwd=self.sandbox.workspace,
                              capture_output=True, text=True, timeout=90)
        results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode != 0 or not results:
            self.fail(f"scenario {name} failed (exit {done.returncode}):\n{done.stderr}\n{done.stdout[-3000:]}")
        return json.loads(results[-1][len("RESULT "):])

    def test_commands_and_settings_match_the_manifest_with_and_without_the_chat_api(self):
        lm = self.scripted(TWO_TURNS)
        env = self.sandbox.environment(lm)
        with_chat = self.scenario("manifest", env, chat=True)
        # With no selection, the question alone reaches the model.
        text = user_texts(root_requests(lm)[0])
        self.assertIn("Where is retry defined?", text)
        self.assertNotIn("The user has selected", text)
        lm.reset()
        without_chat = self.scenario("manifest", env, chat=False)
        self.assertEqual(with_chat["participants"], ["rlmd.chat"])
        self.assertEqual(without_chat["participants"], [])
        self.assertEqual(with_chat["registered"], without_chat["registered"])
        self.assertIn("rlmd.budgets.maxIterations", with_chat["reads"])

    def test_ask_from_the_input_box_and_about_a_selection(self):
        lm = self.scripted(TWO_TURNS)
        facts = self.scenario("ask", self.sandbox.environment(lm), lm=lm.base_url)
        self.assertIn("turn 2 · 0 sub-calls · 34 tokens · $0.0000", facts["reports"])
        # The scenario reset the server before the second question, so the log holds that question only.
        asked = root_requests(lm)[0]
        text = user_texts(asked)
        self.assertIn("What does main return?", text)
        self.assertIn("The user has selected src/app.py:4-5:\n```\ndef main():\n    return retry(lambda: 42)\n```", text)

    def test_follow_up_continues_the_conversation(self):
        lm = self.scripted(TWO_TURNS)
        self.scenario("followUp", self.sandbox.environment(lm))
        requests = root_requests(lm)
        self.assertEqual(len(requests), 3)  # two turns, then one for the follow-up
        follow_up = user_texts(requests[2])
        self.assertIn("How many attempts?", follow_up)
        self.assertIn("Where is retry defined?", follow_up, "the model sees the earlier question")
        self.assertIn(CITED, follow_up, "and the earlier answer")

    def test_cancel_sends_cancel_request_and_shows_the_partial_trajectory(self):
        lm = self.scripted(SLOW)
        started = time.monotonic()
        facts = self.scenario("cancel", self.sandbox.environment(lm), lm=lm.base_url)
        self.assertLess(time.monotonic() - started, 50, "cancelled long before the 60 s cells ended")
        self.assertRegex(facts["trajectory"], r"^[0-9a-f]+$")

    def test_summarize_picks_from_the_sessions_newest_first(self):
        sandbox = self.sandbox
        old = sandbox.claude_session("old", session_records("old"))
        new = sandbox.claude_session("new", [
            {"type": "user", "sessionId": "new", "uuid": "n1", "timestamp": "2026-11-02T09:00:00Z",
             "message": {"role": "user", "content": "Move the cache to Postgres."}},
            {"type": "assistant", "sessionId": "new", "uuid": "n2", "parentUuid": "n1", "timestamp": "2026-11-02T09:00:05Z",
             "message": {"role": "assistant", "content": [{"type": "text", "text": "Moved: Postgres, unlogged table."}]}},
        ])
        os.utime(old, (time.time() - 3600, time.time() - 3600))
        lm = self.scripted([reply("FINAL('Goal: Redis for the cache with a 5 minute TTL (#1).')")])
        self.scenario("summarize", sandbox.environment(lm))
        text = user_texts(root_requests(lm)[0])
        self.assertIn(old, text, "the session picked (the older one) is the one summarized")
        self.assertNotIn(new, text)

    def test_trajectory_view_shows_turns_code_outputs_and_sub_calls(self):
        lm = self.scripted(WITH_SUB_CALL)
        facts = self.scenario("trajectory", self.sandbox.environment(lm))
        self.assertIn("Summarize: retry backs off", facts["text"])
        self.assertRegex(facts["unknown"], r"ffffffffffff")

    def test_doctor_shows_sandbox_provider_and_index(self):
        lm = self.scripted(INSTANT)
        self.scenario("doctor", self.sandbox.environment(lm), lm=lm.base_url)

    def test_missing_rlmd_says_how_to_install_it(self):
        lm = self.scripted(INSTANT)
        self.scenario("missing", self.sandbox.environment(lm, rlmd_on_path=False), rlmd=os.path.join(BIN, "rlmd"))

    def test_daemon_exit_shows_stderr_and_the_next_command_restarts_it(self):
        lm = self.scripted(INSTANT)
        self.scenario("exits", self.sandbox.environment(lm), lm=lm.base_url)

    def test_settings_reach_the_daemon_and_a_partial_answer_names_its_budget(self):
        lm = self.scripted(TWO_TURNS)
        settings = {"rlmd.baseUrl": lm.base_url, "rlmd.model": "root-model", "rlmd.subModel": "sub-model",
                    "rlmd.budgets.maxIterations": 1}
        # No provider in the environment: only the settings (initializationOptions) point at the server.
        self.scenario("partial", self.sandbox.environment(None), settings=settings)
        self.assertTrue(root_requests(lm), "the question reached the server named by rlmd.baseUrl")

    def test_no_provider_says_what_to_set(self):
        self.scenario("noProvider", self.sandbox.environment(None))

    def test_chat_participant_answers_with_anchors_and_follows_up(self):
        lm = self.scripted(TWO_TURNS)
        self.scenario("chat", self.sandbox.environment(lm))
        requests = root_requests(lm)
        self.assertEqual(len(requests), 4)  # two turns, the follow-up, the /new question
        follow_up, fresh = user_texts(requests[2]), user_texts(requests[3])
        self.assertIn("Where is retry defined?", follow_up)
        self.assertIn("How many attempts?", follow_up)
        self.assertIn("The user has selected src/app.py:4-5:\n```\ndef main():\n    return retry(lambda: 42)\n```", fresh)
        self.assertNotIn("How many attempts?", fresh, "/new starts afresh")

    def test_chat_cancellation_sends_cancel_request(self):
        lm = self.scripted(SLOW)
        self.scenario("chatCancel", self.sandbox.environment(lm))

    def test_model_text_is_escaped_and_forged_page_messages_are_ignored(self):
        lm = self.scripted([reply(f"FINAL({MARKUP!r})")])
        self.scenario("webview", self.sandbox.environment(lm))


class NodeUnitTests(unittest.TestCase):
    def test_rpc_framing_and_the_pure_modules(self):
        """rpc.js framing (split at every byte, multibyte bodies, several messages per chunk, bad headers) and
        the connection; the page's Markdown, the trajectory view's answers with and without the HTML viewer."""
        tests = [os.path.join(EXTENSION, "test", name) for name in ("rpc.test.js", "units.test.js")]
        done = subprocess.run(["node", "--test", *tests], capture_output=True, text=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stdout[-4000:] + done.stderr[-2000:])
        self.assertGreaterEqual(int(re.search(r"# pass (\d+)", done.stdout).group(1)), 17, "every test file ran")
        self.assertRegex(done.stdout, r"# fail 0\n")


class VSIX(unittest.TestCase):
    def test_the_vsix_holds_the_extension_and_its_manifest(self):
        folder = tempfile.mkdtemp(prefix="rlmd-vsix-")
        self.addCleanup(shutil.rmtree, folder, True)
        target = os.path.join(folder, "rlmd.vsix")
        subprocess.run([sys.executable, os.path.join(EXTENSION, "build-vsix.py"), "--output", target], check=True, capture_output=True)
        with open(os.path.join(EXTENSION, "package.json")) as f:
            package = json.load(f)
        with zipfile.ZipFile(target) as vsix:
            self.assertIsNone(vsix.testzip())
            names = vsix.namelist()
            self.assertEqual(names[0], "extension.vsixmanifest")
            self.assertIn("[Content_Types].xml", names)
            shipped = sorted(n[len("extension/"):] for n in names if n.startswith("extension/"))
            sources = sorted(n for n in os.listdir(EXTENSION) if n.endswith(".js") and n != "build-vsix.js")
            self.assertEqual(shipped, sorted(sources + ["package.json", "README.md"]))
            self.assertFalse([n for n in names if "/test/" in n or n.endswith(".py")], "no tests or build script shipped")
            self.assertEqual(json.loads(vsix.read("extension/package.json")), package)
            manifest = ElementTree.fromstring(vsix.read("extension.vsixmanifest"))
            types = ElementTree.fromstring(vsix.read("[Content_Types].xml"))
        ns = {"v": "http://schemas.microsoft.com/developer/vsx-schema/2011"}
        identity = manifest.find("v:Metadata/v:Identity", ns)
        self.assertEqual((identity.get("Id"), identity.get("Publisher"), identity.get("Version")),
                         (package["name"], package["publisher"], package["version"]))
        self.assertEqual(manifest.find("v:Metadata/v:DisplayName", ns).text, package["displayName"])
        engine = manifest.find("v:Metadata/v:Properties/v:Property[@Id='Microsoft.VisualStudio.Code.Engine']", ns)
        self.assertEqual(engine.get("Value"), package["engines"]["vscode"])
        self.assertEqual(manifest.find("v:Installation/v:InstallationTarget", ns).get("Id"), "Microsoft.VisualStudio.Code")
        assets = {a.get("Type"): a.get("Path") for a in manifest.findall("v:Assets/v:Asset", ns)}
        self.assertEqual(assets["Microsoft.VisualStudio.Code.Manifest"], "extension/package.json")
        self.assertEqual(assets["Microsoft.VisualStudio.Services.Content.Details"], "extension/README.md")
        extensions = {d.get("Extension") for d in types if d.tag.endswith("Default")}
        self.assertTrue({".json", ".js", ".md", ".vsixmanifest"} <= extensions, extensions)


if __name__ == "__main__":
    unittest.main()
