"""Reads run straight on a pooled driver connection answer exactly what SQLAlchemy's
``Connection`` answers for the same statement; they leave the connection as the pool lent it,
survive a connection that broke, and step aside while anything watches the engine's
statements."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from adapters.sqlalchemy.direct import DirectReads
from adapters.sqlalchemy.read.filters import FilterShape, filter_values
from adapters.sqlalchemy.read.keyset import PageShape, page_values
from adapters.sqlalchemy.read.tasks import _ONE_TASK, SqlTaskQueries, _page
from adapters.sqlalchemy.read.users import _ONE_USER
from adapters.sqlalchemy.read.users import _page as _user_page
from application.paging import Direction, Keyset, PageRequest, Position
from application.read_models import TaskFilter, TaskOrder, UserFilter
from domain.status import TaskStatus
from persistence.support import T0, Store, later, new_task, new_user


@pytest.fixture
def team(store: Store) -> dict[str, Any]:
    """Three users, five tasks: assigned, completed, unassigned, with and without deadlines."""
    boss, ann, bob = (
        new_user(f"{n}@example.com", n.title(), now=later(i))
        for i, n in enumerate(("boss", "ann", "bob"))
    )
    work = [new_task(boss, f"task {i}", now=later(10 + i)) for i in range(5)]
    work[0].assign(ann.external_id, actor_id=boss.external_id, now=later(20))
    work[1].assign(ann.external_id, actor_id=boss.external_id, now=later(20))
    work[1].complete(actor_id=ann.external_id, now=later(21))
    work[2].assign(bob.external_id, actor_id=boss.external_id, now=later(20))
    store.save(boss, ann, bob, *work)
    return {"boss": boss, "work": work}


def _statements(team: dict[str, Any]) -> list[tuple[Any, dict[str, Any]]]:
    """The hot reads, each with values that find rows."""
    everything = TaskFilter()
    first = PageRequest(limit=3)
    pending = TaskFilter(status=TaskStatus.PENDING)
    position = Position(later(11), team["work"][1].external_id)
    after = PageRequest(limit=2, keyset=Keyset(position, Direction.NEXT))
    return [
        (_ONE_TASK, {"task_id": team["work"][0].external_id}),
        (_ONE_USER, {"user_id": team["boss"].external_id}),
        (
            _page(
                FilterShape.of(everything), TaskOrder.CREATED_AT, PageShape.of(first), counted=True
            ),
            filter_values(everything) | page_values(first),
        ),
        (
            _page(FilterShape.of(pending), TaskOrder.DEADLINE, PageShape.of(first), counted=True),
            filter_values(pending) | page_values(first),
        ),
        (
            _page(
                FilterShape.of(everything), TaskOrder.CREATED_AT, PageShape.of(after), counted=False
            ),
            filter_values(everything) | page_values(after),
        ),
        (
            _user_page(FilterShape.of(UserFilter()), PageShape.of(first), counted=True),
            filter_values(UserFilter()) | page_values(first),
        ),
    ]


def test_each_hot_read_answers_what_sqlalchemy_answers(
    own_engine: Engine, team: dict[str, Any]
) -> None:
    direct = DirectReads(own_engine)
    for statement, values in _statements(team):
        with own_engine.connect() as connection:
            expected = [dict(row) for row in connection.execute(statement, values).mappings()]
        for _ in range(2):  # prepared on the first run, executed on the second
            rows = direct.fetch(statement, values)
            assert rows == expected
            assert [list(map(type, row.values())) for row in rows] == [
                list(map(type, row.values())) for row in expected
            ]
        assert expected, "each statement finds rows"


def test_times_come_back_aware_in_utc(own_engine: Engine, team: dict[str, Any]) -> None:
    [row] = DirectReads(own_engine).fetch(_ONE_TASK, {"task_id": team["work"][0].external_id})
    assert row["created_at"] == later(10)
    assert row["created_at"].utcoffset() == timedelta(0)
    assert row["created_at"].tzinfo is T0.tzinfo


def test_no_sqlalchemy_connection_is_made_for_a_read(
    own_engine: Engine, team: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused() -> None:
        raise AssertionError("a direct read made a Connection")

    monkeypatch.setattr(own_engine, "connect", refused)
    task = SqlTaskQueries(DirectReadsOnly(own_engine)).get(team["work"][0].external_id)
    assert task is not None
    assert task.name == "task 0"


class DirectReadsOnly:
    """What the read side needs, with nothing but direct reads behind it."""

    def __init__(self, engine: Engine) -> None:
        self._direct = DirectReads(engine)

    def connect(self) -> Any:
        raise AssertionError("not used")

    def fetch(self, statement: Any, values: Any) -> list[dict[str, Any]]:
        return self._direct.fetch(statement, values)


def test_the_pooled_connection_goes_back_out_of_autocommit(
    own_engine: Engine, team: dict[str, Any]
) -> None:
    DirectReads(own_engine).fetch(_ONE_TASK, {"task_id": team["work"][0].external_id})
    with own_engine.connect() as connection:
        assert connection.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]
        connection.execute(text("SELECT 1"))
        assert connection.in_transaction()


def test_a_read_on_a_connection_that_broke_still_answers(
    own_engine: Engine, store: Store, team: dict[str, Any]
) -> None:
    direct = DirectReads(own_engine)
    values = {"task_id": team["work"][0].external_id}
    direct.fetch(_ONE_TASK, values)
    with own_engine.connect() as connection:  # the one pooled connection, lent again
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with store.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    [row] = direct.fetch(_ONE_TASK, values)
    assert row["name"] == "task 0"
    with own_engine.connect() as connection:
        assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != backend


def test_while_something_watches_the_engine_it_sees_every_read(
    own_engine: Engine, team: dict[str, Any]
) -> None:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    event.listen(own_engine, "before_cursor_execute", record)
    try:
        DirectReads(own_engine).fetch(_ONE_TASK, {"task_id": team["work"][0].external_id})
    finally:
        event.remove(own_engine, "before_cursor_execute", record)
    assert len(seen) == 1
    assert "FROM tasks" in seen[0]


def test_times_come_back_in_utc_whatever_the_session_says(
    own_engine: Engine, team: dict[str, Any]
) -> None:
    direct = DirectReads(own_engine)
    values = {"task_id": team["work"][0].external_id}
    direct.fetch(_ONE_TASK, values)
    with own_engine.connect() as connection:  # the one pooled connection, lent again
        connection.execute(text("SET SESSION TIME ZONE 'Asia/Tokyo'"))
        connection.commit()
    [row] = direct.fetch(_ONE_TASK, values)
    assert row["created_at"] == later(10)
    assert row["created_at"].tzinfo is UTC


def test_a_naive_time_is_refused_as_in_any_statement(
    own_engine: Engine, team: dict[str, Any]
) -> None:
    naive = Position(later(11).replace(tzinfo=None), team["work"][1].external_id)
    after = PageRequest(limit=2, keyset=Keyset(naive, Direction.NEXT))
    statement = _page(
        FilterShape.of(TaskFilter()), TaskOrder.CREATED_AT, PageShape.of(after), counted=False
    )
    with pytest.raises(ValueError, match="naive datetime"):
        DirectReads(own_engine).fetch(statement, filter_values(TaskFilter()) | page_values(after))
