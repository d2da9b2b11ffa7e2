"""Several writes sent as one statement: each a round trip fewer, and atomic by itself.

All writes but the last become data-modifying CTEs of the last. PostgreSQL runs every part
of such a statement on one snapshot, to completion, whether or not anything reads its
result; a foreign key is checked at the end of the statement, so a row may refer to one
that a sibling part inserts. The parts must not change the same row twice (no aggregate is
written twice in one unit of work), and none reads what another writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from sqlalchemy.sql.dml import UpdateBase

#: More parts than this go out as several statements, in order (a user's deletion can
#: unassign hundreds of tasks): a statement's planning grows with its parts.
WRITES_PER_STATEMENT: Final = 50


def combined(writes: Sequence[UpdateBase]) -> Iterator[UpdateBase]:
    """``writes`` as statements of up to :data:`WRITES_PER_STATEMENT` parts each, in order."""
    for start in range(0, len(writes), WRITES_PER_STATEMENT):
        *before, last = writes[start : start + WRITES_PER_STATEMENT]
        if before:
            last = last.add_cte(*(write.cte(f"write_{i}") for i, write in enumerate(before)))
        yield last
