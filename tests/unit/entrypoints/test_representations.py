"""A representation dumps exactly what marshmallow's own dump of the same schema writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest
from marshmallow import Schema, fields, post_dump, pre_dump

from application.paging import Page
from application.read_models import ActorView, HistoryEntry, TaskView, UserStats, UserView
from domain.events import Change
from domain.status import TaskEventType, TaskStatus, TaskType
from entrypoints.http.dialects import ORIGINAL, STRICT, Dialect
from entrypoints.http.schemas.representation import Representation

BERLIN = timezone(timedelta(hours=1))
AT = datetime(2026, 12, 2, 2, 35, 50, 624238, tzinfo=UTC)


def a_user(number: int, stats: UserStats) -> UserView:
    return UserView(
        external_id=UUID(int=number),
        email=f"User{number}@Example.org",
        name=f"User {number} — ünïcode",
        is_admin=number % 2 == 0,
        stats=stats,
        created_at=AT.astimezone(BERLIN),
        updated_at=AT + timedelta(microseconds=number),
        version=number,
    )


def a_task(number: int, assignee: UserView | None, deadline: datetime | None) -> TaskView:
    return TaskView(
        external_id=UUID(int=1000 + number),
        name=f"Task {number}",
        description="" if number % 3 else "with\nlines",
        assigned_to=assignee,
        status=list(TaskStatus)[number % len(TaskStatus)],
        type=list(TaskType)[number % len(TaskType)],
        deadline=deadline,
        completed_at=AT if number % 2 else None,
        created_by=UUID(int=7),
        created_at=AT.replace(microsecond=0),
        updated_at=AT,
        version=number + 1,
        remind_before_seconds=None if number % 2 else 600,
    )


USERS = [
    a_user(1, UserStats()),
    a_user(2, UserStats(assigned=3, completed=1, in_progress=1, failed=1)),
    a_user(3, UserStats(assigned=800, completed=1)),
]
TASKS = [
    a_task(0, None, None),
    a_task(1, USERS[0], AT + timedelta(days=1)),
    a_task(2, USERS[1], AT.astimezone(BERLIN)),
    a_task(3, USERS[2], None),
]
HISTORY = [
    HistoryEntry(AT, None, TaskEventType.EXPIRED, TaskStatus.PENDING, TaskStatus.FAILED),
    HistoryEntry(
        AT.astimezone(BERLIN),
        ActorView(UUID(int=9), "Actor", "actor@example.org"),
        TaskEventType.EDITED,
        TaskStatus.PENDING,
        TaskStatus.PENDING,
        {"name": Change("old", "new"), "deadline": Change(None, "2026-12-03T00:00:00+00:00")},
    ),
]


def pages(items: list[Any]) -> list[Page[Any]]:
    return [
        Page(items, len(items), 0, 10, False, False),
        Page(items, None, 30, 10, True, True, next_cursor="n.x", previous_cursor="p.y"),
        Page([], 0, 0, 10, False, False),
    ]


def samples(dialect: Dialect) -> Iterator[tuple[type[Schema], Any]]:
    schemas = dialect.schemas
    for user in USERS:
        yield schemas.user, user
    for task in TASKS:
        yield schemas.task, task
        yield schemas.task_message, {"message": "Task assigned.", "task": task}
    for page in pages(USERS):
        yield schemas.user_page, page
    for page in pages(TASKS):
        yield schemas.task_page, page
    for page in pages(HISTORY):
        yield schemas.history_page, page
    yield schemas.token, {"token": {"access": "a.b.c", "refresh": "d.e.f"}}


CASES = [
    pytest.param(schema, sample, id=f"{dialect.name}-{schema.__name__}-{number}")
    for dialect in (STRICT, ORIGINAL)
    for number, (schema, sample) in enumerate(samples(dialect))
]


@contextmanager
def marshmallow_alone() -> Iterator[None]:
    """Every representation dumped by marshmallow's own field-by-field machinery."""
    planned = Representation._serialize
    Representation._serialize = Schema._serialize  # type: ignore[method-assign]
    try:
        yield
    finally:
        Representation._serialize = planned  # type: ignore[method-assign]


