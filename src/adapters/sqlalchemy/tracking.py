"""What a repository handed out or received in one unit of work, and how it looked then."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

A = TypeVar("A")


@dataclass(slots=True)
class _Entry(Generic[A]):
    aggregate: A
    #: The row as loaded (or last written); None for an aggregate added in this unit of work.
    stored: dict[str, Any] | None
    locked: bool


class Tracked(Generic[A]):
    """Identity map plus snapshots: commit writes only what changed."""

    def __init__(self, to_row: Callable[[A], dict[str, Any]]) -> None:
        self._to_row = to_row
        self._entries: dict[UUID, _Entry[A]] = {}

    def added(self, key: UUID, aggregate: A) -> None:
        self._entries[key] = _Entry(aggregate, None, locked=True)

    def loaded(self, key: UUID, aggregate: A, *, locked: bool) -> A:
        """The aggregate to hand out for a row just read: the one already tracked, if any
        (it may hold changes the row does not: a second copy would silently drop them), else
        ``aggregate``. Callers check what they return, since it may no longer match the query
        that found its row. A copy read without the lock is replaced by one read under it,
        unless it was changed meanwhile: that is a bug (lock first, then change), refused."""
        entry = self._entries.get(key)
        if entry is not None and (entry.locked or not locked):
            return entry.aggregate
        if entry is not None and self._to_row(entry.aggregate) != entry.stored:
            raise RuntimeError(f"{key} was changed before it was locked: lock first, then change")
        self._entries[key] = _Entry(aggregate, self._to_row(aggregate), locked)
        return aggregate

    def find(self, key: UUID, *, for_update: bool) -> A | None:
        """The aggregate already handed out, unless a lock is wanted that it was read without:
        then the repository reads it again under the lock (see :meth:`loaded`)."""
        entry = self._entries.get(key)
        if entry is None or (for_update and not entry.locked):
            return None
        return entry.aggregate

    def aggregates(self) -> Iterator[A]:
        return (entry.aggregate for entry in self._entries.values())

    def pending(self) -> Iterator[tuple[A, dict[str, Any], dict[str, Any] | None]]:
        """(aggregate, its row now, its row as stored or None) for those that need writing."""
        for entry in self._entries.values():
            row = self._to_row(entry.aggregate)
            if row != entry.stored:
                yield entry.aggregate, row, entry.stored

    def written(self) -> None:
        for entry in self._entries.values():
            entry.stored = self._to_row(entry.aggregate)
