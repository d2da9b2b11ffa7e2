"""The real `task-assigner` command failing as a tool does: one line on stderr, a non-zero
status, no traceback unless asked for, and nothing left in the folder it ran from."""

from __future__ import annotations

import subprocess
from pathlib import Path

from integration.ops.support import SECRET, TASK_ASSIGNER

UNREACHABLE_DATABASE = "postgresql://root@127.0.0.1:1/nowhere"


def task_assigner(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TASK_ASSIGNER, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )


def test_an_unmigrated_database_says_to_run_db_upgrade(
    blank_database_url: str, ops_env: dict[str, str], tmp_path: Path
) -> None:
    env = {**ops_env, "DATABASE_URL": blank_database_url}
    result = task_assigner("expire-overdue", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (  # as the README shows it
        'Error: The database schema is not migrated (relation "tasks" does not exist): '
        "run `task-assigner db upgrade`.\n"
    )

    assert task_assigner("db", "upgrade", env=env, cwd=tmp_path).returncode == 0
    assert task_assigner("expire-overdue", env=env, cwd=tmp_path).stdout == (
        "Failed 0 overdue task(s).\n"
    )


def test_commands_other_than_run_leave_the_folder_they_run_from_empty(
    ops_env: dict[str, str], tmp_path: Path
) -> None:
    """Even in development with no JWT_SECRET, where a secret used to be made in ./var."""
    env = {**ops_env, "APP_ENV": "development", "JWT_SECRET": ""}
    env["DATABASE_URL"] = UNREACHABLE_DATABASE
    env.pop("VAR_DIR", None)
    for args in (["expire-overdue"], ["db", "upgrade"], ["health", "worker"], ["serve"]):
        result = task_assigner(*args, env=env, cwd=tmp_path)
        assert result.returncode == 1, (args, result.stderr)
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_verbose_adds_the_traceback(ops_env: dict[str, str], tmp_path: Path) -> None:
    env = {**ops_env, "DATABASE_URL": UNREACHABLE_DATABASE, "JWT_SECRET": SECRET}
    result = task_assigner("-v", "expire-overdue", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Error: Cannot reach the database")
