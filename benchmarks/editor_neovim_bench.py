#!/usr/bin/env python3
"""Neovim plugin benchmark (issue 14): the time from `:RlmAsk` to the answer being in the rlm://answer
buffer, in `nvim --headless -u NONE`, with the scripted server answering at once (INSTANT): what is left
is plugin + daemon overhead. The first ask includes starting the daemon and its first index; then the
median of 10. Beside it, the same question over raw pipes to the daemon (daemon_bench's client), which
is the daemon's share, and the plugin's own rendering of an answer (buffer + quickfix). Measured on the tests' sample workspace (3 files) and on this repository.

Run `benchmarks/editor_neovim_bench.py` (RLMD_BIN_DIR picks the daemon build, as in the tests;
RLM_NVIM another Neovim).
"""
import json, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import REPO, Daemon, ScriptedLM, editor_harness, require_binary, write_json  # noqa: E402

harness = editor_harness()

RUNS = 10
NVIM = os.environ.get("RLM_NVIM", "nvim")
RLMD = os.path.join(harness.BIN, "rlmd")


def in_neovim(workspace, env, out):
    env = dict(env, RLM_PLUGIN_DIR=os.path.join(REPO, "editors", "neovim"), RLM_TEST_LIB=os.path.join(REPO, "editors", "neovim", "test"),
               RLM_TEST_OUT=out, RLM_BENCH_RUNS=str(RUNS))
    subprocess.run([NVIM, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", "luafile " + os.path.join(HERE, "editor_neovim_bench.lua")],
                   cwd=workspace, env=env, check=True, capture_output=True, timeout=300)
    with open(out) as f:
        report = json.load(f)
    if not report["ok"]:
        sys.exit(report["error"])
    return report["result"]


def over_pipes(workspace, env):
    """The same questions straight to `rlmd serve --stdio` (the build the plugin runs): the daemon's share of the time."""
    daemon = Daemon(workspace, env, binary=RLMD)
    daemon.initialize()
    samples = []
    for n in range(RUNS + 1):
        sent = time.perf_counter()
        daemon.send({"jsonrpc": "2.0", "id": n + 1, "method": "rlm/ask", "params": {"question": f"Where is retry defined? ({n})", "workDoneToken": n}})
        at, reply = daemon.wait(n + 1, timeout=60)
        assert "result" in reply, reply
        samples.append((at - sent) * 1000)
    daemon.close()
    return samples[1:]


def measure(name, workspace, sandbox):
    lm = ScriptedLM(harness.INSTANT)
    try:
        env = sandbox.environment(lm)
        editor = in_neovim(workspace, env, os.path.join(sandbox.root, "bench.json"))
        pipes = over_pipes(workspace, env)
    finally:
        lm.close()
    files = len(subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=workspace, capture_output=True, text=True).stdout.split())
    return {"workspace": name, "files": files, "nvim": editor["nvim"], "first_ms": editor["first_ms"],
            "median_ms": statistics.median(editor["samples_ms"]), "min_ms": min(editor["samples_ms"]), "max_ms": max(editor["samples_ms"]),
            "pipes_median_ms": statistics.median(pipes), "render_median_ms": statistics.median(editor["render_ms"])}


def main():
    require_binary(RLMD, f"no rlmd in {harness.BIN}: build it or set RLMD_BIN_DIR")
    results = []
    sample = harness.Sandbox()
    try:
        results.append(measure("sample workspace", sample.workspace, sample))
    finally:
        sample.close()
    scratch = harness.Sandbox()  # only for its XDG folders: the index of this repository goes there
    try:
        results.append(measure("this repository", REPO, scratch))
    finally:
        scratch.close()
    print(f"rlmd: {RLMD}; Neovim {results[0]['nvim']}; scripted model answering at once")
    for r in results:
        print(f"{r['workspace']} ({r['files']} files): first :RlmAsk (daemon start + first index) {r['first_ms']:.0f} ms; "
              f"then median of {RUNS} {r['median_ms']:.1f} ms (min {r['min_ms']:.1f}, max {r['max_ms']:.1f}); "
              f"the same ask over raw pipes {r['pipes_median_ms']:.1f} ms; "
              f"the plugin opening and filling the answer buffer and quickfix list {r['render_median_ms']:.2f} ms (median of 100)")
    write_json("editor_neovim.json", results)


if __name__ == "__main__":
    main()
