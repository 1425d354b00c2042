#!/usr/bin/env python3
"""Daemon memory across conversations (issue 16): `rlmd serve --stdio` answers 16 asks, one
conversation each, over a ~100 MB workspace of real code (copies of this machine's Python standard
library, non-ASCII and astral chars included); the peak resident memory of the daemon and all its
children is sampled every 100 ms. Run once with the REPL budget off (`[sandbox] conversations_memory_mb
= 0`: every conversation keeps its REPL), with the default and with 64 MB; then a follow-up on the first
conversation (with 64 MB its REPL was closed, so restarted) and on the last (its REPL alive) are timed. Every answer
reads the whole context once, so every REPL has all of its pages; RSS counts the pages REPLs share (the
mapped 2-byte copy) once per REPL, PSS divides them among the REPLs (the memory really held).
Run after `make release`: `benchmarks/daemon_memory_bench.py [--mb 100]`.
"""
import argparse, os, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import (RLMD, Daemon, PeakSampler, ScriptedLM, bench_env, require_binary, sh, stdlib_copies,  # noqa: E402
                    tree_rss_mb, write_json)

ASKS = 16
REPLY = {"model": "root-model", "body": "openai:```repl\nsize = len(context)\nlines = context.count('\\n')\nFINAL(f'{size} chars, {lines} lines')\n```"}


def run(root, tmp, budget_mb, lm):
    config = os.path.join(tmp, f"config-{budget_mb}", "rlmd")
    os.makedirs(config, exist_ok=True)
    if budget_mb is not None:
        with open(os.path.join(config, "config.toml"), "w") as f:
            f.write(f"[sandbox]\nconversations_memory_mb = {budget_mb}\n")
    env = bench_env(tmp, lm, XDG_CONFIG_HOME=os.path.dirname(config), RLMD_MODEL="root-model")
    daemon = Daemon(root, env)
    daemon.initialize()
    sampler, proportional = PeakSampler(daemon.process.pid, interval=0.1), PeakSampler(daemon.process.pid, interval=0.1, pss=True)
    sampler.start()
    proportional.start()
    conversations = []
    for n in range(ASKS):
        daemon.send({"jsonrpc": "2.0", "id": f"ask{n}", "method": "rlm/ask", "params": {"question": f"How big, {n}?"}})
        _, reply = daemon.wait(f"ask{n}", timeout=300)
        conversations.append(reply["result"]["conversation"])
    time.sleep(1)  # the trim after the last answer
    settled = tree_rss_mb(daemon.process.pid)
    follow = {}
    for label, conversation in (("first", conversations[0]), ("last", conversations[-1])):
        id = f"follow-{label}"
        sent = time.perf_counter()
        daemon.send({"jsonrpc": "2.0", "id": id, "method": "rlm/followUp",
                     "params": {"conversation": conversation, "question": "And now?"}})
        at, reply = daemon.wait(id, timeout=300)
        assert "result" in reply, reply
        follow[label] = (at - sent) * 1000
    peak, peak_pss = sampler.stop(), proportional.stop()
    daemon.close()
    return peak, peak_pss, settled, follow


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    require_binary(RLMD)
    with tempfile.TemporaryDirectory() as tmp:
        root = stdlib_copies(tmp, args.mb)
        lm = ScriptedLM([REPLY] * (3 * (ASKS + 2)))
        sh([RLMD, "index", root], env=dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache")))
        results = {}
        # The default budget (1024 MB) counts what REPLs hold alone, not the context pages they share:
        # 64 MB makes it close the least recently used REPLs, so the first follow-up restarts one.
        for label, budget in (("budget off", 0), ("default budget", None), ("budget 64 MB", 64)):
            peak, peak_pss, settled, follow = run(root, tmp, budget, lm)
            results[label] = {"peak_mb": peak, "peak_pss_mb": peak_pss, "settled_mb": settled, "follow_up_ms": follow}
            followed = ", ".join(f"{name} {ms:.0f} ms" for name, ms in follow.items())
            print(f"{label:15} peak of the daemon and its REPLs: RSS {peak:.0f} MB, PSS {peak_pss:.0f} MB; "
                  f"RSS after 16 asks {settled:.0f} MB; follow-up: {followed}")
        lm.close()
    write_json("daemon_memory.json", results)


if __name__ == "__main__":
    main()
