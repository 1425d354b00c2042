#!/usr/bin/env python3
"""Daemon benchmark (issue 7): `rlmd serve --stdio` over real pipes, release build.

- initialize: time from starting the process to the initialize response, on an indexed workspace;
- rlm/status latency while 8 asks run (each ask's first model reply takes 3 s at the scripted server);
- 10,000 small requests (rlm/status) written at once: requests answered per second through framing + dispatch;
- cancel: time from $/cancelRequest to the -32800 answer of an ask whose cell is sleeping in the REPL.
Run `make bench` or `benchmarks/daemon_bench.py` after `make release`.
"""
import os, statistics, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, Daemon, ScriptedLM, bench_env, frame, require_binary, sh, this_repo, write_json  # noqa: E402


def main():
    require_binary(RLMD)
    with tempfile.TemporaryDirectory() as tmp:
        root = this_repo(tmp)
        lm = ScriptedLM([{"model": "root-model", "delay": 3, "body": "openai:```repl\nprint(1)\n```"},
                         {"model": "slow-model", "body": "openai:```repl\nimport time\ntime.sleep(60)\n```"}])
        env = bench_env(tmp, lm, RLMD_MODEL="root-model")
        sh([RLMD, "index", root], env=env)

        starts = []
        for _ in range(5):
            daemon = Daemon(root, env)
            at, _ = daemon.initialize()
            starts.append((at - daemon.started) * 1000)
            daemon.close()

        daemon = Daemon(root, env)
        daemon.initialize()
        for n in range(8):
            daemon.send({"jsonrpc": "2.0", "id": f"ask{n}", "method": "rlm/ask", "params": {"question": f"question {n}"}})
        time.sleep(0.5)
        latencies = []
        for n in range(50):
            sent = time.perf_counter()
            daemon.send({"jsonrpc": "2.0", "id": f"s{n}", "method": "rlm/status"})
            at, reply = daemon.wait(f"s{n}")
            latencies.append((at - sent) * 1000)
        running = len(reply["result"]["jobs"])
        for n in range(8):
            daemon.wait(f"ask{n}", timeout=120)

        burst = b"".join(frame({"jsonrpc": "2.0", "id": 100000 + n, "method": "rlm/status"}) for n in range(10000))
        sent = time.perf_counter()
        daemon.process.stdin.write(burst)
        at, _ = daemon.wait(100000 + 9999, timeout=120)
        rate = 10000 / (at - sent)

        cancels = []
        for n in range(5):
            id = f"slow{n}"
            daemon.send({"jsonrpc": "2.0", "id": id, "method": "rlm/ask",
                         "params": {"question": "sleep", "options": {"model": "slow-model"}}})
            time.sleep(1.5)  # the cell is sleeping in the REPL by now
            sent = time.perf_counter()
            daemon.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": id}})
            at, reply = daemon.wait(id)
            assert reply["error"]["code"] == -32800, reply
            cancels.append((at - sent) * 1000)
        daemon.close()
        lm.close()
    result = {"initialize_ms": statistics.median(starts), "status_median_ms": statistics.median(latencies),
              "status_max_ms": max(latencies), "jobs_running": running, "requests_per_second": rate,
              "cancel_median_ms": statistics.median(cancels), "cancel_max_ms": max(cancels)}
    print(f"initialize answered {result['initialize_ms']:.1f} ms after start (<= 50 ms)")
    print(f"rlm/status with {running} asks running: median {result['status_median_ms']:.2f} ms, max {result['status_max_ms']:.2f} ms (<= 10 ms)")
    print(f"10,000 rlm/status requests: {rate:,.0f} per second (>= 20,000)")
    print(f"cancel to -32800 answer: median {result['cancel_median_ms']:.1f} ms, max {result['cancel_max_ms']:.1f} ms (<= 100 ms)")
    write_json("daemon.json", result)


if __name__ == "__main__":
    main()
