"""Idempotency-Key on POST (the IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
the one place that reads the header, tells requests apart, replays kept answers, and documents
it. The rules are :mod:`application.idempotency`'s.

The key is a Structured Field string, ``Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"``,
of 1 to 255 characters as sent inside the quotes. An operation honours it with
:func:`idempotent`, placed right below ``@authenticated``: the key belongs to the caller, so
only operations an access token authorises take one. Any other write that is sent one is
refused (400) by the check :func:`install` adds, so that no client believes a retry safe
where it is not (register, log in and refresh answer with tokens, which are never kept).

A keyed request runs in one transaction with its kept answer. Its answer is rendered here,
refusals included (the app's error handlers render them), so that what is kept is exactly what
is sent; and a first answer is sent the way a replay is, from what was kept.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Final, TypeVar

from dependency_injector.wiring import Provide, inject
from flask import Flask, Response, current_app, request
from werkzeug.exceptions import BadRequest

from application.idempotency import KEY_FIELD, KEY_MAX_LENGTH, Answer, AnswerOnce, KeyedRequest
from entrypoints.container import Container

if TYPE_CHECKING:
    from entrypoints.http.api import Blueprint

F = TypeVar("F", bound=Callable[..., Any])

#: Set on a view that honours the key (and copied up through the decorators above it).
_HONOURS: Final = "honours_idempotency_key"
_WRITES: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: An sf-string (RFC 8941 §3.3.3) of printable ASCII, ``\"`` and ``\\`` escaped, non-empty.
_SF_STRING: Final = r'"(?:[ !#-\[\]-~]|\\["\\])+"'
_KEY: Final = re.compile(_SF_STRING)
_ESCAPE: Final = re.compile(r"\\(.)")
#: Headers an answer is not kept with: its length is the body's, and a cookie is no answer.
_NOT_KEPT: Final = frozenset({"content-length", "set-cookie"})

MALFORMED: Final = (
    f"{KEY_FIELD} must be one quoted string of 1 to {KEY_MAX_LENGTH} printable ASCII "
    f'characters, such as {KEY_FIELD}: "8e03978e-40d5-43e8-bc93-6894a57f9324".'
)
NOT_HONOURED: Final = (
    f"This operation takes no {KEY_FIELD}: keys are honoured on the POST operations that "
    "need an access token, and kept for their caller."
)

_KEY_PARAMETER: Final = {
    "in": "header",
    "name": KEY_FIELD,
    "required": False,
    "schema": {"type": "string", "pattern": f"^{_SF_STRING}$", "maxLength": KEY_MAX_LENGTH + 2},
    "description": "Makes a retry of this request safe: a key of yours, quoted "
    '(`"8e03978e-40d5-43e8-bc93-6894a57f9324"`). A retry with the same key and the same '
    "request gets the first answer again (status, headers, body), errors included, and does "
    "nothing more; a retry while the first is still running is 409; the same key on another "
    "request (method, path, body) is 422. Kept for IDEMPOTENCY_TTL_SECONDS (24 h).",
}


def install(app: Flask, container: Container) -> None:
    """Honour keys in ``app``: the operations marked :func:`idempotent` use ``container``'s
    store; every other write refuses a key."""
    container.wire(modules=[__name__])
    app.before_request(_refuse_unhonoured_keys)


def idempotent(blp: Blueprint) -> Callable[[F], F]:
    """Honour Idempotency-Key on this operation, and document it. Below ``@authenticated``,
    whose ``actor`` it takes the caller from."""

    def decorator(view: F) -> F:
        @wraps(view)
        def answered_once(*args: Any, **kwargs: Any) -> Any:
            fields = request.headers.getlist(KEY_FIELD)
            if not fields:
                return view(*args, **kwargs)
            keyed = KeyedRequest(kwargs["actor"].user_id, parse_key(fields), fingerprint())
            return _sent(_answer_once()(keyed, lambda: _rendered(view, args, kwargs)))

        setattr(answered_once, _HONOURS, True)
        # blp.doc replaces the parameters documented below (If-Match): add to them instead.
        below = getattr(view, "_apidoc", {}).get("manual_doc", {}).get("parameters", [])
        documented = blp.doc(parameters=[*below, _KEY_PARAMETER])(answered_once)
        return blp.errors(400, 409, 422)(documented)  # type: ignore[no-any-return]

    return decorator


def parse_key(fields: list[str]) -> str:
    """The key the request's Idempotency-Key field(s) carry; 400 unless exactly one field
    holding one well-formed string."""
    raw = fields[0].strip(" ") if len(fields) == 1 else ""
    if len(raw) > KEY_MAX_LENGTH + 2 or not _KEY.fullmatch(raw):
        raise BadRequest(MALFORMED)
    return _ESCAPE.sub(r"\1", raw[1:-1])


def fingerprint() -> str:
    """What tells this request from another under one key: its method, its full path (the
    prefix too: each dialect answers in its own way), its query, its media type and its body."""
    digest = hashlib.sha256()
    parts = (
        request.method,
        request.script_root + request.path,
        request.query_string.decode("latin-1"),
        request.content_type or "",
    )
    for part in (*(p.encode() for p in parts), request.get_data(cache=True)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _rendered(view: Callable[..., Any], args: Any, kwargs: Any) -> Answer:
    """The view's answer as it will be sent: a refusal too, rendered by the app's error
    handlers (an exception none of them handles goes on up: a crash keeps nothing)."""
    try:
        rendered = view(*args, **kwargs)
    except Exception as error:  # a refusal is an answer to keep, not only to send
        rendered = current_app.handle_user_exception(error)
    response = current_app.make_response(rendered)
    headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in _NOT_KEPT)
    return Answer(response.status_code, headers, response.get_data())


def _sent(answer: Answer) -> Response:
    return Response(answer.body, status=answer.status, headers=list(answer.headers))


@inject
def _answer_once(answer_once: AnswerOnce = Provide[Container.answer_once]) -> AnswerOnce:
    return answer_once


def _refuse_unhonoured_keys() -> None:
    if request.method not in _WRITES or KEY_FIELD not in request.headers:
        return
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return  # no such route: routing answers (404, 405)
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), view)
    if not getattr(handler, _HONOURS, False):
        raise BadRequest(NOT_HONOURED)
