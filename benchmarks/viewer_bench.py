#!/usr/bin/env python3
"""Trajectory viewer benchmark (issue 13): a real trajectory of 300 sub-calls and ~5 MB of text, recorded by
`rlmd ask` against the scripted server (10 turns, each a batch of 30 prompts of 8,000 chars answered with 8,000
chars, and a cell printing 20,000 chars), then rendered by `rlmd trajectory ID --html -o FILE` and loaded in
headless Chromium: the render's wall time, the page's size, and the time the page's own script took to run
(it stamps `data-script-ms` on <body>), plus a search over the page (`#find=`, stamped `data-search-ms`).
Run after `make release`: `benchmarks/viewer_bench.py` (needs Debian's chromium).
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, ScriptedLM, bench_env, require_binary  # noqa: E402

TURNS, BATCH, PROMPT, REPLY = 10, 30, 8_000, 8_000
BATCH_CODE = (f"parts = llm_query_batched([(context * 100)[:{PROMPT - 4}] + f'{{i:04}}' for i in range({BATCH})])\n"
              f"print(len(parts), 'x' * 20000)")
SCRIPT = [{"model": "root-model", "body": "openai:A batch.\n```repl\n" + BATCH_CODE + "\n```"} for _ in range(TURNS)]
SCRIPT += [{"model": "root-model", "body": "openai:Done.\n```repl\nFINAL('done: src/a.py:1')\n```"},
           {"model": "sub-model", "body": "openai:" + ("a reply that goes on " * 400)[:REPLY]}]


def chromium(*args):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        sys.exit("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        started = time.perf_counter()
        out = subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
                              "--virtual-time-budget=10000", *args], check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started, out.stdout.decode()


def main():
    require_binary(RLMD)
    lm = ScriptedLM(SCRIPT)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(f"{tmp}/ws")
            with open(f"{tmp}/ws/a.py", "w") as f:
                f.write("def a():\n    return 'naïve café ☕ 😀'\n" * 200)
            env = bench_env(tmp)
            asked = subprocess.run([RLMD, "ask", "Batch it all", "--workspace", f"{tmp}/ws", "--base-url", lm.base_url,
                                    "--model", "root-model", "--sub-model", "sub-model", "--max-iterations", str(TURNS + 2),
                                    "--max-calls", "400", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            answer = json.loads(asked.stdout)
            page = f"{tmp}/page.html"
            started = time.perf_counter()
            subprocess.run([RLMD, "trajectory", answer["trajectory"], "--html", "-o", page], env=env, check=True, stdout=subprocess.DEVNULL)
            render = time.perf_counter() - started
            load, dom = chromium("--dump-dom", "file://" + page)
            script_ms = re.search(r'data-script-ms="([\d.]+)"', dom)
            search, dom2 = chromium("--dump-dom", "file://" + page + "#find=reply%20that%20goes")
            search_ms = re.search(r'data-search-ms="([\d.]+)"', dom2)
            print(f"trajectory: {answer['usage']['calls']} model calls ({TURNS * BATCH} sub-calls), "
                  f"page {os.path.getsize(page) / 1048576:.1f} MB")
            print(f"render (rlmd trajectory --html, a process): {render * 1000:.0f} ms")
            print(f"chromium load to DOM dump: {load * 1000:.0f} ms wall (incl. chromium start); the page's script: "
                  f"{script_ms.group(1) if script_ms else '?'} ms; a search over the page: {search_ms.group(1) if search_ms else '?'} ms")
    finally:
        lm.close()


if __name__ == "__main__":
    main()
