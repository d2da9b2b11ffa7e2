"""The bars of docs/architecture.md §9, the printed table and ``results.json``."""

from __future__ import annotations

import json
import operator
import os
import platform
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_COMPARE: dict[str, Callable[[float, float], bool]] = {"<=": operator.le, ">=": operator.ge}


@dataclass(frozen=True, slots=True)
class Bar:
    op: str
    limit: float

    def met_by(self, value: float) -> bool:
        return _COMPARE[self.op](value, self.limit)

    def __str__(self) -> str:
        return f"{self.op} {self.limit:g}"


#: Every figure a run can produce. ``None``: reported without a bar (the share's raw rate,
#: a ceiling, a figure kept for comparison).
BARS: Mapping[str, Bar | None] = {
    "expire_ratio": Bar("<=", 1.1),
    "expiry_lag_p99_s": Bar("<=", 2.0),
    "tasks_list_rps": Bar(">=", 100),
    "users_list_rps": Bar(">=", 100),
    "task_detail_rps": None,
    "statements_per_page": Bar("<=", 3),
    "scale_p50_ratio": Bar("<=", 2.0),
    "webhook_lag_p99_s": Bar("<=", 2.0),
    "webhook_events_per_s": Bar(">=", 100),
    # The framework's ceiling: a bare Flask app under the same gunicorn settings.
    "bare_page_rps": None,
    "bare_small_rps": None,
    "bare_post_rps": None,
    # Each rate as a share of its ceiling, measured in the same run.
    "tasks_list_share": Bar(">=", 0.25),
    "users_list_share": Bar(">=", 0.25),
    "task_detail_share": Bar(">=", 0.40),
    "create_task_rps": None,
    "assign_rps": None,
    "complete_rps": None,
    "create_task_share": Bar(">=", 0.15),
    "assign_share": Bar(">=", 0.15),
    "complete_share": Bar(">=", 0.15),
    # A burst of deadlines in one second, among all the tasks of a large database.
    "burst_10k_s": Bar("<=", 2.0),
    "burst_100k_s": None,
    # What ETags and cursors cost: the service ÷ the same app with them bypassed, side by side.
    "etag_detail_ratio": Bar(">=", 0.9),
    "cursor_list_ratio": Bar(">=", 0.9),
    "cursor_vs_offset_ratio": None,
}


@dataclass(slots=True)
class Metric:
    key: str
    value: float
    unit: str
    details: dict[str, Any] = field(default_factory=dict)
    #: Why the figure measures nothing (requests that failed): it then fails the run.
    refused: str | None = None

    @property
    def bar(self) -> Bar | None:
        return BARS[self.key]

    @property
    def passed(self) -> bool:
        """A figure without a bar is reported and fails the run only if it was refused."""
        if self.refused is not None:
            return False
        return self.bar is None or self.bar.met_by(self.value)

    @property
    def verdict(self) -> str:
        if self.refused is not None:
            return "INVALID"
        if self.bar is None:
            return "reported"
        return "PASS" if self.passed else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "bar": None if self.bar is None else str(self.bar),
            "passed": self.passed if self.bar is not None or self.refused else None,
            **({"refused": self.refused} if self.refused else {}),
            **self.details,
        }


def table(metrics: list[Metric]) -> str:
    rows = [("metric", "value", "bar", "result")]
    rows += [
        (m.key, f"{m.value:g} {m.unit}".strip(), str(m.bar or "-"), m.verdict) for m in metrics
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write_results(
    path: Path, metrics: list[Metric], started: datetime, extra: Mapping[str, Any]
) -> None:
    document: dict[str, Any] = {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "machine": machine(),
        "all_passed": all(m.passed for m in metrics),
        **{m.key: m.as_dict() for m in metrics},
        **extra,
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
