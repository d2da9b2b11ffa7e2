"""`task-assigner import-original`: an original database, built by the original's own schema
(``original-schema.sql``, as its migrations leave it) and rows written as it writes them,
copied into ours — users who keep their passwords, tasks with their assignees, misfits
reported — and a second run that changes nothing."""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, func, select, text

from adapters.sqlalchemy.tables import task_events, tasks, users
from entrypoints import cli
from integration.api.support import SECRET

SCHEMA = Path(__file__).with_name("original-schema.sql")
OLD_PASSWORD = "my password from before"
#: A hash of a hasher we cannot verify: its user is named in the report.
ARGON2 = "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA"
JOINED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
ADMIN, ANN, GONE, ODD, BAD = (uuid.uuid4() for _ in range(5))
KEPT, DONE, DELETED, UNKNOWN, ORPHAN = (uuid.uuid4() for _ in range(5))


def django_hash(password: str) -> str:
    salt, iterations = "sBq0b6RcTzvSZ8qXuTtTgA", 870000
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def user_row(id_: int, external_id: uuid.UUID, email: str, **values: Any) -> dict[str, Any]:
    """As the original's register view and admin site leave a user row."""
    return {
        "id": id_, "password": django_hash(OLD_PASSWORD), "last_login": None,
        "is_superuser": False, "first_name": "", "last_name": "", "is_staff": False,
        "is_active": True, "date_joined": JOINED, "external_id": external_id,
        "name": f"User {id_}", "email": email, "created_at": JOINED + timedelta(days=id_),
        "updated_at": JOINED + timedelta(days=id_, hours=1), "deleted": False,
        "is_admin": False, **values,
    }  # fmt: skip


def task_row(id_: int, external_id: uuid.UUID, **values: Any) -> dict[str, Any]:
    return {
        "id": id_, "external_id": external_id, "name": f"Task {id_}", "description": "",
        "status": "unassigned", "type": "normal", "completed_at": None,
        "created_at": JOINED + timedelta(days=10 + id_),
        "updated_at": JOINED + timedelta(days=11 + id_),
        "deleted": False, "assigned_to_id": None, "deadline": None, **values,
    }  # fmt: skip


