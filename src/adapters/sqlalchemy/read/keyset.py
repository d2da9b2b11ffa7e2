"""A list's order, and a page of it read from an offset or from a keyset position.

A keyset page is a range condition on the order's own index — ``(key, external_id) > (k, i)``
as a row comparison, which PostgreSQL answers by starting the index scan at the position —
so a page deep in a list costs what the first one does. A nullable key (a task's deadline)
sorts its NULLs as if infinitely far; a row comparison never matches NULL, so the NULLs are
a second index range, appended with ``UNION ALL`` when the walk reaches them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, select, tuple_, union_all
from sqlalchemy.sql.elements import ColumnElement

from application.paging import PageRequest, Position


@dataclass(frozen=True, slots=True)
class Ordering:
    """Rows by ``key`` (NULLs as if infinitely far), then by ``external_id``."""

    key: str
    ascending: bool
    nullable: bool = False

    def reading(self, columns: Any, request: PageRequest) -> list[ColumnElement[Any]]:
        """ORDER BY terms over ``columns`` (a table's or a subquery's ``.c``) in the order
        ``request``'s rows are read: against the list's order when walking back."""
        return self._by(columns, self.ascending != request.backwards)

    def _by(self, columns: Any, up: bool) -> list[ColumnElement[Any]]:
        key, tie = columns[self.key], columns["external_id"]
        if up:
            return [key.asc().nulls_last(), tie.asc()]
        return [key.desc().nulls_first(), tie.desc()]

    def page(self, source: Select[Any], request: PageRequest) -> Select[Any]:
        """``source`` (a ``select`` of one table's rows) cut to the rows of ``request``, in
        reading order: against the order when walking back. One statement either way."""
        up = self.ascending != request.backwards
        columns = source.selected_columns

        def arranged(query: Select[Any], over: Any = columns) -> Select[Any]:
            return query.order_by(*self._by(over, up)).limit(request.fetch)

        if request.keyset is None:
            return arranged(source).offset(request.offset)
        ranges = [source.where(c) for c in self._beyond(columns, request.keyset.position, up)]
        if len(ranges) == 1:
            return arranged(ranges[0])
        both = union_all(*(arranged(r).subquery().select() for r in ranges)).subquery()
        return arranged(select(both), both.c)

    def _beyond(self, columns: Any, at: Position, up: bool) -> list[ColumnElement[bool]]:
        """The index ranges past ``at`` going ``up`` (or down), in the order they are met."""
        key, tie = columns[self.key], columns["external_id"]
        if at.key is None:
            nulls = and_(key.is_(None), tie > at.external_id if up else tie < at.external_id)
            return [nulls] if up else [nulls, key.is_not(None)]
        row, mark = tuple_(key, tie), tuple_(at.key, at.external_id)
        dated = row > mark if up else row < mark
        return [dated, key.is_(None)] if up and self.nullable else [dated]
