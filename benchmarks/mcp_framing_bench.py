#!/usr/bin/env python3
"""MCP framing benchmark (issue 18): `rlmd mcp` over real pipes, release build.

- one 16 MB line (a `ping` carrying a 16 MB string): time from the first byte written to its answer
  (<= 0.2 s; every read rescanned the unfinished line before, 47.8 s);
- a line over the 64 MiB limit: time to the -32700 answer with `"id": null`, and a `ping` behind it answered.
Run after `make release`: `benchmarks/mcp_framing_bench.py [--runs N] [--binary PATH]`.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import RLMD, bench_env, require_binary, sh, write_json  # noqa: E402

LIMIT = 64 << 20


class MCP:
    def __init__(self, binary, root, env):
        self.process = subprocess.Popen([binary, "mcp", "--workspace", root, "--log-level", "critical"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
        self.replies, self.arrived = [], threading.Condition()
        threading.Thread(target=self.reader, daemon=True).start()

    def reader(self):
        for line in self.process.stdout:
            with self.arrived:
                self.replies.append((time.perf_counter(), json.loads(line)))
                self.arrived.notify_all()

    def send(self, data):
        self.process.stdin.write(data)

    def wait(self, match, timeout=120):
        with self.arrived:
            self.arrived.wait_for(lambda: any(match(m) for _, m in self.replies), timeout)
            found = next(((at, m) for at, m in self.replies if match(m)), None)
            if found is None:
                sys.exit(f"no answer in {timeout} s")
            self.replies.remove(found)
            return found

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def ping(id, pad=0):
    message = {"jsonrpc": "2.0", "id": id, "method": "ping", "params": {"pad": "a" * pad}}
    return json.dumps(message).encode() + b"\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--binary", help="an rlmd built elsewhere (its rlmd-lm beside it)")
    args = parser.parse_args()
    require_binary(args.binary or RLMD)
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "workspace")
        os.makedirs(root)
        open(os.path.join(root, "a.py"), "w").write("print(1)\n")
        sh(["git", "init", "-q", root])
        env = bench_env(tmp)
        mcp = MCP(args.binary or RLMD, root, env)
        mcp.send(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                             "params": {"protocolVersion": "2025-06-18", "capabilities": {}}}).encode() + b"\n")
        mcp.wait(lambda m: m.get("id") == 0)

        times = []
        for run in range(args.runs):
            line = ping(run + 1, pad=16_000_000)
            sent = time.perf_counter()
            mcp.send(line)
            at, reply = mcp.wait(lambda m, id=run + 1: m.get("id") == id)
            assert reply.get("result") == {}, reply
            times.append(at - sent)

        over = b'{"jsonrpc":"2.0","id":"big","method":"ping","params":{"pad":"' + b"a" * LIMIT + b'"}}\n'
        sent = time.perf_counter()
        mcp.send(over + ping("after"))
        at, refused = mcp.wait(lambda m: m.get("id") is None)
        assert refused["error"]["code"] == -32700, refused
        skipped = at - sent
        _, after = mcp.wait(lambda m: m.get("id") == "after")
        assert after.get("result") == {}, after
        mcp.close()

    result = {"line_bytes": len(line), "line_median_s": statistics.median(times), "line_max_s": max(times),
              "over_limit_bytes": len(over), "over_limit_s": skipped, "over_limit_error": refused["error"]["message"]}
    print(f"one {len(line) / 1e6:.1f} MB line answered in median {result['line_median_s']:.3f} s, "
          f"max {result['line_max_s']:.3f} s over {args.runs} runs (<= 0.2 s)")
    print(f"a {len(over) / 1e6:.1f} MB line (over the 64 MiB limit) refused in {skipped:.3f} s: {refused['error']['message']}; "
          "the ping behind it answered")
    write_json("mcp_framing.json", result)


if __name__ == "__main__":
    main()
