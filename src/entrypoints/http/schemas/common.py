"""Shapes shared by every resource: the error body, the page envelope, paging parameters."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from application.read_models import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageRequest


class ErrorSchema(Schema):
    """Every error the API answers, whatever its status, has this body."""

    code = fields.Integer(required=True, metadata={"description": "The HTTP status code."})
    status = fields.String(required=True, metadata={"description": "The status's name."})
    message = fields.String(required=True, metadata={"description": "What went wrong."})
    errors = fields.Dict(
        required=True,
        metadata={"description": "Problems per field: `{field: [messages]}` (may be empty)."},
    )


class PageQuerySchema(Schema):
    """``limit``/``offset`` paging; loads as ``{"page": PageRequest, **filters}``, the keyword
    arguments of the list use case."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=0),
        metadata={
            "description": f"Page size; default {DEFAULT_LIMIT}, larger than {MAX_LIMIT} "
            f"is lowered to {MAX_LIMIT}."
        },
    )
    offset = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OFFSET),
        metadata={"description": "How many results to skip."},
    )

    @post_load
    def to_arguments(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        page = PageRequest(limit=data.pop("limit"), offset=data.pop("offset"))
        return {"page": page, **self.filters(data)}

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        """The remaining parameters as the use case takes them (none here)."""
        return data


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The page envelope of the original service, around ``item``s (dumps a ``Page``)."""
    return Schema.from_dict(
        {
            "has_previous": fields.Boolean(required=True),
            "has_next": fields.Boolean(required=True),
            "count": fields.Integer(
                required=True, metadata={"description": "How many results match in all."}
            ),
            "offset": fields.Integer(required=True),
            "limit": fields.Integer(required=True),
            "results": fields.List(fields.Nested(item), required=True, attribute="items"),
        },
        name=name,
    )
