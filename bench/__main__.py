"""``make bench`` / ``python -m bench``: every bar of docs/architecture.md §9, a table, a JSON file.

Set BENCH_ONLY to a comma-separated subset (http, scale, lag, burst, expire, webhooks) to run
part of it; ``--smoke`` (or BENCH_SMOKE=1) runs everything at tiny sizes, to check the harness."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from bench import burst, expire_ratio, expiry_lag, scaling, throughput, webhooks
from bench.config import BenchConfig
from bench.plot import plot
from bench.processes import private_redis
from bench.progress import say, step
from bench.report import Metric, table, write_results

Runner = Callable[[BenchConfig], list[Metric]]

RUNS: dict[str, Runner] = {
    "http": throughput.measure,
    "scale": lambda config: [scaling.measure(config)],
    "lag": lambda config: [expiry_lag.measure(config)],
    "burst": burst.measure,
    "expire": lambda config: [expire_ratio.measure(config)],
    "webhooks": webhooks.measure,
}


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make bench` installs it (apt-get install -y wrk)")
        return 2
    config = BenchConfig.from_env(smoke="--smoke" in sys.argv[1:])
    wanted = [name.strip() for name in os.environ.get("BENCH_ONLY", ",".join(RUNS)).split(",")]
    unknown = set(wanted) - set(RUNS)
    if unknown:
        print(f"unknown BENCH_ONLY parts: {', '.join(sorted(unknown))} (known: {', '.join(RUNS)})")
        return 2
    started = datetime.now(UTC)
    began = time.monotonic()
    metrics: list[Metric] = []
    with ExitStack() as stack:
        if config.redis_url is None:
            logdir = Path(tempfile.mkdtemp(prefix="bench-redis-"))
            config = replace(config, redis_url=stack.enter_context(private_redis(logdir)))
        for name in wanted:
            with step(f"== {name}"):
                metrics.extend(RUNS[name](config))
    extra = {"duration_s": round(time.monotonic() - began, 1), "sizes": config.sizes()}
    write_results(config.results_path, metrics, started, extra)
    try:
        plot(metrics, config.plot_path)
    except ImportError:
        say("matplotlib is not installed (pip install -e '.[bench]'): no plot")
    print()
    print(table(metrics))
    print(f"\nwritten: {config.results_path}")
    return 0 if all(m.passed for m in metrics) else 1


if __name__ == "__main__":
    sys.exit(main())
