"""Fixtures of the tests that go through the app: a container and app per test over the run's
PostgreSQL database and Redis, a clock tests can move, and callers who signed up.

Each test gets its own container and app (the views are re-wired to it), sharing the
session's engine; the shared fixtures empty the tables and the Redis database first.
Conftests that want them import them by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import count

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from integration.api.support import PASSWORD, SECRET, Caller, MovableClock, SignUp, user_id_of


def settings_for(database_url: str, redis_url: str) -> Settings:
    """Low bcrypt cost so that tests run fast; a secret long enough for production."""
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        jwt_secret=SECRET,
        bcrypt_rounds=4,
        webhook_allow_private=True,
    )


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def container(
    database_url: str, engine: Engine, redis_url: str, clock: MovableClock
) -> Iterator[Container]:
    container = build_container(settings_for(database_url, redis_url))
    container.engine.override(providers.Object(engine))
    container.clock.override(providers.Object(clock))
    yield container
    container.unwire()
    container.redis().close()


@pytest.fixture
def app(container: Container) -> Flask:
    app = create_app(container)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def signer(client: FlaskClient) -> SignUp:
    """Signs people up through the API on ``client``; each gets the next free address."""
    numbers = count(1)

    def sign_up(name: str | None = None, email: str | None = None) -> Caller:
        n = next(numbers)
        email = email or f"person{n}@example.com"
        body = {"email": email, "name": name or f"Person {n}", "password": PASSWORD}
        response = client.post("/auth/register", json={**body, "password2": PASSWORD})
        assert response.status_code == 201, response.get_json()
        token = response.get_json()["token"]
        return Caller(client, user_id_of(token["access"]), email, token["access"], token["refresh"])

    return sign_up


@pytest.fixture
def sign_up(client: FlaskClient) -> SignUp:
    return signer(client)


@pytest.fixture
def alice(sign_up: SignUp) -> Caller:
    return sign_up("Alice", "alice@example.com")
