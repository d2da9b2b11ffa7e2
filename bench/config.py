"""What a bench run measures and against which services; everything can be overridden from
the environment (``BENCH_<FIELD>``, upper case) so that a run is reproducible elsewhere, and
``BENCH_SMOKE=1`` (or ``python -m bench --smoke``) shrinks every size so that a whole run
checks the harness in about a minute — its figures then mean nothing."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

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
    wrk_seconds: int = 10
    #: Every compared rate is measured this many times, the runs interleaved (the order
    #: reversed every other round), and its median kept: drift on a shared machine hits all.
    rounds: int = 2
    #: How deep in the task list the cursor and the offset pages are compared.
    deep_offset: int = 3_000
    #: Tasks prepared for the assign and complete runs (each completion needs its own task):
    #: half of them completed over the rounds, enough for 1,300 completions a second at 3
    #: rounds of 10 s. A round that runs out answers 409s, and its figures are refused.
    write_pool: int = 80_000
    profile_seconds: int = 15
    scale_small: int = 10_000
    scale_large: int = 1_000_000
    scale_users: int = 100
    scale_requests: int = 300
    #: The deadline bursts: ``burst_sizes`` tasks due in one second among ``burst_total``.
    burst_total: int = 1_000_000
    burst_small: int = 10_000
    burst_large: int = 100_000
    results_path: Path = BENCH_DIR / "results.json"
    plot_path: Path = BENCH_DIR / "results.png"
    profile_path: Path = BENCH_DIR / "profile-tasks-list.svg"

    @property
    def redis(self) -> str:
        """The Redis URL in force: ``python -m bench`` fills it in with its private server."""
        if self.redis_url is None:
            raise RuntimeError("no Redis URL: run python -m bench, or set BENCH_REDIS_URL")
        return self.redis_url

    def sizes(self) -> dict[str, Any]:
        """What this run measured with, for results.json (no connection strings)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("admin_url", "redis_url") and not f.name.endswith("_path")
        }

    def smoke(self) -> BenchConfig:
        """Tiny sizes and short runs: the harness end to end, not the service's figures.
        Results go beside the real ones, never over them."""
        return replace(
            self,
            expire_total=2_000,
            expire_overdue=1_000,
            expire_repeats=1,
            lag_tasks=10,
            lag_spread_seconds=2.0,
            http_tasks=2_000,
            http_users=10,
            wrk_seconds=1,
            rounds=1,
            deep_offset=300,
            write_pool=2_000,
            profile_seconds=2,
            scale_small=1_000,
            scale_large=3_000,
            scale_users=10,
            scale_requests=20,
            burst_total=5_000,
            burst_small=100,
            burst_large=1_000,
            results_path=self.results_path.with_name("smoke-results.json"),
            plot_path=self.plot_path.with_name("smoke-results.png"),
            profile_path=self.profile_path.with_name("smoke-profile.svg"),
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, smoke: bool = False) -> BenchConfig:
        """Defaults, shrunk by ``smoke`` (or BENCH_SMOKE=1), then any BENCH_* override."""
        env = os.environ if env is None else env
        config = cls()
        if smoke or env.get("BENCH_SMOKE", "") not in ("", "0"):
            config = config.smoke()
        overrides: dict[str, Any] = {}
        for field in fields(cls):
            raw = env.get(f"BENCH_{field.name.upper()}")
            if not raw:
                continue
            current = getattr(config, field.name)
            if isinstance(current, Path):
                overrides[field.name] = Path(raw)
            elif isinstance(current, float):
                overrides[field.name] = float(raw)
            elif isinstance(current, int):
                overrides[field.name] = int(raw)
            else:
                overrides[field.name] = raw
        return replace(config, **overrides)
