#!/usr/bin/env python3
"""VS Code extension benchmark (issue 14): the time from `rlmd.ask` to the answer in the answer panel.

node runs editors/vscode/extension.js against the tests' stand-in `vscode` module (VS Code itself cannot
be installed here; the stand-in does no rendering, so this is the extension's and the daemon's share of
the time), the real `rlmd serve --stdio` answers, and the scripted LM server answers at once (INSTANT):
what is measured is pure extension + daemon overhead — spawn, initialize, index, rlm/ask, a REPL cell,
progress notifications, the page rendered. Figures: activation; the first ask (daemon start and the
first index build included); then the median (and spread) of 10 asks on the warm daemon.

Two workspaces: the tests' sample (3 small files) and a copy of this repository's tracked files (real
content: Swift, Python, Markdown, with non-ASCII text), indexed from scratch on the first ask.
Usage: benchmarks/editor_vscode_bench.py [--count N]; RLMD_BIN_DIR picks the rlmd build (default
.build/debug; `make release` then RLMD_BIN_DIR=.build/release for release figures).
"""
import argparse, json, os, shutil, statistics, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import REPO, ScriptedLM, editor_harness, require_binary, tracked_files  # noqa: E402

harness = editor_harness()
BIN, INSTANT, Sandbox = harness.BIN, harness.INSTANT, harness.Sandbox
BENCH_JS = os.path.join(REPO, "editors", "vscode", "test", "bench.js")


def run(label, workspace, env, count):
    done = subprocess.run(["node", BENCH_JS, workspace, str(count)], env=env, capture_output=True, text=True, timeout=900)
    results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not results:
        sys.exit(f"bench.js failed on {label}:\n{done.stderr}")
    facts = json.loads(results[-1][len("RESULT "):])
    asks = sorted(facts["asks"])
    print(f"{label}:")
    print(f"  activation (require + activate):        {facts['activation']:8.1f} ms")
    print(f"  first ask (daemon start + first index): {facts['first']:8.1f} ms")
    print(f"  ask → answer in the panel, median of {len(asks)}: {statistics.median(asks):8.1f} ms"
          f"  (min {asks[0]:.1f}, max {asks[-1]:.1f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("node"):
        sys.exit("node is not installed")
    require_binary(os.path.join(BIN, "rlmd"), f"no rlmd in {BIN}: build it or set RLMD_BIN_DIR")
    version = subprocess.run([os.path.join(BIN, "rlmd"), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"rlmd {version} from {BIN}; node {subprocess.run(['node', '--version'], capture_output=True, text=True).stdout.strip()}")
    lm = ScriptedLM(INSTANT)
    try:
        sample = Sandbox()
        try:
            run("sample workspace (3 files)", sample.workspace, sample.environment(lm), args.count)
        finally:
            sample.close()
        lm.reset()
        copy = Sandbox(files={})
        try:
            shutil.rmtree(copy.workspace)
            files, size = tracked_files(REPO, copy.workspace)
            run(f"this repository ({files} files, {size / 1e6:.1f} MB)", copy.workspace, copy.environment(lm), args.count)
        finally:
            copy.close()
    finally:
        lm.close()


if __name__ == "__main__":
    main()