def insert(connection: Any, table: str, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    statement = text(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"
    )
    connection.execute(statement, rows)


@pytest.fixture
def original_url(blank_database_url: str) -> str:
    engine = create_engine(blank_database_url.replace("postgresql://", "postgresql+psycopg2://", 1))
    schema = "\n".join(
        line for line in SCHEMA.read_text().splitlines() if not line.startswith("\\")
    )
    done_at = JOINED + timedelta(days=20)
    with engine.begin() as connection:
        connection.exec_driver_sql(schema)
        connection.execute(text("SET search_path TO public"))
        insert(connection, "task_assigner_user", [
            user_row(1, ADMIN, "Root@Example.COM", is_admin=True, is_superuser=True, is_staff=True),
            user_row(2, ANN, "Ann.Smith@Example.com"),
            user_row(3, GONE, "gone@example.com", deleted=True),
            user_row(4, ODD, "odd@example.com", password=ARGON2),
            user_row(5, BAD, "not an address"),
        ])  # fmt: skip
        insert(connection, "task_assigner_task", [
            task_row(1, KEPT, name="Write the report", description="Quarterly", type="urgent",
                     status="in_progress", assigned_to_id=2,
                     deadline=datetime(2031, 1, 1, tzinfo=UTC)),
            task_row(2, DONE, status="completed", assigned_to_id=2, completed_at=done_at),
            task_row(3, DELETED, deleted=True),
            task_row(4, UNKNOWN, status="archived"),
            task_row(5, ORPHAN, status="pending", assigned_to_id=5),
        ])  # fmt: skip
    engine.dispose()
    return blank_database_url


def run(database_url: str, redis_url: str, *args: str) -> Result:
    env = {
        "APP_ENV": "production", "JWT_SECRET": SECRET, "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
    }  # fmt: skip
    return CliRunner().invoke(cli.main, ["import-original", *args], env=env)


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_users_and_tasks_are_copied_as_the_original_held_them(
    original_url: str, database_url: str, redis_url: str, engine: Engine
) -> None:
    result = run(database_url, redis_url, "--from", original_url)
    assert result.exit_code == 0, result.output
    assert "Copied 4 users and 3 tasks." in result.output
    assert f"task 4 ({UNKNOWN}): unknown status 'archived'" in result.output
    assert f"user 5 ({BAD}): " in result.output
    assert f"task 5 ({ORPHAN}): its assignee (user 5)" in result.output
    assert "another kind): odd@example.com" in result.output

    with engine.connect() as connection:
        people = {row.external_id: row for row in connection.execute(select(users))}
        work = {row.external_id: row for row in connection.execute(select(tasks))}
        events = connection.execute(select(task_events)).all()
    assert people[ADMIN].email == "Root@example.com"  # the domain lower-cased, as the original
    assert people[ADMIN].is_admin
    assert not people[ANN].is_admin
    assert people[ANN].created_at == JOINED + timedelta(days=2)
    assert people[GONE].deleted_at is not None
    assert people[ANN].deleted_at is None
    kept = work[KEPT]
    assert (kept.name, kept.description, kept.status, kept.type) == (
        "Write the report",
        "Quarterly",
        "in_progress",
        "urgent",
    )
    assert kept.assigned_to == ANN
    assert kept.created_by == ADMIN
    assert kept.deadline == datetime(2031, 1, 1, tzinfo=UTC)
    assert work[DONE].completed_at == JOINED + timedelta(days=20)
    assert work[DELETED].deleted_at is not None
    assert kept.deleted_at is None
    assert set(work) == {KEPT, DONE, DELETED}
    assert sorted((e.type, e.actor_id, e.to_status) for e in events) == [
        ("imported", None, "completed"), ("imported", None, "in_progress"),
        ("imported", None, "unassigned"),
    ]  # fmt: skip


def test_a_copied_user_logs_in_with_the_old_password_which_then_becomes_bcrypt(
    original_url: str, database_url: str, redis_url: str, engine: Engine, client: FlaskClient
) -> None:
    assert run(database_url, redis_url, "--from", original_url).exit_code == 0
    login = {"email": "ann.smith@example.com", "password": OLD_PASSWORD}
    assert client.post("/v1/auth/login", json=login).status_code == 200
    with engine.connect() as connection:
        stored = connection.execute(
            select(users.c.password_hash).where(users.c.external_id == ANN)
        ).scalar_one()
    assert stored.startswith("$2b$")
    assert client.post("/v1/auth/login", json=login).status_code == 200


def test_a_second_run_changes_nothing_and_says_so(
    original_url: str, database_url: str, redis_url: str, engine: Engine
) -> None:
    run(database_url, redis_url, "--from", original_url)
    before = (count(engine, users), count(engine, tasks), count(engine, task_events))
    again = run(database_url, redis_url, "--from", original_url)
    assert again.exit_code == 0, again.output
    assert "Nothing to copy: 4 users and 3 tasks are here already." in again.output
    assert (count(engine, users), count(engine, tasks), count(engine, task_events)) == before


def test_a_dry_run_writes_nothing(
    original_url: str, database_url: str, redis_url: str, engine: Engine
) -> None:
    result = run(database_url, redis_url, "--from", original_url, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Would copy 4 users and 3 tasks." in result.output
    assert count(engine, users) == count(engine, tasks) == 0


def test_a_database_with_users_of_its_own_is_merged_into_only_when_told(
    original_url: str, database_url: str, redis_url: str, engine: Engine, container: Any
) -> None:
    container.create_admin()(email="ops@example.com", name="Ops", password="a long password")
    refused = run(database_url, redis_url, "--from", original_url)
    assert refused.exit_code != 0
    assert "already holds 1 users and 0 tasks" in refused.output
    assert count(engine, users) == 1

    merged = run(database_url, redis_url, "--from", original_url, "--merge")
    assert merged.exit_code == 0, merged.output
    assert count(engine, users) == 5
    with engine.connect() as connection:
        owners = set(connection.execute(select(tasks.c.created_by)).scalars())
        ops = connection.execute(
            select(users.c.external_id).where(users.c.email == "ops@example.com")
        ).scalar_one()
    assert owners == {ops}  # the earliest admin owns what the original left without a creator


def test_the_owner_can_be_named(
    original_url: str, database_url: str, redis_url: str, engine: Engine
) -> None:
    unknown = run(
        database_url, redis_url, "--from", original_url, "--owner", "ann.smith@example.com"
    )
    assert unknown.exit_code != 0
    assert "No active admin" in unknown.output
    named = run(database_url, redis_url, "--from", original_url, "--owner", "root@EXAMPLE.com")
    assert named.exit_code == 0, named.output
    with engine.connect() as connection:
        assert set(connection.execute(select(tasks.c.created_by)).scalars()) == {ADMIN}
