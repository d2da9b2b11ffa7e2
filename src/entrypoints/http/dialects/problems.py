"""The strict dialect's refusals: RFC 9457 problem details (``application/problem+json``).

``type`` is ``about:blank`` throughout, as RFC 9457 §4.2.1 provides for problems that the
status code already names: ``title`` is then the status's phrase. ``detail`` says what went
wrong; ``instance`` is the path asked for. Validation problems add ``errors``, one
``{"pointer", "detail"}`` per problem, the pointer a JSON Pointer (RFC 6901) to the field.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Final

from flask import Request
from marshmallow import Schema, fields

from entrypoints.http.errors import ErrorReply, FieldError, Kind

MEDIA_TYPE: Final = "application/problem+json"
BLANK: Final = "about:blank"


class FieldProblemSchema(Schema):
    pointer = fields.String(
        required=True, metadata={"description": "JSON Pointer to the field (`/name`)."}
    )
    detail = fields.String(required=True)


class ProblemSchema(Schema):
    """Every refusal of this dialect, whatever its status (RFC 9457)."""

    type = fields.String(required=True, metadata={"description": "`about:blank`."})
    title = fields.String(required=True, metadata={"description": "The status's phrase."})
    status = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    detail = fields.String(required=True, metadata={"description": "What went wrong."})
    instance = fields.String(metadata={"description": "The path asked for."})
    errors = fields.List(
        fields.Nested(FieldProblemSchema),
        metadata={"description": "The problems per field, for validation errors."},
    )


def render(reply: ErrorReply, request: Request | None) -> tuple[int, dict[str, Any]]:
    body: dict[str, Any] = {
        "type": BLANK,
        "title": HTTPStatus(reply.code).phrase,
        "status": reply.code,
        "detail": reply.message or HTTPStatus(reply.code).description,
    }
    if request is not None:
        body["instance"] = request.script_root + request.path
    if reply.fields or reply.kind is Kind.INVALID:
        body["errors"] = [_problem(one) for one in reply.fields]
    return reply.code, body


def _problem(error: FieldError) -> dict[str, str]:
    return {"pointer": pointer(error.path), "detail": error.message}


def pointer(path: tuple[str, ...]) -> str:
    """A JSON Pointer (RFC 6901): ``("meta", "is_admin")`` is ``/meta/is_admin``; the
    empty path (the body as a whole) is ``""``."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path)
