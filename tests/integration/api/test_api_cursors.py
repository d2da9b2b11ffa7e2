"""Cursor paging of GET /tasks and GET /users: a walk that meets tasks created and deleted
between its pages sees every task that lived through it exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest
from flask.testing import FlaskClient

from integration.api.support import Caller, SignUp, error_of, fields_of

ORDERS = ["created_at", "-created_at", "deadline", "-deadline"]
_HOURS = count(1)


def page_of(caller: Caller, path: str = "/tasks", **query: Any) -> dict[str, Any]:
    response = caller.get(path, query_string=query)
    assert response.status_code == 200, response.get_json()
    page: dict[str, Any] = response.get_json()
    return page


def ids(page: dict[str, Any]) -> list[str]:
    return [item["external_id"] for item in page["results"]]


def new_task(caller: Caller, *, dated: bool, **body: Any) -> str:
    """A task due some hours ahead (a different hour each time), or with no deadline."""
    deadline = datetime.now(UTC) + timedelta(hours=next(_HOURS))
    task = caller.create_task(deadline=deadline.isoformat() if dated else None, **body)
    return str(task["external_id"])


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("where", [{}, {"type": "urgent"}])
def test_a_walk_sees_each_surviving_task_once_while_others_come_and_go(
    alice: Caller, order: str, where: dict[str, str]
) -> None:
    at_start = [new_task(alice, dated=n % 3 != 0, type="urgent") for n in range(12)]
    noise = [new_task(alice, dated=True, type="normal") for _ in range(3)]
    deleted: set[str] = set()
    seen: list[str] = []
    query = {"order_by": order, "limit": 3, **where}
    page = page_of(alice, **query)
    seen += ids(page)
    step = 0
    while page["next_cursor"] is not None:
        # Between pages: a task already seen and one not yet seen go, two new ones come.
        for victim in [t for t in at_start if t in seen][:1] + [
            t for t in at_start if t not in seen
        ][-1:]:
            if victim not in deleted:
                assert alice.delete(f"/tasks/{victim}").status_code == 204
                deleted.add(victim)
        new_task(alice, dated=step % 2 == 0, type="urgent")
        new_task(alice, dated=False, type="urgent")
        step += 1
        page = page_of(alice, **query, cursor=page["next_cursor"])
        seen += ids(page)

    survivors = set(at_start) - deleted
    assert deleted  # the walk did meet deletions
    assert survivors <= set(seen)
    assert max(Counter(seen).values()) == 1
    if where:
        assert not set(noise) & set(seen)


@pytest.mark.parametrize("order", ORDERS)
def test_previous_cursors_walk_back_through_the_same_pages(alice: Caller, order: str) -> None:
    for n in range(7):
        new_task(alice, dated=n % 2 == 0)
    forward = [page_of(alice, order_by=order, limit=2)]
    while forward[-1]["next_cursor"]:
        forward.append(page_of(alice, order_by=order, limit=2, cursor=forward[-1]["next_cursor"]))
    backward = [forward[-1]]
    while backward[-1]["previous_cursor"]:
        cursor = backward[-1]["previous_cursor"]
        backward.append(page_of(alice, order_by=order, limit=2, cursor=cursor))
    assert [ids(p) for p in backward] == [ids(p) for p in reversed(forward)]
    assert (forward[0]["previous_cursor"], forward[-1]["next_cursor"]) == (None, None)
    assert len({t for p in forward for t in ids(p)}) == 7


def test_users_walk_by_cursor(sign_up: SignUp) -> None:
    people = [sign_up() for _ in range(5)]
    page = page_of(people[0], "/users", limit=2)
    seen = ids(page)
    while page["next_cursor"]:
        page = page_of(people[0], "/users", limit=2, cursor=page["next_cursor"])
        seen += ids(page)
    assert seen == [person.user_id for person in people]


@pytest.mark.parametrize("path", ["/tasks", "/users"])
def test_a_tampered_or_foreign_cursor_is_422(alice: Caller, bob: Caller, path: str) -> None:
    for _ in range(3):
        alice.create_task()
    token = page_of(alice, path, limit=1)["next_cursor"]
    body, tag = token.split(".")
    flipped = body[:-1] + ("A" if body[-1] != "A" else "B")
    for forged in (f"{flipped}.{tag}", token[:-3], "not-a-cursor", "é", "x" * 5000):
        error = error_of(alice.get(path, query_string={"cursor": forged}), 422)
        assert "cursor" in fields_of(error)
    other = "/users" if path == "/tasks" else "/tasks"
    assert "cursor" in fields_of(error_of(alice.get(other, query_string={"cursor": token}), 422))


def test_a_cursor_is_bound_to_its_filter_and_order(alice: Caller) -> None:
    for _ in range(3):
        alice.create_task()
    token = page_of(alice, limit=1, order_by="deadline")["next_cursor"]
    for query in ({"order_by": "created_at"}, {"order_by": "deadline", "status": "pending"}):
        refused = alice.get("/tasks", query_string={**query, "cursor": token})
        assert "cursor" in fields_of(error_of(refused, 422))
    assert page_of(alice, limit=1, order_by="deadline", cursor=token)["results"]


@pytest.mark.parametrize("offset", [0, 2])
def test_an_offset_and_a_cursor_together_are_422(alice: Caller, offset: int) -> None:
    for _ in range(3):
        alice.create_task()
    token = page_of(alice, limit=1)["next_cursor"]
    refused = alice.get("/tasks", query_string={"cursor": token, "offset": offset})
    assert "offset" in fields_of(error_of(refused, 422))


@pytest.mark.parametrize("path", ["/tasks", "/users"])
def test_count_false_skips_the_count(sign_up: SignUp, path: str) -> None:
    people = [sign_up() for _ in range(3)]
    for _ in range(3):
        people[0].create_task()
    page = page_of(people[0], path, limit=2, count="false")
    assert (page["count"], len(page["results"]), page["has_next"]) == (None, 2, True)
    rest = page_of(people[0], path, limit=2, count="false", cursor=page["next_cursor"])
    assert (rest["count"], len(rest["results"]), rest["has_next"]) == (None, 1, False)
    assert page_of(people[0], path, limit=2)["count"] == 3


def test_the_document_describes_cursors_and_the_optional_count(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for path, page in (("/tasks", "TaskPage"), ("/users", "UserPage")):
        parameters = {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}
        assert {"cursor", "count", "limit", "offset"} <= set(parameters)
        assert parameters["count"]["schema"] == {"type": "boolean", "default": True}
        fields = schemas[page]["properties"]
        for name in ("next_cursor", "previous_cursor", "count"):
            assert fields[name].get("nullable") is True, (page, name)
        assert {"next_cursor", "previous_cursor"} <= set(schemas[page]["required"])
    assert "nullable" not in schemas["HistoryPage"]["properties"]["count"]
