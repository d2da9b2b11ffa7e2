"""The original dialect's refusals, as Django REST framework and simplejwt rendered them.

Validation problems are a 400 ``{"<field>": ["<message>", ...]}`` (problems of the body as a
whole under ``non_field_errors``); every other refusal is ``{"detail": "..."}`` with DRF's
standard wording, except a failed login, which the original answered
``{"error": "Invalid credentials"}``, and a token that does not verify, which simplejwt
answered with its own body.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Request
from marshmallow import Schema

from application.users import PASSWORDS_DIFFER
from entrypoints.http.errors import ErrorReply, FieldError, Kind

MEDIA_TYPE: Final = "application/json"
NON_FIELD: Final = "non_field_errors"
NO_CREDENTIALS: Final = "Authentication credentials were not provided."
FORBIDDEN: Final = "You do not have permission to perform this action."
EMAIL_TAKEN: Final = "user with this email already exists."
BAD_TOKEN: Final = {
    "detail": "Given token not valid for any token type",
    "code": "token_not_valid",
    "messages": [
        {"token_class": "AccessToken", "token_type": "access", "message": "Token is invalid"}
    ],
}
#: Problems the original worded otherwise, or filed under another field:
#: (field, our message) -> (its field, its message).
ORIGINAL_WORDING: Final = {
    ("password2", PASSWORDS_DIFFER): ("password", "Passwords must match."),
}


class DrfErrorSchema(Schema):
    """``{"detail": "..."}``, or ``{"<field>": ["<message>", ...]}`` for validation errors
    (the original's document described no error bodies at all)."""

    class Meta:
        unknown = "include"


def render(reply: ErrorReply, request: Request | None) -> tuple[int, dict[str, Any]]:
    if reply.kind is Kind.INVALID:
        return 400, by_field(reply.fields)
    if reply.kind is Kind.EMAIL_TAKEN:
        return 400, {"email": [EMAIL_TAKEN]}
    if reply.kind is Kind.WRONG_CREDENTIALS:
        return reply.code, {"error": "Invalid credentials"}
    if reply.kind is Kind.REFUSED_TOKEN:
        return reply.code, dict(BAD_TOKEN)
    return reply.code, {"detail": _detail(reply, request)}


def _detail(reply: ErrorReply, request: Request | None) -> str:
    if reply.kind is Kind.NO_CREDENTIALS:
        return NO_CREDENTIALS
    if reply.kind is Kind.FORBIDDEN:
        return FORBIDDEN
    if reply.kind is Kind.NOT_FOUND:
        return f"No {reply.subject} matches the given query."
    if reply.kind is Kind.NO_ROUTE:
        return "Not found."
    if reply.kind is Kind.METHOD_NOT_ALLOWED and request is not None:
        return f'Method "{request.method}" not allowed.'
    return reply.message


def by_field(problems: tuple[FieldError, ...]) -> dict[str, list[str]]:
    body: dict[str, list[str]] = {}
    for problem in problems:
        name = ".".join(problem.path) or NON_FIELD
        name, message = ORIGINAL_WORDING.get((name, problem.message), (name, problem.message))
        body.setdefault(name, []).append(message)
    return body
