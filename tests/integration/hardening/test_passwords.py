"""bcrypt reads 72 bytes at most: longer passwords are a 422 wherever a password is set, and
never reach bcrypt (which raises on them) when someone logs in with one."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from integration.api.support import PASSWORD, Caller, error_of, fields_of

TOO_LONG = {
    "73 ASCII bytes": "a" * 73,
    "64 emoji (256 bytes)": "\N{GRINNING FACE}" * 64,
    "19 emoji (76 bytes)": "\N{GRINNING FACE}" * 19,
}
LONGEST = {"72 ASCII bytes": "a" * 72, "18 emoji (72 bytes)": "\N{GRINNING FACE}" * 18}


@pytest.mark.parametrize("password", TOO_LONG.values(), ids=TOO_LONG.keys())
def test_sign_up_refuses_a_password_over_72_bytes(client: FlaskClient, password: str) -> None:
    body = {"email": "long@example.com", "name": "Long", "password": password}
    body["password2"] = password
    errors = fields_of(error_of(client.post("/auth/register", json=body), 422))
    assert "password" in errors


@pytest.mark.parametrize("password", LONGEST.values(), ids=LONGEST.keys())
def test_sign_up_accepts_exactly_72_bytes_and_logs_in_with_them(
    client: FlaskClient, password: str
) -> None:
    body = {"email": "edge@example.com", "name": "Edge", "password": password}
    assert client.post("/auth/register", json={**body, "password2": password}).status_code == 201
    login = client.post("/auth/login", json={"email": "edge@example.com", "password": password})
    assert login.status_code == 200, login.get_json()


@pytest.mark.parametrize("password", TOO_LONG.values(), ids=TOO_LONG.keys())
def test_changing_to_a_password_over_72_bytes_is_a_422(alice: Caller, password: str) -> None:
    response = alice.patch(f"/users/{alice.user_id}", json={"password": password})
    assert "password" in fields_of(error_of(response, 422))
    login = alice.client.post("/auth/login", json={"email": alice.email, "password": PASSWORD})
    assert login.status_code == 200  # the old password still works: nothing was changed


@pytest.mark.parametrize("password", TOO_LONG.values(), ids=TOO_LONG.keys())
def test_logging_in_with_an_overlong_password_is_refused_not_a_crash(
    alice: Caller, password: str
) -> None:
    response = alice.client.post("/auth/login", json={"email": alice.email, "password": password})
    assert response.status_code in (401, 422), response.get_data(as_text=True)
    error_of(response, response.status_code)
