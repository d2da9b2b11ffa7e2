"""Pages of a list: where one starts (an offset, or a keyset position that cursors carry),
and what it tells about its neighbours. Plain frozen data and the paging rules; turning a
position into an opaque cursor is :mod:`application.cursors`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Generic, TypeVar
from uuid import UUID

from application.errors import InvalidInput

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 100
#: Offsets beyond this are refused: no store pages that far, and 64-bit columns overflow.
MAX_OFFSET: Final = 2**53
OFFSET_WITH_CURSOR: Final = "Cannot be combined with a cursor."

T = TypeVar("T")


class Direction(StrEnum):
    """Which way a cursor walks from its position: on to the next page, or back."""

    NEXT = "next"
    PREVIOUS = "previous"


@dataclass(frozen=True, slots=True)
class Position:
    """A row's place in a list's order: its sort key (None for a task without deadline) and
    its external id, the tie-breaker that makes the order total."""

    key: datetime | None
    external_id: UUID


@dataclass(frozen=True, slots=True)
class Keyset:
    """Start a page just past ``position``, walking ``direction``: a page that follows a row,
    not a count of rows, so rows added or removed before it shift nothing."""

    position: Position
    direction: Direction


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``limit`` above the cap is lowered to it; negative values are refused. A page starts
    at ``offset`` or at a ``keyset``, not both; ``count=False`` skips counting."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0
    count: bool = True
    keyset: Keyset | None = None

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.limit < 0:
            errors["limit"] = ["Must be greater than or equal to 0."]
        if self.offset < 0:
            errors["offset"] = ["Must be greater than or equal to 0."]
        elif self.offset > MAX_OFFSET:
            errors["offset"] = [f"Must be less than or equal to {MAX_OFFSET}."]
        elif self.offset and self.keyset is not None:
            errors["offset"] = [OFFSET_WITH_CURSOR]
        if errors:
            raise InvalidInput(errors)
        object.__setattr__(self, "limit", min(self.limit, MAX_LIMIT))

    @property
    def fetch(self) -> int:
        """Rows to read: one more than the page shows tells whether more follow."""
        return self.limit + 1

    @property
    def backwards(self) -> bool:
        """Whether rows are read against the list's order (a walk back), then turned round."""
        return self.keyset is not None and self.keyset.direction is Direction.PREVIOUS

    def page(self, fetched: Sequence[T], count: int | None) -> Page[T]:
        """The page out of up to :attr:`fetch` rows read from where it starts, in reading
        order. A page reached by a cursor has rows on the side it came from, unless it is
        empty (they were all deleted meanwhile): then the walk has nowhere to go."""
        items = list(fetched[: self.limit])
        more = len(fetched) > self.limit
        before, after = self.offset > 0, more
        if self.keyset is not None:
            before, after = bool(items), more
            if self.backwards:
                items.reverse()
                before, after = after, before
        return Page(
            items=items,
            count=count if self.count else None,
            offset=self.offset,
            limit=self.limit,
            has_previous=before,
            has_next=after,
        )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    #: None when the request asked not to count.
    count: int | None
    offset: int
    limit: int
    has_previous: bool
    has_next: bool
    #: Opaque tokens for the neighbouring pages; None at the ends of the list.
    next_cursor: str | None = None
    previous_cursor: str | None = None
