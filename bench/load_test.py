"""Throughput under load: wrk against a running server (-t2 -c8, docs/architecture.md §9)."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.config import BENCH_DIR
from bench.progress import say

WRK_SCRIPT = BENCH_DIR / "wrk_report.lua"
WRK_SEQUENCE = BENCH_DIR / "wrk_sequence.lua"
THREADS = 2
CONNECTIONS = 8
LOAD = f"wrk -t{THREADS} -c{CONNECTIONS}"


@dataclass(frozen=True, slots=True)
class Request:
    """What wrk sends: one request again and again, or (``sequence``, a file of
    "path<TAB>body" lines) each line in turn."""

    path: str
    method: str = "GET"
    body: str | None = None
    sequence: Path | None = None

    def env(self) -> dict[str, str]:
        env = {"BENCH_METHOD": self.method, "BENCH_THREADS": str(THREADS)}
        if self.body is not None:
            env["BENCH_BODY"] = self.body
        if self.sequence is not None:
            env["BENCH_REQUESTS"] = str(self.sequence)
            env["BENCH_LUA_DIR"] = str(BENCH_DIR)
        return env


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


def run_wrk(base_url: str, request: Request | str, token: str | None, seconds: int) -> LoadResult:
    """``LOAD`` for ``seconds`` on ``request``; a failed response counts against the run."""
    request = Request(request) if isinstance(request, str) else request
    say(f"{LOAD} -d{seconds}s {request.method} {base_url}{request.path}")
    script = WRK_SCRIPT if request.sequence is None else WRK_SEQUENCE
    env = {**os.environ, **request.env()}
    if token is not None:
        env["BENCH_TOKEN"] = token
    completed = subprocess.run(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            f"{base_url}{request.path}",
        ],
        env=env,
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
        path=request.path,
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
    say(
        f"  {result.rps} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
        + (f", {result.non_2xx} non-2xx" if result.non_2xx else "")
    )
    return result
