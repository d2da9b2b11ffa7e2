"""Webhook calls over the network: resolving a host, and one POST to an address checked
beforehand, with the standard library's HTTP client.

The connection goes to the address given, not to whatever the name resolves to by then, so
the address rule (``application.webhooks.destinations``) holds for the call actually made;
TLS still verifies the certificate against the URL's host name.
"""

from __future__ import annotations

import http.client
import random
import socket
import ssl
import time
from typing import Final
from urllib.parse import urlsplit

from application.webhooks.ports import Request, Response
from domain.webhooks import JITTER

USER_AGENT: Final = "task-assigner-webhooks/1"
#: How much of an unexpected error is kept in the log.
ERROR_MAX_LENGTH: Final = 500


class SystemResolver:
    def addresses(self, host: str, port: int) -> list[str]:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return []
        return list(dict.fromkeys(str(info[4][0]) for info in found))


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address, verifying the certificate for the URL's host."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class HttpSender:
    def send(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        secure = parts.scheme == "https"
        kind = _PinnedHTTPSConnection if secure else _PinnedHTTPConnection
        port = parts.port or (443 if secure else 80)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        started = time.perf_counter()
        connection = kind(parts.hostname or "", port, request.address, request.timeout_seconds)
        try:
            connection.request(
                "POST",
                path,
                body=request.body.encode(),
                headers={**request.headers, "user-agent": USER_AGENT},
            )
            answer = connection.getresponse()
            answer.read(64 * 1024)  # a little of the body, so the connection ends cleanly
            status, error = answer.status, None
        except (OSError, http.client.HTTPException) as problem:
            status, error = None, f"{type(problem).__name__}: {problem}"[:ERROR_MAX_LENGTH]
        finally:
            connection.close()
        return Response(status, round((time.perf_counter() - started) * 1000, 2), error)


def jitter() -> float:
    return random.uniform(-JITTER, JITTER)  # noqa: S311 - spreads retries, not a secret
