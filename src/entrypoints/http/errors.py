"""The one translation from exceptions to HTTP answers.

Views never catch anything: a refusal raised anywhere below them (an aggregate's rule, the
policy, a missing row, a bad token) arrives here and becomes its status code and the JSON body
``{"code", "status", "message", "errors"}``. Anything unforeseen is a 500 with a generic
message — the traceback goes to the log, never to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from application.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TooManyAttempts,
    Unauthenticated,
    WrongCredentials,
)
from domain.errors import DomainError, InvalidValue
from entrypoints.http.preconditions import etag
from entrypoints.http.ratelimit import RETRY_AFTER, rate_limit_headers

log = logging.getLogger(__name__)

#: The database did not answer (down, unreachable, connection lost, pool exhausted).
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
)
#: Every exception class :func:`reply_for` knows how to answer.
HANDLED: tuple[type[Exception], ...] = (
    HTTPException,
    DomainError,
    ApplicationError,
    *DATABASE_UNAVAILABLE,
)
RETRY_DATABASE_SECONDS = 5


@dataclass(frozen=True, slots=True)
class ErrorReply:
    code: int
    message: str
    errors: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "status": HTTPStatus(self.code).phrase,
            "message": self.message,
            "errors": dict(self.errors),
        }


def reply_for(error: Exception) -> ErrorReply:
    if isinstance(error, HTTPException):
        return _http(error)
    if isinstance(error, DomainError):
        return _domain(error)
    if isinstance(error, ApplicationError):
        return _application(error)
    if isinstance(error, DATABASE_UNAVAILABLE):
        log.warning("database unavailable: %s", error.__class__.__name__)
        return ErrorReply(
            503,
            "The database is unavailable; try again shortly.",
            headers={"Retry-After": str(RETRY_DATABASE_SECONDS)},
        )
    log.error("unhandled error", exc_info=error)
    return _http(InternalServerError())


def _domain(error: DomainError) -> ErrorReply:
    if isinstance(error, InvalidValue):
        return ErrorReply(422, error.message, {error.field: [_sentence(error.reason)]})
    # Every other domain refusal is a rule of the current state (Conflict and its kinds).
    return ErrorReply(409, error.message)


def _application(error: ApplicationError) -> ErrorReply:
    if isinstance(error, WrongCredentials):
        headers = {"WWW-Authenticate": "Bearer", **rate_limit_headers(error.quotas)}
        return ErrorReply(401, error.message, headers=headers)
    if isinstance(error, Unauthenticated):
        return ErrorReply(401, error.message, headers={"WWW-Authenticate": "Bearer"})
    if isinstance(error, Forbidden):
        return ErrorReply(403, error.message)
    if isinstance(error, NotFound):
        return ErrorReply(404, error.message)
    if isinstance(error, InvalidInput):
        return ErrorReply(422, "The input is not valid.", error.errors)
    if isinstance(error, PreconditionFailed):
        return ErrorReply(412, error.message, headers={"ETag": etag(error.current_version)})
    assert isinstance(error, TooManyAttempts), f"no answer for {type(error).__name__}"
    headers = {RETRY_AFTER: str(error.retry_after_seconds), **rate_limit_headers(error.quotas)}
    return ErrorReply(429, error.message, headers=headers)


def _http(error: HTTPException) -> ErrorReply:
    code = error.code or 500
    data: Mapping[str, Any] = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if code == 405:
        # werkzeug computes Allow; flask-smorest's default handler would drop it.
        headers.update((k, v) for k, v in error.get_headers() if k == "Allow")
    errors = _by_field(data.get("errors", data.get("messages", {})))
    message = data.get("message") or ("The input is not valid." if errors else None)
    return ErrorReply(
        code, message or error.description or HTTPStatus(code).phrase, errors, headers
    )


def _by_field(errors: Any) -> dict[str, Any]:
    """webargs keys validation errors by location (``{"json": {"name": [...]}}``); clients of
    the original service expect ``{"name": [...]}``. A location whose error is not per field
    (``{"json": ["Invalid JSON body."]}``) keeps its key."""
    if not isinstance(errors, Mapping):
        return {}
    flat: dict[str, Any] = {}
    for location, problems in errors.items():
        if isinstance(problems, Mapping):
            flat.update(problems)
        else:
            flat[location] = problems
    return flat


def _sentence(reason: str) -> str:
    """Domain reasons read as "must not be blank"; field errors read as sentences."""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
