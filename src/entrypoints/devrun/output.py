"""The children's output in one terminal: every line prefixed by the process it comes from.

Each child writes into a pipe of its own; a thread per pipe copies whole lines to our stdout
under one lock (lines of two children never interleave mid-line) and flushes each, so that
nothing waits in a buffer. The thread drains its pipe until the child and everything that
inherited the pipe are gone, so a child never blocks on a full pipe, and the last lines a
stopping child writes are still shown (:meth:`Relay.finish` waits for them).
"""

from __future__ import annotations

import sys
import threading
from typing import IO, Final

#: The widest name (scheduler), so that the lines' text starts in one column.
NAME_WIDTH: Final = 9
FINISH_SECONDS: Final = 5.0


class Relay:
    def __init__(self, sink: IO[bytes] | None = None) -> None:
        self._sink = sink if sink is not None else sys.stdout.buffer
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def follow(self, name: str, pipe: IO[bytes] | None) -> None:
        """Copy ``pipe`` (a child's stdout, stderr joined to it) until its end, in the
        background."""
        if pipe is None:
            return
        prefix = f"{name:<{NAME_WIDTH}} | ".encode()
        thread = threading.Thread(
            target=self._copy, args=(prefix, pipe), name=f"output-{name}", daemon=True
        )
        thread.start()
        self._threads.append(thread)

    def write(self, line: bytes) -> None:
        with self._lock:
            try:
                self._sink.write(line)
                self._sink.flush()
            except (OSError, ValueError):
                pass  # our own output is gone (closed terminal): keep draining the child's

    def _copy(self, prefix: bytes, pipe: IO[bytes]) -> None:
        with pipe:
            for line in iter(pipe.readline, b""):
                self.write(prefix + line if line.endswith(b"\n") else prefix + line + b"\n")

    def finish(self, timeout: float = FINISH_SECONDS) -> None:
        """Once the children are stopped: wait for the rest of their output. A grandchild
        still holding a pipe cannot hold this up for longer than ``timeout``."""
        for thread in self._threads:
            thread.join(timeout)
