#!/usr/bin/env python3
"""Daemon benchmark (issue 7): `rlmd serve --stdio` over real pipes, release build.

- initialize: time from starting the process to the initialize response, on an indexed workspace;
- rlm/status latency while 8 asks run (each ask's first model reply takes 3 s at the scripted server);
- 10,000 small requests (rlm/status) written at once: requests answered per second through framing + dispatch;
- cancel: time from $/cancelRequest to the -32800 answer of an ask whose cell is sleeping in the REPL.
Run `make bench` or `benchmarks/daemon_bench.py` after `make release`.
"""
import json, os, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from store_bench import RLMD, sh, this_repo  # noqa: E402
from lm_bench import start  # noqa: E402



def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Daemon:
    def __init__(self, root, env):
        self.started = time.perf_counter()
        self.process = subprocess.Popen([RLMD, "serve", "--stdio", "--log-level", "error"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
        self.replies, self.lock, self.arrived = {}, threading.Lock(), threading.Condition()
        threading.Thread(target=self.reader, daemon=True).start()
        self.root = root

    def reader(self):
        """Reads in large chunks and splits frames itself: a byte-at-a-time reader caps out far below the daemon."""
        stream, buffer = self.process.stdout, b""
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                return
            buffer += chunk
            while True:
                end = buffer.find(b"\r\n\r\n")
                if end < 0:
                    break
                length = int(buffer[:end].split(b":")[1])
                if len(buffer) < end + 4 + length:
                    break
                message = json.loads(buffer[end + 4:end + 4 + length])
                buffer = buffer[end + 4 + length:]
                if "id" in message and "method" not in message:
                    with self.arrived:
                        self.replies[message["id"]] = (time.perf_counter(), message)
                        self.arrived.notify_all()

    def send(self, message):
        self.process.stdin.write(frame(message))

    def wait(self, id, timeout=60):
        with self.arrived:
            self.arrived.wait_for(lambda: id in self.replies, timeout)
            return self.replies.get(id)

    def close(self):
        self.send({"jsonrpc": "2.0", "id": "bye", "method": "shutdown"})
        self.wait("bye")
        self.send({"jsonrpc": "2.0", "method": "exit"})
        self.process.wait(timeout=10)


def main():
    if not os.path.exists(RLMD):
        sys.exit("build first: make release")
    with tempfile.TemporaryDirectory() as tmp:
        root = this_repo(tmp)
        lm, port = start([{"model": "root-model", "delay": 3, "body": "openai:```repl\nprint(1)\n```"},
                          {"model": "slow-model", "body": "openai:```repl\nimport time\ntime.sleep(60)\n```"}])
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), XDG_STATE_HOME=os.path.join(tmp, "state"),
                   RLMD_BASE_URL=f"http://127.0.0.1:{port}/v1", RLMD_MODEL="root-model", OPENAI_API_KEY="", ANTHROPIC_API_KEY="")
        sh([RLMD, "index", root], env=env)
        init = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": "file://" + root}}

        starts = []
        for _ in range(5):
            daemon = Daemon(root, env)
            daemon.send(init)
            at, _ = daemon.wait(0)
            starts.append((at - daemon.started) * 1000)
            daemon.close()

        daemon = Daemon(root, env)
        daemon.send(init)
        daemon.wait(0)
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
        lm.kill()
    result = {"initialize_ms": statistics.median(starts), "status_median_ms": statistics.median(latencies),
              "status_max_ms": max(latencies), "jobs_running": running, "requests_per_second": rate,
              "cancel_median_ms": statistics.median(cancels), "cancel_max_ms": max(cancels)}
    print(f"initialize answered {result['initialize_ms']:.1f} ms after start (<= 50 ms)")
    print(f"rlm/status with {running} asks running: median {result['status_median_ms']:.2f} ms, max {result['status_max_ms']:.2f} ms (<= 10 ms)")
    print(f"10,000 rlm/status requests: {rate:,.0f} per second (>= 20,000)")
    print(f"cancel to -32800 answer: median {result['cancel_median_ms']:.1f} ms, max {result['cancel_max_ms']:.1f} ms (<= 100 ms)")
    os.makedirs(os.path.join(HERE, "out"), exist_ok=True)
    json.dump(result, open(os.path.join(HERE, "out", "daemon.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
