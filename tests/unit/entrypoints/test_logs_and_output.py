"""LOG_FORMAT, the text lines' request id, and `task-assigner run`'s prefixed output."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys

import pytest

from entrypoints import logs
from entrypoints.devrun.output import Relay
from entrypoints.settings import ConfigurationError, log_format


def test_log_format_is_text_unless_json_is_asked_and_nothing_else_is_accepted() -> None:
    assert log_format({}) == "text"
    assert log_format({"LOG_FORMAT": "json"}) == "json"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT must be one of text, json"):
        log_format({"LOG_FORMAT": "xml"})


def test_a_text_line_names_the_request_it_was_written_for() -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        logs.configure_logging("text", stream=stream)
        token = logs.bind(request_id="abc123")
        logging.getLogger("here").info("inside")
        logs.unbind(token)
        logging.getLogger("here").info("outside")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    inside, outside = stream.getvalue().splitlines()
    assert inside.endswith("here [request_id=abc123]: inside")
    assert outside.endswith("here: outside")


def test_run_prefixes_every_line_of_each_child_and_loses_none_at_the_end() -> None:
    sink = io.BytesIO()
    relay = Relay(sink)
    code = "import sys\nfor i in range(2000): print(i)\nsys.stdout.write('no newline')"
    children = [
        subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, env=os.environ)
        for _ in range(2)
    ]
    for name, child in zip(("api", "scheduler"), children, strict=True):
        relay.follow(name, child.stdout)
    for child in children:
        child.wait()
    relay.finish()
    lines = sink.getvalue().decode().splitlines()
    assert len(lines) == 2 * 2001
    assert lines.count("api       | no newline") == 1
    assert sum(line.startswith("scheduler | ") for line in lines) == 2001
    assert all(line.startswith(("api       | ", "scheduler | ")) for line in lines)
