#!/usr/bin/env python3
"""Context store benchmark (issue 2): cold index, refreshes, slices and peak RSS, side by side with
`git ls-files -z | xargs -0 cat` and `git status --porcelain` on the same trees, in one run.

Trees: (a) this machine's Python standard library without site-packages/ and __pycache__/, copied into a
temporary git repository; (b) this repository (a clone of HEAD); (c) a generated 1 GB tree for peak RSS.
Run `make bench` (builds release first) or `benchmarks/store_bench.py [--runs N] [--big-mb MB]`.
"""
import argparse, json, os, shutil, sys, tempfile, time
from statistics import median

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, big_tree, require_binary, sh, stdlib_tree, this_repo, timed, timed_peak_rss, write_json  # noqa: E402


def bench_tree(name, root, runs, tmp):
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, f"cache-{name}"))
    index = [RLMD, "index", root, "--json"]
    cat = "git ls-files -z | xargs -0 cat > /dev/null"
    timed(cat, cwd=root)  # warm the page cache
    cat_s = median([timed(cat, cwd=root).seconds for _ in range(runs)])
    status_s = median([timed(["git", "status", "--porcelain"], cwd=root).seconds for _ in range(runs)])

    cold = []
    for _ in range(runs):
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        cold.append(timed(index, env=env).seconds)
    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
    _, rss_mb, _ = timed_peak_rss(index, env)
    report = json.loads(sh(index, env=env).stdout)
    time.sleep(2.1)  # past the racy-mtime window of the files the cold index just read
    nochange = [timed(index, env=env).seconds for _ in range(runs)]

    listed = sh(["git", "ls-files"], cwd=root).stdout.decode().split("\n")
    victim = next(p for p in listed if p.endswith((".py", ".swift", ".md")))
    onefile = []
    for i in range(runs):
        with open(os.path.join(root, victim), "a") as f:
            f.write(f"# bench edit {i}\n")
        onefile.append(timed(index, env=env).seconds)
        time.sleep(2.1)  # so the next no-op does not re-read this racily-clean file
    slices = json.loads(sh([RLMD, "bench", "slices", "--workspace", root, "--count", "20000"], env=env).stdout)
    return {
        "tree": name, "files": report["files"], "bytes": report["bytes"], "skipped": report["skipped"],
        "cat_s": cat_s, "cold_index_s": median(cold), "cold_ratio": median(cold) / cat_s,
        "git_status_s": status_s, "nochange_refresh_s": median(nochange),
        "nochange_limit_s": max(1.5 * status_s, 0.030), "one_file_refresh_s": median(onefile),
        "slice_4k_median_us": slices["median_us"], "slice_4k_p99_us": slices["p99_us"], "index_peak_rss_mb": rss_mb,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big-mb", type=int, default=1024, help="size of the generated tree for peak RSS (0 skips)")
    args = parser.parse_args()
    require_binary(RLMD)
    tmp = tempfile.mkdtemp(prefix="rlmd-bench-")
    try:
        results = [bench_tree("python-stdlib", stdlib_tree(tmp), args.runs, tmp),
                   bench_tree("rlmd-repo", this_repo(tmp), args.runs, tmp)]
        big = None
        if args.big_mb:
            root, size = big_tree(tmp, args.big_mb)
            env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache-big"))
            seconds, rss, _ = timed_peak_rss([RLMD, "index", root, "--json"], env)
            big = {"bytes": size, "seconds": seconds, "index_peak_rss_mb": rss}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'tree':<14} {'files':>6} {'MB':>6} | {'cat':>7} {'cold':>7} {'ratio':>5} (<=10) | "
          f"{'status':>7} {'no-op':>7} (<= {'limit':>5}) | {'1-file':>7} (<=50ms) | {'slice':>6} (<=50us) | {'RSS':>6}")
    for r in results:
        print(f"{r['tree']:<14} {r['files']:>6} {r['bytes'] / 1e6:>6.1f} | {r['cat_s'] * 1e3:>5.1f}ms {r['cold_index_s'] * 1e3:>5.0f}ms "
              f"{r['cold_ratio']:>5.1f}        | {r['git_status_s'] * 1e3:>5.1f}ms {r['nochange_refresh_s'] * 1e3:>5.1f}ms "
              f"(<= {r['nochange_limit_s'] * 1e3:>3.0f}ms) | {r['one_file_refresh_s'] * 1e3:>5.1f}ms          | "
              f"{r['slice_4k_median_us']:>4.1f}us          | {r['index_peak_rss_mb']:>4.0f}MB")
    if big:
        print(f"generated tree: {big['bytes'] / 1e9:.2f} GB indexed in {big['seconds']:.1f} s, "
              f"peak RSS {big['index_peak_rss_mb']:.0f} MB (<= 200 MB)")
    write_json("store.json", {"trees": results, "big": big})


if __name__ == "__main__":
    main()
