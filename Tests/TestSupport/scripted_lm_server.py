#!/usr/bin/env python3
"""A scripted LM server for tests: OpenAI- and Anthropic-compatible HTTP on 127.0.0.1.

Usage: scripted_lm_server.py SCRIPT.json — prints the port it listens on, then serves. Each POST
takes the next step of the script (the last step repeats):
  {"status": 200, "body": {...} | "raw": "text", "headers": {...}, "delay": seconds,
   "reset": true (close the connection without answering)}
A body may be the string "openai:<text>" or "anthropic:<text>" for a standard reply with usage.
  {"model": "m", ...} serves only requests for model m (steps without "model" serve any); each request
  takes the first unused step that serves it, and the last one repeats once all are used.
  {"echo": "prefix "} answers (OpenAI format) with the prefix and the first 120 chars of the last message.
  {"stream": ["Hel", "lo"], "format": "openai"|"anthropic", "cut_after": n, "interval": s} answers with
  server-sent events, optionally dropping the connection after n events; with "error_event": {...} the
  stream sends its chunks, then that object as the provider's error event, and ends.
  {"endless": "text", "status": s} answers with a body that never ends (the text over and over, in
  64 KiB writes) until the client goes away; with "stream": true, as an SSE stream of deltas.
  {"hang": true} reads the request and never answers.
GET /_log returns the requests seen: [{"path", "headers", "body", "connection"}]; POST /_reset
forgets them and starts the script over (benchmarks replay it many times).
"""
import json, socket, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

script = json.load(open(sys.argv[1]))
lock = threading.Lock()
log = []
connections = {}


def standard(body):
    if isinstance(body, str) and body.startswith("openai:"):
        return {"id": "c1", "object": "chat.completion", "model": "scripted-model",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": body[7:]}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 5, "total_tokens": 17, "prompt_tokens_details": {"cached_tokens": 4}}}
    if isinstance(body, str) and body.startswith("anthropic:"):
        return {"id": "m1", "type": "message", "role": "assistant", "model": "scripted-model",
                "content": [{"type": "text", "text": body[10:]}], "stop_reason": "end_turn",
                "usage": {"input_tokens": 10, "output_tokens": 5, "cache_read_input_tokens": 3, "cache_creation_input_tokens": 2}}
    return body


used = set()


def pick(request):
    """The step for this request: the first unused one serving its model, else the last that does."""
    model = (request or {}).get("model")
    candidates = [i for i, s in enumerate(script) if s.get("model") in (None, model)] or [len(script) - 1]
    fresh = [i for i in candidates if i not in used]
    chosen = fresh[0] if fresh else candidates[-1]
    used.add(chosen)
    current = dict(script[chosen])
    if "echo" in current:
        messages = (request or {}).get("messages") or [{}]
        last = messages[-1].get("content") or ""
        current["body"] = "openai:" + current["echo"] + (last if isinstance(last, str) else json.dumps(last))[:120]
    return current


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; without this, Nagle plus delayed ACKs add 40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):
        with lock:
            data = json.dumps(log).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path == "/_reset":
            with lock:
                used.clear()
                log.clear()
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        peer = "%s:%d" % self.client_address
        with lock:
            connections.setdefault(peer, len(connections))
            log.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": json.loads(body or b"null"), "connection": connections[peer]})
            current = pick(json.loads(body or b"null"))
        if current.get("delay"):
            time.sleep(current["delay"])
        if current.get("hang"):
            while True:
                time.sleep(3600)
        if "endless" in current:
            self.send_endless(current)
            return
        if current.get("reset"):
            # shutdown, not close: the handler's file objects keep the descriptor open otherwise.
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if "stream" in current:
            self.send_stream(current)
            return
        raw = current.get("raw")
        data = raw.encode() if raw is not None else json.dumps(standard(current.get("body", {}))).encode()
        self.send_response(current.get("status", 200))
        for key, value in current.get("headers", {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_endless(self, step):
        """A body that never ends: the client must cut it off."""
        self.send_response(step.get("status", 200))
        self.send_header("Content-Type", "text/event-stream" if step.get("stream") else "application/json")
        self.send_header("Content-Length", str(1 << 40))
        self.end_headers()
        self.close_connection = True
        if step.get("stream"):
            event = "data: " + json.dumps({"model": "m", "choices": [{"index": 0, "delta": {"content": step["endless"]}}]}) + "\n\n"
        else:
            event = step["endless"]
        chunk = (event * max(1, 65536 // len(event))).encode()  # whole events only
        try:
            while True:
                self.wfile.write(chunk)
        except OSError:
            pass

    def send_stream(self, step):
        """Server-sent events in the OpenAI or Anthropic format; `cut_after` drops the connection mid-stream."""
        chunks, anthropic = step["stream"], step.get("format") == "anthropic"
        events = []
        if anthropic:
            events.append(("message_start", {"type": "message_start", "message": {"model": "scripted-model", "usage": {
                "input_tokens": 10, "output_tokens": 1, "cache_read_input_tokens": 3, "cache_creation_input_tokens": 2}}}))
            events.append(("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}))
            events += [("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": c}}) for c in chunks]
            if "error_event" in step:
                events.append(("error", step["error_event"]))
            events.append(("content_block_stop", {"type": "content_block_stop", "index": 0}))
            events.append(("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn"}, "usage": {"output_tokens": 5}}))
            events.append(("message_stop", {"type": "message_stop"}))
        else:
            events += [(None, {"model": "scripted-model", "choices": [{"index": 0, "delta": {"content": c}, "finish_reason": None}]}) for c in chunks]
            if "error_event" in step:
                events.append((None, step["error_event"]))
            events.append((None, {"model": "scripted-model", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            events.append((None, {"model": "scripted-model", "choices": [], "usage": {"prompt_tokens": 12, "completion_tokens": 5,
                                                                                        "prompt_tokens_details": {"cached_tokens": 4}}}))
            events.append((None, "[DONE]"))
        if "error_event" in step:
            events = events[:events.index(next(e for e in events if e[1] is step["error_event"])) + 1]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        for key, value in step.get("headers", {}).items():
            self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        for number, (name, data) in enumerate(events):
            if step.get("cut_after") is not None and number >= step["cut_after"]:
                self.wfile.flush()
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            text = data if isinstance(data, str) else json.dumps(data)
            self.wfile.write(((f"event: {name}\n" if name else "") + f"data: {text}\n\n").encode())
            self.wfile.flush()
            time.sleep(step.get("interval", 0.01))


ThreadingHTTPServer.request_queue_size = 256  # socketserver's default backlog of 5 resets concurrent clients


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
