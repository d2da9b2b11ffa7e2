"""A flame graph of the task list under load (py-spy, sampling the running gunicorn workers
from outside), and a summary of where the samples fell, kept in results.json.

py-spy reads the workers' memory with ptrace: it needs root, or CAP_SYS_PTRACE, or
``kernel.yama.ptrace_scope`` at 0. Without it the run goes on and says so."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Final

from bench.load_test import CONNECTIONS, THREADS, WRK_SCRIPT
from bench.processes import RunningApi
from bench.progress import say

PY_SPY: Final = str(Path(sys.executable).parent / "py-spy")

#: Where the time of a request goes, by the frames a sample passes through (the first that
#: matches names it): a sample in authentication that runs SQL counts as authentication.
PARTS: Final = (
    ("authentication", ("current_actor",)),
    ("query arguments (webargs)", ("parse (webargs/core.py", "_get_schema (webargs/core.py")),
    (
        "rendering (marshmallow, JSON)",
        ("schemas/representation", "marshmallow/", "json_answers", "flask/json", "json/encoder"),
    ),
    ("SQL and rows (SQLAlchemy, psycopg2)", ("sqlalchemy/", "psycopg2")),
    ("cursors, ETags", ("application/cursors", "preconditions")),
)


def _py_spy(pid: int, seconds: int, output: Path, fmt: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            PY_SPY,
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--duration",
            str(seconds),
            "--rate",
            "100",
            "--format",
            fmt,
            "--output",
            str(output),
            "--nonblocking",
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def summarize(collapsed: str) -> dict[str, Any]:
    """Shares of the samples per part of :data:`PARTS` (py-spy's raw format: one stack a
    line, frames joined by ``;``, then the sample count)."""
    parts: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        name = next(
            (part for part, marks in PARTS if any(mark in stack for mark in marks)), "other"
        )
        parts[name] += samples
    return {
        "samples": total,
        "share_by_part": {name: round(n / total, 3) for name, n in parts.most_common()}
        if total
        else {},
    }


def profile(api: RunningApi, path: str, token: str, seconds: int, svg: Path) -> dict[str, Any]:
    """wrk on ``path`` while py-spy samples the workers twice: once for the summary (raw
    stacks), once for the SVG."""
    if shutil.which(PY_SPY) is None and not Path(PY_SPY).exists():
        say("py-spy is not installed (pip install -e '.[bench]'): no flame graph")
        return {"error": "py-spy not installed"}
    folder = Path(tempfile.mkdtemp(prefix="bench-profile-"))
    raw = folder / "stacks.txt"
    say(f"profiling {path} for 2 x {seconds}s with py-spy")
    load = subprocess.Popen(
        [
            "wrk",
            f"-t{THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{2 * seconds + 6}s",
            "-s",
            str(WRK_SCRIPT),
            f"{api.url}{path}",
        ],
        env={**os.environ, "BENCH_TOKEN": token},
        stdout=subprocess.DEVNULL,
    )
    try:
        first = _py_spy(api.pid, seconds, raw, "raw")
        second = _py_spy(api.pid, seconds, svg, "flamegraph")
    finally:
        load.wait()
    if first.returncode != 0 or second.returncode != 0 or not raw.exists():
        message = (first.stderr + second.stderr).strip()[-500:]
        say(f"py-spy failed (it needs ptrace: run as root or with CAP_SYS_PTRACE): {message}")
        return {"error": message}
    summary = summarize(raw.read_text())
    say(f"  profile: {summary['share_by_part']}")
    return {"path": path, "flame_graph": svg.name, "seconds": seconds, **summary}
