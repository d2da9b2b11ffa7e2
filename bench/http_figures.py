"""The HTTP figures of a run, from its measured rates: each rate, its share of the matching
ceiling, and the side-by-side ratios of ETags and cursors."""

from __future__ import annotations

from typing import Any

from bench.report import Metric
from bench.rounds import Measured, share

#: Figure -> (what it measures, its ceiling): the bare app's answer of the same kind.
RATES = {
    "tasks_list": ("GET /tasks?limit=30", "bare_page"),
    "users_list": ("GET /users?limit=30", "bare_page"),
    "task_detail": ("GET /tasks/<id> (a task with an assignee)", "bare_small"),
    "create_task": ("POST /tasks", "bare_post"),
    "assign": ("POST /tasks/assign_task (a pending task of a pool, to the next user)", "bare_post"),
    "complete": ("POST /tasks/<id>/complete_task (a fresh pending task each time)", "bare_post"),
}
CEILINGS = {
    "bare_page": "GET of a fixed page of 30 tasks, the service's own answer, from bare Flask",
    "bare_small": "GET of a fixed task, the service's own answer, from bare Flask",
    "bare_post": "POST of a task's JSON body, parsed and answered with a task, from bare Flask",
}
#: Ratio -> (with the feature, without it, what is compared).
SIDE_BY_SIDE = {
    "etag_detail_ratio": (
        "task_detail",
        "plain_detail",
        "GET /tasks/<id>: the service (ETag, If-None-Match) / the same app with them bypassed",
    ),
    "cursor_list_ratio": (
        "cursor_page",
        "plain_page",
        "the second page of GET /tasks?limit=30: by cursor on the service (the cursor read, "
        "the keyset query, both neighbours' cursors signed) / by offset=30 on the same app "
        "with cursors bypassed",
    ),
    "cursor_vs_offset_ratio": (
        "deep_cursor",
        "deep_offset",
        "a page deep in GET /tasks?limit=30, both on the service: by cursor / by offset",
    ),
}


def _refused(*measured: Measured) -> str | None:
    """Why a figure over these rates measures nothing: answers that failed count as fast ones."""
    failed = sum(m.details()["non_2xx"] + m.details()["errors"] for m in measured)
    total = sum(m.details()["requests"] for m in measured)
    return f"{failed} of {total} requests failed" if failed else None


def _rate(key: str, what: str, measured: Measured, context: dict[str, Any]) -> Metric:
    return Metric(
        f"{key}_rps",
        measured.rps,
        "req/s",
        {"what": what, **measured.details(), **context},
        refused=_refused(measured),
    )


def http_metrics(
    measured: dict[str, Measured], context: dict[str, Any], found: dict[str, Any], deep: int
) -> list[Metric]:
    metrics = []
    for key, (what, ceiling) in RATES.items():
        if key not in measured:
            continue
        metrics.append(_rate(key, what, measured[key], context))
        metrics.append(
            Metric(
                f"{key}_share",
                share(measured[key].rps, measured[ceiling].rps),
                "of ceiling",
                {"rate_rps": measured[key].rps, "ceiling": f"{ceiling}_rps"},
                refused=_refused(measured[key], measured[ceiling]),
            )
        )
    for key, what in CEILINGS.items():
        sizes = {"bare_page": found["page_bytes"], "bare_small": found["small_bytes"]}
        extra = {"answer_bytes": sizes[key]} if key in sizes else {}
        metrics.append(_rate(key, what, measured[key], {**extra, **context}))
    for key, (with_it, without, what) in SIDE_BY_SIDE.items():
        metrics.append(
            Metric(
                key,
                share(measured[with_it].rps, measured[without].rps),
                "x",
                {
                    "what": what,
                    "with_rps": measured[with_it].rps,
                    "without_rps": measured[without].rps,
                    "with": measured[with_it].details(),
                    "without": measured[without].details(),
                    **({"depth": deep} if key == "cursor_vs_offset_ratio" else {}),
                },
                refused=_refused(measured[with_it], measured[without]),
            )
        )
    return metrics
