"""Tokens that must not open the API: forged, expired, of the wrong kind, or outlived."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest
from flask.testing import FlaskClient

from application.auth import REUSE_GRACE
from integration.api.support import PASSWORD, SECRET, Caller, MovableClock, error_of


def claims_of(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token, options={"verify_signature": False}))


def with_token(client: FlaskClient, token: str, path: str = "/tasks") -> Any:
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_valid_token_opens_the_api(client: FlaskClient, alice: Caller) -> None:
    """The control for every refusal below."""
    assert with_token(client, alice.access).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer not-a-jwt"],
)
def test_missing_or_malformed_credentials_are_401(client: FlaskClient, header: str) -> None:
    response = client.get("/tasks", headers={"Authorization": header} if header else {})
    error_of(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unsigned_alg_none_token_is_refused(client: FlaskClient, alice: Caller) -> None:
    forged = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims_of(alice.access))}."
    error_of(with_token(client, forged), 401)


def test_a_token_signed_with_another_key_is_refused(client: FlaskClient, alice: Caller) -> None:
    forged = jwt.encode(claims_of(alice.access), "another-secret-" + "k" * 40, algorithm="HS256")
    error_of(with_token(client, forged), 401)


def test_a_token_made_admin_by_editing_its_claims_is_refused(
    client: FlaskClient, alice: Caller
) -> None:
    header, _, signature = alice.access.split(".")
    claims = {**claims_of(alice.access), "sub": str(uuid4()), "is_admin": True}
    error_of(with_token(client, f"{header}.{_b64(claims)}.{signature}"), 401)


def test_an_expired_token_is_refused(client: FlaskClient, alice: Caller) -> None:
    past = datetime.now(UTC) - timedelta(hours=2)
    expired = {
        **claims_of(alice.access),
        "iat": int(past.timestamp()),
        "exp": int((past + timedelta(minutes=30)).timestamp()),
    }
    error_of(with_token(client, jwt.encode(expired, SECRET, algorithm="HS256")), 401)


def test_a_refresh_token_is_not_an_access_token(client: FlaskClient, alice: Caller) -> None:
    error_of(with_token(client, alice.refresh), 401)


def test_an_access_token_is_not_a_refresh_token(client: FlaskClient, alice: Caller) -> None:
    error_of(client.post("/auth/refresh", json={"refresh": alice.access}), 401)


def test_a_token_for_someone_who_never_existed_is_refused(
    client: FlaskClient, alice: Caller
) -> None:
    stranger = {**claims_of(alice.access), "sub": str(uuid4())}
    error_of(with_token(client, jwt.encode(stranger, SECRET, algorithm="HS256")), 401)


def test_a_replayed_refresh_token_kills_the_pair_it_had_produced(
    client: FlaskClient, alice: Caller, clock: MovableClock
) -> None:
    rotated = client.post("/auth/refresh", json={"refresh": alice.refresh}).get_json()["token"]
    clock.advance(REUSE_GRACE + timedelta(seconds=1))
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    error_of(client.post("/auth/refresh", json={"refresh": rotated["refresh"]}), 401)


def test_a_deleted_users_tokens_stop_working_at_once(
    client: FlaskClient, admin: Caller, alice: Caller
) -> None:
    assert admin.delete(f"/users/{alice.user_id}").status_code == 204
    error_of(with_token(client, alice.access), 401)
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    error_of(client.post("/auth/login", json={"email": alice.email, "password": PASSWORD}), 401)


def test_changing_the_password_ends_the_old_tokens(client: FlaskClient, alice: Caller) -> None:
    changed = alice.patch(f"/users/{alice.user_id}", json={"password": "a brand new password"})
    assert changed.status_code == 200
    error_of(with_token(client, alice.access), 401)
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    fresh = client.post(
        "/auth/login", json={"email": alice.email, "password": "a brand new password"}
    )
    assert fresh.status_code == 200
    assert with_token(client, fresh.get_json()["token"]["access"]).status_code == 200


def test_a_token_of_an_older_version_is_refused_even_when_well_signed(
    client: FlaskClient, alice: Caller
) -> None:
    alice.patch(f"/users/{alice.user_id}", json={"password": "a brand new password"})
    resigned = jwt.encode(claims_of(alice.access), SECRET, algorithm="HS256")
    error_of(with_token(client, resigned), 401)


def signed(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, SECRET, algorithm="HS256")


@pytest.mark.parametrize(
    "odd",
    [
        {"exp": 10**17},
        {"exp": 2**63},
        {"iat": 0, "exp": 10**17},
        {"ver": 10**30},
        {"ver": -1},
        {"sub": "\x00"},
        {"jti": "a" * 31 + "\x00"},
        {"jti": "a" * 31 + "\ud800"},
        {"fam": "a" * 32},
    ],
    ids=["far-expiry", "int64-expiry", "epoch-to-far", "huge-version", "negative-version",
         "nul-subject", "nul-id", "surrogate-id", "access-with-family"],
)  # fmt: skip
def test_a_well_signed_access_token_with_odd_claims_is_401(
    client: FlaskClient, alice: Caller, odd: dict[str, Any]
) -> None:
    error_of(with_token(client, signed({**claims_of(alice.access), **odd})), 401)


@pytest.mark.parametrize(
    "odd",
    [
        {"exp": 10**17},
        {"jti": "a" * 31 + "\x00"},
        {"jti": "a" * 31 + "\ud800"},
        {"fam": "f" * 31 + "\x00"},
        {"fam": "f" * 31 + "\udfff"},
        {"fam": None},
    ],
    ids=["far-expiry", "nul-id", "surrogate-id", "nul-family", "surrogate-family", "no-family"],
)
def test_a_well_signed_refresh_token_with_odd_claims_is_401(
    client: FlaskClient, alice: Caller, odd: dict[str, Any]
) -> None:
    claims = {k: v for k, v in {**claims_of(alice.refresh), **odd}.items() if v is not None}
    error_of(client.post("/auth/refresh", json={"refresh": signed(claims)}), 401)
