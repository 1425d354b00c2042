#!/usr/bin/env python3
"""Daemon memory across conversations (issue 16): `rlmd serve --stdio` answers 16 asks, one
conversation each, over a ~100 MB workspace of real code (copies of this machine's Python standard
library, non-ASCII and astral chars included); the peak resident memory of the daemon and all its
children is sampled every 100 ms. Run once with the REPL budget off (`[sandbox] conversations_memory_mb
= 0`: every conversation keeps its REPL) and once with the default; then a follow-up on the first
conversation (its REPL closed, so restarted) and on the last (its REPL alive) are timed.
Run after `make release`: `benchmarks/daemon_memory_bench.py [--mb 100]`.
"""
import argparse, json, os, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from daemon_bench import Daemon  # noqa: E402
from engine_bench import tree_rss_mb  # noqa: E402
from lm_bench import start  # noqa: E402
from repl_bench import stdlib_copies  # noqa: E402
from store_bench import RLMD, sh  # noqa: E402

ASKS = 16
REPLY = {"model": "root-model", "body": "openai:```repl\nsize = len(context)\nFINAL(f'{size} chars')\n```"}


class PeakSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, tree_rss_mb(self.pid))
            time.sleep(0.1)


def run(root, tmp, budget_mb, port):
    config = os.path.join(tmp, f"config-{budget_mb}", "rlmd")
    os.makedirs(config, exist_ok=True)
    if budget_mb is not None:
        with open(os.path.join(config, "config.toml"), "w") as f:
            f.write(f"[sandbox]\nconversations_memory_mb = {budget_mb}\n")
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), XDG_STATE_HOME=os.path.join(tmp, "state"),
               XDG_CONFIG_HOME=os.path.dirname(config), RLMD_BASE_URL=f"http://127.0.0.1:{port}/v1",
               RLMD_MODEL="root-model", OPENAI_API_KEY="", ANTHROPIC_API_KEY="")
    daemon = Daemon(root, env)
    daemon.send({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": "file://" + root}})
    daemon.wait(0)
    sampler = PeakSampler(daemon.process.pid)
    sampler.start()
    conversations = []
    for n in range(ASKS):
        daemon.send({"jsonrpc": "2.0", "id": f"ask{n}", "method": "rlm/ask", "params": {"question": f"How big, {n}?"}})
        _, reply = daemon.wait(f"ask{n}", timeout=300)
        conversations.append(reply["result"]["conversation"])
    time.sleep(1)  # the trim after the last answer
    settled = tree_rss_mb(daemon.process.pid)
    follow = {}
    for label, conversation in (("first (closed REPL)", conversations[0]), ("last (live REPL)", conversations[-1])):
        id = f"follow-{label}"
        sent = time.perf_counter()
        daemon.send({"jsonrpc": "2.0", "id": id, "method": "rlm/followUp",
                     "params": {"conversation": conversation, "question": "And now?"}})
        at, reply = daemon.wait(id, timeout=300)
        assert "result" in reply, reply
        follow[label] = (at - sent) * 1000
    sampler.running = False
    sampler.join()
    daemon.close()
    return sampler.peak, settled, follow


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    args = parser.parse_args()
    if not os.path.exists(RLMD):
        sys.exit("build first: make release")
    with tempfile.TemporaryDirectory() as tmp:
        root = stdlib_copies(tmp, args.mb)
        lm, port = start([REPLY] * (2 * (ASKS + 2)))
        sh([RLMD, "index", root], env=dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache")))
        results = {}
        for label, budget in (("budget off", 0), ("default budget", None)):
            peak, settled, follow = run(root, tmp, budget, port)
            results[label] = {"peak_mb": peak, "settled_mb": settled, "follow_up_ms": follow}
            followed = ", ".join(f"{name} {ms:.0f} ms" for name, ms in follow.items())
            print(f"{label:15} peak RSS of the daemon and its REPLs {peak:.0f} MB, after 16 asks {settled:.0f} MB; follow-up: {followed}")
        lm.kill()
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    json.dump(results, open(os.path.join(HERE, "out", "daemon_memory.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
