"""The HTTP API over the Flask test client, on the run's PostgreSQL database and Redis."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from entrypoints.container import Container
from integration.api.fixtures import alice, app, client, clock, container, sign_up
from integration.api.support import PASSWORD, Caller, SignUp, user_id_of

__all__ = ["alice", "app", "client", "clock", "container", "sign_up"]


@pytest.fixture
def admin(client: FlaskClient, container: Container) -> Caller:
    """An admin, made the way operators make one (the create-admin use case), logged in."""
    email = "admin@example.com"
    container.create_admin()(email=email, name="Admin", password=PASSWORD)
    response = client.post("/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    token = response.get_json()["token"]
    return Caller(client, user_id_of(token["access"]), email, token["access"], token["refresh"])


@pytest.fixture
def bob(sign_up: SignUp) -> Caller:
    return sign_up("Bob", "bob@example.com")


@pytest.fixture
def carol(sign_up: SignUp) -> Caller:
    return sign_up("Carol", "carol@example.com")
