"""What a unit of work writes of its tasks — new rows, changed columns, the history, the
outbox — as statements built once per shape and kept, values bound at run time.

A shape is which columns each new task and each changed stored task writes, how many
events were recorded and how many of them webhooks may receive. Building and compiling
such a statement costs more than sending it, so a write only binds its values to the one
its shape already has (:data:`SHAPES_KEPT` of them), prepared on the server, where planning
it cost more than running it. Parts are combined as
:mod:`adapters.sqlalchemy.combined` says: one statement for a command's change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final
from uuid import UUID

from sqlalchemy import (
    Executable,
    Select,
    Table,
    bindparam,
    cast,
    insert,
    literal_column,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.sql.dml import UpdateBase

from adapters.sqlalchemy.combined import combined
from adapters.sqlalchemy.outbox import MESSAGE_COLUMNS, listened
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.tables import task_events, tasks, webhook_outbox

#: Shapes whose statements are kept; a command's change is one of a handful.
SHAPES_KEPT: Final = 256
_EVENT_COLUMNS: Final = tuple(c.name for c in task_events.c if c.name != "id")
_ORDINAL: Final = "ordinal"
#: The values of a shape's parts are bound as ``<kind><number>_<column>``: new tasks, changed
#: ones (with the task's id as ``..._key``), events, outbox messages.
_NEW, _CHANGED, _EVENT, _MESSAGE = "n", "c", "e", "m"
_KEY: Final = "_key"


def _prefix(kind: str, number: int) -> str:
    return f"{kind}{number}_"


@dataclass(slots=True)
class TaskWrites:
    """One unit of work's writes, collected before they go out."""

    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[tuple[UUID, dict[str, Any]]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def statements(self) -> Iterator[tuple[Executable, dict[str, Any]]]:
        """The statements to execute, in order, each with the values it binds."""
        if not (self.new or self.changed or self.events or self.messages):
            return
        shape = _Shape(
            new=tuple(tuple(row) for row in self.new),
            changed=tuple(tuple(columns) for _, columns in self.changed),
            events=len(self.events),
            messages=len(self.messages),
        )
        values: dict[str, Any] = {}
        for i, row in enumerate(self.new):
            values |= _prefixed(_prefix(_NEW, i), row)
        for i, (task_id, columns) in enumerate(self.changed):
            prefix = _prefix(_CHANGED, i)
            values |= _prefixed(prefix, columns) | {prefix + _KEY: task_id}
        for i, row in enumerate(self.events):
            values |= _prefixed(_prefix(_EVENT, i), row)
        for i, row in enumerate(self.messages):
            values |= _prefixed(_prefix(_MESSAGE, i), row)
        for statement in _built(shape):
            yield statement, values


@dataclass(frozen=True, slots=True)
class _Shape:
    new: tuple[tuple[str, ...], ...]
    changed: tuple[tuple[str, ...], ...]
    events: int
    messages: int


def _prefixed(prefix: str, row: Mapping[str, Any]) -> dict[str, Any]:
    return {prefix + key: value for key, value in row.items()}


@lru_cache(maxsize=SHAPES_KEPT)
def _built(shape: _Shape) -> tuple[UpdateBase, ...]:
    parts: list[UpdateBase] = []
    if shape.new:
        new = [(_prefix(_NEW, i), columns) for i, columns in enumerate(shape.new)]
        parts.append(_inserted(tasks, new))
    for i, columns in enumerate(shape.changed):
        prefix = _prefix(_CHANGED, i)
        key = bindparam(prefix + _KEY, type_=tasks.c.external_id.type)
        parts.append(
            update(tasks).where(tasks.c.external_id == key).values(_bound(tasks.c, prefix, columns))
        )
    if shape.events:
        parts.append(
            _inserted(
                task_events, [(_prefix(_EVENT, i), _EVENT_COLUMNS) for i in range(shape.events)]
            )
        )
    parts.extend(_message(_prefix(_MESSAGE, i)) for i in range(shape.messages))
    return tuple(prepared(statement) for statement in combined(parts))


def _inserted(table: Table, rows: Sequence[tuple[str, Sequence[str]]]) -> UpdateBase:
    """An INSERT of ``rows`` (the prefix of each one's values, and its columns, the same for
    all) in their order, so that the ids a sequence gives them keep it. Built from a SELECT
    per row rather than a multi-row VALUES, which SQLAlchemy compiles anew every time; each
    value cast to its column's type, which a NULL in a subquery would not otherwise have."""
    names = rows[0][1]

    def one(prefix: str, number: int) -> Select[Any]:
        values = _bound(table.c, prefix, names)
        typed = [cast(values[name], table.c[name].type).label(name) for name in names]
        return select(*typed, literal_column(str(number)).label(_ORDINAL))

    selects = [one(prefix, number) for number, (prefix, _) in enumerate(rows)]
    picked = (selects[0] if len(selects) == 1 else union_all(*selects)).subquery("row")
    source = select(*(picked.c[name] for name in names)).order_by(picked.c[_ORDINAL])
    return insert(table).from_select(names, source)


def _bound(columns: Any, prefix: str, names: Sequence[str]) -> dict[str, Any]:
    return {name: bindparam(prefix + name, type_=columns[name].type) for name in names}


def _message(prefix: str) -> UpdateBase:
    """One outbox row, written only if an enabled endpoint listens for its type."""
    bound = _bound(webhook_outbox.c, prefix, MESSAGE_COLUMNS)
    listening = text(listened(f"CAST(:{prefix}type AS varchar)"))
    return insert(webhook_outbox).from_select(
        MESSAGE_COLUMNS, select(*bound.values()).where(listening)
    )
