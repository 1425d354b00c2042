#!/usr/bin/env python3
"""Ignore-file benchmark (issue 18): what `.gitignore` matching adds to `rlmd index`, outside git (where
rlmd's own matcher decides), on generated and real trees, each measured with and without its ignore file.

(a) one line of twenty-four `**/` then `keep` over a 40-deep tree (git's backtracking never ends on it);
(b) a generated 10,000-line ignore file over 2,000 files; (c) the same kind of file over a copy of this
machine's Python standard library (no __pycache__/) plus copies under non-ASCII names, lines drawn from
its own paths. Reports the median cold index (fresh store) and no-change refresh of each, and the ratio.
Build first: `swift build -c release`, then `benchmarks/ignore_bench.py [--runs N] [--rlmd PATH]`.
"""
import argparse, json, os, random, shutil, statistics, sys, sysconfig, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, require_binary, timed, write_json  # noqa: E402

EXTENSIONS = ["txt", "log", "swift", "py", "md", "o", "tar.gz", "tmp"]


def write(root, path, text="x\n"):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)


def deep_tree(root):
    """40 nested folders, each with keep, keeper, x.txt and keep.txt (160 files)."""
    folder = ""
    for depth in range(40):
        folder += f"d{depth}/"
        for name in ["keep", "keeper", "x.txt", "keep.txt"]:
            write(root, folder + name, f"{folder}{name}\n")
    return "**/" * 24 + "keep\n"


def generated_tree(root, rng, files=2000):
    folders = ["src", "lib", "docs", "build", "test", "a", "b", "vendor", "ünï", "node_modules"]
    stems = ["main", "util", "f", "keep", "read", "é", "data", "x"]
    universe = []
    for i in range(files * 10):
        parts = [rng.choice(folders) for _ in range(rng.randrange(4))]
        universe.append("/".join(parts + [f"{rng.choice(stems)}{i}.{rng.choice(EXTENSIONS)}"]))
    for path in universe[:files]:
        write(root, path, f"file {path}\n" + "some words to index\n" * 20)
    return universe, folders


def ignore_lines(universe, folders, rng, count=10_000):
    """Lines naming one file or name (of a universe larger than the tree) or a few with wildcards,
    one in six negated, and a few negated lines about whole kinds of files (`!*.py`)."""
    lines = []
    for _ in range(count):
        path = rng.choice(universe)
        base = path.rsplit("/", 1)[-1]
        stem = base.split(".")[0]
        folder = rng.choice(folders)
        ext = rng.choice(EXTENSIONS)
        if rng.randrange(400) == 0:
            line = "!" + rng.choice([f"*.{ext}", f"{stem}*", f"{folder}/", f"{folder}/**/*.{ext}", f"*{stem[-2:]}*"])
        else:
            line = rng.choice([base, path, "/" + path, "**/" + base, "[a-m]" + base[1:], base[:-1] + "?",
                               f"{folder}/*/{base}"])
            if rng.randrange(6) == 0:
                line = "!" + line
        lines.append(line)
    return "\n".join(lines) + "\n"


def stdlib_with_foreign_names(root):
    source = sysconfig.get_paths()["stdlib"]
    shutil.copytree(source, root, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n == "__pycache__" or (d == source and n in ("site-packages", "dist-packages"))])
    paths = []
    for folder, _, names in os.walk(root):
        for name in names:
            paths.append(os.path.relpath(os.path.join(folder, name), root))
    # Non-ASCII names: every tenth file again under accented, CJK and Cyrillic names.
    renamed = ["données", "日本語", "файлы", "ñandú"]
    for i, path in enumerate(sorted(paths)[::10]):
        if os.path.islink(os.path.join(root, path)):
            continue
        target = f"{renamed[i % len(renamed)]}/{i}-é-{os.path.basename(path)}"
        os.makedirs(os.path.join(root, os.path.dirname(target)), exist_ok=True)
        shutil.copyfile(os.path.join(root, path), os.path.join(root, target))
        paths.append(target)
    return paths


