"""What a dialect of the API is: its schemas, how it reads bodies, how it renders refusals.

The dialects differ only here, at the HTTP edge. The views are written once, as factories
that build a dialect's blueprints (:mod:`entrypoints.http.views`), and every view calls the
same use case in every dialect; the refusals are translated once
(:func:`entrypoints.http.errors.reply_for`) and each dialect only words them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Request
from marshmallow import Schema
from webargs.flaskparser import FlaskParser

from entrypoints.http.errors import ErrorReply

#: A dialect's rendering of a refusal: its status and body (the request, when there is one).
Renderer = Callable[[ErrorReply, Request | None], tuple[int, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Schemas:
    """The schemas a dialect reads and writes each resource with."""

    register: type[Schema]
    login: type[Schema]
    refresh: type[Schema]
    token: type[Schema]
    user: type[Schema]
    user_page: type[Schema]
    user_create: type[Schema]
    user_update: type[Schema]
    user_query: type[Schema]
    task: type[Schema]
    task_page: type[Schema]
    task_message: type[Schema]
    task_create: type[Schema]
    task_update: type[Schema]
    task_query: type[Schema]
    assign: type[Schema]
    history_page: type[Schema]
    page_query: type[Schema]


@dataclass(frozen=True, slots=True, eq=False)
class Dialect:
    """One way of speaking the API, under its path prefix (``""`` for none)."""

    name: str
    prefix: str
    schemas: Schemas
    parser: FlaskParser
    #: Where bodies are read from: webargs' location name.
    body_location: str
    error_schema: type[Schema]
    error_media_type: str
    render: Renderer

    def speaks(self, path: str) -> bool:
        """Whether a request for ``path`` is in this dialect (by its prefix)."""
        return not self.prefix or path == self.prefix or path.startswith(self.prefix + "/")
