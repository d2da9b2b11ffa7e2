"""Progress lines for long steps, so that a quarter-hour run never looks hung."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_START = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - _START:7.1f}s] {message}", file=sys.stderr, flush=True)


@contextmanager
def step(title: str) -> Iterator[None]:
    """Announce a step and how long it took."""
    say(f"{title} ...")
    began = time.monotonic()
    yield
    say(f"{title}: done in {time.monotonic() - began:.1f}s")


def bar(done: int, total: int, label: str) -> None:
    """A progress bar: rewritten in place on a terminal, one line per call elsewhere
    (callers call it once per chunk, not per row)."""
    width = 30
    filled = width * done // max(total, 1)
    line = f"  {label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
    end = "\r" if sys.stderr.isatty() and done < total else "\n"
    print(line, end=end, file=sys.stderr, flush=True)
