#!/usr/bin/env python3
"""REPL benchmark (issue 4): start, peak RSS, cell round trips, the llm_query bridge and a batch,
over a 100 MB context, side by side with PyPI `rlms` 0.1.3 loading the same context in its `local`
environment (in a virtual environment under benchmarks/out/, installed on first use).

Contexts: (a) a generated tree of English-like text (ASCII: one byte per char in a Python str);
(b) copies of this machine's Python standard library up to the same size (real code, with a few
non-ASCII and astral chars, which make CPython store every char in 4 bytes in an exact str);
(c) the generated text with an emoji every ~300 chars, as in AI-coding sessions. rlmd's default
`context` holds chars above U+FFFF as one U+FFFD each (2 bytes per char at most); `--exact-text`
rows show the exact 4-byte str. Bounds (issue 16): ready within 2x of ASCII, peak RSS at most
2.3 bytes per UTF-8 byte + 60 MB.
Run `make bench` or `benchmarks/repl_bench.py [--mb 100] [--skip-rlms]` after `make release`.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (RLMD, big_tree, largest_context_file, require_binary, rlms_python, sh, stdlib_copies,  # noqa: E402
                    write_json)

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


def emoji_tree(tmp, megabytes):
    """The generated text with an emoji (astral) every ~300 chars and an accented word per line."""
    source, _ = big_tree(os.path.join(tmp, "plain-for-emoji"), megabytes)
    target = os.path.join(tmp, "emoji")
    emoji = ["\U0001F680", "\U0001F600", "\u2705", "\U0001F525", "caf\u00e9"]
    for folder, _, names in os.walk(source):
        out = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(out, exist_ok=True)
        for name in names:
            words = open(os.path.join(folder, name), encoding="utf-8").read().split(" ")
            for at in range(0, len(words), 50):
                words[at] += " " + emoji[at // 50 % len(emoji)]
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(" ".join(words))
    shutil.rmtree(os.path.join(tmp, "plain-for-emoji"))
    return target


def bench_rlmd(root, cache, exact=False, prepared=False):
    env = dict(os.environ, XDG_CACHE_HOME=cache)
    sh([RLMD, "index", root], env=env)
    flags = (["--exact-text"] if exact else []) + (["--prepare-copy"] if prepared else [])
    report = json.loads(sh([RLMD, "bench", "repl", "--workspace", root] + flags, env=env).stdout)
    return report, largest_context_file(cache)


def bench_rlms(context_file):
    return json.loads(sh([rlms_python(), "-c", RLMS_PROBE, context_file]).stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=100, help="context size in MiB")
    parser.add_argument("--skip-rlms", action="store_true", help="do not install and measure PyPI rlms")
    args = parser.parse_args()
    require_binary(RLMD)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"generated text": big_tree(tmp, args.mb)[0], "stdlib copies": stdlib_copies(tmp, args.mb),
                 "text with emoji": emoji_tree(tmp, args.mb)}
        for name, root in trees.items():
            cache = os.path.join(tmp, "cache-" + name.split()[0])
            ours, context_file = bench_rlmd(root, cache)
            entry = {"rlmd": ours}
            if name != "generated text":
                entry["rlmd --exact-text"] = bench_rlmd(root, cache, exact=True)[0]
            else:  # an ASCII snapshot's copy is made ahead (as the daemon does after each build), not by a REPL
                entry["rlmd, copy made ahead"] = bench_rlmd(root, cache, prepared=True)[0]
            if not args.skip_rlms:
                try:
                    entry["rlms"] = bench_rlms(context_file)
                except subprocess.CalledProcessError as error:
                    entry["rlms"] = {"skipped": (error.stderr or b"").decode()[-500:]}
            results[name] = entry
    ascii_ready = results["generated text"]["rlmd"]["ready_ms"]
    for name, entry in results.items():
        r = entry["rlmd"]
        mb = r["context_bytes"] / 2**20
        print(f"{name}: {mb:.0f} MiB, {r['documents']:.0f} documents, {r['context_chars'] / 1e6:.1f} M chars")
        for label in ("rlmd", "rlmd, copy made ahead", "rlmd --exact-text"):
            if label not in entry:
                continue
            r = entry[label]
            print(f"  {label}: ready {r['ready_ms']:.0f} ms = {r['ready_ms'] / ascii_ready:.2f}x ASCII (first in a process "
                  f"{r['first_ready_ms']:.0f} ms; load {r['load_ms']:.0f} ms, {r.get('standins', 0):.0f} stand-ins), peak RSS {r['peak_rss_mb']:.0f} MB "
                  f"= {r['peak_rss_mb'] / mb:.2f} B/byte (bound 2.3 B/byte + 60 MB = {2.3 * mb + 60:.0f} MB)")
            print(f"        one pass over all of it (context.count) {r['scan_ms']:.0f} ms, peak RSS after it "
                  f"{r['scanned_peak_rss_mb']:.0f} MB = {r['scanned_peak_rss_mb'] / mb:.2f} B/byte")
            print(f"        cell median {r['cell_median_ms']:.3f} ms (p90 {r['cell_p90_ms']:.3f}), llm_query bridge median "
                  f"{r['llm_query_bridge_median_ms']:.3f} ms, {r['batch']:.0f} batched x 100 ms at {r['batch_concurrency']:.0f}: "
                  f"{r['batch_seconds']:.2f} s")
        rlms = entry.get("rlms")
        if rlms and "skipped" not in rlms:
            print(f"  rlms  ready {rlms['ready_ms']:.0f} ms, peak RSS {rlms['peak_rss_mb']:.0f} MB = "
                  f"{rlms['peak_rss_mb'] / mb:.2f} B/byte, cell median {rlms['cell_median_ms']:.3f} ms")
        elif rlms:
            print(f"  rlms  skipped: {rlms['skipped']}")
    write_json("repl.json", results)


if __name__ == "__main__":
    main()
