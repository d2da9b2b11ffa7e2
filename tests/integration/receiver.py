"""A real HTTP receiver of webhooks on 127.0.0.1, in a thread of the test process: it keeps
what it was sent and answers with the statuses it is told (and may take its time)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    #: Answers for the next requests, in order; then ``status``.
    script: list[int] = field(default_factory=list)
    status: int = 204
    #: Seconds to wait before answering the next requests, in order; then none.
    delays: list[float] = field(default_factory=list)
    #: Requests that arrived, answered or not (a delivery cut off in the middle counts).
    arrived: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def types(self) -> list[str]:
        return [item.json["type"] for item in self.received]

    def ids(self) -> list[str]:
        return [item.headers["webhook-id"] for item in self.received]


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
            with state.lock:
                state.arrived += 1
                delay = state.delays.pop(0) if state.delays else 0.0
            time.sleep(delay)
            with state.lock:
                status = state.script.pop(0) if state.script else state.status
                if 200 <= status < 300:
                    state.received.append(Received(dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
