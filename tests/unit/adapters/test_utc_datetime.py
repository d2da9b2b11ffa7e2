"""Timestamps come back from the database aware and in UTC, whatever zone the session said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql

from adapters.sqlalchemy.types import UtcDateTime

_DIALECT = postgresql.dialect()
_TOKYO = timezone(timedelta(hours=9))


def _read(value: datetime | None) -> datetime | None:
    return UtcDateTime().process_result_value(value, _DIALECT)


def test_a_time_in_another_zone_comes_back_in_utc() -> None:
    read = _read(datetime(2031, 3, 4, 21, 0, tzinfo=_TOKYO))
    assert read == datetime(2031, 3, 4, 12, 0, tzinfo=UTC)
    assert read is not None
    assert read.tzinfo is UTC


def test_a_time_in_utc_and_none_come_back_as_they_are() -> None:
    moment = datetime(2031, 3, 4, 12, 0, tzinfo=UTC)
    assert _read(moment) is moment
    assert _read(None) is None


def test_a_naive_time_is_refused_on_the_way_in() -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        UtcDateTime().process_bind_param(datetime(2031, 3, 4, 12, 0), _DIALECT)
