"""The original's query strings, read as leniently as it read them.

Unknown parameters are ignored (the dialect's parser excludes them). ``limit`` falls back to
the default when it is not a positive integer, and is capped at 30; an ``offset`` that is not
a non-negative integer is 0. Filter values match case-insensitively; a value no task can have
(an unknown status, an ``assigned_to`` that is not an id) gives an empty page. ``order_by``
takes comma-separated keys, refusing an unknown one as the original did; ``ordering`` (DRF's
OrderingFilter) sorts by the representation's fields and ignores the ones it cannot; without
either, pages come oldest first.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Final, TypeVar
from uuid import UUID

from marshmallow import Schema, ValidationError, fields, post_load, validates

from application.paging import DEFAULT_LIMIT, PageRequest
from application.read_models import TaskFilter, TaskOrder, UserFilter
from domain.status import TaskStatus, TaskType
from entrypoints.http.schemas.fields import Text
from entrypoints.http.schemas.original.wording import Worded

E = TypeVar("E", bound=Enum)

#: The original's largest page.
MAX_LIMIT: Final = 30
DEFAULT_ORDER: Final = TaskOrder.CREATED_AT
_ORDERS: Final = {order.value: order for order in TaskOrder}
_ORDER_BY: Final = {
    "description": "Comma-separated keys among `created_at`, `deadline` (`-` for descending); "
    "the first decides, ties go by id."
}


def _whole(raw: str | None, *, at_least: int) -> int | None:
    try:
        number = int(raw) if raw is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= at_least else None


class PageQuerySchema(Worded, Schema):
    limit = fields.String(
        metadata={"description": f"Page size; default {DEFAULT_LIMIT}, at most {MAX_LIMIT}."}
    )
    offset = fields.String(metadata={"description": "How many results to skip."})

    @post_load
    def to_arguments(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        limit = min(_whole(data.pop("limit", None), at_least=1) or DEFAULT_LIMIT, MAX_LIMIT)
        offset = _whole(data.pop("offset", None), at_least=0) or 0
        start = {"cursor": data.pop("cursor")} if "cursor" in data else {}
        # With a cursor the page starts at its position: an offset beside it is ignored.
        page = PageRequest(
            limit=limit, offset=0 if start else offset, count=data.pop("count", True)
        )
        return {"page": page, **start, **self.filters(data)}

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        return {}


class ListQuerySchema(PageQuerySchema):
    cursor = Text(metadata={"description": "A cursor from the `Link` header of an earlier page."})
    count = fields.Boolean(
        load_default=True, metadata={"description": "`false` skips counting: `count` is null."}
    )


class UserQuerySchema(ListQuerySchema):
    external_id = fields.UUID()
    search = Text(metadata={"description": "Name or email contains it (any case)."})
    ordering = fields.String()

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        where = UserFilter(external_id=data.get("external_id"), search=data.get("search") or None)
        return {"where": where}


class TaskQuerySchema(ListQuerySchema):
    external_id = fields.UUID()
    status = fields.String()
    type = fields.String()
    assigned_to = fields.String(metadata={"description": "The assignee's external_id."})
    order_by = fields.String(metadata=_ORDER_BY)
    ordering = fields.String(
        metadata={
            "description": "DRF's OrderingFilter: `created_at`, `deadline`, `-` for descending."
        }
    )
    search = Text(metadata={"description": "Name or description contains it (any case)."})

    @validates("order_by")
    def known_keys(self, value: str, **_: Any) -> None:
        for key in _keys(value):
            if key not in _ORDERS:
                raise ValidationError(
                    f"Select a valid choice. {key} is not one of the available choices."
                )

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        impossible: list[bool] = []
        where = TaskFilter(
            external_id=data.get("external_id"),
            status=_matching(TaskStatus, data.get("status"), impossible, str.lower),
            type=_matching(TaskType, data.get("type"), impossible, str.lower),
            assigned_to=_matching(UUID, data.get("assigned_to"), impossible),
            search=data.get("search") or None,  # DRF's SearchFilter ignores an empty term
            impossible=any(impossible),
        )
        return {"where": where, "order": _order(data)}


def _matching(
    kind: Callable[[str], Any],
    raw: str | None,
    impossible: list[bool],
    fold: Callable[[str], str] = str,
) -> Any:
    """The value ``raw`` names, or None without one; a value nothing can have is noted."""
    if raw is None:
        return None
    try:
        return kind(fold(raw))
    except ValueError:
        impossible.append(True)
        return None


def _keys(value: str) -> list[str]:
    return [key.strip() for key in value.split(",") if key.strip()]


def _order(data: dict[str, Any]) -> TaskOrder:
    """``ordering``'s first usable field, else ``order_by``'s first key, else the default."""
    for key in _keys(data.get("ordering", "")):
        if key in _ORDERS:
            return _ORDERS[key]
    keys = _keys(data.get("order_by", ""))
    return _ORDERS[keys[0]] if keys else DEFAULT_ORDER
