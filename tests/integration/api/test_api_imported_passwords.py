"""An account moved over from the original service logs in with its old password, once more
as ever after: the first login replaces the Django hash by a bcrypt one."""

from __future__ import annotations

import base64
import hashlib

from flask.testing import FlaskClient
from sqlalchemy import Engine, select, update

from adapters.sqlalchemy.tables import users
from integration.api.fixtures import signer

OLD_PASSWORD = "the password I had"


def django_hash(password: str) -> str:
    salt, iterations = "k3Zq9sYV2TmpN1Xh", 1000
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def stored_hash(engine: Engine, email: str) -> str:
    with engine.connect() as connection:
        return connection.execute(
            select(users.c.password_hash).where(users.c.email == email)
        ).scalar_one()


def test_an_imported_account_logs_in_with_its_old_password(
    client: FlaskClient, engine: Engine
) -> None:
    ann = signer(client)("Ann", email="ann@example.com")
    with engine.begin() as connection:
        connection.execute(
            update(users)
            .where(users.c.email == ann.email)
            .values(password_hash=django_hash(OLD_PASSWORD))
        )
    login = {"email": ann.email, "password": OLD_PASSWORD}

    assert client.post("/v1/auth/login", json=login).status_code == 200
    assert stored_hash(engine, ann.email).startswith("$2b$")
    assert client.post("/v1/auth/login", json=login).status_code == 200
    wrong = client.post("/v1/auth/login", json={**login, "password": "a guess"})
    assert wrong.status_code == 401
