"""/v1 speaks the original's dialect over the same use cases: its bodies, its queries, its
values, its way of moving a task, its schema URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient

from integration.api.support import Caller, in_an_hour

#: The original's page envelope, exactly.
ORIGINAL_PAGE = {"has_previous", "has_next", "count", "offset", "results"}
DRF_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")


def names(page: dict[str, Any]) -> list[str]:
    return [task["name"] for task in page["results"]]


def tasks_named(caller: Caller, *names: str) -> list[dict[str, Any]]:
    return [caller.create_task(name=name) for name in names]


# -- bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["data", "multipart"])
def test_v1_reads_form_and_multipart_bodies_like_json(alice: Caller, encoding: str) -> None:
    body = {"name": "From a form", "type": "urgent"}
    kwargs: dict[str, Any] = {"data": body}
    if encoding == "multipart":
        kwargs["content_type"] = "multipart/form-data"
    response = alice.client.post("/v1/tasks", headers=alice.headers, **kwargs)
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["name"], response.get_json()["type"]) == ("From a form", "urgent")


def test_v1_ignores_unknown_and_read_only_fields(alice: Caller) -> None:
    body = {"name": "Lenient", "colour": "red", "status": "completed", "completed_at": None}
    created = alice.post("/v1/tasks", json=body)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["status"] == "unassigned"


def test_v1_a_task_read_edited_and_sent_back_is_accepted(alice: Caller) -> None:
    alice.create_task(name="Round trip")
    task = alice.get("/v1/tasks").get_json()["results"][0]
    task["name"] = "Round trip, edited"
    response = alice.patch(f"/v1/tasks/{task['external_id']}", json=task)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["name"] == "Round trip, edited"


def test_v2_unknown_field_is_problem_422(alice: Caller) -> None:
    response = alice.post("/v2/tasks", json={"name": "Strict", "colour": "red"})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["pointer"] == "/colour"


# -- PATCH status: the original's way to move a task ---------------------------------


def _assigned(alice: Caller) -> str:
    task = alice.create_task(name="Work", deadline=in_an_hour())
    alice.post(
        "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
    )
    return str(task["external_id"])


def test_v1_patching_status_in_progress_starts_the_task(alice: Caller) -> None:
    task_id = _assigned(alice)
    response = alice.patch(f"/v1/tasks/{task_id}", json={"status": "in_progress"})
    assert (response.status_code, response.get_json()["status"]) == (200, "in_progress")
    history = alice.get(f"/tasks/{task_id}/history").get_json()["results"]
    assert history[0]["type"] == "started"


def test_v1_patching_status_completed_completes_the_task(alice: Caller) -> None:
    task_id = _assigned(alice)
    response = alice.patch(f"/v1/tasks/{task_id}", json={"status": "completed"})
    assert (response.status_code, response.get_json()["status"]) == (200, "completed")
    assert response.get_json()["completed_at"] is not None


def test_v1_a_move_the_status_machine_refuses_is_a_400_on_status(alice: Caller) -> None:
    task_id = _assigned(alice)
    assert alice.patch(f"/v1/tasks/{task_id}", json={"status": "completed"}).status_code == 200
    response = alice.patch(f"/v1/tasks/{task_id}", json={"status": "in_progress"})
    assert response.status_code == 400
    assert list(response.get_json()) == ["status"]
    back = alice.patch(f"/v1/tasks/{task_id}", json={"status": "pending"})
    assert (back.status_code, list(back.get_json())) == (400, ["status"])
    assert alice.get(f"/tasks/{task_id}").get_json()["status"] == "completed"


def test_v1_a_move_follows_the_authorization_table(alice: Caller, bob: Caller) -> None:
    task_id = _assigned(alice)
    response = bob.patch(f"/v1/tasks/{task_id}", json={"status": "in_progress"})
    assert response.status_code == 403


def test_v1_sending_the_current_status_back_moves_nothing(alice: Caller) -> None:
    task = alice.create_task(name="Still")
    response = alice.patch(f"/v1/tasks/{task['external_id']}", json={"status": "unassigned"})
    assert (response.status_code, response.get_json()["status"]) == (200, "unassigned")


def test_v2_status_in_a_patch_is_a_problem_422(alice: Caller) -> None:
    task_id = _assigned(alice)
    response = alice.patch(f"/v2/tasks/{task_id}", json={"status": "in_progress"})
    assert (response.status_code, response.mimetype) == (422, "application/problem+json")


# -- queries --------------------------------------------------------------------------


def test_v1_pages_are_the_originals_envelope_oldest_first(alice: Caller) -> None:
    tasks_named(alice, "first", "second", "third")
    page = alice.get("/v1/tasks").get_json()
    assert set(page) == ORIGINAL_PAGE
    assert names(page) == ["first", "second", "third"]
    assert names(alice.get("/v2/tasks").get_json()) == ["third", "second", "first"]


def test_v1_cursors_travel_in_the_link_header(alice: Caller) -> None:
    tasks_named(alice, "a", "b", "c")
    first = alice.get("/v1/tasks", query_string={"limit": 2})
    link = first.headers["Link"]
    assert 'rel="next"' in link
    following = re.search(r"<([^>]+)>; rel=\"next\"", link)
    assert following is not None
    assert following.group(1).startswith("/v1/tasks?")
    second = alice.get(following.group(1))
    assert names(second.get_json()) == ["c"]
    assert 'rel="prev"' in second.headers["Link"]
    assert "next_cursor" not in second.get_json()


def test_v1_limit_is_capped_at_30_and_bad_limits_fall_back_to_10(alice: Caller) -> None:
    tasks_named(alice, *(f"t{n}" for n in range(32)))
    assert len(alice.get("/v1/tasks?limit=100").get_json()["results"]) == 30
    for bad in ("0", "-3", "many"):
        assert len(alice.get(f"/v1/tasks?limit={bad}").get_json()["results"]) == 10, bad
    assert alice.get("/v1/tasks?offset=-4").get_json()["offset"] == 0
    assert len(alice.get("/v2/tasks?limit=100").get_json()["results"]) == 32


def test_v1_ignores_unknown_parameters_and_matches_values_in_any_case(alice: Caller) -> None:
    alice.create_task(name="Hot", type="urgent")
    alice.create_task(name="Cold", type="low")
    page = alice.get("/v1/tasks", query_string={"type": "URGENT", "format": "json", "x": "1"})
    assert names(page.get_json()) == ["Hot"]


@pytest.mark.parametrize(
    "query", [{"status": "nonsense"}, {"type": "critical"}, {"assigned_to": "not-an-id"}]
)
def test_v1_a_filter_value_nothing_has_gives_an_empty_page(
    alice: Caller, query: dict[str, str]
) -> None:
    alice.create_task(name="Exists")
    page = alice.get("/v1/tasks", query_string=query)
    assert page.status_code == 200
    assert (page.get_json()["count"], page.get_json()["results"]) == (0, [])


def test_v1_order_by_takes_comma_separated_keys(alice: Caller) -> None:
    tasks_named(alice, "older", "newer")
    page = alice.get("/v1/tasks", query_string={"order_by": "-created_at,deadline"})
    assert names(page.get_json()) == ["newer", "older"]


def test_v1_ordering_sorts_by_a_field_of_the_representation(alice: Caller) -> None:
    tasks_named(alice, "older", "newer")
    page = alice.get("/v1/tasks", query_string={"ordering": "-created_at"})
    assert names(page.get_json()) == ["newer", "older"]
    ignored = alice.get("/v1/tasks", query_string={"ordering": "no_such_field"})
    assert names(ignored.get_json()) == ["older", "newer"]


@pytest.mark.parametrize("prefix", ["/v1", "/v2", ""])
def test_search_matches_name_and_description_whatever_the_case(alice: Caller, prefix: str) -> None:
    alice.create_task(name="Water the PLANTS")
    alice.create_task(name="Shop", description="plants and soil")
    alice.create_task(name="Call mum")
    alice.create_task(name="100% done")
    page = alice.get(f"{prefix}/tasks", query_string={"search": "plants"}).get_json()
    assert sorted(names(page)) == ["Shop", "Water the PLANTS"]
    assert page["count"] == 2
    literal = alice.get(f"{prefix}/tasks", query_string={"search": "0%"}).get_json()
    assert names(literal) == ["100% done"]


@pytest.mark.parametrize("prefix", ["/v1", ""])
def test_search_finds_users_by_name_or_email(alice: Caller, bob: Caller, prefix: str) -> None:
    page = alice.get(f"{prefix}/users", query_string={"search": "BOB@"}).get_json()
    assert [user["name"] for user in page["results"]] == ["Bob"]


# -- values ---------------------------------------------------------------------------


def test_v1_writes_times_as_drf_did(alice: Caller) -> None:
    task = alice.post("/v1/tasks", json={"name": "Timed", "deadline": in_an_hour()}).get_json()
    for key in ("created_at", "updated_at", "deadline"):
        assert DRF_TIME.match(task[key]), task[key]
    moment = datetime.fromisoformat(task["created_at"].replace("Z", "+00:00"))
    assert moment.tzinfo == UTC


def test_v1_completion_percentage_is_unrounded_and_an_integer_0_without_tasks(
    alice: Caller,
) -> None:
    me = alice.get(f"/v1/users/{alice.user_id}").get_json()
    assert me["completion_percentage"] == 0
    assert isinstance(me["completion_percentage"], int)
    for n in range(3):
        task = alice.create_task(name=f"Third {n}", deadline=in_an_hour())
        alice.post(
            "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
        )
        if n == 0:
            alice.post(f"/tasks/{task['external_id']}/complete_task")
    me = alice.get(f"/v1/users/{alice.user_id}").get_json()
    assert me["completion_percentage"] == 1 / 3 * 100  # as the original computed it
    assert alice.get(f"/v2/users/{alice.user_id}").get_json()["completion_percentage"] == 33.33


def test_a_204_has_no_content_type(alice: Caller) -> None:
    for prefix in ("/v1", ""):
        task = alice.create_task()
        response = alice.delete(f"{prefix}/tasks/{task['external_id']}")
        assert response.status_code == 204
        assert "Content-Type" not in response.headers


# -- the original's schema URLs -----------------------------------------------------------


def test_v1_schema_is_yaml_by_default_and_json_by_accept(client: FlaskClient) -> None:
    document = yaml.safe_load(client.get("/v1/schema").get_data(as_text=True))
    assert "/v1/tasks" in document["paths"]
    as_json = client.get("/v1/schema", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    assert as_json.get_json()["paths"] == document["paths"]
    assert not [path for path in document["paths"] if not path.startswith("/v1/")]


def test_v1_schema_has_its_swagger_ui(client: FlaskClient) -> None:
    page = client.get("/v1/schema/swagger/")
    assert page.status_code == 200
    assert "/v1/schema/openapi.json" in page.get_data(as_text=True)


def test_v1_an_empty_search_filters_nothing(alice: Caller) -> None:
    tasks_named(alice, "one", "two")
    assert alice.get("/v1/tasks?search=").get_json()["count"] == 2
