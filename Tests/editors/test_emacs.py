"""The Emacs package (editors/emacs) in a real Emacs against the real daemon.

Each run is `emacs --batch -Q -L editors/emacs` with some ERT tests of editors/emacs/test/rlm-test.el, in a
sandbox where the real rlmd answers from the scripted LM server. The ERT tests check what Emacs shows (the answer
buffer, its buttons, next-error, the mode line, the trajectory and doctor buffers, the errors); this driver checks
that each passed and what reached the model. Tests that can share a script share one Emacs and one daemon (a run
costs about a second of the time budget); each Python test below names the ERT tests it stands for. The package's
quality checks (byte-compile with warnings as errors, checkdoc, package-lint) run here too.
"""
import glob, os, re, shutil, subprocess, sys, unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import ANSWER, INSTANT, SLOW, reply  # noqa: E402

PACKAGE = os.path.join(harness.REPO, "editors", "emacs")
ERT = os.path.join(PACKAGE, "test", "rlm-test.el")
QUALITY = os.path.join(PACKAGE, "test", "rlm-quality.el")

# A root turn that calls the sub-model, then answers with what it said.
SUB_CALL = [
    reply("x = llm_query('Summarize retry')\nprint(x)"),
    {"model": "sub-model", "body": "openai:It retries three times."},
    reply("FINAL(x)"),
]
SUMMARY = [reply("FINAL('Goal: use Redis for the cache (#2).')")]
# Never answers: only a budget ends it.
LOOKING = [reply("print('still looking')")]

# The runs: a script (None: no provider configured) and the ERT tests that share it.
RUNS = {
    "answer": (ANSWER, ["rlm-test-ask"], {}),
    "instant": (INSTANT, ["rlm-test-ask-region", "rlm-test-follow-up", "rlm-test-follow-up-needs-an-answer",
                          "rlm-test-status-and-reindex", "rlm-test-doctor", "rlm-test-restart-after-exit"], {}),
    "slow": (SLOW, ["rlm-test-cancel"], {}),
    "sub-call": (SUB_CALL, ["rlm-test-trajectory"], {}),
    "looking": (LOOKING, ["rlm-test-partial-answer-with-budget"], {}),
    "summary": (SUMMARY, ["rlm-test-summarize-session", "rlm-test-summarize-session-file"], {"session": True}),
    "no-rlmd": (INSTANT, ["rlm-test-missing-rlmd"], {"rlmd_on_path": False}),
    "no-provider": (None, ["rlm-test-no-provider"], {}),
    # The answer buffer derives from gfm-view-mode when markdown-mode (optional) is installed.
    "markdown": (ANSWER, ["rlm-test-ask"], {"load_path": glob.glob("/usr/share/emacs/site-lisp/elpa/markdown-mode-[0-9]*")}),
}


def emacs(args, env, timeout=120):
    return subprocess.run(["emacs", "--batch", "-Q", "-L", PACKAGE, *args], env=env, cwd=harness.REPO,
                          capture_output=True, text=True, timeout=timeout)


def user_prompts(request):
    """The user-role texts of a chat request the scripted server saw, as one string."""
    return "\n".join(m["content"] for m in request["body"].get("messages", [])
                     if m.get("role") == "user" and isinstance(m.get("content"), str))


class Run:
    """One Emacs process running some ERT tests; what each test did and what the model was sent."""

    def __init__(self, name):
        script, tests, options = RUNS[name]
        box = harness.Sandbox()
        lm = harness.ScriptedLM(script) if script is not None else None
        try:
            extra = {"RLM_TEST_WORKSPACE": box.workspace}
            if options.get("session"):
                extra["RLM_TEST_SESSION"] = box.claude_session("s1", harness.session_records())
            selector = "(member " + " ".join(tests) + ")"
            load_path = [arg for folder in options.get("load_path", []) for arg in ("-L", folder)]
            result = emacs([*load_path, "-l", ERT, "--eval", f"(ert-run-tests-batch-and-exit '{selector})"],
                           box.environment(lm, extra, rlmd_on_path=options.get("rlmd_on_path", True)))
            self.output = result.stdout + result.stderr
            self.status = dict((test, state) for state, test in
                               re.findall(r"^\s+(passed|FAILED|SKIPPED)\s+\d+/\d+\s+(\S+)", self.output, re.M))
            self.requests = lm.requests() if lm else []
        finally:
            if lm:
                lm.close()
                lm.process.stdout.close()  # ScriptedLM.close leaves the pipe of the port line open
            box.close()

    def root_requests(self):
        return [r for r in self.requests if r["body"].get("model") == "root-model"]

    def prompt_with(self, text):
        """The user prompt of the first root-model request that contains `text`."""
        return next((p for p in map(user_prompts, self.root_requests()) if text in p), None)


