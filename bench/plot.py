"""bench/results.png: every share of its ceiling and every side-by-side ratio against its
bar, then the two figures that have a shape (expiry lag per task, latency vs size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.report import Metric

#: Bars of one picture: shares of the bare-Flask ceiling, and the ETag/cursor ratios.
RELATIVE = (
    "tasks_list_share", "users_list_share", "task_detail_share", "create_task_share",
    "assign_share", "complete_share", "etag_detail_ratio", "cursor_list_ratio",
    "cursor_vs_offset_ratio",
)  # fmt: skip


def _relative(axis: Any, metrics: list[Metric]) -> None:
    names = [m.key for m in metrics]
    values = [m.value for m in metrics]
    colours = ["grey" if m.bar is None else "tab:green" if m.passed else "tab:red" for m in metrics]
    axis.barh(names, values, color=colours)
    for row, metric in enumerate(metrics):
        if metric.bar is not None:
            axis.plot([metric.bar.limit] * 2, [row - 0.4, row + 0.4], color="black")
        axis.text(metric.value, row, f" {metric.value:g}", va="center")
    axis.invert_yaxis()
    axis.set_xlabel("share of the bare-Flask ceiling / with ÷ without (black: the bar)")
    axis.set_title("Shares and side-by-side ratios (green: bar met)")


def plot(metrics: list[Metric], path: Path) -> None:
    """Write a PNG of what ``metrics`` hold; raises ImportError without matplotlib (an
    optional ``bench`` extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    found = {m.key: m for m in metrics}
    relative = [found[key] for key in RELATIVE if key in found]
    panels = [key for key in ("expiry_lag_p99_s", "scale_p50_ratio") if key in found]
    count = len(panels) + (1 if relative else 0)
    if not count:
        return
    figure, axes = plt.subplots(1, count, figsize=(7 * count, 4.5), squeeze=False)
    axes_left = list(axes[0])
    if relative:
        _relative(axes_left.pop(0), relative)
    for axis, key in zip(axes_left, panels, strict=True):
        metric = found[key]
        if key == "expiry_lag_p99_s":
            lags = sorted(metric.details["lags_s"])
            axis.plot([100 * (i + 1) / len(lags) for i in range(len(lags))], lags)
            axis.axhline(metric.bar.limit, color="red", linestyle="--", label="bar (p99)")  # type: ignore[union-attr]
            axis.set_xlabel("tasks (%), by lag")
            axis.set_ylabel("deadline -> seen failed (s)")
            axis.set_title(f"Expiry lag: p99 {metric.value:g} s")
        else:
            sizes = list(metric.details["p50_ms"])
            axis.plot(sizes, list(metric.details["p50_ms"].values()), marker="o", label="p50")
            axis.plot(sizes, list(metric.details["p99_ms"].values()), marker="o", label="p99")
            axis.set_xlabel("tasks in the database")
            axis.set_ylabel("GET /tasks filtered (ms)")
            axis.set_ylim(bottom=0)
            axis.set_title(f"Scaling: p50 ratio {metric.value:g}")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
