#!/usr/bin/env python3
"""`rlmd bench` harness benchmark (issue 13): the wall time and peak memory of `rlmd bench niah` at 1M and 10M
tokens against the instantly answering scripted server, and how long generating and indexing each context took
(target: a 10M-token context built in <= 10 s). The scripted root model greps for the needle and answers with
it, so the RLM's turn costs what the harness costs; `direct` sends the context cut to a 128k window.
Peak RSS sums every process of the run (rlmd-lm and the sandboxed python), sampled every 10 ms.
Run after `make release`: `benchmarks/bench_harness_bench.py [--sizes 1m,10m] [--methods rlm,direct]`.
"""
import argparse, json, os, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, ScriptedLM, bench_env, require_binary, run_sampled  # noqa: E402

SCRIPT = [{"model": "root-model", "body": "openai:```repl\nhits = grep(r'special magic numbers for')\nFINAL('Answer: ' + hits[0][2])\n```"}]


def run(size, methods, lm, env, folder):
    command = [RLMD, "bench", "niah", "--sizes", size, "--methods", methods, "--base-url", lm.base_url,
               "--model", "root-model", "--sub-model", "sub-model", "--out", folder, "--json"]
    done = run_sampled(command, env=env)
    if done.returncode != 0:
        sys.exit(f"rlmd bench niah --sizes {size} failed: {done.err.decode()[-2000:]}")
    return done.seconds, done.peak_rss_mb, json.loads(done.out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1m,10m")
    parser.add_argument("--methods", default="rlm,direct")
    args = parser.parse_args()
    require_binary(RLMD)
    lm = ScriptedLM(SCRIPT)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = bench_env(tmp)
            print(f"{'size':>5}  {'wall s':>7}  {'peak RSS MB':>11}  {'contexts built (MB, s)':<40}  scores")
            for size in args.sizes.split(","):
                seconds, peak, report = run(size, args.methods, lm, env, f"{tmp}/{size}")
                built = ", ".join(f"{c['name']}: {c['bytes'] / 1048576:.1f} MB in {c['seconds']:.2f} s" for c in report["contexts"])
                scores = ", ".join(f"{row['method']} {row['score']:.2f}" for row in report["rows"])
                print(f"{size:>5}  {seconds:7.2f}  {peak:11.0f}  {built:<40}  {scores}")
    finally:
        lm.close()


if __name__ == "__main__":
    main()
