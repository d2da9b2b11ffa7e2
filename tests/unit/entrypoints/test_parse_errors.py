"""The server's own answers to what it cannot parse: gunicorn's status codes, our body."""

from __future__ import annotations

import json

import pytest
from gunicorn.http import errors as parse

from entrypoints.http.parse_errors import reply_to, response_bytes


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (parse.LimitRequestLine(5000, 4094), 414),
        (parse.LimitRequestHeaders("too many"), 431),
        (parse.InvalidRequestLine("x"), 400),
        (parse.InvalidHeader("X"), 400),
        (parse.InvalidChunkSize("z"), 400),
        (parse.UnsupportedTransferCoding("zstd"), 501),
        (parse.ExpectationFailed("x"), 417),
        (parse.ForbiddenProxyRequest("1.2.3.4"), 403),
    ],
)
def test_a_request_gunicorn_cannot_parse_gets_gunicorns_status(error: Exception, code: int) -> None:
    reply = reply_to(error)
    assert reply is not None
    assert reply.code == code


@pytest.mark.parametrize(
    "error",
    [
        parse.InvalidResponseHeader("X", "bad"),
        parse.InvalidResponseHeaderName("X"),
        parse.ConfigurationProblem("x"),
        RuntimeError("boom"),
    ],
)
def test_a_fault_of_the_server_is_no_client_error(error: Exception) -> None:
    assert reply_to(error) is None


def test_the_answer_is_a_whole_json_response_that_closes_the_connection() -> None:
    reply = reply_to(parse.LimitRequestLine(5000, 4094))
    assert reply is not None
    head, _, body = response_bytes(reply).partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 414 Request-URI Too Long"
    assert {"Connection: close", "Content-Type: application/problem+json"} <= set(lines)
    assert f"Content-Length: {len(body)}" in lines
    assert json.loads(body)["status"] == 414
