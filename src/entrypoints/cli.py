"""The ``task-assigner`` command: every way of running the service, for people and for ops.

Configuration is the environment only (see :mod:`entrypoints.settings`); options here are about
the one invocation, never about the deployment.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from application.passwords import PASSWORD_RULE
from entrypoints.failures import ToolGroup
from entrypoints.heartbeat import ROLES, TTL_SECONDS
from entrypoints.settings import ConfigurationError, Settings

if TYPE_CHECKING:
    from entrypoints.container import Container

# Each command imports what it needs when it runs: `--help` and `run` (which only starts
# other processes) stay fast and do not load the whole application.


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except (ConfigurationError, ValueError, OSError) as error:
        raise click.ClickException(f"Bad configuration: {error}") from error


def _configure_logging(verbose: bool) -> None:
    """Every command logs through :mod:`entrypoints.logs`, in the LOG_FORMAT chosen."""
    from entrypoints.logs import configure_logging
    from entrypoints.settings import log_format

    try:
        configure_logging(log_format(), verbose=verbose)
    except ConfigurationError as error:
        raise click.ClickException(f"Bad configuration: {error}") from error


def _container(settings: Settings) -> Container:
    from entrypoints.container import build_container

    return build_container(settings)


@click.group(cls=ToolGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="On a failure, show the traceback too.")
@click.version_option(package_name="task-assigner", prog_name="task-assigner")
def main(verbose: bool) -> None:
    """Task Assigner: create, assign and track tasks; overdue tasks fail automatically.

    Configured by environment variables (DATABASE_URL, REDIS_URL, JWT_SECRET, HOST, PORT, ...;
    see the README). `task-assigner run` starts everything for development. A failure is one
    line on stderr and a non-zero exit status; `task-assigner -v COMMAND` adds the traceback.
    """
    _configure_logging(verbose=False)


@main.command(short_help="The HTTP API under gunicorn.")
def serve() -> None:
    """Serve the HTTP API with gunicorn on HOST:PORT (WEB_WORKERS sync workers).

    Refuses to start outside development (APP_ENV) with a JWT_SECRET under 32 bytes.
    """
    settings = _settings()
    try:
        settings.check_secret()
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from error
    from entrypoints.http.server import serve_api

    serve_api(settings)


def _own_metrics_only() -> None:
    """The worker and the scheduler serve their metrics on METRICS_PORT, from their own
    process: written into an API's multiprocess folder, the API would report them too."""
    from entrypoints.settings import MULTIPROC_DIR_VARIABLE

    os.environ.pop(MULTIPROC_DIR_VARIABLE, None)


@main.command(short_help="An RQ worker (runs the expiry sweeps).")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then exit.")
@click.option("-v", "--verbose", is_flag=True, help="Log every job RQ runs.")
def worker(burst: bool, verbose: bool) -> None:
    """Run an RQ worker for the task-assigner queue (the expiry sweeps).

    Start as many as you like on the same Redis; each sweep is one idempotent transaction.
    """
    _own_metrics_only()
    from entrypoints.worker import run_worker

    _configure_logging(verbose)
    run_worker(_settings(), burst=burst, verbose=verbose)


@main.command(short_help="rq-scheduler with the expiry job registered.")
@click.option("-v", "--verbose", is_flag=True, help="Log every poll, and lock contention.")
def scheduler(verbose: bool) -> None:
    """Run rq-scheduler with the expiry sweep registered under a fixed job id.

    The sweep runs every EXPIRY_INTERVAL_SECONDS (whole seconds); the scheduler looks for due
    jobs every SCHEDULER_POLL_SECONDS. Restarting it replaces the job, never duplicates it;
    a second scheduler waits on the first one's lock.
    """
    _own_metrics_only()
    from entrypoints.scheduler import run_scheduler

    _configure_logging(verbose)
    try:
        run_scheduler(_settings())
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from error


@main.command("expire-overdue", short_help="One expiry sweep now; prints the count.")
def expire_overdue() -> None:
    """Run one expiry sweep now and print how many tasks it failed.

    Safe at any time, also beside running workers: the sweep is one idempotent statement.
    """
    failed = _container(_settings()).expire_overdue()().failed
    click.echo(f"Failed {failed} overdue task(s).")


