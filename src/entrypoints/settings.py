"""Configuration comes from the environment only. Every tunable has a sensible default; the
services do not: without ``DATABASE_URL`` and ``REDIS_URL`` nothing starts, except
``task-assigner run``, which starts servers of its own (see :mod:`entrypoints.devrun`)."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

from domain.task_fields import REMIND_BEFORE_MAX_SECONDS

MIN_SECRET_BYTES: Final = 32
DEVELOPMENT: Final = "development"
PRODUCTION: Final = "production"
#: Where ``task-assigner run`` keeps what it makes (its servers' data, the development secret)
#: unless VAR_DIR says otherwise. No other command makes anything there, or in the cwd.
DEFAULT_VAR_DIR: Final = "var"
#: The values of LOG_FORMAT: one-line records, or one JSON object per line.
LOG_FORMATS: Final = ("text", "json")
#: prometheus-client's switch to multiprocess mode (the API's gunicorn workers), read when the
#: library is first imported.
MULTIPROC_DIR_VARIABLE: Final = "PROMETHEUS_MULTIPROC_DIR"
#: What each service URL is, for the error that says it is missing.
REQUIRED_URLS: Final = {
    "DATABASE_URL": "PostgreSQL (postgresql://user:password@host:5432/database)",
    "REDIS_URL": "Redis (redis://host:6379/0)",
}
REDIS_SCHEMES: Final = ("redis://", "rediss://", "unix://")
#: How a switch may be spelled (unset or empty is off).
#: An origin as a browser sends it in ``Origin``.
_ORIGIN: Final = re.compile(r"https?://[^/?#\s:]+(:\d{1,5})?")
_FLAGS: Final = {"": False, "0": False, "false": False, "1": True, "true": True}


N = TypeVar("N", int, float)


class ConfigurationError(RuntimeError):
    """The environment asks for something the service refuses to run with."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    redis_url: str
    jwt_secret: str
    environment: str = PRODUCTION
    host: str = "127.0.0.1"
    port: int = 8000
    bcrypt_rounds: int = 12
    access_token_ttl_seconds: int = 30 * 60
    refresh_token_ttl_seconds: int = 3 * 24 * 3600
    #: How often the expiry job runs, and how often the scheduler looks for due jobs.
    expiry_interval_seconds: float = 1.0
    scheduler_poll_seconds: float = 0.25
    #: How often expired refresh tokens, finished logins and old login attempts are deleted.
    prune_interval_seconds: float = 3600.0
    max_request_bytes: int = 1024 * 1024
    web_workers: int = 2
    #: How many proxies in front of the service to believe about the client's address
    #: (X-Forwarded-For); 0 trusts none, so that header cannot be forged past the throttle.
    trusted_proxies: int = 0
    #: Set by ``task-assigner run`` for its children; None elsewhere, where nothing is kept.
    var_dir: Path | None = None
    #: ``text`` or ``json`` (see :mod:`entrypoints.logs`).
    log_format: str = "text"
    #: Where the worker and the scheduler serve their metrics (None: they serve none).
    metrics_port: int | None = None
    #: Refuse writes of tasks and users that send no If-Match (428), so that no client can
    #: overwrite a change it has not seen.
    require_if_match: bool = False
    #: The browser origins whose pages may call the API (``*``: any); none by default.
    cors_origins: tuple[str, ...] = ()
    #: How long the answer to a POST with an Idempotency-Key is kept for its retries.
    idempotency_ttl_seconds: int = 24 * 3600
    #: Let webhooks call http URLs and loopback or private addresses (development and tests).
    webhook_allow_private: bool = False
    #: How often the webhook dispatcher fans the outbox out and queues due deliveries.
    webhook_dispatch_interval_seconds: float = 1.0
    #: How long a queued delivery is leased to the queue: a job lost with Redis or a killed
    #: worker is queued again after this. Must outlast the 10 s timeout of an attempt.
    webhook_lease_seconds: float = 60.0
    #: How long before its deadline a task is reminded, unless it says otherwise.
    reminder_before_seconds: int = 3600
    #: How often the reminder sweep runs.
    reminder_interval_seconds: float = 5.0

    @property
    def is_development(self) -> bool:
        return self.environment == DEVELOPMENT

    def check_secret(self) -> None:
        """Outside development a short secret makes every token forgeable: refuse to start."""
        if not self.jwt_secret and self.is_development:
            raise ConfigurationError(
                "JWT_SECRET is not set: set it, or set VAR_DIR to a folder where a development "
                "secret is made and kept (`task-assigner run` does)."
            )
        if len(self.jwt_secret.encode()) < MIN_SECRET_BYTES and not self.is_development:
            raise ConfigurationError(
                f"JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes outside development."
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        for name, service in REQUIRED_URLS.items():
            if not env.get(name):
                raise ConfigurationError(
                    f"{name} is not set: point it at {service}, or use `task-assigner run`, "
                    "which starts the servers it needs itself."
                )
        if not env["REDIS_URL"].startswith(REDIS_SCHEMES):
            raise ConfigurationError(
                f"REDIS_URL must start with {', '.join(REDIS_SCHEMES)}; got {env['REDIS_URL']!r}."
            )
        var_dir = Path(env["VAR_DIR"]) if env.get("VAR_DIR") else None
        environment = env.get("APP_ENV", PRODUCTION)
        return cls(
            database_url=env["DATABASE_URL"],
            redis_url=env["REDIS_URL"],
            jwt_secret=env.get("JWT_SECRET") or _development_secret(var_dir, environment),
            environment=environment,
            host=env.get("HOST", "127.0.0.1"),
            port=_number(env, "PORT", int, 8000),
            bcrypt_rounds=_number(env, "BCRYPT_ROUNDS", int, 12),
            access_token_ttl_seconds=_number(env, "ACCESS_TOKEN_TTL_SECONDS", int, 30 * 60),
            refresh_token_ttl_seconds=_number(env, "REFRESH_TOKEN_TTL_SECONDS", int, 3 * 24 * 3600),
            expiry_interval_seconds=_number(env, "EXPIRY_INTERVAL_SECONDS", float, 1.0),
            scheduler_poll_seconds=_number(env, "SCHEDULER_POLL_SECONDS", float, 0.25),
            prune_interval_seconds=_number(env, "PRUNE_INTERVAL_SECONDS", float, 3600.0),
            max_request_bytes=_number(env, "MAX_REQUEST_BYTES", int, 1024 * 1024),
            web_workers=_number(env, "WEB_WORKERS", int, 2),
            trusted_proxies=_number(env, "TRUSTED_PROXIES", int, 0),
            var_dir=var_dir,
            log_format=log_format(env),
            metrics_port=int(env["METRICS_PORT"]) if env.get("METRICS_PORT") else None,
            require_if_match=_flag(env, "REQUIRE_IF_MATCH"),
            cors_origins=_origins(env),
            idempotency_ttl_seconds=_idempotency_ttl(env),
            webhook_allow_private=_flag(env, "WEBHOOK_ALLOW_PRIVATE"),
            webhook_dispatch_interval_seconds=_number(
                env, "WEBHOOK_DISPATCH_INTERVAL_SECONDS", float, 1.0
            ),
            webhook_lease_seconds=_number(env, "WEBHOOK_LEASE_SECONDS", float, 60.0),
            reminder_before_seconds=_reminder_before(env),
            reminder_interval_seconds=_number(env, "REMINDER_INTERVAL_SECONDS", float, 5.0),
        )


def log_format(env: Mapping[str, str] | None = None) -> str:
    """LOG_FORMAT, checked: read on its own too, since logging starts before anything else."""
    env = os.environ if env is None else env
    chosen = env.get("LOG_FORMAT") or "text"
    if chosen not in LOG_FORMATS:
        raise ConfigurationError(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}; got {chosen!r}."
        )
    return chosen


