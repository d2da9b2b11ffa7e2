"""The ``task-assigner`` group, and what its commands share: settings, logging, the container.

Each command imports what it needs when it runs: `--help` and `run` (which only starts other
processes) stay fast and do not load the whole application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from entrypoints.failures import ToolGroup
from entrypoints.settings import ConfigurationError, Settings

if TYPE_CHECKING:
    from entrypoints.container import Container


def settings() -> Settings:
    try:
        return Settings.from_env()
    except (ConfigurationError, ValueError, OSError) as error:
        raise click.ClickException(f"Bad configuration: {error}") from error


def configure_logging(verbose: bool) -> None:
    """Every command logs through :mod:`entrypoints.logs`, in the LOG_FORMAT chosen."""
    from entrypoints import logs
    from entrypoints.settings import log_format

    try:
        logs.configure_logging(log_format(), verbose=verbose)
    except ConfigurationError as error:
        raise click.ClickException(f"Bad configuration: {error}") from error


def container(settings: Settings) -> Container:
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
    configure_logging(verbose=False)
