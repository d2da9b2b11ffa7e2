"""What a bench run measures and against which services; everything can be overridden from
the environment so that a run is reproducible elsewhere."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class BenchConfig:
    #: A superuser connection to a maintenance database: the bench creates and drops its own
    #: databases there and never touches any other.
    admin_url: str = "postgresql://root@127.0.0.1:5432/postgres"
    #: A Redis database of the bench's own, flushed before and after the lag run; by default
    #: (None) the bench starts a private redis-server for the run instead.
    redis_url: str | None = None
    expire_total: int = 200_000
    expire_overdue: int = 100_000
    expire_repeats: int = 5
    lag_tasks: int = 240
    lag_spread_seconds: float = 30.0
    http_tasks: int = 100_000
    http_users: int = 100
    wrk_seconds: int = 20
    scale_small: int = 10_000
    scale_large: int = 1_000_000
    scale_users: int = 100
    scale_requests: int = 300
    results_path: Path = BENCH_DIR / "results.json"
    plot_path: Path = BENCH_DIR / "results.png"

    @property
    def redis(self) -> str:
        """The Redis URL in force: ``python -m bench`` fills it in with its private server."""
        if self.redis_url is None:
            raise RuntimeError("no Redis URL: run python -m bench, or set BENCH_REDIS_URL")
        return self.redis_url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> BenchConfig:
        env = os.environ if env is None else env
        default = cls()

        def number(name: str, value: int) -> int:
            return int(env.get(f"BENCH_{name}", str(value)))

        return cls(
            admin_url=env.get("BENCH_ADMIN_URL", default.admin_url),
            redis_url=env.get("BENCH_REDIS_URL") or None,
            expire_total=number("EXPIRE_TOTAL", default.expire_total),
            expire_overdue=number("EXPIRE_OVERDUE", default.expire_overdue),
            expire_repeats=number("EXPIRE_REPEATS", default.expire_repeats),
            lag_tasks=number("LAG_TASKS", default.lag_tasks),
            lag_spread_seconds=float(
                env.get("BENCH_LAG_SPREAD_SECONDS", str(default.lag_spread_seconds))
            ),
            http_tasks=number("HTTP_TASKS", default.http_tasks),
            http_users=number("HTTP_USERS", default.http_users),
            wrk_seconds=number("WRK_SECONDS", default.wrk_seconds),
            scale_small=number("SCALE_SMALL", default.scale_small),
            scale_large=number("SCALE_LARGE", default.scale_large),
            scale_users=number("SCALE_USERS", default.scale_users),
            scale_requests=number("SCALE_REQUESTS", default.scale_requests),
            results_path=Path(env.get("BENCH_RESULTS", str(default.results_path))),
            plot_path=Path(env.get("BENCH_PLOT", str(default.plot_path))),
        )
