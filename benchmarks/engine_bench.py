#!/usr/bin/env python3
"""Engine benchmark (issue 6): a whole question, side by side with PyPI `rlms` 0.1.3, in one run.

Both answer the same scripted scenario from the same instantly answering OpenAI-compatible server on
loopback (Tests/TestSupport/scripted_lm_server.py): three root turns — look at the context, a batch of 8
sub-calls over pieces of it, FINAL. rlmd runs as the user runs it (`rlmd ask` as a process, after the
workspace was indexed once); rlms runs `RLM.completion(context)` in its `local` environment with the context
already in memory (its own cost of reading the file is left out). Contexts of 1, 10 and 100 MB of generated
text (ASCII) and of this machine's Python standard library sources concatenated into as many files (real code:
non-ASCII and astral chars).
The trees' mtimes are set a minute back (a refresh re-reads files written in the last 2 s).
Peak RSS of rlmd sums every process of the question (rlmd-lm and the sandboxed python), sampled every 10 ms.
Run `make bench` or `benchmarks/engine_bench.py [--sizes 1,10,100] [--runs 3]` after `make release`.
"""
import argparse, json, os, statistics, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (RLMD, ScriptedLM, bench_env, big_tree, largest_context_file, require_binary, rlms_python,  # noqa: E402
                    run_sampled, sh, stdlib_in_files, write_json)

SCRIPT = [
    {"model": "root-model", "body": "openai:I will measure the context.\n```repl\nn = len(context)\nprint(n)\n```"},
    {"model": "root-model", "body": "openai:Now a batch.\n```repl\nparts = llm_query_batched([f'chunk {i}: ' + context[i * 1000:(i + 1) * 1000] for i in range(8)])\nprint(len(parts))\n```"},
    {"model": "root-model", "body": "openai:Done.\n```repl\nFINAL(f'{n} chars, {len(parts)} parts')\n```"},
    {"model": "sub-model", "echo": "ok "},
]

RLMS_RUN = r"""
import json, resource, sys, time
from rlm import RLM
base_url, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
rlm = RLM(backend="openai", backend_kwargs={"model_name": "root-model", "base_url": base_url, "api_key": "x"},
          other_backends=["openai"], other_backend_kwargs=[{"model_name": "sub-model", "base_url": base_url, "api_key": "x"}],
          environment="local", max_iterations=10)
started = time.perf_counter()
result = rlm.completion(text, root_prompt="How long is the context?")
print(json.dumps({"seconds": time.perf_counter() - started, "answer": str(getattr(result, "response", result))[:200],
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_rlmd(root, lm, env):
    lm.reset()
    run = run_sampled([RLMD, "ask", "How long is the context?", "--workspace", root, "--json"], env=env)
    if run.returncode != 0:
        raise SystemExit(f"rlmd ask failed ({run.returncode}): {run.err.decode()[-500:]}")
    answer = json.loads(run.out)
    return {"seconds": run.seconds, "peak_rss_mb": run.peak_rss_mb, "answer": answer["answer"], "calls": answer["usage"]["calls"]}


def run_rlms(lm, context_file):
    python = rlms_python()
    lm.reset()
    out = sh([python, "-c", RLMS_RUN, lm.base_url, context_file]).stdout
    return json.loads(out.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,100", help="context sizes in MiB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-rlms", action="store_true")
    parser.add_argument("--contents", default="generated,stdlib", help="generated (ASCII text) and/or stdlib (real code)")
    args = parser.parse_args()
    require_binary(RLMD)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        lm = ScriptedLM(SCRIPT)
        try:
            for content, size in [(c, int(s)) for s in args.sizes.split(",") for c in args.contents.split(",")]:
                if content == "stdlib":
                    root = stdlib_in_files(os.path.join(tmp, f"s{size}"), size)
                else:
                    root, _ = big_tree(os.path.join(tmp, f"t{size}"), size)
                # Files written in the last 2 s are re-read by every refresh (racy mtimes, as in git);
                # a repository one asks about was not written a moment ago.
                past = time.time() - 60
                for folder, _, names in os.walk(root):
                    for name in names:
                        os.utime(os.path.join(folder, name), (past, past))
                cache = os.path.join(tmp, f"cache-{content}{size}")
                env = bench_env(tmp, lm, XDG_CACHE_HOME=cache, RLMD_MODEL="root-model", RLMD_SUB_MODEL="sub-model")
                sh([RLMD, "index", root], env=env)
                context_file = largest_context_file(cache)
                ours = [run_rlmd(root, lm, env) for _ in range(args.runs)]
                entry = {"content": content, "mb": os.path.getsize(context_file) / 2**20, "rlmd": ours}
                if not args.skip_rlms:
                    entry["rlms"] = [run_rlms(lm, context_file) for _ in range(args.runs)]
                results[f"{content} {size}"] = entry
        finally:
            lm.close()
    for size, entry in results.items():
        ours = entry["rlmd"]
        seconds = statistics.median(r["seconds"] for r in ours)
        rss = max(r["peak_rss_mb"] for r in ours)
        line = (f"{size:14} {entry['mb']:6.1f} MiB  rlmd {seconds:6.3f} s, peak RSS {rss:5.0f} MB "
                f"(<= {2 * entry['mb'] + 60:.0f} MB at 100 MB), {ours[0]['calls']} calls, answer {ours[0]['answer']!r}")
        if "rlms" in entry:
            theirs = statistics.median(r["seconds"] for r in entry["rlms"])
            their_rss = max(r["peak_rss_mb"] for r in entry["rlms"])
            line += f"\n{'':26}rlms {theirs:6.3f} s, peak RSS {their_rss:5.0f} MB  -> rlmd {theirs / seconds:.1f}x faster (>= 10x)"
        generated = results.get(size.replace("stdlib", "generated"))
        if entry["content"] == "stdlib" and generated:
            ascii_seconds = statistics.median(r["seconds"] for r in generated["rlmd"])
            line += f"\n{'':26}real code / ASCII: {seconds / ascii_seconds:.2f}x (<= 1.3x)"
        print(line)
    write_json("engine.json", results)


if __name__ == "__main__":
    main()
