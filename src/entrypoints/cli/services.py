"""The long-running services: the API, the worker, the scheduler, and all of them at once."""

from __future__ import annotations

import os

import click

from entrypoints.cli import group
from entrypoints.cli.group import configure_logging, main
from entrypoints.settings import ConfigurationError


@main.command(short_help="The HTTP API under gunicorn.")
def serve() -> None:
    """Serve the HTTP API with gunicorn on HOST:PORT (WEB_WORKERS sync workers).

    Refuses to start outside development (APP_ENV) with a JWT_SECRET under 32 bytes.
    """
    settings = group.settings()
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


@main.command(short_help="An RQ worker (runs the sweeps and delivers webhooks).")
@click.option("--burst", is_flag=True, help="Run the jobs queued now, then exit.")
@click.option("-v", "--verbose", is_flag=True, help="Log every job RQ runs.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(["sweeps", "webhooks"]),
    help="Serve only this queue (repeatable); default: both, the sweeps first.",
)
def worker(burst: bool, verbose: bool, queues: tuple[str, ...]) -> None:
    """Run an RQ worker for the sweeps (expiry, reminders, the webhook dispatcher) and the
    webhook deliveries.

    Start as many as you like on the same Redis; each sweep is one idempotent transaction.
    A worker of its own for webhooks (--queue webhooks, the others --queue sweeps) keeps a
    slow receiver from delaying an expiry.
    """
    _own_metrics_only()
    from entrypoints.worker import run_worker

    configure_logging(verbose)
    run_worker(group.settings(), burst=burst, verbose=verbose, queues=queues)


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

    configure_logging(verbose)
    try:
        run_scheduler(group.settings())
    except ConfigurationError as error:
        raise click.ClickException(str(error)) from error


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
