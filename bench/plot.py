"""A picture of the two bars that have a shape: expiry lag per task, and latency vs size."""

from __future__ import annotations

from pathlib import Path

from bench.report import Metric


def plot(metrics: list[Metric], path: Path) -> None:
    """Write a PNG when the lag or the scaling run is among ``metrics``; raises ImportError
    without matplotlib (an optional ``bench`` extra)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    found = {m.key: m for m in metrics}
    panels = [key for key in ("expiry_lag_p99_s", "scale_p50_ratio") if key in found]
    if not panels:
        return
    figure, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4), squeeze=False)
    for axis, key in zip(axes[0], panels, strict=True):
        metric = found[key]
        if key == "expiry_lag_p99_s":
            lags = sorted(metric.details["lags_s"])
            axis.plot([100 * (i + 1) / len(lags) for i in range(len(lags))], lags)
            axis.axhline(metric.bar.limit, color="red", linestyle="--", label="bar (p99)")
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
