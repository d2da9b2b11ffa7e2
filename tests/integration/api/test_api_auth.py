"""POST /auth/register, /auth/login, /auth/refresh."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient

from application.auth import REUSE_GRACE
from integration.api.support import PASSWORD, Caller, MovableClock, error_of, fields_of, user_id_of


def register(client: FlaskClient, **overrides: Any) -> Any:
    body = {
        "email": "dana@example.com",
        "name": "Dana",
        "password": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post("/auth/register", json=body)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/auth/login", json={"email": email, "password": password})


def test_register_answers_201_with_a_token_pair_that_works(client: FlaskClient) -> None:
    response = register(client)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token"}
    assert set(body["token"]) == {"access", "refresh"}
    me = client.get(
        f"/users/{user_id_of(body['token']['access'])}",
        headers={"Authorization": f"Bearer {body['token']['access']}"},
    )
    assert me.status_code == 200
    assert me.get_json()["email"] == "dana@example.com"
    assert me.get_json()["meta"] == {"is_admin": False, "is_staff": False, "is_superuser": False}


def test_register_needs_the_two_passwords_to_match(client: FlaskClient) -> None:
    body = error_of(register(client, password2="another password"), 422)
    assert "password2" in fields_of(body)


def test_register_refuses_a_taken_email_whatever_its_case(client: FlaskClient) -> None:
    assert register(client).status_code == 201
    error_of(register(client, email="DANA@Example.com"), 409)


def test_register_keeps_the_email_as_given_but_for_its_domain(client: FlaskClient) -> None:
    token = register(client, email="Mixed.Case@Example.COM").get_json()["token"]["access"]
    me = client.get(f"/users/{user_id_of(token)}", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["email"] == "Mixed.Case@example.com"


def test_one_account_whatever_the_case_of_its_address_even_folded(client: FlaskClient) -> None:
    assert register(client, email="Straße@example.com").status_code == 201
    error_of(register(client, email="STRASSE@example.com"), 409)
    login = client.post("/auth/login", json={"email": "strasse@EXAMPLE.com", "password": PASSWORD})
    assert login.status_code == 200, login.get_json()


def test_register_refuses_short_and_over_long_passwords(client: FlaskClient) -> None:
    short = error_of(register(client, password="short", password2="short"), 422)
    assert "password" in fields_of(short)
    long_password = "é" * 37  # 74 bytes: bcrypt would silently ignore the end
    too_long = error_of(register(client, password=long_password, password2=long_password), 422)
    assert "password" in fields_of(too_long)


def test_register_refuses_missing_unknown_and_malformed_fields(client: FlaskClient) -> None:
    missing = error_of(client.post("/auth/register", json={"email": "e@example.com"}), 422)
    assert {"name", "password", "password2"} <= set(fields_of(missing))
    unknown = error_of(register(client, is_admin=True), 422)
    assert "is_admin" in fields_of(unknown)
    error_of(register(client, email="not an email"), 422)
    error_of(register(client, name="   "), 422)
    error_of(register(client, name="nul\u0000byte"), 422)
    error_of(register(client, email=12), 422)


def test_login_answers_a_fresh_token_pair(client: FlaskClient, alice: Caller) -> None:
    response = login(client, "ALICE@example.com")
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert set(token) == {"access", "refresh"}
    assert user_id_of(token["access"]) == alice.user_id
    assert token["access"] != alice.access


def test_unknown_email_and_wrong_password_get_the_same_answer(
    client: FlaskClient, alice: Caller
) -> None:
    unknown = login(client, "nobody@example.com")
    wrong = login(client, alice.email, "not the password")
    assert error_of(unknown, 401) == error_of(wrong, 401)
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"] == "Bearer"


def test_login_with_an_over_long_or_odd_password_is_a_plain_401(
    client: FlaskClient, alice: Caller
) -> None:
    error_of(login(client, alice.email, "x" * 200), 401)
    error_of(login(client, "not an email", PASSWORD), 401)


@pytest.mark.parametrize(
    "email",
    [
        "a" * 250 + "@example.com",  # over the 254 characters an address may have
        "ß" * 130 + "@example.com",  # 142 characters, 272 once casefolded
    ],
)
def test_login_with_any_email_string_is_a_plain_401(client: FlaskClient, email: str) -> None:
    error_of(login(client, email), 401)
    error_of(login(client, email), 401)  # the second one finds the first one's count


def test_repeated_failures_are_slowed_down_with_retry_after(
    client: FlaskClient, alice: Caller
) -> None:
    for _ in range(5):
        error_of(login(client, alice.email, "wrong password"), 401)
    throttled = login(client, alice.email, PASSWORD)
    error_of(throttled, 429)
    assert int(throttled.headers["Retry-After"]) >= 1


def test_refresh_answers_a_new_pair_that_works(client: FlaskClient, alice: Caller) -> None:
    response = client.post("/auth/refresh", json={"refresh": alice.refresh})
    assert response.status_code == 200
    token = response.get_json()["token"]
    assert token["refresh"] != alice.refresh
    me = client.get("/tasks", headers={"Authorization": f"Bearer {token['access']}"})
    assert me.status_code == 200


def test_a_refresh_token_works_exactly_once(client: FlaskClient, alice: Caller) -> None:
    assert client.post("/auth/refresh", json={"refresh": alice.refresh}).status_code == 200
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)


def test_a_replayed_refresh_token_revokes_its_whole_family(
    client: FlaskClient, alice: Caller, clock: MovableClock
) -> None:
    rotated = client.post("/auth/refresh", json={"refresh": alice.refresh}).get_json()["token"]
    clock.advance(REUSE_GRACE + timedelta(seconds=1))
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    # The legitimate holder's newer token descends from the same login: it is dead too.
    error_of(client.post("/auth/refresh", json={"refresh": rotated["refresh"]}), 401)


def test_a_replay_leaves_other_logins_alone(
    client: FlaskClient, alice: Caller, clock: MovableClock
) -> None:
    other_login = login(client, alice.email).get_json()["token"]
    client.post("/auth/refresh", json={"refresh": alice.refresh})
    clock.advance(REUSE_GRACE + timedelta(seconds=1))
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    assert client.post("/auth/refresh", json={"refresh": other_login["refresh"]}).status_code == 200


def test_refresh_refuses_garbage_and_missing_tokens(client: FlaskClient) -> None:
    error_of(client.post("/auth/refresh", json={"refresh": "not.a.token"}), 401)
    error_of(client.post("/auth/refresh", json={}), 422)
