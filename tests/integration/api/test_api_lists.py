"""GET /tasks and GET /users: the page envelope, its limits, filters and ordering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from integration.api.support import ENVELOPE, Caller, SignUp, error_of, fields_of


def ids(page: dict[str, Any]) -> list[str]:
    return [item["external_id"] for item in page["results"]]


def tasks_page(caller: Caller, **query: Any) -> dict[str, Any]:
    response = caller.get("/tasks", query_string=query)
    assert response.status_code == 200, response.get_json()
    page: dict[str, Any] = response.get_json()
    assert set(page) == ENVELOPE
    return page


def test_an_empty_list_is_an_empty_page(alice: Caller) -> None:
    assert tasks_page(alice) == {
        "has_previous": False,
        "has_next": False,
        "count": 0,
        "offset": 0,
        "limit": 10,
        "results": [],
        "next_cursor": None,
        "previous_cursor": None,
    }


def test_the_default_page_is_ten_newest_first(alice: Caller) -> None:
    created = [alice.create_task(name=f"t{i}")["external_id"] for i in range(12)]
    page = tasks_page(alice)
    assert (page["count"], page["limit"], page["offset"]) == (12, 10, 0)
    assert ids(page) == list(reversed(created))[:10]
    assert (page["has_previous"], page["has_next"]) == (False, True)


def test_offset_pages_through_the_rest(alice: Caller) -> None:
    created = [alice.create_task(name=f"t{i}")["external_id"] for i in range(5)]
    page = tasks_page(alice, limit=2, offset=2)
    assert ids(page) == list(reversed(created))[2:4]
    assert (page["has_previous"], page["has_next"], page["limit"]) == (True, True, 2)
    last = tasks_page(alice, limit=2, offset=4)
    assert (ids(last), last["has_next"]) == ([created[0]], False)
    beyond = tasks_page(alice, limit=2, offset=50)
    assert (beyond["results"], beyond["count"], beyond["has_next"]) == ([], 5, False)


def test_a_limit_above_the_cap_is_lowered_to_100(alice: Caller) -> None:
    for _ in range(3):
        alice.create_task()
    assert tasks_page(alice, limit=1000)["limit"] == 100
    assert tasks_page(alice, limit=10**30)["limit"] == 100


def test_a_zero_limit_counts_without_results(alice: Caller) -> None:
    alice.create_task()
    page = tasks_page(alice, limit=0)
    assert (page["count"], page["results"], page["has_next"]) == (1, [], True)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": -1}, "limit"),
        ({"offset": -5}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "1.5"}, "limit"),
        ({"offset": "9" * 5000}, "offset"),
        ({"order_by": "name"}, "order_by"),
        ({"order_by": "-status"}, "order_by"),
        ({"status": "done"}, "status"),
        ({"type": "huge"}, "type"),
        ({"assigned_to": "bob"}, "assigned_to"),
        ({"external_id": "x"}, "external_id"),
        ({"page": 2}, "page"),
        ({"search": ""}, "search"),
    ],
)
def test_bad_query_parameters_are_422_naming_the_parameter(
    alice: Caller, query: dict[str, Any], field: str
) -> None:
    assert field in fields_of(error_of(alice.get("/tasks", query_string=query), 422))


@pytest.mark.parametrize("path", ["/users", "/tasks"])
def test_both_lists_refuse_negative_and_unknown_parameters(alice: Caller, path: str) -> None:
    error_of(alice.get(path, query_string={"limit": -1}), 422)
    error_of(alice.get(path, query_string={"bogus": 1}), 422)


def test_the_user_list_has_the_same_envelope_and_cap(sign_up: SignUp) -> None:
    people = [sign_up() for _ in range(12)]
    response = people[0].get("/users")
    page = response.get_json()
    assert set(page) == ENVELOPE
    assert (page["count"], page["limit"], len(page["results"]), page["has_next"]) == (
        12,
        10,
        10,
        True,
    )
    capped = people[0].get("/users", query_string={"limit": 500, "offset": 10}).get_json()
    assert (capped["limit"], len(capped["results"]), capped["has_previous"]) == (100, 2, True)


# -- filters --------------------------------------------------------------------------


@pytest.fixture
def varied(alice: Caller, bob: Caller) -> dict[str, str]:
    """Four tasks: one per status that matters here, of different types."""
    made = {
        "unassigned": alice.create_task(name="free", type="low"),
        "pending": alice.create_task(name="waiting", type="urgent"),
        "in_progress": alice.create_task(name="busy", type="normal"),
        "completed": alice.create_task(name="done", type="urgent"),
    }
    for key in ("pending", "in_progress", "completed"):
        alice.post(
            "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": made[key]["external_id"]}
        )
    bob.post(f"/tasks/{made['in_progress']['external_id']}/start_task")
    bob.post(f"/tasks/{made['completed']['external_id']}/complete_task")
    return {key: task["external_id"] for key, task in made.items()}


@pytest.mark.parametrize("status", ["unassigned", "pending", "in_progress", "completed"])
def test_filter_by_status(alice: Caller, varied: dict[str, str], status: str) -> None:
    page = tasks_page(alice, status=status)
    assert ids(page) == [varied[status]]
    assert page["results"][0]["status"] == status


def test_filter_by_status_with_no_match(alice: Caller, varied: dict[str, str]) -> None:
    assert tasks_page(alice, status="failed")["count"] == 0


def test_filter_by_type(alice: Caller, varied: dict[str, str]) -> None:
    assert set(ids(tasks_page(alice, type="urgent"))) == {varied["pending"], varied["completed"]}
    assert ids(tasks_page(alice, type="low")) == [varied["unassigned"]]


def test_filter_by_assignee(alice: Caller, bob: Caller, varied: dict[str, str]) -> None:
    page = tasks_page(alice, assigned_to=bob.user_id)
    assert set(ids(page)) == {varied["pending"], varied["in_progress"], varied["completed"]}
    assert tasks_page(alice, assigned_to=alice.user_id)["count"] == 0


def test_filter_by_external_id(alice: Caller, varied: dict[str, str]) -> None:
    assert ids(tasks_page(alice, external_id=varied["pending"])) == [varied["pending"]]


def test_filters_combine(alice: Caller, bob: Caller, varied: dict[str, str]) -> None:
    page = tasks_page(alice, assigned_to=bob.user_id, type="urgent", status="completed")
    assert ids(page) == [varied["completed"]]


# -- ordering -------------------------------------------------------------------------


@pytest.fixture
def dated(alice: Caller) -> list[str]:
    """Three tasks created in order a, b, c with deadlines b < c < a, and one without."""
    soon = datetime.now(UTC) + timedelta(days=1)
    deadlines = {"a": soon + timedelta(days=3), "b": soon, "c": soon + timedelta(days=1)}
    made = [alice.create_task(name=n, deadline=d.isoformat()) for n, d in deadlines.items()]
    made.append(alice.create_task(name="none"))
    return [task["external_id"] for task in made]


def test_order_by_created_at_both_ways(alice: Caller, dated: list[str]) -> None:
    assert ids(tasks_page(alice, order_by="created_at")) == dated
    assert ids(tasks_page(alice, order_by="-created_at")) == list(reversed(dated))
    assert ids(tasks_page(alice)) == list(reversed(dated))


def test_order_by_deadline_both_ways(alice: Caller, dated: list[str]) -> None:
    a, b, c, none = dated
    assert ids(tasks_page(alice, order_by="deadline")) == [b, c, a, none]
    assert ids(tasks_page(alice, order_by="-deadline")) == [none, a, c, b]
