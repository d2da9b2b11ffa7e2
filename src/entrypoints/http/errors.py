"""The one translation from exceptions to HTTP answers, before any dialect renders them.

Views never catch anything: a refusal raised anywhere below them (an aggregate's rule, the
policy, a missing row, a bad token) arrives here and becomes an :class:`ErrorReply` — its
status, its kind, a message, the problems per field and the headers it needs. Each dialect
of the API (:mod:`entrypoints.http.dialects`) only renders that reply in its own words, so the
two can never disagree on what a refusal is. Anything unforeseen is a 500 with a generic
message — the traceback goes to the log, never to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from application.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    MissingCredentials,
    NotFound,
    PreconditionFailed,
    TooManyAttempts,
    Unauthenticated,
    WrongCredentials,
)
from domain.errors import DomainError, EmailAlreadyUsed, InvalidValue
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
INVALID = "The input is not valid."
#: The key marshmallow files problems of a body as a whole under (not of one field).
WHOLE = "_schema"


class Kind(StrEnum):
    """What went wrong, as far as a dialect's wording depends on it."""

    INVALID = "invalid"  # problems per field
    MALFORMED = "malformed"  # a body that does not parse
    NO_CREDENTIALS = "no-credentials"
    REFUSED_TOKEN = "refused-token"  # noqa: S105  # a kind of refusal, no secret
    WRONG_CREDENTIALS = "wrong-credentials"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not-found"  # a resource the path names does not exist
    NO_ROUTE = "no-route"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    CONFLICT = "conflict"
    EMAIL_TAKEN = "email-taken"
    PRECONDITION_FAILED = "precondition-failed"
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"
    SERVER_ERROR = "server-error"
    OTHER = "other"  # any other HTTP refusal: its status says it all


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem of one field; ``path`` leads to it (``("meta", "is_admin")``), empty for
    the body as a whole."""

    path: tuple[str, ...]
    message: str


@dataclass(frozen=True, slots=True)
class ErrorReply:
    code: int
    kind: Kind
    message: str
    fields: tuple[FieldError, ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    #: The kind of resource not found ("Task", "User"), when one was.
    subject: str | None = None


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
            Kind.UNAVAILABLE,
            "The database is unavailable; try again shortly.",
            headers={"Retry-After": str(RETRY_DATABASE_SECONDS)},
        )
    log.error("unhandled error", exc_info=error)
    return _http(InternalServerError())


def _domain(error: DomainError) -> ErrorReply:
    if isinstance(error, InvalidValue):
        return ErrorReply(
            422, Kind.INVALID, error.message, (FieldError((error.field,), _sentence(error.reason)),)
        )
    if isinstance(error, EmailAlreadyUsed):
        return ErrorReply(
            409, Kind.EMAIL_TAKEN, error.message, (FieldError(("email",), error.message),)
        )
    # Every other domain refusal is a rule of the current state (Conflict and its kinds).
    return ErrorReply(409, Kind.CONFLICT, error.message)


def _application(error: ApplicationError) -> ErrorReply:
    bearer = {"WWW-Authenticate": "Bearer"}
    if isinstance(error, WrongCredentials):
        headers = {**bearer, **rate_limit_headers(error.quotas)}
        return ErrorReply(401, Kind.WRONG_CREDENTIALS, error.message, headers=headers)
    if isinstance(error, MissingCredentials):
        return ErrorReply(401, Kind.NO_CREDENTIALS, error.message, headers=bearer)
    if isinstance(error, Unauthenticated):
        return ErrorReply(401, Kind.REFUSED_TOKEN, error.message, headers=bearer)
    if isinstance(error, Forbidden):
        return ErrorReply(403, Kind.FORBIDDEN, error.message)
    if isinstance(error, NotFound):
        return ErrorReply(404, Kind.NOT_FOUND, error.message, subject=error.kind)
    if isinstance(error, InvalidInput):
        return ErrorReply(422, Kind.INVALID, INVALID, tuple(_flatten(error.errors)))
    if isinstance(error, PreconditionFailed):
        headers = {"ETag": etag(error.current_version)}
        return ErrorReply(412, Kind.PRECONDITION_FAILED, error.message, headers=headers)
    assert isinstance(error, TooManyAttempts), f"no answer for {type(error).__name__}"
    headers = {RETRY_AFTER: str(error.retry_after_seconds), **rate_limit_headers(error.quotas)}
    return ErrorReply(429, Kind.THROTTLED, error.message, headers=headers)


def _http(error: HTTPException) -> ErrorReply:
    code = error.code or 500
    data: Mapping[str, Any] = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if code == 405:
        # werkzeug computes Allow; flask-smorest's default handler would drop it.
        headers.update((k, v) for k, v in error.get_headers() if k == "Allow")
    message = data.get("message") or error.description or ""
    by_location = data.get("errors", data.get("messages"))
    if isinstance(by_location, Mapping) and by_location:
        unparsed = _unparsed(by_location)
        if unparsed is not None:
            return ErrorReply(code, Kind.MALFORMED, unparsed, headers=headers)
        return ErrorReply(code, Kind.INVALID, INVALID, tuple(_by_field(by_location)), headers)
    return ErrorReply(code, _HTTP_KINDS.get(code, Kind.OTHER), message, headers=headers)


_HTTP_KINDS = {404: Kind.NO_ROUTE, 405: Kind.METHOD_NOT_ALLOWED, 500: Kind.SERVER_ERROR}


def _unparsed(by_location: Mapping[str, Any]) -> str | None:
    """webargs files a body it could not parse as the location's own problem
    (``{"json": ["Invalid JSON body."]}``), not as a field's."""
    for problems in by_location.values():
        if isinstance(problems, list) and problems:
            return str(problems[0])
    return None


def _by_field(by_location: Mapping[str, Any]) -> Iterator[FieldError]:
    """webargs keys problems by location (``{"json": {"name": [...]}}``); the location does
    not matter to the client, who knows where it sent each field."""
    for problems in by_location.values():
        if isinstance(problems, Mapping):
            yield from _flatten(problems)


def _flatten(problems: Any, path: tuple[str, ...] = ()) -> Iterator[FieldError]:
    if isinstance(problems, Mapping):
        for key, inner in problems.items():
            yield from _flatten(inner, path if key == WHOLE else (*path, str(key)))
    elif isinstance(problems, list | tuple):
        for problem in problems:
            yield from _flatten(problem, path)
    else:
        yield FieldError(path, str(problems))


def _sentence(reason: str) -> str:
    """Domain reasons read as "must not be blank"; field errors read as sentences."""
    return reason[:1].upper() + reason[1:] + ("" if reason.endswith(".") else ".")