@main.command(short_help="Forget expired tokens and logins, and old login attempts.")
def prune() -> None:
    """Delete expired refresh tokens, the logins left without any, and login attempts too old
    to slow anyone down. The scheduler does it every PRUNE_INTERVAL_SECONDS (an hour); this
    does it now. Safe at any time: nothing it deletes could still be used."""
    pruned = _container(_settings()).prune_expired_records()()
    click.echo(
        f"Pruned {pruned.refresh_tokens} refresh token(s), {pruned.logins} login(s) and "
        f"{pruned.login_attempts} login attempt key(s)."
    )


@main.command(
    "create-admin",
    short_help="Create an admin user.",
    help="Create an admin user. The password comes from ADMIN_PASSWORD, or else is asked for"
    f" (hidden, twice). It must be {PASSWORD_RULE}",
)
@click.option("--email", required=True, help="The admin's email address (unique).")
@click.option("--name", required=True, help="The admin's display name.")
def create_admin(email: str, name: str) -> None:
    password = os.environ.get("ADMIN_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    from application.errors import ApplicationError
    from domain.errors import DomainError

    create = _container(_settings()).create_admin()
    try:
        admin = create(email=email, name=name, password=password)
    except (DomainError, ApplicationError) as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created admin {admin.email} ({admin.external_id}).")


@main.command(short_help="Exit 0 if a worker or scheduler here is beating.")
@click.argument("role", type=click.Choice(ROLES))
def health(role: str) -> None:
    """Exit 0 when a `task-assigner ROLE` process on this host (ROLE: worker or scheduler)
    has written its heartbeat to Redis lately, 1 otherwise: the health check of the worker's
    and the scheduler's containers."""
    from redis import Redis

    from entrypoints.heartbeat import fresh_beats, this_host

    connection: Redis[bytes] = Redis.from_url(
        _settings().redis_url, socket_connect_timeout=2, socket_timeout=2
    )
    host = this_host()
    beats = fresh_beats(connection, role, host=host)  # type: ignore[arg-type]  # a Choice of ROLES
    if not beats:
        raise click.ClickException(
            f"No {role} on {host} has written a heartbeat in the last {TTL_SECONDS} s: "
            f"is `task-assigner {role}` running?"
        )
    newest = beats[0]
    click.echo(f"{role} {newest.pid} on {host}: heartbeat {newest.age_seconds:.1f} s ago.")


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command()
def upgrade() -> None:
    """Migrate the database at DATABASE_URL to the latest schema. Safe to repeat."""
    from adapters.sqlalchemy.migrations import upgrade as upgrade_schema

    upgrade_schema(_settings().database_url)
    click.echo("Database is up to date.")


@db.command()
def check() -> None:
    """Fail if the tables in the code and the migrations differ (the database at DATABASE_URL
    must be at the latest revision): a schema change without its migration."""
    from alembic.util import AutogenerateDiffsDetected

    from adapters.sqlalchemy.migrations import check as check_schema

    try:
        check_schema(_settings().database_url)
    except AutogenerateDiffsDetected as error:
        raise click.ClickException(str(error)) from error
    click.echo("Migrations match the tables.")


@main.command(short_help="Everything, in the foreground (make run).")
def run() -> None:
    """Start API, worker and scheduler in the foreground, as `make run` does.

    Uses DATABASE_URL, REDIS_URL, JWT_SECRET, HOST and PORT when set; otherwise a PostgreSQL
    and a Redis server it starts itself (unix sockets, no TCP port) and a development secret,
    all under VAR_DIR (default: var/ in the current folder), where the database is kept
    between runs. The only command that makes files there. Migrates first. Ctrl-C
    or SIGTERM stops every process it started, the servers last.
    """
    from entrypoints.devrun.run import supervise

    raise SystemExit(supervise(os.environ))


if (
    __name__ == "__main__"
):  # `python -m entrypoints.cli`, as `task-assigner run` starts its children
    main(prog_name="task-assigner")