@pytest.mark.parametrize(("schema", "sample"), CASES)
def test_a_representation_dumps_what_marshmallow_dumps(schema: type[Schema], sample: Any) -> None:
    assert issubclass(schema, Representation)
    with marshmallow_alone():
        expected = schema().dump(sample)
    assert schema().dump(sample) == expected
    assert list(schema().dump(sample)) == list(expected)  # the same keys in the same order


def test_every_schema_a_dialect_answers_with_is_a_representation() -> None:
    answers = ("token", "user", "user_page", "task", "task_page", "task_message", "history_page")
    for dialect in (STRICT, ORIGINAL):
        for answer in answers:
            assert issubclass(getattr(dialect.schemas, answer), Representation), answer


class Shown(Representation):
    plain = fields.String()
    renamed = fields.Integer(data_key="shownAs")
    elsewhere = fields.String(attribute="source")
    dotted = fields.String(attribute="inner.value")
    defaulted = fields.String(dump_default="none given")
    computed = fields.Function(lambda obj: "computed")


@pytest.mark.parametrize(
    "sample",
    [
        {"plain": "p", "renamed": "4", "source": "s", "inner": {"value": "v"}, "defaulted": "d"},
        {"plain": None},
        {},
    ],
)
def test_the_general_cases_dump_as_marshmallow_dumps_them(sample: dict[str, Any]) -> None:
    with marshmallow_alone():
        expected = Shown().dump(sample)
    assert Shown().dump(sample) == expected
    assert Shown(many=True).dump([sample, sample]) == [expected, expected]


class Usual(Representation):
    text = fields.String()
    identifier = fields.UUID()
    count = fields.Integer()
    share = fields.Float()
    flag = fields.Boolean()
    status = fields.Enum(TaskStatus, by_value=True)
    named = fields.Enum(TaskStatus)  # by name: always through the field


@pytest.mark.parametrize(
    "sample",
    [
        # each field's usual type, written without the field
        {
            "text": "t",
            "identifier": UUID(int=5),
            "count": 3,
            "share": 0.5,
            "flag": False,
            "status": TaskStatus.FAILED,
            "named": TaskStatus.FAILED,
        },
        # anything else still goes through the field
        {"text": 12, "identifier": str(UUID(int=5)), "count": True, "share": 3, "flag": 1},
        {"text": TaskStatus.PENDING, "count": 2.9, "share": "0.25", "flag": "yes"},
    ],
)
def test_values_of_the_usual_type_and_of_others_dump_as_marshmallow_dumps_them(
    sample: dict[str, Any],
) -> None:
    with marshmallow_alone():
        expected = Usual().dump(sample)
    assert Usual().dump(sample) == expected
    assert [type(value) for value in Usual().dump(sample).values()] == [
        type(value) for value in expected.values()
    ]


class Prepared(Representation):
    value = fields.String()
    seen = fields.Integer()

    @pre_dump
    def unwrap(self, obj: Any, **_: Any) -> dict[str, Any]:
        return {"value": obj["raw"].upper(), "seen": obj.get("seen", 0) + 1}


class Finished(Representation):
    value = fields.String()

    @post_dump(pass_original=True)
    def mark(self, data: dict[str, Any], original: Any, **_: Any) -> dict[str, Any]:
        return {**data, "original": sorted(original)}


class Nesting(Representation):
    prepared = fields.Nested(Prepared, allow_none=True)
    finished = fields.Nested(Finished, allow_none=True)
    narrowed = fields.Nested(Prepared, only=("value",), allow_none=True)
    several = fields.Nested(Prepared, many=True)


@pytest.mark.parametrize(
    "sample",
    [
        {
            "prepared": {"raw": "a", "seen": 1},
            "finished": {"value": "f"},
            "narrowed": {"raw": "n"},
            "several": [{"raw": "x"}, {"raw": "y", "seen": 5}],
        },
        {"prepared": None, "finished": None, "narrowed": None, "several": []},
        {},
    ],
)
def test_nested_representations_and_their_hooks_dump_as_marshmallow_dumps_them(
    sample: dict[str, Any],
) -> None:
    with marshmallow_alone():
        expected = Nesting().dump(sample)
    assert Nesting().dump(sample) == expected
    assert Nesting(many=True).dump([sample, sample]) == [expected, expected]
