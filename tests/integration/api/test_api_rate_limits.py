"""POST /auth/login tells its limits on every answer that counted an attempt: the IETF
RateLimit-Policy and RateLimit fields, and Retry-After on the 429."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from integration.api.support import PASSWORD, Caller, error_of

POLICY = '"address";q=30;w=900, "account";q=5;w=900'
STATE = re.compile(r'^"address";r=(\d+);t=(\d+), "account";r=(\d+);t=(\d+)$')


def login(client: FlaskClient, email: str, password: str) -> TestResponse:
    return client.post("/auth/login", json={"email": email, "password": password})


def left(response: TestResponse) -> tuple[int, int]:
    """What RateLimit says remains: (per address, per account)."""
    assert response.headers["RateLimit-Policy"] == POLICY
    state = STATE.match(response.headers["RateLimit"])
    assert state, response.headers["RateLimit"]
    by_address, address_reset, by_account, account_reset = map(int, state.groups())
    assert 0 < address_reset <= 900
    assert 0 < account_reset <= 900
    return by_address, by_account


def test_the_quotas_count_down_with_each_attempt(client: FlaskClient, alice: Caller) -> None:
    answers = [login(client, alice.email, "wrong guess") for _ in range(5)]
    assert {answer.status_code for answer in answers} == {401}
    assert [left(answer) for answer in answers] == [(29, 4), (28, 3), (27, 2), (26, 1), (25, 0)]


def test_a_success_tells_the_quotas_and_gives_them_back(client: FlaskClient, alice: Caller) -> None:
    for _ in range(3):
        login(client, alice.email, "wrong guess")
    success = login(client, alice.email, PASSWORD)
    assert success.status_code == 200
    assert left(success) == (26, 1)
    # The account's failures are forgotten; the address gets the success's attempt back.
    assert left(login(client, alice.email, "wrong guess")) == (26, 4)


def test_a_429_carries_the_quotas_and_retry_after(client: FlaskClient, alice: Caller) -> None:
    for _ in range(5):
        login(client, alice.email, "wrong guess")
    throttled = login(client, alice.email, PASSWORD)
    error_of(throttled, 429)
    assert int(throttled.headers["Retry-After"]) >= 1
    assert left(throttled)[1] == 0


def test_answers_that_counted_nothing_tell_no_quotas(client: FlaskClient) -> None:
    refused = client.post("/auth/login", json={"email": "a@example.com"})
    error_of(refused, 422)
    assert "RateLimit" not in refused.headers
    assert "RateLimit-Policy" not in refused.headers


def test_the_document_describes_the_fields_on_every_login_answer(client: FlaskClient) -> None:
    answers = client.get("/openapi.json").get_json()["paths"]["/auth/login"]["post"]["responses"]
    for status in ("200", "401", "429"):
        assert {"RateLimit-Policy", "RateLimit"} <= set(answers[status]["headers"]), status
    assert "Retry-After" in answers["429"]["headers"]
