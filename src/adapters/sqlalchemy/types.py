"""Column types that keep Python's values honest on the way in and out."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """``timestamptz`` that refuses naive input and always comes back aware, in UTC.

    PostgreSQL stores the instant and answers in the session's time zone, which
    :func:`adapters.sqlalchemy.engine.make_engine` sets to UTC; the conversion on the way out
    keeps that true for a connection made some other way. Naive input is refused rather than
    guessed at: it is always a bug upstream.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} cannot be stored: attach a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:  # the driver's UTC is the one UTC object
            return value
        return value.astimezone(UTC)
