"""Shapes shared by every resource: the page envelope, paging parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from adapters.signing import MAX_TOKEN_LENGTH
from application.paging import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    MAX_OFFSET,
    OFFSET_WITH_CURSOR,
    PageRequest,
)
from entrypoints.http.schemas.representation import Representation


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
        page = PageRequest(
            limit=data.pop("limit"), offset=data.pop("offset"), count=data.pop("count", True)
        )
        start = {"cursor": data.pop("cursor")} if "cursor" in data else {}
        return {"page": page, **start, **self.filters(data)}

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        """The remaining parameters as the use case takes them (none here)."""
        return data


class ListQuerySchema(PageQuerySchema):
    """Paging of the main lists: by offset, or by cursor (keyset), with an optional count."""

    cursor = fields.String(
        validate=validate.Length(min=1, max=MAX_TOKEN_LENGTH),
        metadata={
            "description": "Where the page starts: a `next_cursor` or `previous_cursor` of "
            "an earlier page of this same list (same filters and order; any other is 422). "
            "Rows added or deleted meanwhile shift nothing. Not with `offset`."
        },
    )
    count = fields.Boolean(
        load_default=True,
        metadata={"description": "`false` skips counting: the page's `count` is then null."},
    )

    @validates_schema(pass_original=True)
    def one_start(self, data: dict[str, Any], original: Mapping[str, Any], **_: Any) -> None:
        # By presence: even `offset=0` says the client means offsets, not this cursor.
        if "cursor" in data and "offset" in original:
            raise ValidationError(OFFSET_WITH_CURSOR, "offset")


SEARCH: Final = validate.Length(min=1, max=200)


def page_of(
    item: type[Schema], name: str, *, cursors: bool = False, limit: bool = True
) -> type[Schema]:
    """The page envelope of the original service, around ``item``s (dumps a ``Page``): with
    ``limit``, also the page size; with ``cursors``, also the neighbours' cursors, and a count
    that may be skipped."""
    envelope: dict[str, fields.Field[Any]] = {
        "has_previous": fields.Boolean(required=True),
        "has_next": fields.Boolean(required=True),
        "count": fields.Integer(
            required=True,
            allow_none=cursors,
            metadata={
                "description": "How many results match in all"
                + ("; null when asked with `count=false`." if cursors else ".")
            },
        ),
        "offset": fields.Integer(required=True),
        "results": fields.List(fields.Nested(item), required=True, attribute="items"),
    }
    if limit:
        envelope["limit"] = fields.Integer(required=True)
    if cursors:
        for side, what in (("next", "following"), ("previous", "preceding")):
            envelope[f"{side}_cursor"] = fields.String(
                required=True,
                allow_none=True,
                metadata={
                    "description": f"Pass as `cursor` for the {what} page; null when there is none."
                },
            )
    return Representation.from_dict(envelope, name=name)
