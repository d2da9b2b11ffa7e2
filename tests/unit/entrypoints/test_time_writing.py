"""Times are written as ``datetime.isoformat`` writes them in UTC (``Z`` in the original's
dialect), whichever way a schema writes them."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest
from marshmallow import Schema

from entrypoints.http.schemas.fields import UtcDateTime, utc_iso, utc_zulu
from entrypoints.http.schemas.original.wording import ZuluDateTime
from entrypoints.http.schemas.representation import Representation

TOKYO = timezone(timedelta(hours=9))
SAMOA = timezone(-timedelta(hours=11, minutes=30))
EDGES = [
    datetime(1, 1, 2, tzinfo=UTC),
    datetime(999, 5, 5, 5, 5, 5, tzinfo=UTC),
    datetime(2026, 12, 2, 2, 35, 50, tzinfo=UTC),
    datetime(2026, 12, 2, 2, 35, 50, 1, tzinfo=UTC),
    datetime(2026, 12, 2, 2, 35, 50, 100000, tzinfo=UTC),
    datetime(2026, 12, 2, 2, 35, 50, 624238, tzinfo=TOKYO),
    datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=SAMOA),
    datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC),
]
_SPREAD = random.Random(16)
_YEARS = 315_537_000_000_000_000  # microseconds, nearly all of them from year 1 to 9999
SPREAD = [
    datetime(1, 1, 2, tzinfo=UTC) + timedelta(microseconds=_SPREAD.randrange(_YEARS))
    for _ in range(2_000)
]


@pytest.mark.parametrize("moment", EDGES)
def test_a_time_is_written_as_isoformat_writes_it_in_utc(moment: datetime) -> None:
    expected = moment.astimezone(UTC).isoformat()
    assert utc_iso(moment) == expected
    assert utc_zulu(moment) == expected.replace("+00:00", "Z")


def test_times_across_the_years_are_written_as_isoformat_writes_them() -> None:
    assert [utc_iso(moment) for moment in SPREAD] == [moment.isoformat() for moment in SPREAD]


class _Plain(Schema):
    at = UtcDateTime()
    zulu = ZuluDateTime()
    formatted = UtcDateTime(format="%Y-%m-%d")


class _Represented(Representation):
    at = UtcDateTime()
    zulu = ZuluDateTime()
    formatted = UtcDateTime(format="%Y-%m-%d")


@pytest.mark.parametrize("schema", [_Plain(), _Represented()], ids=["marshmallow", "represented"])
def test_each_field_writes_its_own_way_and_none_as_null(schema: Schema) -> None:
    moment = datetime(2026, 12, 2, 11, 35, 50, 624238, tzinfo=TOKYO)
    written = schema.dump({"at": moment, "zulu": moment, "formatted": moment})
    assert written == {
        "at": "2026-12-02T02:35:50.624238+00:00",
        "zulu": "2026-12-02T02:35:50.624238Z",
        "formatted": "2026-12-02",
    }
    assert schema.dump({"at": None, "zulu": None, "formatted": None}) == dict.fromkeys(
        ("at", "zulu", "formatted")
    )
