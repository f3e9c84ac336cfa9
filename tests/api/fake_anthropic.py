"""A small HTTP server on loopback that speaks Anthropic's Messages streaming protocol.

Tests tell it how to answer (text pieces, a break midway, a stall, a failure before the
stream) and read back every request the real `anthropic` client sent it.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    pieces: list[str] = field(default_factory=lambda: ["Hello."])
    delay: float = 0.0  # seconds between pieces
    break_after: int | None = None  # close the connection after this many pieces
    stall_after: int | None = None  # stop sending (but keep the connection) after this many pieces
    fail_first: int = 0  # answer fail_status to this many requests before streaming
    fail_status: int = 500  # 429: rate limited, 529: overloaded
    retry_after: str | None = None  # the Retry-After header sent with a failure


class FakeAnthropic:
    def __init__(self):
        self.script = Script()
        self.requests: list[dict] = []
        self.sent_at: list[float] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if fake.script.fail_first > 0:
                    fake.script.fail_first -= 1
                    payload = json.dumps({"type": "error", "error": {"type": "api_error", "message": "try again"}}).encode()
                    self.send_response(fake.script.fail_status)
                    self.send_header("content-type", "application/json")
                    if fake.script.retry_after is not None:
                        self.send_header("retry-after", fake.script.retry_after)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                fake.stream(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def reset(self, **script) -> None:
        self.script = Script(**script)
        self.requests.clear()
        self.sent_at.clear()

    def stream(self, handler) -> None:
        script = self.script

        def send(event: str, data: dict) -> None:
            handler.wfile.write(f"event: {event}\ndata: {json.dumps(data)}\n\n".encode())
            handler.wfile.flush()

        send("message_start", {"type": "message_start", "message": {
            "id": "msg_test", "type": "message", "role": "assistant", "model": "test-model", "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 50, "output_tokens": 1}}})
        send("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
        for i, piece in enumerate(script.pieces):
            if script.break_after is not None and i == script.break_after:
                handler.wfile.write(b"event: content_block_delta\ndata: {\"type\": \"content_blo")
                handler.wfile.flush()
                handler.connection.shutdown(2)
                return
            if script.stall_after is not None and i == script.stall_after:
                time.sleep(30)
                return
            if script.delay:
                time.sleep(script.delay)
            send("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}})
            self.sent_at.append(time.monotonic())
        send("content_block_stop", {"type": "content_block_stop", "index": 0})
        send("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                               "usage": {"output_tokens": 20}})
        send("message_stop", {"type": "message_stop"})

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
