#!/usr/bin/env python3
"""Session import benchmark (issue 3): import a large Claude Code JSONL made by repeating realistic
lines, side by side with python3 parsing the same file line by line with json.loads (alternating,
`--cold-runs` times each, medians); then the first search, which builds the full-text index the
import deferred; then the cost of re-importing after 1 MB is appended.
Run `benchmarks/sessions_bench.py [--mb 1024] [--cold-runs 3] [--runs 5]` after `make release`;
`--rlmd PATH` times another build (say, of the base commit, to compare a change run by run); `--emoji`
puts an emoji or an accented word every ~12 words, written as raw UTF-8 as Claude Code writes them.
"""
import argparse, json, os, random, shutil, statistics, subprocess, sys, sysconfig, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, require_binary, timed, timed_peak_rss, write_json  # noqa: E402

EMOJI = ["\U0001F680", "\u2705", "\U0001F914", "caf\u00e9", "\U0001F525", "na\u00efve", "\u2192", "\U0001F44D"]


def realistic_lines(count, seed=7, emoji=False):
    """User prompts, assistant text with usage, tool calls and long tool results, as Claude Code writes them."""
    rng = random.Random(seed)
    words = open(os.path.join(sysconfig.get_paths()["stdlib"], "argparse.py")).read().split()
    if emoji:
        words += EMOJI * (len(words) // (12 * len(EMOJI)))
    text = lambda n: " ".join(rng.choice(words) for _ in range(n))
    lines, parent = [], None
    for i in range(count):
        uuid = f"{rng.getrandbits(64):016x}-{i}"
        base = {"parentUuid": parent, "isSidechain": False, "userType": "external", "cwd": "/home/dev/project",
                "sessionId": "bench-session", "version": "2.0.14", "gitBranch": "main", "uuid": uuid,
                "timestamp": f"2026-11-01T12:{i // 60 % 60:02d}:{i % 60:02d}.000Z"}
        kind = i % 4
        if kind == 0:
            base.update(type="user", message={"role": "user", "content": text(40)})
        elif kind == 1:
            base.update(type="assistant", message={
                "id": f"msg_{i}", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [{"type": "text", "text": text(200)}],
                "usage": {"input_tokens": 1200, "output_tokens": 300, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 4000}})
        elif kind == 2:
            base.update(type="assistant", message={
                "id": f"msg_{i}", "role": "assistant", "model": "claude-sonnet-4-5",
                "content": [{"type": "tool_use", "id": f"toolu_{i}", "name": "Bash",
                             "input": {"command": "grep -rn retry src/ | head -50", "description": text(8)}}],
                "usage": {"input_tokens": 10, "output_tokens": 50}})
        else:
            base.update(type="user", message={"role": "user", "content": [{
                "type": "tool_result", "tool_use_id": f"toolu_{i - 1}", "is_error": False,
                "content": "\n".join(text(15) for _ in range(60))}]},
                toolUseResult={"stdout": text(100), "stderr": "", "interrupted": False})
        lines.append(json.dumps(base, ensure_ascii=not emoji) + "\n")
        parent = uuid
    return lines


def write_session(path, megabytes, emoji=False):
    block = "".join(realistic_lines(4000, emoji=emoji))
    with open(path, "w") as f:
        written = 0
        while written < megabytes << 20:
            f.write(block)
            written += len(block.encode())
    return os.path.getsize(path)


PYTHON_PARSE = "import json,sys\nn=0\nwith open(sys.argv[1],'rb') as f:\n    for line in f:\n        json.loads(line); n+=1\nprint(n)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=5, help="re-imports after appending 1 MB")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold imports (and python3 runs) to take the median of")
    parser.add_argument("--emoji", action="store_true", help="emoji and accented words in the text")
    parser.add_argument("--rlmd", default=RLMD, help="the rlmd binary to time (default: this checkout's release build)")
    args = parser.parse_args()
    rlmd = require_binary(os.path.abspath(args.rlmd))
    tmp = tempfile.mkdtemp(prefix="rlmd-sessions-bench-")
    try:
        session = os.path.join(tmp, "bench-session.jsonl")
        size = write_session(session, args.mb, args.emoji)
        store = os.path.join(tmp, "store")
        subprocess.run(["cat", session], stdout=subprocess.DEVNULL, check=True)  # warm the page cache

        python_runs, rlmd_runs, rss_runs = [], [], []
        for _ in range(args.cold_runs):
            python_runs.append(timed([sys.executable, "-c", PYTHON_PARSE, session]).seconds)
            shutil.rmtree(store, ignore_errors=True)
            seconds, rss, out = timed_peak_rss([rlmd, "index", "--session", session, "--store", store, "--json"])
            rlmd_runs.append(seconds)
            rss_runs.append(rss)
        python_s, rlmd_s, rss_mb = statistics.median(python_runs), statistics.median(rlmd_runs), max(rss_runs)
        report = json.loads(out.stdout)

        search = [rlmd, "search", "retry budget", "--store", store, "--json"]
        first_search_s, search_rss_mb, _ = timed_peak_rss(search)
        second_search_s, _, _ = timed_peak_rss(search)

        appended = "".join(realistic_lines(1200, seed=99, emoji=args.emoji))
        appended = appended[: appended.rfind("\n", 0, 1 << 20) + 1]
        increments = []
        for _ in range(args.runs):
            with open(session, "a") as f:
                f.write(appended)
            increments.append(timed([rlmd, "index", "--session", session, "--store", store, "--json"]).seconds)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"session file: {size / 1e6:.0f} MB{' with emoji' if args.emoji else ''}, {report['messages']} messages, {report['added']} documents")
    print(f"python3 json.loads line by line: {python_s:6.2f} s  {size / python_s / 1e6:6.0f} MB/s  (runs: {', '.join(f'{x:.2f}' for x in python_runs)})")
    print(f"rlmd index --session (cold):     {rlmd_s:6.2f} s  {size / rlmd_s / 1e6:6.0f} MB/s  (runs: {', '.join(f'{x:.2f}' for x in rlmd_runs)})"
          f"  peak RSS {rss_mb:.0f} MB (<= 200 MB)  -> {python_s / rlmd_s:.2f}x python3")
    print(f"first search (builds the deferred full-text index): {first_search_s:.2f} s, peak RSS {search_rss_mb:.0f} MB; "
          f"second search {second_search_s * 1e3:.0f} ms")
    print(f"re-import after appending {len(appended) / 1e6:.2f} MB: median {statistics.median(increments) * 1e3:.0f} ms (<= 100 ms)")
    write_json("sessions.json", {"bytes": size, "python_s": python_s, "rlmd_s": rlmd_s, "rss_mb": rss_mb,
                                 "python_runs": python_runs, "rlmd_runs": rlmd_runs,
                                 "first_search_s": first_search_s, "search_rss_mb": search_rss_mb,
                                 "second_search_s": second_search_s, "append_bytes": len(appended), "append_s": increments})


if __name__ == "__main__":
    main()
