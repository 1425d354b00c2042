#!/usr/bin/env python3
"""LM client benchmark (issue 5), against the scripted LM server on 127.0.0.1:
- per-call overhead: median of sequential calls to an instantly answering server, beside the same
  request made with python3's http.client over one keep-alive connection (the server's own cost);
- 64 calls with a concurrency limit of 16 to a server answering after 100 ms (target <= 0.5 s);
- the number of TCP connections the server saw (connections are reused).
Run after `make release`: `benchmarks/lm_bench.py`.
"""
import http.client, json, os, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, ScriptedLM, require_binary  # noqa: E402


def connections(lm):
    return len({entry["connection"] for entry in lm.requests()})


def bench(port, calls, concurrency):
    out = subprocess.run([RLMD, "bench", "lm", "--base-url", f"http://127.0.0.1:{port}/v1", "--calls", str(calls),
                          "--concurrency", str(concurrency)], check=True, stdout=subprocess.PIPE)
    return json.loads(out.stdout)


def python_baseline(port, calls):
    body = json.dumps({"model": "bench", "messages": [{"role": "user", "content": "ping"}], "max_tokens": 8})
    conn = http.client.HTTPConnection("127.0.0.1", port)
    samples = []
    for _ in range(calls):
        start_time = time.perf_counter()
        conn.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        json.loads(conn.getresponse().read())
        samples.append((time.perf_counter() - start_time) * 1e3)
    return statistics.median(samples)


def main():
    require_binary(RLMD)
    lm = ScriptedLM([{"body": "openai:pong"}])
    try:
        python_ms = python_baseline(lm.port, 300)
        sequential = bench(lm.port, 500, 1)
        seen = connections(lm)
    finally:
        lm.close()
    lm = ScriptedLM([{"body": "openai:pong", "delay": 0.1}])
    try:
        concurrent = bench(lm.port, 64, 16)
        concurrent_connections = connections(lm)
    finally:
        lm.close()
    print(f"sequential calls, instant server: rlmd median {sequential['median_ms']:.2f} ms, python http.client "
          f"{python_ms:.2f} ms -> client overhead {sequential['median_ms'] - python_ms:.2f} ms (<= 1 ms); "
          f"{seen} TCP connection(s) for 500 calls")
    print(f"64 calls, concurrency 16, 100 ms server: {concurrent['total_s']:.3f} s (<= 0.5 s); "
          f"{concurrent_connections} TCP connections")


if __name__ == "__main__":
    main()