def stdlib_universe(paths, rng):
    """The tree's own paths plus as many again that do not exist, and their folders."""
    universe = list(paths) + [p + rng.choice(["x", "~", ".bak"]) for p in paths]
    folders = sorted({p.split("/")[0] for p in paths if "/" in p})
    return universe, folders


def measure(rlmd, root, runs, tmp, label):
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, f"cache-{label}"))
    cold, report = [], None
    for _ in range(runs):
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        wall, cpu, out = timed([rlmd, "index", root, "--json"], env=env)
        cold.append(wall)
        report = json.loads(out.stdout)
    time.sleep(2.1)  # past the racy-mtime window, so a no-change refresh reads nothing
    nochange = [timed([rlmd, "index", root, "--json"], env=env) for _ in range(runs)]
    return {"files": report["files"], "ignored": report["skipped"]["ignored"], "git": report["git"],
            "cold_s": statistics.median(cold), "nochange_s": statistics.median(r[0] for r in nochange),
            "nochange_cpu_s": statistics.median(r[1] for r in nochange)}


def pair(rlmd, name, root, ignore_text, runs, tmp):
    """The tree measured with its .gitignore, then with the file emptied."""
    with open(os.path.join(root, ".gitignore"), "w", encoding="utf-8") as f:
        f.write(ignore_text)
    with_ignore = measure(rlmd, root, runs, tmp, name + "-with")
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write("")
    without = measure(rlmd, root, runs, tmp, name + "-without")
    return {"tree": name, "lines": ignore_text.count("\n"), "with": with_ignore, "without": without}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rlmd", default=RLMD, help="the binary to measure (default: this checkout's release build)")
    args = parser.parse_args()
    require_binary(args.rlmd)
    rng = random.Random(18)
    tmp = tempfile.mkdtemp(prefix="rlmd-ignore-bench-")
    try:
        deep = os.path.join(tmp, "deep")
        results = [pair(args.rlmd, "deep-40", deep, deep_tree(deep), args.runs, tmp)]
        generated = os.path.join(tmp, "generated")
        universe, folders = generated_tree(generated, rng)
        results.append(pair(args.rlmd, "generated-2k", generated, ignore_lines(universe, folders, rng), args.runs, tmp))
        stdlib = os.path.join(tmp, "stdlib")
        universe, folders = stdlib_universe(stdlib_with_foreign_names(stdlib), rng)
        results.append(pair(args.rlmd, "python-stdlib", stdlib, ignore_lines(universe, folders, rng), args.runs, tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"{'tree':<14} {'lines':>6} {'files':>6} {'ignored':>7} | {'cold with':>9} {'without':>8} {'ratio':>5} | "
          f"{'no-op with':>10} {'without':>8} {'ratio':>5} {'added':>8} | {'no-op CPU with':>14} {'without':>8} {'ratio':>5}")
    for r in results:
        w, wo = r["with"], r["without"]
        print(f"{r['tree']:<14} {r['lines']:>6} {w['files']:>6} {w['ignored']:>7} | {w['cold_s'] * 1e3:>7.1f}ms "
              f"{wo['cold_s'] * 1e3:>6.1f}ms {w['cold_s'] / wo['cold_s']:>5.2f} | {w['nochange_s'] * 1e3:>8.1f}ms "
              f"{wo['nochange_s'] * 1e3:>6.1f}ms {w['nochange_s'] / wo['nochange_s']:>5.2f} "
              f"{(w['nochange_s'] - wo['nochange_s']) * 1e3:>6.1f}ms | {w['nochange_cpu_s'] * 1e3:>12.1f}ms "
              f"{wo['nochange_cpu_s'] * 1e3:>6.1f}ms {w['nochange_cpu_s'] / wo['nochange_cpu_s']:>5.2f}")
    print("targets: deep-40 adds <= 50 ms; 10,000 lines cost <= 2x the same tree without them")
    write_json("ignore.json", results)


if __name__ == "__main__":
    main()
