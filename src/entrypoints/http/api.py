# mypy: allow-subclassing-any
"""flask-smorest, adapted: one Api (and one OpenAPI document) per dialect, blueprints that
read and document as their dialect says, and one error handler for every refusal."""

from __future__ import annotations

import http
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

import flask_smorest
from flask import Flask
from flask_smorest.utils import prepare_response

from entrypoints.http.dialects import answer
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.errors import HANDLED

F = TypeVar("F", bound=Callable[..., Any])

#: The name of the security scheme protected operations refer to.
BEARER = "bearerAuth"


class Blueprint(flask_smorest.Blueprint):
    """A blueprint of one dialect: its parser, its body location, its error answers."""

    def __init__(self, name: str, import_name: str, *, dialect: Dialect, **kwargs: Any) -> None:
        url_prefix = dialect.prefix + kwargs.pop("url_prefix", "")
        # Flask names blueprints app-wide: those under a prefix carry it in their names.
        unique = f"{dialect.prefix.strip('/')}-{name}" if dialect.prefix else name
        super().__init__(unique, import_name, url_prefix=url_prefix or None, **kwargs)
        self.dialect = dialect
        self.ARGUMENTS_PARSER = dialect.parser
        self.tag = name

    def route(self, rule: str, *, parameters: Any = None, tags: Any = None, **options: Any) -> Any:
        """Operations are tagged with the resource's name, whatever the dialect."""
        return super().route(rule, parameters=parameters, tags=tags or [self.tag], **options)

    def arguments(self, schema: Any, *, location: str | None = None, **kwargs: Any) -> Any:
        """Bodies are read where the dialect reads them; operations with a body that only
        JSON may carry also document the 415 a body of another type gets.

        A schema given as a class is made once, here: webargs would make one per request
        (copying every field), a third of what parsing a query costs."""
        body = location is None
        location = self.dialect.body_location if body else location
        if isinstance(schema, type):
            schema = schema()
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        return lambda func: self.errors(415)(parse(func))

    def errors(self, *codes: int) -> Callable[[F], F]:
        """Document the error answers an operation can give, all with the error body."""

        def decorator(func: F) -> F:
            for code in codes:
                func = self.alt_response(code, response=HTTPStatus(code).name)(func)
            return func

        return decorator

    def refusal(self, code: int, description: str, **kwargs: Any) -> Callable[[F], F]:
        """Document an error answer with its own description (and headers)."""
        return self.alt_response(  # type: ignore[no-any-return]
            code,
            schema=self.dialect.error_schema,
            content_type=self.dialect.error_media_type,
            description=description,
            **kwargs,
        )


class Api(flask_smorest.Api):
    """The document and the routes of one dialect. Every refusal, whatever the dialect, goes
    to the one handler the app registers (:func:`entrypoints.http.dialects.answer`)."""

    def __init__(self, app: Flask, dialect: Dialect, *, config_prefix: str = "") -> None:
        self.ERROR_SCHEMA = dialect.error_schema
        self._dialect = dialect
        super().__init__(app, config_prefix=config_prefix)

    def register_blueprint(self, blp: Any, **options: Any) -> None:
        super().register_blueprint(blp, **options)
        # flask-smorest lists a tag per blueprint by its name; ours read as the resource's.
        self.spec._tags[-1]["name"] = getattr(blp, "tag", blp.name)

    def _register_error_handlers(self) -> None:
        for kind in HANDLED:
            self._app.register_error_handler(kind, answer)

    def _register_responses(self) -> None:
        """flask-smorest's lazy responses per status, with the dialect's error media type."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, self._dialect.error_media_type)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, self._dialect.error_media_type)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
