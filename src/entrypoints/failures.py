"""How the ``task-assigner`` command fails: one line on stderr saying what is wrong and what to
do, a non-zero exit status, and a traceback only when asked for (``task-assigner -v ...``).

The known failures of an operator's day — a database that does not answer, a URL that is no
URL, a schema never migrated, Redis away, a setting the service refuses — are named here, in
one place, for every command; anything else is named by its exception."""

from __future__ import annotations

import traceback
from typing import Any, Final

import click
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, ProgrammingError

from entrypoints.settings import ConfigurationError

#: PostgreSQL's SQLSTATE for "relation does not exist".
UNDEFINED_TABLE: Final = "42P01"
VERBOSE_HINT: Final = "run with -v for the traceback"


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def _database_cause(error: DBAPIError) -> str:
    return _first_line(error.orig) if error.orig is not None else _first_line(error)


def explain(error: Exception) -> str:
    """The one line that says what went wrong and what to do about it."""
    if isinstance(error, (ConfigurationError, ValueError)):
        # What the settings and the engine refuse (a number that is none, a URL of another
        # database): the environment is wrong, not the program.
        return f"Bad configuration: {_first_line(error)}"
    if isinstance(error, ProgrammingError) and getattr(error.orig, "pgcode", None) == (
        UNDEFINED_TABLE
    ):
        return (
            f"The database schema is not migrated ({_database_cause(error)}): "
            "run `task-assigner db upgrade`."
        )
    if isinstance(error, OperationalError):
        return (
            f"Cannot reach the database ({_database_cause(error)}): is PostgreSQL running, "
            "and does DATABASE_URL point at it?"
        )
    if isinstance(error, ArgumentError):
        return (
            f"DATABASE_URL is not a database URL ({_first_line(error)}): expected "
            "postgresql://user:password@host:5432/database."
        )
    if isinstance(error, (RedisConnectionError, RedisTimeoutError)):
        return (
            f"Cannot reach Redis ({_first_line(error)}): is Redis running, and does REDIS_URL "
            "point at it?"
        )
    return f"{type(error).__name__}: {_first_line(error)} ({VERBOSE_HINT})"


class OneLineUsageError(click.UsageError):
    """A wrong flag or command, said in one line with where to find the right one."""

    def __init__(self, error: click.UsageError) -> None:
        super().__init__(error.format_message(), error.ctx)

    def show(self, file: Any = None) -> None:
        hint = f" (see `{self.ctx.command_path} --help`)" if self.ctx is not None else ""
        click.echo(f"Error: {self.format_message()}{hint}", file=file, err=True)


class ToolGroup(click.Group):
    """The ``task-assigner`` group: every command's failure goes through :func:`explain`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise OneLineUsageError(error) from error

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise OneLineUsageError(error) from error
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if ctx.params.get("verbose"):
                traceback.print_exception(error)
            raise click.ClickException(explain(error)) from error
