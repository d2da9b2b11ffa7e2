"""The README's walkthrough, run as written: its ``sh walkthrough`` blocks, in order, in one
bash, against a real `task-assigner serve`, worker and scheduler; each block must print what
the ``text`` block after it shows (a block without one must print nothing)."""

from __future__ import annotations

import re
import subprocess
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from entrypoints.devrun.processes import free_port
from integration.ops.support import Start, wait_until

README = Path(__file__).resolve().parents[3] / "README.md"
SECTION = "## Walkthrough: a client's first session"
BLOCK = re.compile(
    r"```sh walkthrough\n(?P<code>.*?)```\n(?:\n```text\n(?P<shows>.*?)```\n)?",
    re.DOTALL,
)


@dataclass(frozen=True)
class Step:
    code: str
    shows: str


def walkthrough() -> list[Step]:
    text = README.read_text()
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return [Step(block["code"], block["shows"] or "") for block in BLOCK.finditer(text[start:end])]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_the_walkthrough_runs_as_written(start: Start, ops_env: dict[str, str]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    api = start("serve", env={**ops_env, "HOST": "127.0.0.1", "PORT": str(port)})
    start("worker"), start("scheduler")
    wait_until(lambda: _answers(f"{base}/readyz"), 30, "the API")
    wait_until(lambda: _answers(f"{base}/healthz"), 30, "the API")
    steps = walkthrough()
    assert len(steps) >= 10, "the walkthrough lost its steps"
    script = "set -euo pipefail\n" + "".join(
        f"echo '@@ step {i} @@'\n{step.code}" for i, step in enumerate(steps)
    )
    run = subprocess.run(
        ["bash", "-c", script], env={**ops_env, "BASE": base},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, (run.stderr, api.output())
    printed = re.split(r"^@@ step \d+ @@\n", run.stdout, flags=re.MULTILINE)[1:]
    assert len(printed) == len(steps), run.stdout
    for step, output in zip(steps, printed, strict=True):
        assert output == step.shows, (step.code, output)
