#!/usr/bin/env python3
"""REPL benchmark (issue 4): start, peak RSS, cell round trips, the llm_query bridge and a batch,
over a 100 MB context, side by side with PyPI `rlms` 0.1.3 loading the same context in its `local`
environment (in a virtual environment under benchmarks/out/, installed on first use).

Contexts: (a) a generated tree of English-like text (ASCII: one byte per char in a Python str);
(b) copies of this machine's Python standard library up to the same size (real code, with a few
non-ASCII and astral chars, which make CPython store every char in 4 bytes).
Run `make bench` or `benchmarks/repl_bench.py [--mb 100] [--skip-rlms]` after `make release`.
"""
import argparse, glob, json, os, shutil, statistics, subprocess, sys, sysconfig, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from store_bench import RLMD, big_tree, sh  # noqa: E402

OUT = os.path.join(HERE, "out")
RLMS_VENV = os.path.join(OUT, "venv-rlms")

RLMS_PROBE = r"""
import json, resource, statistics, sys, time
path = sys.argv[1]
started = time.perf_counter()
text = open(path, encoding="utf-8").read()
from rlm.environments.local_repl import LocalREPL
env = LocalREPL(context_payload=text)
ready = time.perf_counter() - started
samples = []
for _ in range(300):
    t = time.perf_counter(); env.execute_code("pass"); samples.append((time.perf_counter() - t) * 1000)
print(json.dumps({"ready_ms": ready * 1000, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cell_median_ms": statistics.median(samples), "chars": len(text)}))
"""


def stdlib_copies(tmp, megabytes):
    source = sysconfig.get_paths()["stdlib"]
    target = os.path.join(tmp, "stdlib-copies")
    total, copy = 0, 0
    while total < megabytes << 20:
        folder = os.path.join(target, f"copy{copy}")
        shutil.copytree(source, folder, ignore=lambda d, names: [n for n in names if n in ("__pycache__", "site-packages")
                                                                    or n.endswith((".pyc", ".so", ".exe", ".whl"))])
        total = int(sh(["du", "-sb", target]).stdout.split()[0])
        copy += 1
    return target


def bench_rlmd(root, cache):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    sh([RLMD, "index", root], env=env)
    report = json.loads(sh([RLMD, "bench", "repl", "--workspace", root], env=env).stdout)
    context_file = max(glob.glob(os.path.join(cache, "rlmd", "*", "context-*.txt")), key=os.path.getsize)
    return report, context_file


def bench_rlms(context_file):
    python = os.path.join(RLMS_VENV, "bin", "python")
    if not os.path.exists(python):
        sh([sys.executable, "-m", "venv", RLMS_VENV])
        sh([python, "-m", "pip", "install", "-q", "rlms==0.1.3"])
    return json.loads(sh([python, "-c", RLMS_PROBE, context_file]).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="context size in MiB")
    parser.add_argument("--skip-rlms", action="store_true", help="do not install and measure PyPI rlms")
    args = parser.parse_args()
    if not os.path.exists(RLMD):
        sys.exit("build first: make release")
    os.makedirs(OUT, exist_ok=True)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"generated text": big_tree(tmp, args.mb)[0], "stdlib copies": stdlib_copies(tmp, args.mb)}
        for name, root in trees.items():
            ours, context_file = bench_rlmd(root, os.path.join(tmp, "cache-" + name.split()[0]))
            entry = {"rlmd": ours}
            if not args.skip_rlms and name == "generated text":
                try:
                    entry["rlms"] = bench_rlms(context_file)
                except subprocess.CalledProcessError as error:
                    entry["rlms"] = {"skipped": (error.stderr or b"").decode()[-500:]}
            results[name] = entry
    for name, entry in results.items():
        r = entry["rlmd"]
        mb = r["context_bytes"] / 2**20
        print(f"{name}: {mb:.0f} MiB, {r['documents']:.0f} documents, {r['context_chars'] / 1e6:.1f} M chars")
        print(f"  rlmd  ready {r['ready_ms']:.0f} ms (first in a process {r['first_ready_ms']:.0f} ms; load {r['load_ms']:.0f} ms), "
              f"peak RSS {r['peak_rss_mb']:.0f} MB = {r['peak_rss_mb'] / mb:.2f}x (target <= 1.3x + 40 MB = {1.3 * mb + 40:.0f} MB)")
        print(f"        cell median {r['cell_median_ms']:.3f} ms (p90 {r['cell_p90_ms']:.3f}), llm_query bridge median "
              f"{r['llm_query_bridge_median_ms']:.3f} ms, {r['batch']:.0f} batched x 100 ms at {r['batch_concurrency']:.0f}: "
              f"{r['batch_seconds']:.2f} s")
        rlms = entry.get("rlms")
        if rlms and "skipped" not in rlms:
            print(f"  rlms  ready {rlms['ready_ms']:.0f} ms, peak RSS {rlms['peak_rss_mb']:.0f} MB = "
                  f"{rlms['peak_rss_mb'] / mb:.2f}x, cell median {rlms['cell_median_ms']:.3f} ms")
        elif rlms:
            print(f"  rlms  skipped: {rlms['skipped']}")
    with open(os.path.join(OUT, "repl.json"), "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
