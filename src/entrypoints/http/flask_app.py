"""The Flask application class of the service: Flask, minus a question asked anew on every
request.

Flask asks of every hook and view, on every request, whether it is a coroutine function
(``ensure_sync``, the override point Flask documents for this), unwrapping each decorator
layer to find out: about fifteen times a request here, 2 % of a task's detail. The answer
is a property of the function, so :class:`ServiceFlask` asks once per function. Bound
methods (a ``MethodView``'s) are remembered by their function.
"""

from __future__ import annotations

from collections.abc import Callable
from inspect import iscoroutinefunction
from typing import Any

from flask import Flask


class ServiceFlask(Flask):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._coroutines: dict[Callable[..., Any], bool] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        key = getattr(func, "__func__", func)
        coroutine = self._coroutines.get(key)
        if coroutine is None:
            coroutine = self._coroutines[key] = iscoroutinefunction(func)
        return self.async_to_sync(func) if coroutine else func
