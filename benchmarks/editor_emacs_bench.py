#!/usr/bin/env python3
"""Emacs package benchmark (issue 14): from `rlm-ask` to the answer in `*rlm answer*`, in a real Emacs.

The scripted model answers at once (Tests/editors/harness.py INSTANT), so what is measured is the package and the
daemon: the request over jsonrpc.el, the index refresh every ask does first, the REPL turn, the answer's way back
and the rendering of the buffer. One Emacs (`emacs --batch -Q`) asks 1 + N questions in a row; the first includes
starting the daemon, building the index and starting the sandboxed REPL; the figure is the median of the other N.
Each question differs, so no response cache answers. For comparison, the same asks from a bare JSON-RPC client
over pipes (the daemon's share; what Emacs adds is the difference). Measured on two workspaces: the tests'
sample workspace (3 small files) and this repository's own tracked files (real Swift, Python, Markdown).

Usage: benchmarks/editor_emacs_bench.py [-n 10] [--workspace DIR ...]
The daemon is `$RLMD_BIN_DIR/rlmd` (default .build/debug of this checkout): say which build the figures are of.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import REPO, ScriptedLM, editor_harness, require_binary, tracked_files  # noqa: E402

harness = editor_harness()

DRIVER = r'''
(progn
  (require 'rlm)
  (let* ((count (string-to-number (getenv "BENCH_COUNT")))
         (shown nil) (first nil) (samples nil))
    (advice-add 'rlm--show-answer-buffer :after (lambda (&rest _) (setq shown (float-time))))
    (find-file (getenv "BENCH_FILE"))
    (dotimes (i (1+ count))
      (setq shown nil)
      (let ((start (float-time)))
        (rlm-ask (format "Where is retry defined? (question %d)" i))
        ;; A short wait: batch Emacs has no command loop, and a 50 ms poll added ~15 ms to every figure.
        (while (not shown) (accept-process-output nil 0.005))
        (unless (string-match-p "retry() is defined" (with-current-buffer rlm-answer-buffer-name (buffer-string)))
          (error "The answer buffer does not show the answer"))
        (if (= i 0) (setq first (- shown start)) (push (- shown start) samples))))
    (princ (format "BENCH %s\n" (json-encode (list :first first :samples (vconcat (nreverse samples))))))))
'''


def direct_asks(env, workspace, count):
    """The same asks from a bare JSON-RPC client over pipes (no editor): (first, samples) in seconds."""
    process = subprocess.Popen([os.path.join(harness.BIN, "rlmd"), "serve", "--stdio"], cwd=workspace, env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def send(message):
        body = json.dumps(message).encode()
        process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        process.stdin.flush()

    def answer(id):
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                header += process.stdout.read(1)
            message = json.loads(process.stdout.read(int(header.split(b":")[1])))
            if message.get("id") == id and "method" not in message:
                return message

    try:
        started = time.perf_counter()
        send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": "file://" + workspace}})
        answer(0)
        first, samples = None, []
        for i in range(count + 1):
            asked = time.perf_counter()
            send({"jsonrpc": "2.0", "id": i + 1, "method": "rlm/ask",
                  "params": {"question": f"Where is retry defined? (direct question {i})", "workDoneToken": f"t{i}"}})
            if "result" not in answer(i + 1):
                sys.exit("the direct client's ask failed")
            if i == 0:
                first = time.perf_counter() - started
            else:
                samples.append(time.perf_counter() - asked)
        return first, samples
    finally:
        process.stdin.close()
        process.wait(timeout=30)


def measure(workspace_files, label, count, workspace=None):
    box = harness.Sandbox(workspace_files)
    lm = ScriptedLM(harness.INSTANT)
    try:
        if workspace:
            shutil.rmtree(box.workspace)
            tracked_files(workspace, box.workspace)
        visited = next(os.path.join(box.workspace, f) for f in ("src/app.py", "README.md") if os.path.exists(os.path.join(box.workspace, f)))
        env = box.environment(lm, {"BENCH_COUNT": str(count), "BENCH_FILE": visited})
        started = time.perf_counter()
        result = subprocess.run(["emacs", "--batch", "-Q", "-L", os.path.join(REPO, "editors", "emacs"), "--eval", DRIVER],
                                env=env, capture_output=True, text=True, timeout=600)
        wall = time.perf_counter() - started
        line = next((l for l in result.stdout.splitlines() if l.startswith("BENCH ")), None)
        if result.returncode != 0 or line is None:
            sys.exit(f"{label}: Emacs failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        figures = json.loads(line[6:])
        samples = [s * 1000 for s in figures["samples"]]
        files = sum(len(names) for folder, _, names in os.walk(box.workspace) if ".git" not in folder.split(os.sep))
        print(f"{label} ({files} files):")
        print(f"  first ask, daemon start + index + REPL start included: {figures['first'] * 1000:7.1f} ms")
        print(f"  ask -> answer buffer, median of {count}:                {statistics.median(samples):7.1f} ms"
              f"  (min {min(samples):.1f}, max {max(samples):.1f})")
        print(f"  whole Emacs run: {wall:.2f} s")
        first, direct = direct_asks(env, box.workspace, count)
        direct = [d * 1000 for d in direct]
        print(f"  the same from a bare JSON-RPC client (no editor): first {first * 1000:.1f} ms, "
              f"median {statistics.median(direct):.1f} ms (min {min(direct):.1f}, max {max(direct):.1f})")
    finally:
        lm.close()
        box.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="timed questions after the first (default 10)")
    parser.add_argument("--workspace", action="append", help="also measure on a copy of this git repository's tracked files")
    args = parser.parse_args()
    if shutil.which("emacs") is None:
        sys.exit("emacs is not installed (Debian: apt-get install emacs-nox)")
    rlmd = require_binary(os.path.join(harness.BIN, "rlmd"), f"no rlmd in {harness.BIN}: build it or set RLMD_BIN_DIR")
    print(f"rlmd: {rlmd}; Emacs: {subprocess.run(['emacs', '--version'], capture_output=True, text=True).stdout.splitlines()[0]}")
    measure(harness.FILES, "sample workspace", args.n)
    for folder in args.workspace or [REPO]:
        measure(harness.FILES, f"tracked files of {folder}", args.n, workspace=folder)


if __name__ == "__main__":
    main()