class EmacsTest(unittest.TestCase):
    runs = {}

    @classmethod
    def setUpClass(cls):
        harness.require("emacs", "the Emacs package test runs it in batch mode")
        if not os.path.exists(os.path.join(harness.BIN, "rlmd")):
            raise unittest.SkipTest(f"no rlmd in {harness.BIN}: run `swift build` or set RLMD_BIN_DIR")

    def passed(self, run_name, *tests):
        """Runs (once) the Emacs of `run_name`; asserts that each of `tests` passed there; returns the run."""
        run = self.runs.get(run_name) or self.runs.setdefault(run_name, Run(run_name))
        for test in tests:
            self.assertEqual(run.status.get(test), "passed", f"{test}:\n{ert_report(run.output, test)}")
        return run

    def test_ask_shows_answer_buttons_and_next_error(self):
        run = self.passed("answer", "rlm-test-ask")
        self.assertEqual(len(run.root_requests()), 2)
        prompt = run.prompt_with("Where is retry defined?")
        self.assertIsNotNone(prompt)
        self.assertNotIn("The user has selected", prompt)

    def test_answer_buffer_in_gfm_view_mode_when_markdown_mode_is_installed(self):
        if not RUNS["markdown"][2]["load_path"]:
            raise unittest.SkipTest("markdown-mode is not installed (Debian: elpa-markdown-mode); it is optional")
        self.passed("markdown", "rlm-test-ask")

    def test_ask_with_region_sends_the_selection(self):
        run = self.passed("instant", "rlm-test-ask-region")
        prompt = run.prompt_with("What does this do?")
        self.assertIn("The user has selected src/retry.py:1-2:", prompt)
        self.assertIn("def retry(call, attempts=3):\n    # back off exponentially\n", prompt)

    def test_follow_up_continues_the_conversation(self):
        run = self.passed("instant", "rlm-test-follow-up", "rlm-test-follow-up-needs-an-answer")
        follow_up = run.prompt_with("And where is it used?")
        self.assertIn("Where is retry defined?", follow_up, "the follow-up shows the model the earlier question")

    def test_status_reindex_and_doctor(self):
        self.passed("instant", "rlm-test-status-and-reindex", "rlm-test-doctor")

    def test_daemon_exit_is_reported_and_restarted(self):
        run = self.passed("instant", "rlm-test-restart-after-exit")
        self.assertIsNotNone(run.prompt_with("Where is retry defined, again?"), "the restarted daemon asked the model")

    def test_budgets_reach_the_daemon_and_partial_answers_say_why(self):
        run = self.passed("looking", "rlm-test-partial-answer-with-budget")
        self.assertEqual(len(run.root_requests()), 3, "rlm-budgets :maxIterations 2: two turns, then the call for an answer now")

    def test_cancel_names_the_partial_trajectory(self):
        self.passed("slow", "rlm-test-cancel")

    def test_summarize_session_picker_and_file(self):
        run = self.passed("summary", "rlm-test-summarize-session", "rlm-test-summarize-session-file")
        prompts = [user_prompts(r) for r in run.root_requests()]
        self.assertEqual(len(prompts), 2)
        for prompt in prompts:
            self.assertIn("an AI-coding session history at ", prompt)
            self.assertIn("/s1.jsonl: ", prompt, "the picked (newest) session, and the named file, were summarized")
            self.assertIn("Summarize this session", prompt)

    def test_trajectory_buffer(self):
        run = self.passed("sub-call", "rlm-test-trajectory")
        self.assertTrue(any(r["body"].get("model") == "sub-model" for r in run.requests))

    def test_missing_rlmd_says_how_to_install(self):
        self.passed("no-rlmd", "rlm-test-missing-rlmd")

    def test_no_provider_says_what_to_set(self):
        self.passed("no-provider", "rlm-test-no-provider")


def ert_report(output, test):
    """The part of ERT's batch output about `test` (its backtrace and condition), or the tail of the output."""
    start = output.find(f"Test {test} backtrace:")
    return output[start:start + 6000] if start >= 0 else output[-4000:]


class EmacsPackageQualityTest(unittest.TestCase):
    """What MELPA asks of a package: no byte-compiler warnings, checkdoc clean, package-lint clean (one Emacs)."""
    output = None

    @classmethod
    def setUpClass(cls):
        harness.require("emacs", "the Emacs package checks run it in batch mode")
        cls.lint_folders = package_lint_folders()
        checks = ["byte-compile", "checkdoc"] + (["package-lint"] if cls.lint_folders else [])
        args = [arg for folder in cls.lint_folders for arg in ("-L", folder)]
        quoted = " ".join(f'"{check}"' for check in checks)
        result = emacs([*args, "-l", QUALITY, "--eval", f"(rlm-quality-run {quoted})"], dict(os.environ))
        cls.output = result.stdout + result.stderr

    def check(self, name):
        problems = [line for line in self.output.splitlines() if line.startswith(f"{name}: ") and " problems in " not in line]
        self.assertEqual(problems, [], self.output[-4000:])
        self.assertIn(f"{name}: 0 problems in 8 files", self.output)

    def test_byte_compiles_without_warnings(self):
        self.check("byte-compile")

    def test_checkdoc_clean(self):
        self.check("checkdoc")

    def test_package_lint_clean(self):
        if not self.lint_folders:
            raise unittest.SkipTest("package-lint is not installed (Debian: elpa-package-lint; scripts/install-test-deps.sh installs it)")
        self.check("package-lint")


def package_lint_folders():
    """The load-path folders of Debian's package-lint and its let-alist (scripts/install-test-deps.sh installs it)."""
    lint = glob.glob("/usr/share/emacs/site-lisp/elpa/package-lint-[0-9]*")
    return lint + glob.glob("/usr/share/emacs/site-lisp/elpa/let-alist-[0-9]*") if lint else []


if __name__ == "__main__":
    unittest.main()
