"""The `task-assigner` commands, run through click against in-memory fakes."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
from click.testing import CliRunner, Result

from application.expiry import ExpireOverdueTasks
from application.users import CreateAdmin
from domain.status import TaskStatus
from domain.task import Task
from entrypoints import cli
from entrypoints.settings import Settings
from unit.fakes import FakeUnitOfWork, FakeUserQueries, FixedClock, PlainPasswordHasher

STRONG_SECRET = "s" * 32


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture(autouse=True)
def fake_container(
    monkeypatch: pytest.MonkeyPatch, uow: FakeUnitOfWork, clock: FixedClock, tmp_path: object
) -> None:
    """The commands get their use cases from here instead of from real adapters."""
    container = SimpleNamespace(
        create_admin=lambda: CreateAdmin(uow, clock, PlainPasswordHasher(), FakeUserQueries(uow)),
        expire_overdue=lambda: ExpireOverdueTasks(uow, clock),
    )
    monkeypatch.setattr(cli, "_container", lambda settings: container)
    monkeypatch.chdir(str(tmp_path))


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    base = {
        "APP_ENV": "production",
        "JWT_SECRET": STRONG_SECRET,
        "ADMIN_PASSWORD": "",
        "DATABASE_URL": "postgresql://db/app",
        "REDIS_URL": "redis://cache:6379/0",
    }
    return CliRunner().invoke(cli.main, list(args), env={**base, **(env or {})}, input=stdin)


class TestCreateAdmin:
    def test_takes_the_password_from_ADMIN_PASSWORD(self, uow: FakeUnitOfWork) -> None:
        result = invoke(
            "create-admin", "--email", "Boss@Example.com", "--name", "Boss",
            env={"ADMIN_PASSWORD": "correct horse"},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        [admin] = uow.users.saved_all()
        assert admin.is_admin
        assert admin.email.value == "Boss@example.com"
        assert admin.password_hash == PlainPasswordHasher().hash("correct horse")
        assert f"Created admin Boss@example.com ({admin.external_id})." in result.output

    def test_asks_for_the_password_twice_without_echoing_it(self, uow: FakeUnitOfWork) -> None:
        result = invoke(
            "create-admin", "--email", "a@example.com", "--name", "A",
            stdin="long enough\nlong enough\n",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "long enough" not in result.output
        [admin] = uow.users.saved_all()
        assert admin.password_hash == PlainPasswordHasher().hash("long enough")

    def test_mismatched_confirmation_creates_nobody(self, uow: FakeUnitOfWork) -> None:
        result = invoke(
            "create-admin", "--email", "a@example.com", "--name", "A",
            stdin="long enough\nsomething else\n",
        )  # fmt: skip
        assert result.exit_code != 0
        assert "do not match" in result.output
        assert uow.users.saved_all() == []

    def test_a_taken_email_is_a_clear_error(self, uow: FakeUnitOfWork) -> None:
        args = ("create-admin", "--email", "a@example.com", "--name", "A")
        assert invoke(*args, env={"ADMIN_PASSWORD": "long enough"}).exit_code == 0
        result = invoke(*args, env={"ADMIN_PASSWORD": "long enough"})
        assert result.exit_code == 1
        assert "Error: A user with the email a@example.com already exists." in result.output
        assert len(uow.users.saved_all()) == 1

    @pytest.mark.parametrize(
        ("password", "message"),
        [("short", "at least 8 bytes"), ("x" * 73, "at most 72 bytes")],
    )
    def test_a_bad_password_is_a_clear_error(
        self, uow: FakeUnitOfWork, password: str, message: str
    ) -> None:
        result = invoke(
            "create-admin", "--email", "a@example.com", "--name", "A",
            env={"ADMIN_PASSWORD": password},
        )  # fmt: skip
        assert result.exit_code == 1
        assert message in result.output
        assert uow.users.saved_all() == []

    def test_a_bad_email_is_a_clear_error(self) -> None:
        result = invoke(
            "create-admin", "--email", "not-an-email", "--name", "A",
            env={"ADMIN_PASSWORD": "long enough"},
        )  # fmt: skip
        assert result.exit_code == 1
        assert "not a valid email address" in result.output


def test_expire_overdue_prints_how_many_tasks_failed(
    uow: FakeUnitOfWork, clock: FixedClock
) -> None:
    creator = uuid4()
    with uow:
        for minutes in (1, 2, 10):
            uow.tasks.add(
                Task.create(
                    name=f"due in {minutes} min",
                    created_by=creator,
                    now=clock.now(),
                    deadline=clock.now() + timedelta(minutes=minutes),
                )
            )
        uow.commit()
    clock.advance(timedelta(minutes=5))

    result = invoke("expire-overdue")

    assert result.exit_code == 0, result.output
    assert result.output == "Failed 2 overdue task(s).\n"
    statuses = sorted(task.status.value for task in uow.tasks.saved_all())
    assert statuses == [TaskStatus.FAILED, TaskStatus.FAILED, TaskStatus.UNASSIGNED]


class TestServe:
    @pytest.fixture
    def served(self, monkeypatch: pytest.MonkeyPatch) -> list[Settings]:
        calls: list[Settings] = []
        monkeypatch.setattr("entrypoints.http.server.serve_api", calls.append)
        return calls

    def test_refuses_a_short_secret_outside_development(self, served: list[Settings]) -> None:
        result = invoke("serve", env={"JWT_SECRET": "too-short"})
        assert result.exit_code == 1
        assert "JWT_SECRET must be at least 32 bytes" in result.output
        assert served == []

    def test_refuses_a_missing_secret_outside_development(self, served: list[Settings]) -> None:
        result = invoke("serve", env={"JWT_SECRET": ""})
        assert result.exit_code == 1
        assert served == []

    def test_serves_on_HOST_and_PORT_with_a_strong_secret(self, served: list[Settings]) -> None:
        result = invoke("serve", env={"HOST": "0.0.0.0", "PORT": "8123", "WEB_WORKERS": "3"})
        assert result.exit_code == 0, result.output
        [settings] = served
        assert (settings.host, settings.port, settings.web_workers) == ("0.0.0.0", 8123, 3)

    def test_development_accepts_its_generated_secret(self, served: list[Settings]) -> None:
        result = invoke("serve", env={"APP_ENV": "development", "JWT_SECRET": ""})
        assert result.exit_code == 0, result.output
        assert len(served) == 1


def test_the_scheduler_refuses_a_fractional_interval() -> None:
    result = invoke("scheduler", env={"EXPIRY_INTERVAL_SECONDS": "0.5"})
    assert result.exit_code == 1
    assert "whole number of seconds" in result.output


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_a_missing_service_url_is_a_clear_error_outside_run(missing: str) -> None:
    result = invoke("expire-overdue", env={missing: ""})
    assert result.exit_code == 1
    assert f"Bad configuration: {missing} is not set" in result.output
    assert "task-assigner run" in result.output


def test_a_malformed_number_in_the_environment_is_a_clear_error() -> None:
    result = invoke("expire-overdue", env={"PORT": "eighty"})
    assert result.exit_code == 1
    assert "Bad configuration" in result.output


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        ([], ["serve", "worker", "scheduler", "expire-overdue", "create-admin", "db", "run"]),
        (["serve"], ["gunicorn", "HOST:PORT", "JWT_SECRET"]),
        (["worker"], ["--burst", "RQ"]),
        (["scheduler"], ["EXPIRY_INTERVAL_SECONDS", "SCHEDULER_POLL_SECONDS", "fixed job id"]),
        (["expire-overdue"], ["how many"]),
        (["create-admin"], ["--email", "--name", "ADMIN_PASSWORD"]),
        (["db"], ["upgrade", "check"]),
        (["db", "upgrade"], ["DATABASE_URL"]),
        (["run"], ["DATABASE_URL", "REDIS_URL", "Ctrl-C"]),
    ],
)
def test_every_command_explains_itself(command: list[str], mentions: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for word in mentions:
        assert word in text
