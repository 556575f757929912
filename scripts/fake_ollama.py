#!/usr/bin/env python3
"""An Ollama-compatible test server that records what reaches it.

Answers /api/chat (a short streamed reply citing [1]) and /api/embed (deterministic unit
vectors of --dimensions), and appends every request as one JSON line {"path", "body"} to
RECORD. Prints the port it listens on, then serves until killed. Test use only: it lets
scripts/security_smoke.sh see exactly what the Ollama backend sends to a model.

    scripts/fake_ollama.py RECORD [--dimensions 384]
"""
import argparse
import hashlib
import json
import math
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def vector(text, dimensions):
    """A unit vector that depends only on the text."""
    values = []
    counter = 0
    while len(values) < dimensions:
        digest = hashlib.sha256(f"{counter}:{text}".encode()).digest()
        values.extend(x / 2**31 - 1.0 for x in struct.unpack("<8I", digest))
        counter += 1
    values = values[:dimensions]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def handler(record, dimensions):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/api/tags":
                self.reply(200, {"models": []})
            elif self.path == "/api/version":
                self.reply(200, {"version": "0.0.0-test"})
            else:
                self.reply(200, b"Ollama is running", "text/plain")

        def do_POST(self):
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                self.reply(400, {"error": "not JSON"})
                return
            with LOCK, open(record, "a", encoding="utf-8") as out:
                out.write(json.dumps({"path": self.path, "body": body}) + "\n")
            model = body.get("model", "test")
            if self.path == "/api/chat":
                stamp = "2026-01-01T00:00:00Z"
                lines = [
                    {"model": model, "created_at": stamp, "done": False,
                     "message": {"role": "assistant", "content": "See the handbook [1]."}},
                    {"model": model, "created_at": stamp, "done": True, "done_reason": "stop",
                     "message": {"role": "assistant", "content": ""},
                     "total_duration": 1, "load_duration": 1, "prompt_eval_count": 10,
                     "prompt_eval_duration": 1, "eval_count": 5, "eval_duration": 1},
                ]
                data = "".join(json.dumps(line) + "\n" for line in lines).encode()
                self.reply(200, data, "application/x-ndjson")
            elif self.path == "/api/embed":
                texts = body.get("input", [])
                texts = [texts] if isinstance(texts, str) else texts
                self.reply(200, {"model": model, "embeddings": [vector(t, dimensions) for t in texts]})
            else:
                self.reply(404, {"error": f"no route {self.path}"})

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("record")
    parser.add_argument("--dimensions", type=int, default=384)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler(args.record, args.dimensions))
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
