"""Throughput under load: wrk against the running API (-t2 -c8, docs/architecture.md §9)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass

from bench.config import BENCH_DIR
from bench.progress import say

WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"


@dataclass(frozen=True, slots=True)
class LoadResult:
    path: str
    requests: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    non_2xx: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def run_wrk(base_url: str, path: str, token: str, seconds: int) -> LoadResult:
    """wrk -t2 -c8 for ``seconds`` on ``path``; a failed response counts against the run."""
    say(f"wrk -t2 -c8 -d{seconds}s {path}")
    completed = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c8",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            f"{base_url}{path}",
        ],
        env={**os.environ, "BENCH_TOKEN": token},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"wrk failed ({completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{completed.stdout}\n{completed.stderr}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(
        raw[k] for k in ("errors_connect", "errors_read", "errors_write", "errors_timeout")
    )
    result = LoadResult(
        path=path,
        requests=raw["requests"],
        # Only successful responses count as throughput.
        rps=round((raw["requests"] - raw["errors_status"]) / seconds_run, 1),
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        max_ms=raw["max_us"] / 1000,
        errors=errors,
        non_2xx=raw["errors_status"],
    )
    say(f"  {result.rps} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms")
    return result
