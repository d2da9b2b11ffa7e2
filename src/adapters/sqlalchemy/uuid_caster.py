"""UUIDs read from PostgreSQL without parsing every spelling of one.

psycopg2's UUID caster (which SQLAlchemy registers on every connection) hands each value to
``uuid.UUID(text)``, which accepts braces, a ``urn:uuid:`` prefix and any placement of
hyphens, and costs about a microsecond. A page of tasks reads about a hundred UUIDs: about
half of the driver's CPU for the page (0.16 of 0.34 ms in process). PostgreSQL only ever
sends the canonical spelling (``8-4-4-4-12`` lower-case hex digits), so its hex digits are
the number, and the value is built as ``uuid.UUID(int=...)`` builds it: its two slots set,
nothing else.
"""

from __future__ import annotations

from typing import Any, Final
from uuid import UUID, SafeUUID

import psycopg2.extensions

#: PostgreSQL's type OID of ``uuid`` (pg_type), which psycopg2's own caster is registered for.
UUID_OID: Final = 2950

_new = object.__new__
_set = object.__setattr__


def uuid_from_text(text: str | None, cursor: Any) -> UUID | None:
    """``UUID(text)`` for PostgreSQL's canonical text of a UUID; None for NULL."""
    if text is None:
        return None
    value = _new(UUID)
    _set(value, "int", int(text.replace("-", ""), 16))
    _set(value, "is_safe", SafeUUID.unknown)
    return value


CANONICAL_UUID: Final = psycopg2.extensions.new_type((UUID_OID,), "CANONICAL_UUID", uuid_from_text)


def read_uuids_quickly(driver_connection: Any) -> None:
    """Use :func:`uuid_from_text` for ``uuid`` values on this psycopg2 connection."""
    psycopg2.extensions.register_type(CANONICAL_UUID, driver_connection)
