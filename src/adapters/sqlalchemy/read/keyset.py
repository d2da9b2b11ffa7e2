"""A list's order, and a page of it read from an offset or from a keyset position.

A keyset page is a range condition on the order's own index — ``(key, external_id) > (k, i)``
as a row comparison, which PostgreSQL answers by starting the index scan at the position —
so a page deep in a list costs what the first one does. A nullable key (a task's deadline)
sorts its NULLs as if infinitely far; a row comparison never matches NULL, so the NULLs are
a second index range, appended with ``UNION ALL`` when the walk reaches them.

The statements are built for a page's :class:`PageShape` (how it starts, which way it walks)
with the offset, the row count and the position as bound parameters (:func:`page_values`),
so that one built statement serves every page of that shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, bindparam, select, tuple_, union_all
from sqlalchemy.sql.elements import ColumnElement

from application.paging import PageRequest

#: The parameters a page's statement binds.
OFFSET, FETCH, AT_KEY, AT_ID = "page_offset", "page_fetch", "page_at_key", "page_at_id"


class PageShape(NamedTuple):
    """What a page's statement depends on: whether it starts at a position, whether that
    position has a key (a task without deadline has none), and which way it reads."""

    keyset: bool = False
    keyed: bool = True
    backwards: bool = False

    @classmethod
    def of(cls, request: PageRequest) -> PageShape:
        if request.keyset is None:
            return cls()
        return cls(True, request.keyset.position.key is not None, request.backwards)


def page_values(request: PageRequest) -> dict[str, Any]:
    """The values a page's statement binds."""
    values: dict[str, Any] = {FETCH: request.fetch, OFFSET: request.offset}
    if request.keyset is not None:
        values[AT_KEY] = request.keyset.position.key
        values[AT_ID] = request.keyset.position.external_id
    return values


@dataclass(frozen=True, slots=True)
class Ordering:
    """Rows by ``key`` (NULLs as if infinitely far), then by ``external_id``."""

    key: str
    ascending: bool
    nullable: bool = False

    def reading(self, columns: Any, shape: PageShape) -> list[ColumnElement[Any]]:
        """ORDER BY terms over ``columns`` (a table's or a subquery's ``.c``) in the order
        a page of ``shape`` reads its rows: against the list's order when walking back."""
        return self._by(columns, self.ascending != shape.backwards)

    def _by(self, columns: Any, up: bool) -> list[ColumnElement[Any]]:
        key, tie = columns[self.key], columns["external_id"]
        if up:
            return [key.asc().nulls_last(), tie.asc()]
        return [key.desc().nulls_first(), tie.desc()]

    def page(self, source: Select[Any], shape: PageShape) -> Select[Any]:
        """``source`` (a ``select`` of one table's rows) cut to a page of ``shape``, in
        reading order: against the order when walking back. One statement either way."""
        up = self.ascending != shape.backwards
        columns = source.selected_columns

        def arranged(query: Select[Any], over: Any = columns) -> Select[Any]:
            return query.order_by(*self._by(over, up)).limit(bindparam(FETCH))

        if not shape.keyset:
            return arranged(source).offset(bindparam(OFFSET))
        ranges = [source.where(c) for c in self._beyond(columns, shape.keyed, up)]
        if len(ranges) == 1:
            return arranged(ranges[0])
        both = union_all(*(arranged(r).subquery().select() for r in ranges)).subquery()
        return arranged(select(both), both.c)

    def _beyond(self, columns: Any, keyed: bool, up: bool) -> list[ColumnElement[bool]]:
        """The index ranges past the position going ``up`` (or down), in the order they are
        met; ``keyed``: the position has a key."""
        key, tie = columns[self.key], columns["external_id"]
        at_id = bindparam(AT_ID, type_=tie.type)
        if not keyed:
            nulls = and_(key.is_(None), tie > at_id if up else tie < at_id)
            return [nulls] if up else [nulls, key.is_not(None)]
        row, mark = tuple_(key, tie), tuple_(bindparam(AT_KEY, type_=key.type), at_id)
        dated = row > mark if up else row < mark
        return [dated, key.is_(None)] if up and self.nullable else [dated]
