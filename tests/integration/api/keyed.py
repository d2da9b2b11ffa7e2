"""Sending keyed requests (Idempotency-Key), and comparing answers as a replay must repeat them."""

from __future__ import annotations

from typing import Any

from werkzeug.test import TestResponse

from integration.api.support import Caller

KEY = '"8e03978e-40d5-43e8-bc93-6894a57f9324"'
#: Headers every answer has of its own, replays included.
PER_REQUEST = {"X-Request-ID"}


def keyed(caller: Caller, path: str, body: Any = None, key: str = KEY) -> TestResponse:
    return caller.client.post(path, json=body, headers={**caller.headers, "Idempotency-Key": key})


def answer_of(response: TestResponse) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST}
    return response.status_code, headers, response.get_data()
