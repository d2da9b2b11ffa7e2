"""Conditional requests (RFC 9110 §13): the one place that reads If-Match and If-None-Match,
writes ETags, and documents them.

A task's or a user's ETag is its version, quoted: ``"7"``. It is strong, since the version
moves on with every change (a column, not a hash of the body). Views read ``If-Match`` with
:func:`expected_version` and hand the version to the use case, which compares it under the
row's lock; they answer with :func:`tagged` (writes) or :func:`shown` (reads, 304 when the
client's copy is current).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, Protocol, TypeVar

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import PreconditionRequired

if TYPE_CHECKING:  # the error handler imports this module: no cycle through the api module
    from entrypoints.http.api import Blueprint

F = TypeVar("F", bound=Callable[..., Any])

_REQUIRED: Final = "REQUIRE_IF_MATCH"
#: Versions start at 1, so no representation has this one: an If-Match naming no version we
#: could have issued (a weak tag, a foreign tag, a list of several) matches nothing, a 412.
NO_VERSION: Final = 0
#: How a version looks inside its quotes; bounded, so a huge number is just a foreign tag.
_VERSION: Final = re.compile(r"[0-9]{1,18}")
MISSING_IF_MATCH: Final = (
    'Send If-Match with the ETag you read (or "*"): this service requires it on writes.'
)

ETAG_HEADERS: Final = {
    "ETag": {
        "description": "The version of the representation, a strong entity tag.",
        "schema": {"type": "string", "pattern": '^"[0-9]+"$'},
        "required": True,
    }
}
_IF_MATCH: Final = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "Change only if the current ETag is this one (or any, with `*`); "
    "otherwise 412. Required when the service runs with REQUIRE_IF_MATCH=1 (else 428).",
}
_IF_NONE_MATCH: Final = {
    "in": "header",
    "name": "If-None-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": "Answer 304, without a body, if the current ETag is one of these.",
}


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def etag(version: int) -> str:
    return f'"{version}"'


def require_if_match(app: Flask, required: bool) -> None:
    """Whether writes without If-Match are refused (428) in this app."""
    app.config[_REQUIRED] = required


def expected_version() -> int | None:
    """The version the request's If-Match names; None for ``*`` (any existing one) or, unless
    it is required, for no If-Match at all."""
    if "If-Match" not in request.headers:
        if current_app.config.get(_REQUIRED, False):
            raise PreconditionRequired(MISSING_IF_MATCH)
        return None
    tags = request.if_match
    if tags.star_tag:
        return None
    versions = [tag for tag in tags.as_set() if tag is not None and _VERSION.fullmatch(tag)]
    return int(versions[0]) if len(versions) == 1 else NO_VERSION


def tagged(view: Versioned, body: Any = None, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    """An answer of ``view`` (or of ``body`` about it) with its ETag."""
    return (view if body is None else body), status, {"ETag": etag(view.version)}


def shown(view: Versioned) -> Response | tuple[Any, int, dict[str, str]]:
    """A read: 304 with no body when If-None-Match already names this version."""
    tag = etag(view.version)
    if request.if_none_match.contains_weak(tag.strip('"')):
        return Response(status=304, headers={"ETag": tag})
    return tagged(view)


def conditional_read(blp: Blueprint) -> Callable[[F], F]:
    """Document If-None-Match and the 304 answer of a read."""

    def decorator(view: F) -> F:
        view = blp.alt_response(304, description="Not modified", headers=ETAG_HEADERS)(view)
        return blp.doc(parameters=[_IF_NONE_MATCH])(view)  # type: ignore[no-any-return]

    return decorator


def conditional_write(blp: Blueprint) -> Callable[[F], F]:
    """Document If-Match and the 412 (with the current ETag) and 428 answers of a write."""

    def decorator(view: F) -> F:
        view = blp.refusal(412, "Precondition Failed", headers=ETAG_HEADERS)(view)
        view = blp.errors(428)(view)
        return blp.doc(parameters=[_IF_MATCH])(view)  # type: ignore[no-any-return]

    return decorator
