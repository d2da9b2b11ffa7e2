"""The service's Flask asks once per function whether it is a coroutine function, and still
hands a coroutine function to Flask's own async handling."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from entrypoints.http import flask_app
from entrypoints.http.flask_app import ServiceFlask


def a_view() -> str:
    return "ok"


async def an_async_view() -> str:
    return "ok"


class Views:
    def get(self) -> str:
        return "ok"


def test_a_plain_function_is_run_as_it_is() -> None:
    assert ServiceFlask(__name__).ensure_sync(a_view) is a_view


def test_a_coroutine_function_goes_to_flasks_async_handling() -> None:
    with pytest.raises(RuntimeError) as theirs:
        Flask(__name__).ensure_sync(an_async_view)
    with pytest.raises(RuntimeError) as ours:
        ServiceFlask(__name__).ensure_sync(an_async_view)
    assert str(ours.value) == str(theirs.value)


def test_each_function_is_asked_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Any] = []

    def counting(func: Any) -> bool:
        asked.append(func)
        return False

    monkeypatch.setattr(flask_app, "iscoroutinefunction", counting)
    app = ServiceFlask(__name__)
    for _ in range(3):
        app.ensure_sync(a_view)
        app.ensure_sync(Views().get)  # a new bound method each request, one function
    assert len(asked) == 2
