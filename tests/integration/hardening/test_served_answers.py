"""What the real server answers before the app sees a request, over raw sockets: requests
gunicorn cannot parse, and streamed bodies over the size limit. All of it is JSON."""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from entrypoints.devrun.processes import free_port
from integration.ops.support import TASK_ASSIGNER, Service, wait_until

SECRET = "served-answers-secret-of-at-least-32-bytes"
BODY_LIMIT = 4096


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers.get("content-type") == "application/problem+json", self.headers
        return json.loads(self.body)


@dataclass(frozen=True)
class Server:
    port: int
    service: Service

    def send(self, raw: bytes) -> Answer:
        """Send ``raw`` as it is, read until the server closes, and split the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as connection:
            connection.sendall(raw)
            connection.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := connection.recv(65536):
                received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in lines)}
        return Answer(int(status_line.split()[1]), headers, body)

    def healthy(self) -> bool:
        try:
            return self.send(request()).status == 200
        except OSError:
            return False


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``task-assigner serve`` with one worker, as deployed, on a port of its own."""
    port = free_port()
    env = {
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": "redis://127.0.0.1:9/0",  # no request here reaches Redis
        "JWT_SECRET": SECRET,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_WORKERS": "1",
        "MAX_REQUEST_BYTES": str(BODY_LIMIT),
        "PATH": "/usr/bin:/bin",
    }
    log = Path(tmp_path_factory.mktemp("served")) / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [TASK_ASSIGNER, "serve"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = Server(port, Service("serve", process, log))
    try:
        wait_until(running.healthy, timeout=30, what=f"the API on port {port}")
        yield running
    finally:
        running.service.stop()


def request(*header_lines: str, line: str = "GET /openapi.json HTTP/1.1") -> bytes:
    return "\r\n".join([line, "Host: t", *header_lines, "", ""]).encode("latin-1")


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (request(line=f"GET /{'a' * 5000} HTTP/1.1"), 414),
        (request(f"X-Big: {'b' * 9000}"), 431),
        (request(*(f"X-Many-{n}: x" for n in range(150))), 431),
        (b"\x00\x01\x02 garbage\r\n\r\n", 400),
        (request(line="G@T / HTTP/1.1"), 400),
        (request(line="GET / HTTP/9.9"), 400),
        (request("Bad Header: x"), 400),
        (request("Content-Length: nope"), 400),
        (request("Transfer-Encoding: gzip"), 400),
        (request("Transfer-Encoding: zstd"), 501),
    ],
    ids=["long-request-line", "huge-header", "too-many-headers", "garbage", "bad-method",
         "bad-version", "bad-header-name", "bad-content-length", "gzip-coding",
         "unknown-coding"],
)  # fmt: skip
def test_what_the_server_cannot_parse_is_answered_with_problem_details(
    server: Server, raw: bytes, status: int
) -> None:
    answer = server.send(raw)
    assert answer.status == status, (answer, server.service.output()[-2000:])
    body = answer.json()
    assert set(body) == {"type", "title", "status", "detail"}
    assert body["status"] == status
    assert int(answer.headers["content-length"]) == len(answer.body)


def chunked(payload: bytes, size: int = 1000) -> bytes:
    pieces = [payload[i : i + size] for i in range(0, len(payload), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


def post_chunked(path: str, payload: bytes) -> bytes:
    head = request(
        "Content-Type: application/json", "Transfer-Encoding: chunked", line=f"POST {path} HTTP/1.1"
    )
    return head + chunked(payload)


def test_a_chunked_body_over_the_limit_is_413_json(server: Server) -> None:
    payload = json.dumps({"email": "a@example.com", "password": "x" * (2 * BODY_LIMIT)}).encode()
    answer = server.send(post_chunked("/auth/login", payload))
    assert answer.status == 413, answer
    assert answer.json()["status"] == 413


def test_a_chunked_body_under_the_limit_is_read_whole(server: Server) -> None:
    """The control: the same route reads a streamed body that fits (and refuses the login)."""
    payload = json.dumps({"email": "nobody@example.com", "password": "wrong password"}).encode()
    answer = server.send(post_chunked("/auth/login", payload))
    assert answer.status == 401, answer
    assert answer.json()["status"] == 401
