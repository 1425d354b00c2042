#!/usr/bin/env python3
"""CPU spent waiting for a model (issue 18): the scripted LM server on 127.0.0.1 delays its reply
10 s; the release `rlmd-lm complete` (plain and --stream) waits for it, and the CPU it used over that
wall time (utime + stime from /proc/PID/stat, sampled just before it exits) is reported. Target <= 1 %.
Run after `make release`: `benchmarks/lm_wait_bench.py [--delay SECONDS] [--binary PATH]`.
"""
import argparse, os, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD_LM, ScriptedLM, require_binary  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a live process (fields 14 and 15 of /proc/PID/stat, after the command's parentheses)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def measure(binary, port, extra):
    environment = dict(os.environ, RLMD_BASE_URL=f"http://127.0.0.1:{port}/v1", RLMD_MODEL="bench",
                       OPENAI_API_KEY="", ANTHROPIC_API_KEY="")
    started = time.monotonic()
    process = subprocess.Popen([binary, "complete", "ping", "--no-cache", *extra], env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cpu = 0.0
    while process.poll() is None:
        try:
            cpu = cpu_seconds(process.pid)
        except (FileNotFoundError, ProcessLookupError):
            break
        time.sleep(0.05)
    wall = time.monotonic() - started
    out, err = process.communicate()
    if process.returncode != 0:
        sys.exit(f"rlmd-lm failed: {err.decode()}")
    return cpu, wall, out.decode().strip()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay", type=float, default=10)
    parser.add_argument("--binary", default=RLMD_LM)
    args = parser.parse_args()
    require_binary(args.binary)
    lm = ScriptedLM([{"body": "openai:pong", "delay": args.delay}, {"stream": ["po", "ng"], "delay": args.delay}])
    try:
        rows = []
        for name, extra in [("complete", []), ("complete --stream", ["--stream"])]:
            cpu, wall, out = measure(args.binary, lm.port, extra)
            rows.append((name, cpu, wall, out))
    finally:
        lm.close()
    print(f"{'command':<20} {'wall s':>7} {'cpu s':>7} {'cpu %':>6}")
    for name, cpu, wall, out in rows:
        print(f"{name:<20} {wall:7.2f} {cpu:7.2f} {100 * cpu / wall:6.2f}  ({out!r})")
    worst = max(100 * cpu / wall for _, cpu, wall, _ in rows)
    print(f"worst {worst:.2f} % (target <= 1 %)")


if __name__ == "__main__":
    main()
