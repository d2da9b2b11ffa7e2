"""Logging, set up in one place for every process: the API (gunicorn's own lines too), the
worker, the scheduler and the one-off commands.

``LOG_FORMAT=text`` (the default) writes the familiar one-line records; ``LOG_FORMAT=json``
writes one JSON object per line — time, level, logger, message, request_id, and whatever
fields the caller passed as ``extra`` (route, status, duration_ms, tasks_failed, ...) — for a
log collector to index. Either way, every line written while serving a request carries its
request id, and every line of an expiry sweep its run id (see :func:`bind`).

What is logged is chosen by the callers, never a dump of a request: no header, body or query
string reaches a log line, so tokens and passwords cannot either.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from contextvars import ContextVar, Token
from types import MappingProxyType
from typing import IO, Final

from pythonjsonlogger.json import JsonFormatter

from entrypoints.settings import LOG_FORMATS

TEXT, JSON = LOG_FORMATS

TEXT_LAYOUT: Final = "%(asctime)s %(levelname)s [%(process)d] %(name)s%(context)s: %(message)s"
JSON_FIELDS: Final = "{levelname}{name}{message}{request_id}"
JSON_NAMES: Final = {"levelname": "level", "name": "logger"}

#: The fields every line written in this context carries (a request's id, a sweep's run id).
_context: ContextVar[Mapping[str, str]] = ContextVar("log_context", default=MappingProxyType({}))
#: The bound fields the text format shows, after the logger's name.
TEXT_CONTEXT: Final = ("request_id", "run_id")


def bind(**fields: str) -> Token[Mapping[str, str]]:
    """Add ``fields`` to every line logged from here on in this context, until :func:`unbind`."""
    return _context.set({**_context.get(), **fields})


def unbind(token: Token[Mapping[str, str]]) -> None:
    _context.reset(token)


def bound(name: str) -> str | None:
    return _context.get().get(name)


class _ContextFilter(logging.Filter):
    """Puts the bound fields on each record, unless the caller passed its own (the access log
    line, written once the request is over, passes the request's id itself). ``request_id``
    is always there (None outside a request), so that a JSON line always has the key."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in {"request_id": None, **_context.get()}.items():
            if getattr(record, name, None) is None:
                setattr(record, name, value)
        return True


class _TextFormatter(logging.Formatter):
    """The one-line format, with the request or run id after the logger's name."""

    def format(self, record: logging.LogRecord) -> str:
        record.context = "".join(
            f" [{name}={value}]"
            for name in TEXT_CONTEXT
            if (value := getattr(record, name, None)) is not None
        )
        return super().format(record)


def formatter(log_format: str) -> logging.Formatter:
    if log_format == JSON:
        return JsonFormatter(JSON_FIELDS, style="{", timestamp="time", rename_fields=JSON_NAMES)
    return _TextFormatter(TEXT_LAYOUT)


def configure_logging(
    log_format: str = TEXT, *, verbose: bool = False, stream: IO[str] | None = None
) -> logging.Handler:
    """One handler on the root logger, writing to ``stream`` (stderr); every library's logger
    (gunicorn, RQ, SQLAlchemy, ...) propagates to it. Safe to call again: it replaces the
    handler it installed before."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"unknown log format {log_format!r}")
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_task_assigner", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._task_assigner = True  # type: ignore[attr-defined]
    handler.addFilter(_ContextFilter())
    handler.setFormatter(formatter(log_format))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # The standby scheduler warns on every poll that the lock is taken: that is its job.
    logging.getLogger("rq_scheduler.scheduler").setLevel(
        logging.NOTSET if verbose else logging.ERROR
    )
    # Alembic says which plugins it loads on every start; its warnings and errors still show.
    logging.getLogger("alembic").setLevel(logging.NOTSET if verbose else logging.WARNING)
    return handler