def _number(env: Mapping[str, str], name: str, kind: type[N], default: N) -> N:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigurationError(f"{name} must be {what}; got {raw!r}.") from None


def _origins(env: Mapping[str, str]) -> tuple[str, ...]:
    """CORS_ORIGINS: comma-separated origins (``scheme://host[:port]``, as browsers send them),
    or ``*``."""
    origins = tuple(part.strip() for part in env.get("CORS_ORIGINS", "").split(",") if part.strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise ConfigurationError(
                "CORS_ORIGINS must list origins such as https://app.example.com "
                f"(a scheme, a host, an optional port; no path), or *; got {origin!r}."
            )
    return origins


def _idempotency_ttl(env: Mapping[str, str]) -> int:
    seconds = _number(env, "IDEMPOTENCY_TTL_SECONDS", int, 24 * 3600)
    if seconds < 1:
        raise ConfigurationError(f"IDEMPOTENCY_TTL_SECONDS must be at least 1; got {seconds}.")
    return seconds


def _reminder_before(env: Mapping[str, str]) -> int:
    seconds = _number(env, "REMINDER_BEFORE_SECONDS", int, 3600)
    if not 1 <= seconds <= REMIND_BEFORE_MAX_SECONDS:
        raise ConfigurationError(
            f"REMINDER_BEFORE_SECONDS must lie between 1 and {REMIND_BEFORE_MAX_SECONDS}; "
            f"got {seconds}."
        )
    return seconds


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw not in _FLAGS:
        raise ConfigurationError(f"{name} must be 1 or 0; got {env[name]!r}.")
    return _FLAGS[raw]


def _development_secret(var_dir: Path | None, environment: str) -> str:
    """In development, a random secret kept in VAR_DIR so tokens survive restarts (and every
    API worker reads the same one). Elsewhere, or without VAR_DIR, there is no default:
    :meth:`Settings.check_secret` refuses the empty one."""
    if environment != DEVELOPMENT or var_dir is None:
        return ""
    path = var_dir / "jwt_secret"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then linked into place: processes starting
        # together (two API workers) all end up reading the one secret that won.
        draft = var_dir / f".jwt_secret.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(48))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
