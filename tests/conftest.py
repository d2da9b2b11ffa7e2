"""Run-wide guards: a test run that proves nothing must not pass.

pytest already exits 5 when it collects no test. It exits 0, though, when every collected test
was skipped; and in CI (``REQUIRE_SERVICES=1``, set by ``.ci/run``) a skipped test means a
missing service went unnoticed. Both end the run with a non-zero status here.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator

import pytest

_executed: list[str] = []
_skipped: list[str] = []
_REASON = pytest.StashKey[str]()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call" and not report.skipped:
        _executed.append(report.nodeid)
    elif report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def _verdict(session: pytest.Session) -> str | None:
    if session.config.option.collectonly or session.exitstatus != pytest.ExitCode.OK:
        return None
    if not _executed:
        return "no test was executed"
    if _skipped and os.environ.get("REQUIRE_SERVICES") == "1":
        return f"{len(_skipped)} test(s) skipped where every test must run (REQUIRE_SERVICES=1)"
    return None


def pytest_sessionfinish(session: pytest.Session) -> None:
    reason = _verdict(session)
    if reason is not None:
        session.config.stash[_REASON] = reason
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    reason = terminalreporter.config.stash.get(_REASON, None)
    if reason is not None:
        terminalreporter.write_line(f"FAILED: {reason}.", red=True, bold=True)


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What this process logs from here on, as LOG_FORMAT=json writes it (every level)."""
    from entrypoints.logs import configure_logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    configure_logging("json", verbose=True, stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)
