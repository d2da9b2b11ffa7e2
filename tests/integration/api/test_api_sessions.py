"""A login is a session: every token it issued, access tokens included, ends together — when a
stolen refresh token is replayed, and when its owner logs out."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from application.auth import REUSE_GRACE
from integration.api.support import PASSWORD, Caller, MovableClock, error_of


def refresh(client: FlaskClient, token: str) -> dict[str, str]:
    response = client.post("/auth/refresh", json={"refresh": token})
    assert response.status_code == 200, response.get_json()
    pair: dict[str, str] = response.get_json()["token"]
    return pair


def works(client: FlaskClient, access: str) -> bool:
    response = client.get("/tasks", headers={"Authorization": f"Bearer {access}"})
    assert response.status_code in (200, 401), response.get_json()
    return response.status_code == 200


def log_in(client: FlaskClient, email: str) -> dict[str, str]:
    response = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    pair: dict[str, str] = response.get_json()["token"]
    return pair


def test_a_replay_ends_the_logins_access_tokens_at_once(
    client: FlaskClient, alice: Caller, clock: MovableClock
) -> None:
    rotated = refresh(client, alice.refresh)
    clock.advance(REUSE_GRACE + timedelta(seconds=1))
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)

    assert not works(client, alice.access)
    assert not works(client, rotated["access"])
    error_of(client.post("/auth/refresh", json={"refresh": rotated["refresh"]}), 401)


def test_a_replay_leaves_the_other_logins_access_tokens_alone(
    client: FlaskClient, alice: Caller, clock: MovableClock
) -> None:
    other = log_in(client, alice.email)
    refresh(client, alice.refresh)
    clock.advance(REUSE_GRACE + timedelta(seconds=1))
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    assert works(client, other["access"])


def test_a_second_use_within_the_grace_is_refused_but_ends_nothing(
    client: FlaskClient, alice: Caller
) -> None:
    rotated = refresh(client, alice.refresh)
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    assert works(client, rotated["access"])
    assert works(client, refresh(client, rotated["refresh"])["access"])


def test_logout_ends_the_callers_login(client: FlaskClient, alice: Caller) -> None:
    other = log_in(client, alice.email)
    response = alice.post("/auth/logout")
    assert response.status_code == 204, response.get_json()
    assert response.get_data() == b""

    assert not works(client, alice.access)
    error_of(client.post("/auth/refresh", json={"refresh": alice.refresh}), 401)
    # Only that login: the same person signed in elsewhere stays signed in.
    assert works(client, other["access"])
    refresh(client, other["refresh"])


def test_logout_ends_the_tokens_the_login_rotated_to(client: FlaskClient, alice: Caller) -> None:
    rotated = refresh(client, alice.refresh)
    headers = {"Authorization": f"Bearer {rotated['access']}"}
    assert client.post("/auth/logout", headers=headers).status_code == 204
    assert not works(client, rotated["access"])
    error_of(client.post("/auth/refresh", json={"refresh": rotated["refresh"]}), 401)


def test_logout_needs_a_live_access_token(client: FlaskClient, alice: Caller) -> None:
    error_of(client.post("/auth/logout"), 401)
    error_of(client.post("/auth/logout", headers={"Authorization": f"Bearer {alice.refresh}"}), 401)
    assert alice.post("/auth/logout").status_code == 204
    error_of(alice.post("/auth/logout"), 401)
