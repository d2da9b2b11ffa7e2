"""The `task-assigner` commands, run through click against in-memory fakes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from click.testing import CliRunner, Result
from redis import Redis

from adapters.sqlalchemy.engine import make_engine
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
    monkeypatch.setattr(cli.group, "container", lambda settings: container)
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

    def test_development_keeps_its_generated_secret_in_VAR_DIR(
        self, served: list[Settings], tmp_path: Path
    ) -> None:
        var = tmp_path / "elsewhere"
        env = {"APP_ENV": "development", "JWT_SECRET": "", "VAR_DIR": str(var)}
        result = invoke("serve", env=env)
        assert result.exit_code == 0, result.output
        [settings] = served
        assert settings.jwt_secret == (var / "jwt_secret").read_text()

    def test_development_without_a_secret_or_VAR_DIR_makes_nothing_and_says_what_to_set(
        self, served: list[Settings], tmp_path: Path
    ) -> None:
        result = invoke("serve", env={"APP_ENV": "development", "JWT_SECRET": "", "VAR_DIR": ""})
        assert result.exit_code == 1
        assert result.stderr == (
            "Error: JWT_SECRET is not set: set it, or set VAR_DIR to a folder where a "
            "development secret is made and kept (`task-assigner run` does).\n"
        )
        assert served == []
        assert list(tmp_path.iterdir()) == []


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
    assert result.stderr == "Error: Bad configuration: PORT must be a whole number; got 'eighty'.\n"


def test_a_redis_url_of_another_scheme_is_a_clear_error() -> None:
    result = invoke("expire-overdue", env={"REDIS_URL": "http://cache:6379"})
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Bad configuration: REDIS_URL must start with redis://")


@pytest.mark.parametrize(
    ("command", "mentions"),
    [
        ([], ["serve", "worker", "scheduler", "expire-overdue", "create-admin", "db", "run", "-v"]),
        (["serve"], ["gunicorn", "HOST:PORT", "JWT_SECRET"]),
        (["worker"], ["--burst", "RQ"]),
        (["scheduler"], ["EXPIRY_INTERVAL_SECONDS", "SCHEDULER_POLL_SECONDS", "fixed job id"]),
        (["expire-overdue"], ["how many"]),
        (["create-admin"], ["--email", "--name", "ADMIN_PASSWORD"]),
        (["db"], ["upgrade", "check"]),
        (["db", "upgrade"], ["DATABASE_URL"]),
        (["run"], ["DATABASE_URL", "REDIS_URL", "Ctrl-C", "VAR_DIR"]),
        (["health"], ["worker", "scheduler", "heartbeat", "Exit 0"]),
    ],
)
def test_every_command_explains_itself(command: list[str], mentions: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for word in mentions:
        assert word in text


# -- failing like a tool: one line on stderr, a non-zero status, the traceback only with -v ----

UNREACHABLE_DATABASE = "postgresql://root@127.0.0.1:1/nowhere"


def _unreachable_database() -> None:
    with make_engine(UNREACHABLE_DATABASE).connect():
        pass


def _unparsable_database_url() -> None:
    make_engine("not a url")


def _another_database() -> None:
    make_engine("sqlite:///tasks.sqlite3")


def _unreachable_redis() -> None:
    Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1).ping()


def _a_bug() -> None:
    raise KeyError("surprise")


@pytest.fixture
def failing_sweep(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], None]:
    """``failing_sweep(f)``: `expire-overdue` fails as ``f`` does (with real libraries)."""

    def fail_with(failure: Callable[[], None]) -> None:
        container = SimpleNamespace(expire_overdue=lambda: failure)
        monkeypatch.setattr(cli.group, "container", lambda settings: container)

    return fail_with


@pytest.mark.parametrize(
    ("failure", "line"),
    [
        (
            _unreachable_database,
            'Error: Cannot reach the database (connection to server at "127.0.0.1", port 1 '
            "failed: Connection refused): is PostgreSQL running, and does DATABASE_URL point at "
            "it?",
        ),
        (
            _unparsable_database_url,
            "Error: DATABASE_URL is not a database URL (Could not parse SQLAlchemy URL from given "
            "URL string): expected postgresql://user:password@host:5432/database.",
        ),
        (
            _another_database,
            "Error: Bad configuration: only PostgreSQL is supported, not 'sqlite': use a "
            "postgresql:// URL",
        ),
        (
            _unreachable_redis,
            "Error: Cannot reach Redis (Error 111 connecting to 127.0.0.1:1. Connection "
            "refused.): is Redis running, and does REDIS_URL point at it?",
        ),
        (_a_bug, "Error: KeyError: 'surprise' (run with -v for the traceback)"),
    ],
)
def test_each_failure_is_one_line_on_stderr_and_a_non_zero_status(
    failing_sweep: Callable[[Callable[[], None]], None], failure: Callable[[], None], line: str
) -> None:
    failing_sweep(failure)
    result = invoke("expire-overdue")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"{line}\n"


def test_verbose_shows_the_traceback_before_the_line(
    failing_sweep: Callable[[Callable[[], None]], None],
) -> None:
    failing_sweep(_unreachable_database)
    result = invoke("-v", "expire-overdue")
    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "psycopg2.OperationalError" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: Cannot reach the database")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["worker", "--bogus"], "Error: No such option '--bogus'."),
        (["--bogus"], "Error: No such option '--bogus'."),
        (["nonsense"], "Error: No such command 'nonsense'."),
        (["health", "api"], "Error: Invalid value for '{worker|scheduler}': 'api' is not one of"),
    ],
)
def test_a_wrong_flag_or_command_is_one_line_pointing_at_the_help(
    args: list[str], line: str
) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    [said] = result.stderr.splitlines()
    assert said.startswith(line)
    assert said.endswith("--help`)")


def test_version_prints_the_installed_package_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"task-assigner, version {version('task-assigner')}\n"
